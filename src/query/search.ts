/**
 * `/briefing search <words> [period]`: a page of archive hits, each with its date, briefing, section,
 * the line that matched and a link to the post. The store's search role finds and ranks; this reads
 * only the briefings of the page's ten hits. Strings are the email's, unescaped: renderers escape.
 */
import { bestLine, storyTexts } from '../search/text.js';
import type { SearchStore } from '../search/types.js';
import type { DateRange, Store } from '../store/types.js';
import { cardPermalink, sectionPermalink } from './permalinks.js';

/** As many as a /country page: within Slack's 50 blocks, readable on a phone. */
export const HITS_PER_PAGE = 10;

export interface SearchResult {
  date: string;
  briefingTitle: string;
  sectionTitle: string;
  /** The story's sentence with the most matched words, unescaped. */
  line: string;
  /** Folded terms to bold in `line`. */
  terms: string[];
  permalink: string | null;
}

export interface SearchResultPage {
  words: string;
  range: DateRange;
  total: number;
  page: number;
  pageCount: number;
  first: number;
  last: number;
  results: SearchResult[];
}

export async function searchArchive(
  store: SearchStore & Pick<Store, 'getBriefing' | 'getDelivery'>,
  words: string,
  range: DateRange,
  requestedPage: number,
): Promise<SearchResultPage> {
  const wanted = Math.max(1, Math.floor(requestedPage) || 1);
  let found = await store.searchStories(words, range, (wanted - 1) * HITS_PER_PAGE, HITS_PER_PAGE);
  const pageCount = Math.max(1, Math.ceil(found.total / HITS_PER_PAGE));
  // A "More" clicked after the archive shrank asks past the end: show the last page instead.
  const page = Math.min(wanted, pageCount);
  if (page !== wanted)
    found = await store.searchStories(words, range, (page - 1) * HITS_PER_PAGE, HITS_PER_PAGE);
  const start = (page - 1) * HITS_PER_PAGE;
  const results: SearchResult[] = [];
  for (const hit of found.hits) {
    const stored = await store.getBriefing(hit.briefingId);
    if (!stored) continue;
    const story = storyTexts(stored.briefing).find(
      (s) => s.sectionIndex === hit.sectionIndex && s.itemIndex === hit.itemIndex,
    );
    if (!story) continue;
    const posts = (await store.getDelivery(stored.id))?.posts ?? [];
    results.push({
      date: hit.date,
      briefingTitle: stored.briefing.title || stored.briefing.subject,
      sectionTitle: story.title,
      line: bestLine(story.text, new Set(hit.terms)),
      terms: hit.terms,
      permalink: sectionPermalink(posts, hit.sectionIndex) ?? cardPermalink(posts),
    });
  }
  return {
    words,
    range,
    total: found.total,
    page,
    pageCount,
    first: found.total === 0 ? 0 : start + 1,
    last: start + found.hits.length,
    results,
  };
}
