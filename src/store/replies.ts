/**
 * Every counted thread reply in time order, so "threads with replies during a day" is a binary search
 * plus that day's replies — never a walk over every thread the bot ever had.
 *
 * A reply's time is its Slack ts (epoch seconds, "1633620000.000100"); a ts that is not a number
 * carries no time and is left out (it can never fall in a window).
 */

interface ReplyEntry {
  /** Epoch milliseconds of the ts. */
  ms: number;
  threadKey: string;
  replyTs: string;
}

/** A reply's time in epoch milliseconds, or null when its ts is not Slack's epoch seconds. */
export function replyTime(replyTs: string): number | null {
  if (!/^\d+(\.\d+)?$/.test(replyTs)) return null;
  const ms = Number(replyTs) * 1000;
  return Number.isFinite(ms) ? ms : null;
}

const before = (a: ReplyEntry, b: ReplyEntry): number =>
  a.ms - b.ms || (a.replyTs < b.replyTs ? -1 : a.replyTs > b.replyTs ? 1 : 0);

/** First index whose time is >= ms. */
function lowerBound(entries: readonly ReplyEntry[], ms: number): number {
  let lo = 0;
  let hi = entries.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (entries[mid]!.ms < ms) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export class ReplyTimeline {
  readonly #entries: ReplyEntry[] = [];
  /** Loading at open appends in file order; the one sort happens on first use. */
  #sorted = true;

  /** At open: appended as read, sorted once before the first query. */
  load(threadKey: string, replyTs: string): void {
    const ms = replyTime(replyTs);
    if (ms === null) return;
    this.#entries.push({ ms, threadKey, replyTs });
    this.#sorted = false;
  }

  /** A new reply: almost always the newest, so an append. */
  add(threadKey: string, replyTs: string): void {
    const ms = replyTime(replyTs);
    if (ms === null) return;
    const entry = { ms, threadKey, replyTs };
    const entries = this.#ensureSorted();
    const last = entries[entries.length - 1];
    if (last === undefined || before(last, entry) <= 0) {
      entries.push(entry);
      return;
    }
    let at = lowerBound(entries, ms);
    while (at < entries.length && before(entries[at]!, entry) <= 0) at++;
    entries.splice(at, 0, entry);
  }

  remove(threadKey: string, replyTs: string): void {
    const ms = replyTime(replyTs);
    if (ms === null) return;
    const entries = this.#ensureSorted();
    for (let at = lowerBound(entries, ms); at < entries.length && entries[at]!.ms === ms; at++) {
      const entry = entries[at]!;
      if (entry.threadKey === threadKey && entry.replyTs === replyTs) {
        entries.splice(at, 1);
        return;
      }
    }
  }

  /** The replies posted within [fromMs, toMs), oldest first, grouped by thread in order of first reply. */
  between(fromMs: number, toMs: number): Map<string, string[]> {
    const result = new Map<string, string[]>();
    if (!(fromMs < toMs)) return result;
    const entries = this.#ensureSorted();
    for (let at = lowerBound(entries, fromMs); at < entries.length && entries[at]!.ms < toMs; at++) {
      const { threadKey, replyTs } = entries[at]!;
      const list = result.get(threadKey);
      if (list) list.push(replyTs);
      else result.set(threadKey, [replyTs]);
    }
    return result;
  }

  #ensureSorted(): ReplyEntry[] {
    if (!this.#sorted) {
      this.#entries.sort(before);
      this.#sorted = true;
    }
    return this.#entries;
  }
}

/**
 * After a reply is removed, the latest remaining one: Slack ts are epoch seconds, so the newest ts
 * gives the time. Keeps the old value when the ts are not Slack's (they then carry no time).
 */
export function latestReplyTime(replies: Record<string, string>, previous: string | null): string | null {
  const stamps = Object.keys(replies);
  if (stamps.length === 0) return null;
  const seconds = stamps.map(Number);
  if (seconds.some((value) => !Number.isFinite(value))) return previous;
  return new Date(Math.max(...seconds) * 1000).toISOString();
}
