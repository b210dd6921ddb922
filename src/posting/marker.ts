/**
 * The one way the bot marks what it posts, so a later attempt can recognise a post Slack took but the
 * store never recorded (a process killed between Slack's answer and the write, an answer lost on the
 * way back): message metadata of one event type, whose payload names the post — a briefing's post by
 * `briefing_id` and `post_key`, a day's digest by `digest_date`. Metadata rather than a block id: only
 * apps can set it, it survives any edit of the blocks, and it says what the post is without parsing it.
 */
import type { ListedMessage } from '../slack/api/history.js';
import type { BotIdentity } from '../slack/api/identity.js';

/** Message metadata event type of every marked post. */
export const POST_METADATA_TYPE = 'briefing_bot_post';

/** What a marker names: every field must match for a listed message to be that post. */
export type PostMark = Readonly<Record<string, string>>;

/** The metadata a post carries (chat.postMessage's `metadata`). */
export function postMarker(mark: PostMark) {
  return { event_type: POST_METADATA_TYPE, event_payload: { ...mark } };
}

/** True when `bot` posted `message` (its user or its bot id). */
export function postedBy(message: ListedMessage, bot: BotIdentity): boolean {
  return message.user === bot.userId || message.bot_id === bot.botId;
}

/** True when a message from history or replies carries `mark` and was posted by this bot. */
export function carriesMarker(message: ListedMessage, mark: PostMark, bot: BotIdentity): boolean {
  const payload = message.metadata?.event_payload;
  if (message.metadata?.event_type !== POST_METADATA_TYPE || !payload) return false;
  for (const [field, value] of Object.entries(mark)) if (payload[field] !== value) return false;
  // Only apps can set metadata; still, another app's message must not stand in for ours. Without
  // auth.test's answer, any app's marked post is taken: a lost post is worse than a borrowed ts.
  if (bot.userId === null && bot.botId === null) return message.bot_id !== undefined;
  return postedBy(message, bot);
}

/** True when `message` sits where a post meant for `threadTs` would: in that thread, or at top level. */
export function inPlace(message: ListedMessage, threadTs: string | null): boolean {
  if (threadTs) return message.thread_ts === threadTs && message.ts !== threadTs;
  return !message.thread_ts || message.thread_ts === message.ts;
}
