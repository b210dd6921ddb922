/**
 * Reads what a day's digest needs from the store. Deterministic: the same store contents and date
 * always give the same digest.
 */
import { countryFlag, countryName } from '../countries/index.js';
import { addDays, dayBoundsIn, todayIn } from '../query/calendar.js';
import { type BriefingSummary, summarizeBriefing } from '../query/day-summary.js';
import type { DigestReads } from '../store/roles.js';
import { storiesOf } from '../store/stories.js';
import type { DigestStore, StoredBriefing, ThreadActivity } from '../store/types.js';
import type { DigestBriefing, DigestCountry, DigestModel, DigestThread } from './model.js';

/** "Not covered in the previous 7 days": the desk thinks in weeks. */
export const FRESHNESS_DAYS = 7;

/** How many days back the previous digest (where this one's window starts) is looked for. */
export const PREVIOUS_DIGEST_LOOKBACK_DAYS = 7;

/**
 * The instants `[from, to)` a digest for `date` covers for "received" and "replies": from the end of
 * the previous digest's window — the `postedAt` of the most recent digest recorded for a day before
 * `date` (looked for up to PREVIOUS_DIGEST_LOOKBACK_DAYS back), capped at the end of that digest's own
 * day like every window's end — else local midnight of `date`; to `now` (when the digest is built),
 * capped at the end of `date` in `timeZone`, so a past day's digest asked for later is still that day.
 * Consecutive windows meet: a briefing or reply that arrives after one day's digest was posted is in
 * the next day's, never in none. A window that would end before it starts (a future day) is empty.
 */
export async function digestWindow(
  store: DigestStore,
  date: string,
  timeZone: string,
  now: Date,
): Promise<{ from: string; to: string }> {
  const day = dayBoundsIn(date, timeZone);
  let fromMs = Date.parse(day.from);
  for (let back = 1; back <= PREVIOUS_DIGEST_LOOKBACK_DAYS; back += 1) {
    const previous = await store.getDigest(addDays(date, -back));
    if (!previous) continue;
    // A digest posted after its own day ended (by hand, `digest DATE --post`) covered up to that day's
    // end only; an unreadable postedAt is taken the same way.
    const previousDayEnd = Date.parse(dayBoundsIn(previous.date, timeZone).to);
    const postedAt = Date.parse(previous.postedAt);
    fromMs = Number.isNaN(postedAt) ? previousDayEnd : Math.min(postedAt, previousDayEnd);
    break;
  }
  const toMs = Math.max(fromMs, Math.min(now.getTime(), Date.parse(day.to)));
  return { from: new Date(fromMs).toISOString(), to: new Date(toMs).toISOString() };
}

/**
 * The digest for `date` (a day in `timeZone`), built at `now`: the briefings filed under it plus the
 * ones dated an earlier day that arrived within its window (see digestWindow: the previous digest was
 * already posted, so a late forward would otherwise never be seen), and the threads with replies posted
 * within the window, whatever their briefing's date. The store answers both from in-memory indexes:
 * nothing here walks the archive.
 */
export async function collectDigest(
  store: DigestReads,
  date: string,
  timeZone: string,
  now: Date,
): Promise<DigestModel> {
  const window = await digestWindow(store, date, timeZone, now);
  const briefings = await briefingsOfDay(store, date, window);
  const summaries = new Map<string, BriefingSummary>();
  for (const stored of briefings) summaries.set(stored.id, await summarizeBriefing(stored, store));
  const threads = await store.threadsWithRepliesBetween(window.from, window.to);
  return {
    date,
    today: todayIn(now, timeZone),
    timeZone,
    window,
    briefings: briefings.map((stored) => toDigestBriefing(summaries.get(stored.id)!, stored, date)),
    countries: await countriesCovered(store, briefings, date),
    threads: await mostDiscussed(store, threads, summaries, date),
    lastReceivedAt: await lastReceipt(store, briefings, window.to),
    archiveEmpty: (await store.briefingCount()) === 0,
  };
}

/** How far back an empty past day's digest looks for the receipt before its end. */
const LAST_RECEIPT_LOOKBACK_DAYS = 31;

/**
 * The digest's "last briefing received": the newest of its own briefings. An empty digest reports the
 * newest receipt before its window's end — for a past day, not one that arrived days later.
 */
async function lastReceipt(
  store: DigestReads,
  briefings: StoredBriefing[],
  windowEnd: string,
): Promise<string | null> {
  if (briefings.length > 0)
    return (
      briefings
        .map((stored) => stored.receivedAt)
        .sort()
        .at(-1) ?? null
    );
  const last = await store.lastReceivedAt();
  if (last === null || last < windowEnd) return last;
  const from = new Date(Date.parse(windowEnd) - LAST_RECEIPT_LOOKBACK_DAYS * 86_400_000).toISOString();
  return (await store.briefingsReceivedBetween(from, windowEnd)).at(-1)?.receivedAt ?? null;
}

/**
 * Filed under `date` (oldest received first, whenever received), then received within the window but
 * dated earlier (oldest received first), each once. One dated a later day is left to that day's digest,
 * which files it. A late one whose own day's digest was built after it arrived was in that digest (it
 * lists every briefing filed under its day): repeating it minutes later would say it twice.
 */
async function briefingsOfDay(
  store: DigestReads,
  date: string,
  window: { from: string; to: string },
): Promise<StoredBriefing[]> {
  const filed = await store.briefingsOn(date);
  const late: StoredBriefing[] = [];
  for (const stored of await store.briefingsReceivedBetween(window.from, window.to)) {
    if (stored.date < date && !(await digestedOnItsDay(store, stored))) late.push(stored);
  }
  return [...filed, ...late];
}

async function digestedOnItsDay(store: DigestReads, stored: StoredBriefing): Promise<boolean> {
  const own = await store.getDigest(stored.date);
  if (!own) return false;
  const postedAt = Date.parse(own.postedAt);
  // Windows are [from, to): a digest covers receipts strictly before its postedAt, as the next window
  // starts there.
  return !Number.isNaN(postedAt) && postedAt > Date.parse(stored.receivedAt);
}

function toDigestBriefing(summary: BriefingSummary, stored: StoredBriefing, date: string): DigestBriefing {
  return {
    title: summary.title,
    publication: summary.publication,
    link: summary.permalink,
    datedOn: stored.date === date ? null : stored.date,
    receivedAt: stored.receivedAt,
    sections: summary.sections.map((line) => ({
      number: line.index + 1,
      title: line.title,
      summary: line.firstSentence,
      link: line.permalink,
    })),
  };
}

async function countriesCovered(
  store: DigestReads,
  briefings: StoredBriefing[],
  date: string,
): Promise<DigestCountry[]> {
  const counts = new Map<string, number>();
  for (const stored of briefings) {
    for (const story of storiesOf(stored.briefing)) {
      for (const code of new Set(story.countries)) counts.set(code, (counts.get(code) ?? 0) + 1);
    }
  }
  const previousWeek = { from: addDays(date, -FRESHNESS_DAYS), to: addDays(date, -1) };
  // A late briefing is filed within the previous week: it must not make its own countries look old.
  const today = new Set(briefings.map((stored) => stored.id));
  const covered = await Promise.all(
    [...counts].map(async ([code, stories]) => ({
      code,
      name: countryName(code),
      flag: countryFlag(code),
      stories,
      newThisWeek: !(await store.storiesAbout(code, previousWeek)).some((ref) => !today.has(ref.briefingId)),
    })),
  );
  return covered.sort((a, b) => b.stories - a.stories || a.name.localeCompare(b.name));
}

/**
 * The threads with replies posted within the window (`threads` holds only the window's replies),
 * whichever briefing they belong to; `summaries` already holds the day's briefings and gains older ones as met.
 */
async function mostDiscussed(
  store: DigestReads,
  threads: ThreadActivity[],
  summaries: Map<string, BriefingSummary>,
  date: string,
): Promise<DigestThread[]> {
  const ranked = threads
    .map((thread) => ({ thread, replies: Object.keys(thread.replies).length }))
    .filter(({ replies }) => replies > 0)
    .sort(
      (a, b) =>
        b.replies - a.replies ||
        participantsOf(b.thread) - participantsOf(a.thread) ||
        (b.thread.lastReplyAt ?? '').localeCompare(a.thread.lastReplyAt ?? ''),
    );
  const result: DigestThread[] = [];
  // In rank order, one at a time: a briefing met twice is summarised once.
  for (const { thread, replies } of ranked) {
    const stored = await store.getBriefing(thread.briefingId);
    if (!stored) continue;
    let summary = summaries.get(stored.id);
    if (!summary) {
      summary = await summarizeBriefing(stored, store);
      summaries.set(stored.id, summary);
    }
    result.push({
      briefingTitle: summary.title,
      sectionTitle: summary.sections.find((line) => line.index === thread.sectionIndex)?.title ?? null,
      datedOn: stored.date === date ? null : stored.date,
      replies,
      participants: participantsOf(thread),
      link: (await store.findPost(thread.channel, thread.threadTs))?.post.permalink ?? null,
    });
  }
  return result;
}

function participantsOf(thread: ThreadActivity): number {
  return new Set(Object.values(thread.replies)).size;
}
