/**
 * What a period's briefings covered (`/briefing last week`): the days that have briefings, each with
 * its briefings' titles and links, and the countries most stories were about. Walks the store's date
 * index from one filed date to the next, so only the days that have briefings are read.
 * Strings are the email's, unescaped: renderers escape.
 */

import { storiesOf } from '../store/stories.js';
import type { DateRange, Store } from '../store/types.js';
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

type SummaryStore = Pick<Store, 'briefingsOn' | 'nearestDates' | 'getDelivery'>;

export async function summarizePeriod(store: SummaryStore, range: DateRange): Promise<PeriodSummary> {
  const days: PeriodDay[] = [];
  const counts = new Map<string, number>();
  let briefingCount = 0;
  let date: string | null = range.from;
  if ((await store.briefingsOn(range.from)).length === 0) date = (await store.nearestDates(range.from)).after;
  while (date !== null && date <= range.to) {
    const filed = await store.briefingsOn(date);
    briefingCount += filed.length;
    const briefings: PeriodBriefing[] = [];
    for (const stored of filed) {
      briefings.push({
        title: stored.briefing.title || stored.briefing.subject || 'Untitled briefing',
        permalink: cardPermalink((await store.getDelivery(stored.id))?.posts ?? []),
        sections: stored.briefing.sections.length,
      });
    }
    days.push({ date, briefings });
    for (const stored of filed) {
      for (const story of storiesOf(stored.briefing)) {
        for (const code of new Set(story.countries)) counts.set(code, (counts.get(code) ?? 0) + 1);
      }
    }
    date = (await store.nearestDates(date)).after;
  }
  const countries = [...counts]
    .map(([code, stories]) => ({ code, stories }))
    .sort((a, b) => b.stories - a.stories || a.code.localeCompare(b.code));
  return { range, days, briefingCount, countries };
}
