/**
 * The in-memory full-text index of the archive's stories (MiniSearch), for the lowdb store: built in
 * the background after open from every month file, kept current as briefings are added or removed.
 * It keeps no text — only
 * the inverted index and, per story, where it is (briefing, date, section, item) — so a hit's line is
 * read from the briefing itself when the page of hits is shown.
 */
import MiniSearch from 'minisearch';
import QuickLRU from 'quick-lru';
import type { Briefing } from '../briefing/types.js';
import type { DateRange } from '../store/types.js';
import { indexTerm, sentencesOf, storyTexts, wordsOf } from './text.js';
import type { SearchHit, SearchPage } from './types.js';

interface StoryDoc {
  id: number;
  /** Title, country names and text in one field: one posting list per term instead of three. */
  words: string;
}

interface StoryPlace {
  briefingId: string;
  date: string;
  sectionIndex: number;
  itemIndex: number | null;
}

/**
 * What is indexed of a story's text: its first sentences. A list item (most stories) is whole within
 * this; a long prose section is found by its title, countries and opening — the full text would cost
 * half as much memory again (55 MB instead of 37 MB for the bench's ten years).
 */
export const LEAD_SENTENCES = 2;
export const LEAD_CHARS = 400;

function leadOf(text: string): string {
  return sentencesOf(text).slice(0, LEAD_SENTENCES).join(' ').slice(0, LEAD_CHARS);
}

/** Past this many words a query is prose, not a search; the rest is ignored. */
export const MAX_QUERY_TERMS = 12;

/**
 * Ranked answers kept per query and period: a desk repeats its searches ("More" asks the same query
 * for its next page; several editors follow one story), and a common word ranks thousands of
 * stories each time. Only the first pages are kept, and every add or removal drops them all.
 */
const CACHED_QUERIES = 32;
const CACHED_HITS = 200;

interface Ranked {
  total: number;
  /** Best first, at most CACHED_HITS. */
  top: Array<{ id: number; score: number; terms: string[] }>;
}

export class StoryIndex {
  readonly #search = new MiniSearch<StoryDoc>({
    fields: ['words'],
    storeFields: [],
    tokenize: wordsOf,
    processTerm: indexTerm,
  });
  readonly #places = new Map<number, StoryPlace>();
  readonly #byBriefing = new Map<string, number[]>();
  readonly #ranked = new QuickLRU<string, Ranked>({ maxSize: CACHED_QUERIES });
  #nextId = 1;
  #generation = 0;

  /** Changes whenever what a search can find changes (an add or a removal). */
  get generation(): number {
    return this.#generation;
  }

  #changed(): void {
    this.#generation++;
    this.#ranked.clear();
  }

  /** Indexes a briefing's stories; a briefing already indexed is replaced. */
  add(briefingId: string, date: string, briefing: Briefing): void {
    this.remove(briefingId);
    this.#changed();
    const ids: number[] = [];
    for (const story of storyTexts(briefing)) {
      const id = this.#nextId++;
      this.#search.add({ id, words: `${story.title}\n${story.countries}\n${leadOf(story.text)}` });
      this.#places.set(id, {
        briefingId,
        date,
        sectionIndex: story.sectionIndex,
        itemIndex: story.itemIndex,
      });
      ids.push(id);
    }
    this.#byBriefing.set(briefingId, ids);
  }

  remove(briefingId: string): void {
    const ids = this.#byBriefing.get(briefingId);
    if (!ids) return;
    this.#changed();
    // discard() drops the document at once and cleans its terms up lazily, without the original text.
    for (const id of ids) {
      this.#search.discard(id);
      this.#places.delete(id);
    }
    this.#byBriefing.delete(briefingId);
  }

  get size(): number {
    return this.#places.size;
  }

  /**
   * Stories matching every word of `query` (the last one also as a prefix: "castil" finds Castillo),
   * within `range`, best first — newest first among equals — and the page `[offset, offset + limit)`.
   * No typo tolerance: fuzzy matching tripled the p99 at ten years.
   */
  search(query: string, range: DateRange, offset: number, limit: number): SearchPage {
    const words = wordsOf(query).slice(0, MAX_QUERY_TERMS).join(' ');
    if (words === '') return { total: 0, hits: [] };
    const key = `${words}\u0000${range.from}\u0000${range.to}`;
    let ranked = this.#ranked.get(key);
    const beyond =
      ranked !== undefined && offset + limit > ranked.top.length && ranked.top.length < ranked.total;
    if (ranked === undefined || beyond) {
      const all = this.#rank(words, range);
      ranked = { total: all.length, top: all.slice(0, Math.max(CACHED_HITS, offset + limit)) };
      if (!beyond) this.#ranked.set(key, { total: ranked.total, top: ranked.top.slice(0, CACHED_HITS) });
    }
    const hits: SearchHit[] = [];
    for (const { id, score, terms } of ranked.top.slice(offset, offset + limit)) {
      const place = this.#places.get(id);
      if (place) hits.push({ ...place, score, terms: [...terms] });
    }
    return { total: ranked.total, hits };
  }

  /** Every story matching the words within the range, best first — newest first among equals. */
  #rank(words: string, range: DateRange): Ranked['top'] {
    const whole = range.from <= '0001-01-01' && range.to >= '9999-12-31';
    const results = this.#search.search(words, {
      combineWith: 'AND',
      prefix: (_term, index, terms) => index === terms.length - 1 && _term.length >= 3,
      ...(whole
        ? {}
        : {
            filter: (result) => {
              const place = this.#places.get(result.id as number);
              return place !== undefined && place.date >= range.from && place.date <= range.to;
            },
          }),
    });
    const ranked: Array<{ id: number; score: number; terms: string[]; date: string }> = [];
    for (const result of results) {
      const place = this.#places.get(result.id as number);
      if (place)
        ranked.push({ id: result.id as number, score: result.score, terms: result.terms, date: place.date });
    }
    ranked.sort((a, b) => b.score - a.score || b.date.localeCompare(a.date));
    return ranked.map(({ id, score, terms }) => ({ id, score, terms }));
  }
}
