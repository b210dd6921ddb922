/**
 * Stories about a country in a period, a page at a time. The count and order come from the store's
 * country index; only the stories on the requested page are read and summarised, so a page costs the
 * same whether the archive holds a week or ten years.
 */
import type { DateRange, Store, StoryRef } from '../store/types.js';
import { addDays } from './calendar.js';
import { DEFAULT_SUMMARY_CHARS, firstSentence, leadParagraph } from './first-sentence.js';
import { cardPermalink, sectionPermalink } from './permalinks.js';

/** Ten stories keep an answer within Slack's 50 blocks with room to spare, and readable on a phone. */
export const STORIES_PER_PAGE = 10;

/** Stories that only mention the country are listed apart, after the first page's stories: this many. */
export const MENTIONS_SHOWN = 5;

export interface Story {
  date: string;
  briefingTitle: string;
  sectionTitle: string;
  firstSentence: string;
  /** The story's other countries (the asked-about one removed), most salient first. */
  otherCountries: string[];
  /** The section's post, else the briefing card, else null (not posted yet). */
  permalink: string | null;
}

export interface StoryPage {
  country: string;
  range: DateRange;
  total: number;
  /** 1-based page number, clamped to the last page. */
  page: number;
  pageCount: number;
  /** 1-based position of the first story on this page (0 when there are none). */
  first: number;
  last: number;
  stories: Story[];
  /**
   * "Also mentioned in": the stories in the range that only mention the country, newest first — the
   * total, and the first MENTIONS_SHOWN on page 1 (empty on later pages).
   */
  mentioned: { total: number; stories: Story[] };
}

async function readStory(
  store: Pick<Store, 'getBriefing' | 'getDelivery'>,
  ref: StoryRef,
  country: string,
): Promise<Story | null> {
  const stored = await store.getBriefing(ref.briefingId);
  const section = stored?.briefing.sections[ref.sectionIndex];
  if (!stored || !section) return null;
  // A list item is a story of its own; a prose section is one story that opens with its first paragraph.
  const text =
    ref.itemIndex === null
      ? leadParagraph(section.items.map((item) => item.text))
      : (section.items[ref.itemIndex]?.text ?? '');
  const posts = (await store.getDelivery(stored.id))?.posts ?? [];
  return {
    date: ref.date,
    briefingTitle: stored.briefing.title || stored.briefing.subject,
    sectionTitle: section.title || `Section ${ref.sectionIndex + 1}`,
    firstSentence: firstSentence(text, DEFAULT_SUMMARY_CHARS),
    otherCountries: ref.countries.filter((code) => code !== country),
    permalink: sectionPermalink(posts, ref.sectionIndex) ?? cardPermalink(posts),
  };
}

export async function storyPage(
  store: Pick<Store, 'storiesAbout' | 'storiesMentioning' | 'getBriefing' | 'getDelivery'>,
  country: string,
  range: DateRange,
  requestedPage: number,
): Promise<StoryPage> {
  const refs = await store.storiesAbout(country, range);
  const total = refs.length;
  const pageCount = Math.max(1, Math.ceil(total / STORIES_PER_PAGE));
  const page = Math.min(Math.max(1, Math.floor(requestedPage) || 1), pageCount);
  const start = (page - 1) * STORIES_PER_PAGE;
  const slice = refs.slice(start, start + STORIES_PER_PAGE);
  const stories = (await Promise.all(slice.map((ref) => readStory(store, ref, country)))).filter(
    (story) => story !== null,
  );
  const mentionRefs = await store.storiesMentioning(country, range);
  const shown = page === 1 ? mentionRefs.slice(0, MENTIONS_SHOWN) : [];
  const mentioned = (await Promise.all(shown.map((ref) => readStory(store, ref, country)))).filter(
    (story) => story !== null,
  );
  return {
    country,
    range,
    total,
    page,
    pageCount,
    first: total === 0 ? 0 : start + 1,
    last: start + slice.length,
    stories,
    mentioned: { total: mentionRefs.length, stories: mentioned },
  };
}

/**
 * Look-back windows for "the most recent story about X": the index returns every story in a range, so a
 * frequently covered country is found in a short window without copying ten years of its stories.
 */
const NEWEST_LOOKBACK_DAYS = [31, 366, 3660] as const;

/** The date of the newest story about a country, or null when the archive has none. */
export async function newestStoryDate(
  store: Pick<Store, 'storiesAbout' | 'latestDate'>,
  country: string,
  allTime: DateRange,
): Promise<string | null> {
  const latest = await store.latestDate();
  if (latest === null) return null;
  for (const days of NEWEST_LOOKBACK_DAYS) {
    const found = (await store.storiesAbout(country, { from: addDays(latest, -(days - 1)), to: latest }))[0];
    if (found) return found.date;
  }
  return (await store.storiesAbout(country, allTime))[0]?.date ?? null;
}
