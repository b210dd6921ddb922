/**
 * The in-memory full-text index of the archive's stories, for the lowdb store: built in the background
 * after open from every month file, kept current as briefings are added or removed. It keeps no text —
 * only the inverted index and, per story, where it is (briefing, date, section, item) — so a hit's line
 * is read from the briefing itself when the page of hits is shown.
 *
 * It ranks as MiniSearch did here before (BM25+ with k 1.2, b 0.7, d 0.5 over one field; the last query
 * word also as a prefix, weighted 0.375 × length / (length + 0.3 × extra letters); every word required;
 * the sum times the number of distinct words), in a fraction of the memory: MiniSearch kept a Map per
 * term and a radix tree of Maps, 37 MB of heap for the bench's ten years; here a posting is one number
 * in one array per term (story id and term frequency packed), a story a slot in a few arrays.
 */
import QuickLRU from 'quick-lru';
import type { Briefing } from '../briefing/types.js';
import type { DateRange } from '../store/types.js';
import { indexTerm, sentencesOf, storyTexts, wordsOf } from './text.js';
import type { SearchHit, SearchPage } from './types.js';

/**
 * What is indexed of a story's text: its first sentences. A list item (most stories) is whole within
 * this; a long prose section is found by its title, countries and opening — the full text would cost
 * half as much memory again.
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

/** BM25+ as MiniSearch's defaults have it. */
const BM25 = { k: 1.2, b: 0.7, d: 0.5 };
/** A prefix match's weight before its length discount (MiniSearch's `weights.prefix`). */
const PREFIX_WEIGHT = 0.375;
/** The last query word is also taken as a prefix from this many letters on. */
const MIN_PREFIX = 3;

/**
 * A posting packs the story id and how often the term occurs in it: id × TF_SPAN + frequency, exact in a
 * double up to 2^37 story ids. A frequency past TF_SPAN - 1 (a word 65,535 times in one story's indexed
 * words) counts as TF_SPAN - 1; BM25 saturates long before.
 */
const TF_SPAN = 65536;

/** Sorted terms gain new ones in a side list, merged in once it is this long or an eighth of them. */
const MIN_MERGE = 256;

interface Ranked {
  total: number;
  /** Best first, at most CACHED_HITS. */
  top: Array<{ id: number; score: number; terms: string[] }>;
}

/** The first index of `sorted` whose value is not below `value` (postings by id, terms by spelling). */
function lowerBound<T extends number | string>(sorted: readonly T[], value: T): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export class StoryIndex {
  /** Postings of each term, ascending by story id (ids only grow, so an add appends). */
  readonly #postings = new Map<string, number[]>();
  /** Every term, sorted, for prefix lookups; `#newTerms` holds those added since the last merge. */
  #sortedTerms: string[] = [];
  #newTerms: string[] = [];
  /** By story id; a removed story's briefing is undefined. */
  readonly #briefingOf: Array<string | undefined> = [];
  readonly #dateOf: string[] = [];
  readonly #sectionOf: number[] = [];
  readonly #itemOf: number[] = [];
  /** Distinct words of the story's indexed text, as written (MiniSearch's field length). */
  readonly #lengthOf: number[] = [];
  /** A briefing's stories are the consecutive ids [first, first + count). */
  readonly #byBriefing = new Map<string, { first: number; count: number }>();
  #documentCount = 0;
  #averageLength = 0;
  #nextId = 1;
  readonly #ranked = new QuickLRU<string, Ranked>({ maxSize: CACHED_QUERIES });
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
    const first = this.#nextId;
    let count = 0;
    for (const story of storyTexts(briefing)) {
      const id = this.#nextId++;
      count++;
      const words = wordsOf(`${story.title}\n${story.countries}\n${leadOf(story.text)}`);
      const length = new Set(words).size;
      // The running mean exactly as MiniSearch keeps it, so scores (and ties) come out the same.
      this.#averageLength = (this.#averageLength * this.#documentCount + length) / (this.#documentCount + 1);
      this.#documentCount++;
      this.#briefingOf[id] = briefingId;
      this.#dateOf[id] = date;
      this.#sectionOf[id] = story.sectionIndex;
      this.#itemOf[id] = story.itemIndex ?? -1;
      this.#lengthOf[id] = length;
      const frequencies = new Map<string, number>();
      for (const word of words) {
        const term = indexTerm(word);
        if (term !== null) frequencies.set(term, (frequencies.get(term) ?? 0) + 1);
      }
      for (const [term, frequency] of frequencies) {
        const posting = id * TF_SPAN + Math.min(frequency, TF_SPAN - 1);
        const postings = this.#postings.get(term);
        if (postings) postings.push(posting);
        else {
          this.#postings.set(term, [posting]);
          this.#addTerm(term);
        }
      }
    }
    this.#byBriefing.set(briefingId, { first, count });
  }

  #addTerm(term: string): void {
    this.#newTerms.push(term);
    if (this.#newTerms.length < Math.max(MIN_MERGE, this.#sortedTerms.length / 8)) return;
    const added = this.#newTerms.sort();
    const merged: string[] = [];
    let i = 0;
    let j = 0;
    const sorted = this.#sortedTerms;
    while (i < sorted.length || j < added.length) {
      if (j >= added.length || (i < sorted.length && sorted[i]! < added[j]!)) merged.push(sorted[i++]!);
      else merged.push(added[j++]!);
    }
    this.#sortedTerms = merged;
    this.#newTerms = [];
  }

  remove(briefingId: string): void {
    const stories = this.#byBriefing.get(briefingId);
    if (!stories) return;
    this.#changed();
    const { first, count } = stories;
    for (let id = first; id < first + count; id++) {
      const length = this.#lengthOf[id]!;
      this.#averageLength =
        this.#documentCount === 1
          ? 0
          : (this.#averageLength * this.#documentCount - length) / (this.#documentCount - 1);
      this.#documentCount--;
      this.#briefingOf[id] = undefined;
    }
    // The briefing's postings are one run in each list (consecutive ids); a term left with none stays
    // listed and finds nothing.
    const from = first * TF_SPAN;
    const to = (first + count) * TF_SPAN;
    for (const postings of this.#postings.values()) {
      const start = lowerBound(postings, from);
      if (start < postings.length && postings[start]! < to) {
        postings.splice(start, lowerBound(postings, to) - start);
      }
    }
    this.#byBriefing.delete(briefingId);
  }

  /** Whether the briefing's stories are indexed. */
  has(briefingId: string): boolean {
    return this.#byBriefing.has(briefingId);
  }

  get size(): number {
    return this.#documentCount;
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
      const briefingId = this.#briefingOf[id];
      if (briefingId === undefined) continue;
      const item = this.#itemOf[id]!;
      hits.push({
        briefingId,
        date: this.#dateOf[id]!,
        sectionIndex: this.#sectionOf[id]!,
        itemIndex: item < 0 ? null : item,
        score,
        terms: [...terms],
      });
    }
    return { total: ranked.total, hits };
  }

  /** The index's terms that start with `prefix`, other than `prefix` itself. */
  #longerTerms(prefix: string): string[] {
    const found: string[] = [];
    const sorted = this.#sortedTerms;
    for (let i = lowerBound(sorted, prefix); i < sorted.length && sorted[i]!.startsWith(prefix); i++) {
      if (sorted[i] !== prefix) found.push(sorted[i]!);
    }
    for (const term of this.#newTerms) if (term !== prefix && term.startsWith(prefix)) found.push(term);
    return found;
  }

  /** Each matching story's score and matched terms for one query word (with its prefix matches). */
  #matches(word: string, prefix: boolean): Map<number, { score: number; terms: string[] }> {
    const matches = new Map<number, { score: number; terms: string[] }>();
    const derived: Array<[term: string, weight: number]> = [[word, 1]];
    if (prefix) {
      for (const term of this.#longerTerms(word)) {
        derived.push([
          term,
          (PREFIX_WEIGHT * term.length) / (term.length + 0.3 * (term.length - word.length)),
        ]);
      }
    }
    const n = this.#documentCount;
    const average = this.#averageLength;
    for (const [term, weight] of derived) {
      const postings = this.#postings.get(term);
      if (!postings || postings.length === 0) continue;
      const df = postings.length;
      const idf = Math.log(1 + (n - df + 0.5) / (df + 0.5));
      for (const posting of postings) {
        const id = Math.floor(posting / TF_SPAN);
        const tf = posting - id * TF_SPAN;
        const length = this.#lengthOf[id]!;
        const raw =
          idf * (BM25.d + (tf * (BM25.k + 1)) / (tf + BM25.k * (1 - BM25.b + (BM25.b * length) / average)));
        const score = weight * raw;
        const match = matches.get(id);
        if (match) {
          match.score += score;
          if (!match.terms.includes(term)) match.terms.push(term);
        } else matches.set(id, { score, terms: [term] });
      }
    }
    return matches;
  }

  /** Every story matching the words within the range, best first — newest first among equals. */
  #rank(words: string, range: DateRange): Ranked['top'] {
    const queryTerms = wordsOf(words).flatMap((word) => indexTerm(word) ?? []);
    if (queryTerms.length === 0) return [];
    let found: Map<number, { score: number; terms: string[] }> | null = null;
    queryTerms.forEach((word, index) => {
      const matches = this.#matches(word, index === queryTerms.length - 1 && word.length >= MIN_PREFIX);
      if (found === null) {
        found = matches;
        return;
      }
      const both = new Map<number, { score: number; terms: string[] }>();
      for (const [id, match] of matches) {
        const earlier = found.get(id);
        if (!earlier) continue;
        for (const term of match.terms) if (!earlier.terms.includes(term)) earlier.terms.push(term);
        both.set(id, { score: earlier.score + match.score, terms: earlier.terms });
      }
      found = both;
    });
    // Every word is matched by now: the sum counts once more per distinct word, as MiniSearch's did.
    const quality = new Set(queryTerms).size;
    const whole = range.from <= '0001-01-01' && range.to >= '9999-12-31';
    const ranked: Array<{ id: number; score: number; terms: string[]; date: string }> = [];
    for (const [id, match] of found as unknown as Map<number, { score: number; terms: string[] }>) {
      const date = this.#dateOf[id]!;
      if (!whole && (date < range.from || date > range.to)) continue;
      ranked.push({ id, score: match.score * quality, terms: match.terms, date });
    }
    ranked.sort((a, b) => b.score - a.score || b.date.localeCompare(a.date) || a.id - b.id);
    return ranked.map(({ id, score, terms }) => ({ id, score, terms }));
  }
}
