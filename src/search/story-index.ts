/**
 * The in-memory full-text index of the archive's stories (MiniSearch), for the lowdb store: built in
 * the background after open from every month file, kept current as briefings are added or removed.
 * It keeps no text — only
 * the inverted index and, per story, where it is (briefing, date, section, item) — so a hit's line is
 * read from the briefing itself when the page of hits is shown.
 */
import MiniSearch from 'minisearch';
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

export class StoryIndex {
  readonly #search = new MiniSearch<StoryDoc>({
    fields: ['words'],
    storeFields: [],
    tokenize: wordsOf,
    processTerm: indexTerm,
  });
  readonly #places = new Map<number, StoryPlace>();
  readonly #byBriefing = new Map<string, number[]>();
  #nextId = 1;

  /** Indexes a briefing's stories; a briefing already indexed is replaced. */
  add(briefingId: string, date: string, briefing: Briefing): void {
    this.remove(briefingId);
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
    const ranked = results
      .map((result) => ({ result, place: this.#places.get(result.id as number) }))
      .filter(
        (entry): entry is { result: (typeof results)[number]; place: StoryPlace } =>
          entry.place !== undefined,
      )
      .sort((a, b) => b.result.score - a.result.score || b.place.date.localeCompare(a.place.date));
    const hits: SearchHit[] = ranked.slice(offset, offset + limit).map(({ result, place }) => ({
      ...place,
      score: result.score,
      terms: [...result.terms],
    }));
    return { total: ranked.length, hits };
  }
}
