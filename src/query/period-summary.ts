/**
 * What a period's briefings covered (`/briefing last week`): the days that have briefings, each with
 * its briefings' titles and links, and the countries most stories were about. Reads only the briefings
 * filed in the period (the store's date index), and their posts in one go.
 * Strings are the email's, unescaped: renderers escape.
 */

import type { ArchiveReads } from '../store/roles.js';
import { storiesOf } from '../store/stories.js';
import type { DateRange, PostRecord } from '../store/types.js';
import { cardPermalink } from './permalinks.js';

export interface PeriodBriefing {
  title: string;
  permalink: string | null;
  sections: number;
}

export interface PeriodDay {
  date: string;
  briefings: PeriodBriefing[];
}

export interface PeriodSummary {
  range: DateRange;
  /** Oldest first. */
  days: PeriodDay[];
  briefingCount: number;
  /** Country code → stories about it in the period, most first (ties by code). */
  countries: Array<{ code: string; stories: number }>;
}

type SummaryStore = ArchiveReads;

export async function summarizePeriod(store: SummaryStore, range: DateRange): Promise<PeriodSummary> {
  const filed = await store.briefingsFiledBetween(range);
  // Every card's link in one read, not one per briefing.
  const posts =
    filed.length > 0
      ? await store.postsOf(filed.map((stored) => stored.id))
      : new Map<string, PostRecord[]>();
  const days: PeriodDay[] = [];
  const counts = new Map<string, number>();
  for (const stored of filed) {
    let day = days.at(-1);
    if (day?.date !== stored.date) {
      day = { date: stored.date, briefings: [] };
      days.push(day);
    }
    day.briefings.push({
      title: stored.briefing.title || stored.briefing.subject || 'Untitled briefing',
      permalink: cardPermalink(posts.get(stored.id) ?? []),
      sections: stored.briefing.sections.length,
    });
    for (const story of storiesOf(stored.briefing)) {
      for (const code of new Set(story.countries)) counts.set(code, (counts.get(code) ?? 0) + 1);
    }
  }
  const countries = [...counts]
    .map(([code, stories]) => ({ code, stories }))
    .sort((a, b) => b.stories - a.stories || a.code.localeCompare(b.code));
  return { range, days, briefingCount: filed.length, countries };
}
