/**
 * Reads what a day's digest needs from the store. Synchronous and deterministic: the store's read
 * side is in memory, so the same store and date always give the same digest.
 */
import { countryFlag, countryName } from '../countries/index.js';
import { addDays } from '../query/calendar.js';
import { type BriefingSummary, summarizeBriefing } from '../query/day-summary.js';
import { storiesOf } from '../store/stories.js';
import type { Store, StoredBriefing, ThreadActivity } from '../store/types.js';
import type { DigestBriefing, DigestCountry, DigestModel, DigestThread } from './model.js';

/** "Not covered in the previous 7 days": the desk thinks in weeks. */
export const FRESHNESS_DAYS = 7;

export function collectDigest(store: Store, date: string, timeZone: string): DigestModel {
  const briefings = store.briefingsOn(date);
  const summaries = briefings.map((stored) => summarizeBriefing(stored, store));
  return {
    date,
    timeZone,
    briefings: summaries.map(toDigestBriefing),
    countries: countriesCovered(store, briefings, date),
    threads: mostDiscussed(store, store.threadsForDate(date), summaries),
    lastReceivedAt: store.lastReceivedAt(),
  };
}

function toDigestBriefing(summary: BriefingSummary): DigestBriefing {
  return {
    title: summary.title,
    publication: summary.publication,
    link: summary.permalink,
    sections: summary.sections.map((line) => ({
      number: line.index + 1,
      title: line.title,
      summary: line.firstSentence,
      link: line.permalink,
    })),
  };
}

function countriesCovered(store: Store, briefings: StoredBriefing[], date: string): DigestCountry[] {
  const counts = new Map<string, number>();
  for (const stored of briefings) {
    for (const story of storiesOf(stored.briefing)) {
      for (const code of new Set(story.countries)) counts.set(code, (counts.get(code) ?? 0) + 1);
    }
  }
  const previousWeek = { from: addDays(date, -FRESHNESS_DAYS), to: addDays(date, -1) };
  return [...counts]
    .map(([code, stories]) => ({
      code,
      name: countryName(code),
      flag: countryFlag(code),
      stories,
      newThisWeek: store.storiesAbout(code, previousWeek).length === 0,
    }))
    .sort((a, b) => b.stories - a.stories || a.name.localeCompare(b.name));
}

/** The day's threads (threadsForDate: threads under the day's briefings), with their briefings' `summaries`. */
function mostDiscussed(
  store: Store,
  threads: ThreadActivity[],
  summaries: BriefingSummary[],
): DigestThread[] {
  return threads
    .map((thread) => ({ thread, replies: Object.keys(thread.replies).length }))
    .filter(({ replies }) => replies > 0)
    .sort(
      (a, b) =>
        b.replies - a.replies ||
        participantsOf(b.thread) - participantsOf(a.thread) ||
        (b.thread.lastReplyAt ?? '').localeCompare(a.thread.lastReplyAt ?? ''),
    )
    .flatMap(({ thread, replies }) => {
      const summary = summaries.find((s) => s.id === thread.briefingId);
      if (!summary) return [];
      return [
        {
          briefingTitle: summary.title,
          sectionTitle: summary.sections.find((line) => line.index === thread.sectionIndex)?.title ?? null,
          replies,
          participants: participantsOf(thread),
          link: store.findPost(thread.channel, thread.threadTs)?.post.permalink ?? null,
        },
      ];
    });
}

function participantsOf(thread: ThreadActivity): number {
  return new Set(Object.values(thread.replies)).size;
}
