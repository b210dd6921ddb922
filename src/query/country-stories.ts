/**
 * Stories about a country in a period, a page at a time. The count and order come from the store's
 * country index; only the stories on the requested page are read and summarised, so a page costs the
 * same whether the archive holds a week or ten years.
 */
import type { ArchiveReads } from '../store/roles.js';
import type {
  BriefingStore,
  DateRange,
  PostRecord,
  StoredBriefing,
  StoryRef,
  StoryRefPage,
} from '../store/types.js';
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

type PageReads = ArchiveReads;

function storyOf(
  ref: StoryRef,
  country: string,
  stored: StoredBriefing | undefined,
  posts: readonly PostRecord[],
): Story | null {
  const section = stored?.briefing.sections[ref.sectionIndex];
  if (!stored || !section) return null;
  // A list item is a story of its own; a prose section is one story that opens with its first paragraph.
  const text =
    ref.itemIndex === null
      ? leadParagraph(section.items.map((item) => item.text))
      : (section.items[ref.itemIndex]?.text ?? '');
  return {
    date: ref.date,
    briefingTitle: stored.briefing.title || stored.briefing.subject,
    sectionTitle: section.title || `Section ${ref.sectionIndex + 1}`,
    firstSentence: firstSentence(text, DEFAULT_SUMMARY_CHARS),
    otherCountries: ref.countries.filter((code) => code !== country),
    permalink: sectionPermalink(posts, ref.sectionIndex) ?? cardPermalink(posts),
  };
}

/**
 * The stories of each list of refs, their briefings and posts read in one go for all the lists (two
 * reads per page, not two per story). A ref whose briefing or section is gone is left out.
 */
async function readStories(
  store: PageReads,
  pages: readonly StoryRefPage[],
  country: string,
): Promise<Story[][]> {
  const lists = pages.map((page) => page.stories);
  const ids = [...new Set(lists.flat().map((ref) => ref.briefingId))];
  if (ids.length === 0) return lists.map(() => []);
  // Posts the store read with the pages are not asked for again.
  const withPosts = pages.every((page) => page.posts !== undefined);
  const [briefings, posts] = await Promise.all([
    store.getBriefings(ids),
    withPosts ? new Map(pages.flatMap((page) => [...(page.posts ?? [])])) : store.postsOf(ids),
  ]);
  return lists.map((refs) =>
    refs.flatMap(
      (ref) => storyOf(ref, country, briefings.get(ref.briefingId), posts.get(ref.briefingId) ?? []) ?? [],
    ),
  );
}

export async function storyPage(
  store: PageReads,
  country: string,
  range: DateRange,
  requestedPage: number,
): Promise<StoryPage> {
  const wanted = Math.max(1, Math.floor(requestedPage) || 1);
  // The mentions are shown on page 1 only; later pages still say how many there are.
  const pagesFor = (page: number) =>
    store.countryPages(country, range, {
      offset: (page - 1) * STORIES_PER_PAGE,
      limit: STORIES_PER_PAGE,
      mentionsLimit: page === 1 ? MENTIONS_SHOWN : 0,
    });
  const first = await pagesFor(wanted);
  const pageCount = Math.max(1, Math.ceil(first.about.total / STORIES_PER_PAGE));
  const page = Math.min(wanted, pageCount);
  // A "More" clicked after the archive shrank asks past the end: the last page instead.
  const { about, mentioning: mentions } = page === wanted ? first : await pagesFor(page);
  const { total } = about;
  const [stories = [], mentioned = []] = await readStories(store, [about, mentions], country);
  const start = (page - 1) * STORIES_PER_PAGE;
  return {
    country,
    range,
    total,
    page,
    pageCount: Math.max(1, Math.ceil(total / STORIES_PER_PAGE)),
    first: total === 0 ? 0 : start + 1,
    last: start + about.stories.length,
    stories,
    mentioned: { total: mentions.total, stories: mentioned },
  };
}

/**
 * Look-back windows for "the most recent story about X": the index returns every story in a range, so a
 * frequently covered country is found in a short window without copying ten years of its stories.
 */
const NEWEST_LOOKBACK_DAYS = [31, 366, 3660] as const;

/** The date of the newest story about a country, or null when the archive has none. */
export async function newestStoryDate(
  store: BriefingStore,
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
