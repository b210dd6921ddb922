/**
 * `/briefing search <words> [period]`: a page of archive hits, each with its date, briefing, section,
 * the line that matched and a link to the post. The store's search role finds and ranks; this reads
 * only the briefings of the page's ten hits. Strings are the email's, unescaped: renderers escape.
 */
import QuickLRU from 'quick-lru';
import { bestLine, storyTexts } from '../search/text.js';
import type { SearchHit, SearchStore } from '../search/types.js';
import type { ArchiveReads } from '../store/roles.js';
import type { DateRange, PostRecord, StoredBriefing } from '../store/types.js';
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

/** What a hit shows of its briefing: read from the body once, then kept while the index stands. */
interface HitText {
  briefingTitle: string;
  sectionTitle: string;
  line: string;
}

/**
 * Per store: the texts of hits shown lately. A page's ten hits are spread over the archive's years,
 * and reading each from its month (evicted from memory at a ten-year archive) is most of a search's
 * time; the same hits come back with every repeat and every "More". Keyed by the index's generation,
 * so a new or corrected briefing is read afresh.
 */
const CACHED_HIT_TEXTS = 1000;
const hitTexts = new WeakMap<object, QuickLRU<string, HitText>>();

function hitTextCache(store: object): QuickLRU<string, HitText> {
  let cache = hitTexts.get(store);
  if (!cache) {
    cache = new QuickLRU({ maxSize: CACHED_HIT_TEXTS });
    hitTexts.set(store, cache);
  }
  return cache;
}

export async function searchArchive(
  store: SearchStore & ArchiveReads,
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
  const cache = hitTextCache(store);
  const generation = store.searchGeneration();
  const keyOf = (hit: SearchHit) =>
    `${generation}\u0000${hit.briefingId}\u0000${hit.sectionIndex}\u0000${hit.itemIndex}\u0000${hit.terms.join(' ')}`;
  // The briefings of the hits not in the cache, and every hit's posts, each in one read.
  const unread = found.hits.filter((hit) => !cache.has(keyOf(hit))).map((hit) => hit.briefingId);
  const ids = [...new Set(found.hits.map((hit) => hit.briefingId))];
  const [bodies, posts] = await Promise.all([
    unread.length > 0 ? store.getBriefings([...new Set(unread)]) : new Map<string, StoredBriefing>(),
    // Permalinks fresh each time: a briefing still being posted gains its links as it goes.
    ids.length > 0 ? store.postsOf(ids) : new Map<string, PostRecord[]>(),
  ]);
  for (const hit of found.hits) {
    const key = keyOf(hit);
    let text = cache.get(key);
    if (!text) {
      // (Read again only when another search evicted the text since the look-up above.)
      const stored =
        bodies.get(hit.briefingId) ?? (await store.getBriefings([hit.briefingId])).get(hit.briefingId);
      if (!stored) continue;
      const story = storyTexts(stored.briefing).find(
        (s) => s.sectionIndex === hit.sectionIndex && s.itemIndex === hit.itemIndex,
      );
      if (!story) continue;
      text = {
        briefingTitle: stored.briefing.title || stored.briefing.subject,
        sectionTitle: story.title,
        line: bestLine(story.text, new Set(hit.terms)),
      };
      cache.set(key, text);
    }
    const hitPosts = posts.get(hit.briefingId) ?? [];
    results.push({
      date: hit.date,
      ...text,
      terms: hit.terms,
      permalink: sectionPermalink(hitPosts, hit.sectionIndex) ?? cardPermalink(hitPosts),
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
