/**
 * What a day's briefings said, one line per section: the answer to `/briefing`, reusable by the digest.
 * Reads only the briefings filed under the date (the store's date index), never the archive.
 * Strings are the email's, unescaped: renderers escape.
 */
import type { ArchiveReads } from '../store/roles.js';
import type { DeliveryStore, PostRecord, StoredBriefing } from '../store/types.js';
import { DEFAULT_SUMMARY_CHARS, firstSentence, leadParagraph } from './first-sentence.js';
import { cardPermalink, sectionPermalink } from './permalinks.js';

export interface SectionLine {
  /** 0-based position in the briefing (the store's `sectionIndex`). */
  index: number;
  title: string;
  /** ISO 3166-1 alpha-2 codes, most salient first. */
  countries: string[];
  /** The section's opening sentence, abbreviation-aware, at most DEFAULT_SUMMARY_CHARS. */
  firstSentence: string;
  permalink: string | null;
}

export interface BriefingSummary {
  id: string;
  title: string;
  publication: string | null;
  forwardedByName: string | null;
  /** Permalink of the briefing card (the thread's parent). */
  permalink: string | null;
  sections: SectionLine[];
}

export interface DaySummary {
  date: string;
  /** Oldest received first, as the store files them. */
  briefings: BriefingSummary[];
}

export async function summarizeBriefing(
  stored: StoredBriefing,
  store: DeliveryStore,
): Promise<BriefingSummary> {
  return summaryOf(stored, (await store.getDelivery(stored.id))?.posts ?? []);
}

/** A briefing's summary, given its posts. */
export function summaryOf(stored: StoredBriefing, posts: readonly PostRecord[]): BriefingSummary {
  const { briefing } = stored;
  return {
    id: stored.id,
    title: briefing.title || briefing.subject || 'Untitled briefing',
    publication: briefing.publication,
    forwardedByName: stored.forwardedByName,
    permalink: cardPermalink(posts),
    sections: briefing.sections.map((section, index) => ({
      index,
      title: section.title || `Section ${index + 1}`,
      countries: section.countries,
      firstSentence: firstSentence(
        leadParagraph(section.items.map((item) => item.text)),
        DEFAULT_SUMMARY_CHARS,
      ),
      permalink: sectionPermalink(posts, index),
    })),
  };
}

export async function summarizeDay(store: ArchiveReads, date: string): Promise<DaySummary> {
  // The day's posts with its briefings in one read, not one per briefing nor one after the other.
  const { briefings, posts } = await store.filedDay(date);
  return { date, briefings: briefings.map((one) => summaryOf(one, posts.get(one.id) ?? [])) };
}
