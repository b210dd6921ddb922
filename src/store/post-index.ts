/**
 * Which briefing posted the Slack message at (channel, ts): every post of every delivery, for mapping a
 * thread reply or a reaction back to its briefing. By channel, then by ts — the ts strings are the post
 * records' own and the value the delivery's briefing id, so a ten-year archive's ~25,000 posts cost a map
 * slot each. (A key string `${channel}\0${ts}` and a small object per post were ~2.7 MB of heap there.)
 */
export class PostIndex {
  readonly #byChannel = new Map<string, Map<string, string>>();

  set(channel: string, ts: string, briefingId: string): void {
    let posts = this.#byChannel.get(channel);
    if (!posts) {
      posts = new Map();
      this.#byChannel.set(channel, posts);
    }
    posts.set(ts, briefingId);
  }

  delete(channel: string, ts: string): void {
    const posts = this.#byChannel.get(channel);
    if (!posts) return;
    posts.delete(ts);
    if (posts.size === 0) this.#byChannel.delete(channel);
  }

  /** The briefing whose delivery has the post, if any. */
  get(channel: string, ts: string): string | undefined {
    return this.#byChannel.get(channel)?.get(ts);
  }
}
