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
 *
 * The archive's bulk comes as a `Segment` (typed arrays, built off the bot's thread by search-worker.ts
 * and installed once): building it here grew the heap by ~23 MB at ten years for ~9 MB kept — postings
 * arrays outgrown and copied, months parsed and dropped — and that garbage sat in the old generation,
 * resident, until a full collection that an idle bot may not run for minutes. Stories added after it (or
 * without one) go to the arrays above, the index's "overlay"; a search reads both.
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

/** The first index of `sorted` (within [lo, hi)) whose value is not below `value` (postings, terms). */
function lowerBound<T extends number | string>(
  sorted: ArrayLike<T>,
  value: T,
  from = 0,
  to = sorted.length,
): number {
  let lo = from;
  let hi = to;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** In a segment's story slots: the story of a briefing removed since the segment was built. */
const NO_SLOT = 0xffffffff;

/**
 * The index in typed arrays, as the build hands it over (search-worker.ts): every term's postings one run
 * of a single array, a slot per briefing, a place per story. Its buffers are transferred between threads,
 * not copied, and live outside the JS heap. Story ids run from 1 to nextId - 1.
 */
export interface Segment {
  /** Every term with a posting, sorted as `<` compares them. */
  terms: string[];
  /** Term i's postings are ids/tfs[starts[i], starts[i] + counts[i]), ascending by story id. */
  starts: Uint32Array;
  counts: Uint32Array;
  ids: Uint32Array;
  tfs: Uint16Array;
  /** By briefing slot: its id and date, and its stories, the ids [firsts, firsts + storyCounts). */
  briefingIds: string[];
  dates: string[];
  firsts: Uint32Array;
  storyCounts: Uint32Array;
  /** By story id - 1: its briefing's slot (NO_SLOT once removed), section, item (-1: none), length. */
  slots: Uint32Array;
  sections: Uint32Array;
  items: Int32Array;
  lengths: Uint32Array;
  documentCount: number;
  averageLength: number;
  nextId: number;
}

/** The buffers of a segment, to transfer it to another thread rather than copy it. */
export function segmentBuffers(segment: Segment): ArrayBuffer[] {
  const { starts, counts, ids, tfs, firsts, storyCounts, slots, sections, items, lengths } = segment;
  return [starts, counts, ids, tfs, firsts, storyCounts, slots, sections, items, lengths].map(
    (array) => array.buffer as ArrayBuffer,
  );
}

/** Where a story is, for a hit. */
interface Place {
  briefingId: string;
  date: string;
  section: number;
  item: number;
}

export class StoryIndex {
  /** The installed segment (null before install); its stories are the ids below #overlayFirst. */
  #base: Segment | null = null;
  /** The segment's briefings still indexed, by id: their slot. */
  #baseSlot = new Map<string, number>();
  /** Overlay postings of each term, ascending by story id (ids only grow, so an add appends). */
  readonly #postings = new Map<string, number[]>();
  /**
   * Overlay terms that the segment lacks, sorted, for prefix lookups; `#newTerms` holds those added since
   * the last merge.
   */
  #sortedTerms: string[] = [];
  #newTerms: string[] = [];
  /** The first overlay story id; the overlay's arrays are by id - #overlayFirst. */
  #overlayFirst = 1;
  /** A removed story's briefing is undefined. */
  #briefingOf: Array<string | undefined> = [];
  #dateOf: string[] = [];
  #sectionOf: number[] = [];
  #itemOf: number[] = [];
  /** Distinct words of the story's indexed text, as written (MiniSearch's field length). */
  #lengthOf: number[] = [];
  /** An overlay briefing's stories are the consecutive ids [first, first + count). */
  readonly #byBriefing = new Map<string, { first: number; count: number; date: string }>();
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
      const at = id - this.#overlayFirst;
      count++;
      const words = wordsOf(`${story.title}\n${story.countries}\n${leadOf(story.text)}`);
      const length = new Set(words).size;
      // The running mean exactly as MiniSearch keeps it, so scores (and ties) come out the same.
      this.#averageLength = (this.#averageLength * this.#documentCount + length) / (this.#documentCount + 1);
      this.#documentCount++;
      this.#briefingOf[at] = briefingId;
      this.#dateOf[at] = date;
      this.#sectionOf[at] = story.sectionIndex;
      this.#itemOf[at] = story.itemIndex ?? -1;
      this.#lengthOf[at] = length;
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
          if (this.#baseTerm(term) < 0) this.#addTerm(term);
        }
      }
    }
    this.#byBriefing.set(briefingId, { first, count, date });
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

  /** The term's index in the segment, or -1. */
  #baseTerm(term: string): number {
    const terms = this.#base?.terms;
    if (!terms) return -1;
    const at = lowerBound(terms, term);
    return terms[at] === term ? at : -1;
  }

  #forget(length: number): void {
    this.#averageLength =
      this.#documentCount === 1
        ? 0
        : (this.#averageLength * this.#documentCount - length) / (this.#documentCount - 1);
    this.#documentCount--;
  }

  remove(briefingId: string): void {
    const slot = this.#baseSlot.get(briefingId);
    if (slot !== undefined) {
      this.#removeFromBase(slot);
      this.#baseSlot.delete(briefingId);
      return;
    }
    const stories = this.#byBriefing.get(briefingId);
    if (!stories) return;
    this.#changed();
    const { first, count } = stories;
    for (let id = first; id < first + count; id++) {
      this.#forget(this.#lengthOf[id - this.#overlayFirst]!);
      this.#briefingOf[id - this.#overlayFirst] = undefined;
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

  /** As remove, for a briefing of the segment: its run in each term closes up in place. */
  #removeFromBase(slot: number): void {
    const base = this.#base!;
    this.#changed();
    const first = base.firsts[slot]!;
    const end = first + base.storyCounts[slot]!;
    for (let id = first; id < end; id++) {
      this.#forget(base.lengths[id - 1]!);
      base.slots[id - 1] = NO_SLOT;
    }
    for (let term = 0; term < base.terms.length; term++) {
      const start = base.starts[term]!;
      const stop = start + base.counts[term]!;
      const from = lowerBound(base.ids, first, start, stop);
      if (from === stop || base.ids[from]! >= end) continue;
      const to = lowerBound(base.ids, end, from, stop);
      base.ids.copyWithin(from, to, stop);
      base.tfs.copyWithin(from, to, stop);
      base.counts[term] = stop - start - (to - from);
    }
  }

  /** Whether the briefing's stories are indexed. */
  has(briefingId: string): boolean {
    return this.#byBriefing.has(briefingId) || this.#baseSlot.has(briefingId);
  }

  get size(): number {
    return this.#documentCount;
  }

  /**
   * The index as a segment, for another thread to install (search-worker.ts builds one this way); only
   * of an index without a segment of its own.
   */
  exportSegment(): Segment {
    if (this.#base) throw new Error('StoryIndex.exportSegment: the index already holds a segment');
    const terms = [...this.#postings.keys()].filter((term) => this.#postings.get(term)!.length > 0).sort();
    let total = 0;
    for (const term of terms) total += this.#postings.get(term)!.length;
    const starts = new Uint32Array(terms.length);
    const counts = new Uint32Array(terms.length);
    const ids = new Uint32Array(total);
    const tfs = new Uint16Array(total);
    let at = 0;
    terms.forEach((term, index) => {
      const postings = this.#postings.get(term)!;
      starts[index] = at;
      counts[index] = postings.length;
      for (const posting of postings) {
        const id = Math.floor(posting / TF_SPAN);
        ids[at] = id;
        tfs[at] = posting - id * TF_SPAN;
        at++;
      }
    });
    const stories = this.#nextId - 1;
    const slots = new Uint32Array(stories).fill(NO_SLOT);
    const sections = new Uint32Array(stories);
    const items = new Int32Array(stories);
    const lengths = new Uint32Array(stories);
    const briefingIds: string[] = [];
    const dates: string[] = [];
    const firsts = new Uint32Array(this.#byBriefing.size);
    const storyCounts = new Uint32Array(this.#byBriefing.size);
    for (const [briefingId, { first, count, date }] of this.#byBriefing) {
      const slot = briefingIds.length;
      briefingIds.push(briefingId);
      dates.push(date);
      firsts[slot] = first;
      storyCounts[slot] = count;
      for (let id = first; id < first + count; id++) {
        slots[id - 1] = slot;
        sections[id - 1] = this.#sectionOf[id - 1]!;
        items[id - 1] = this.#itemOf[id - 1]!;
        lengths[id - 1] = this.#lengthOf[id - 1]!;
      }
    }
    return {
      terms,
      starts,
      counts,
      ids,
      tfs,
      briefingIds,
      dates,
      firsts,
      storyCounts,
      slots,
      sections,
      items,
      lengths,
      documentCount: this.#documentCount,
      averageLength: this.#averageLength,
      nextId: this.#nextId,
    };
  }

  /**
   * Takes a built segment as the index's bulk, once. What was added before it is dropped, and returned:
   * the caller adds those briefings again (from its own copy, which wins over the segment's: the segment
   * was read from files that may predate them), so they come after it as if added once it was in.
   */
  install(segment: Segment): string[] {
    if (this.#base) throw new Error('StoryIndex.install: a segment is already installed');
    const again = [...this.#byBriefing.keys()];
    this.#postings.clear();
    this.#sortedTerms = [];
    this.#newTerms = [];
    this.#briefingOf = [];
    this.#dateOf = [];
    this.#sectionOf = [];
    this.#itemOf = [];
    this.#lengthOf = [];
    this.#byBriefing.clear();
    this.#base = segment;
    this.#baseSlot = new Map(segment.briefingIds.map((id, slot) => [id, slot]));
    this.#documentCount = segment.documentCount;
    this.#averageLength = segment.averageLength;
    this.#overlayFirst = segment.nextId;
    this.#nextId = segment.nextId;
    for (const id of again) {
      const slot = this.#baseSlot.get(id);
      if (slot === undefined) continue;
      this.#removeFromBase(slot);
      this.#baseSlot.delete(id);
    }
    this.#changed();
    return again;
  }

  /** Where a story is, or undefined once it was removed. */
  #place(id: number): Place | undefined {
    if (id < this.#overlayFirst) {
      const base = this.#base!;
      const slot = base.slots[id - 1]!;
      if (slot === NO_SLOT) return undefined;
      return {
        briefingId: base.briefingIds[slot]!,
        date: base.dates[slot]!,
        section: base.sections[id - 1]!,
        item: base.items[id - 1]!,
      };
    }
    const at = id - this.#overlayFirst;
    const briefingId = this.#briefingOf[at];
    if (briefingId === undefined) return undefined;
    return { briefingId, date: this.#dateOf[at]!, section: this.#sectionOf[at]!, item: this.#itemOf[at]! };
  }

  /** A story's date (of an indexed story: removed ones have no postings left to be found by). */
  #dateOfStory(id: number): string {
    if (id >= this.#overlayFirst) return this.#dateOf[id - this.#overlayFirst]!;
    const base = this.#base!;
    return base.dates[base.slots[id - 1]!]!;
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
      const place = this.#place(id);
      if (place === undefined) continue;
      hits.push({
        briefingId: place.briefingId,
        date: place.date,
        sectionIndex: place.section,
        itemIndex: place.item < 0 ? null : place.item,
        score,
        terms: [...terms],
      });
    }
    return { total: ranked.total, hits };
  }

  /** The index's terms that start with `prefix`, other than `prefix` itself (the segment's, then the overlay's). */
  #longerTerms(prefix: string): string[] {
    const found: string[] = [];
    for (const sorted of [this.#base?.terms ?? [], this.#sortedTerms]) {
      for (let i = lowerBound(sorted, prefix); i < sorted.length && sorted[i]!.startsWith(prefix); i++) {
        if (sorted[i] !== prefix) found.push(sorted[i]!);
      }
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
    const base = this.#base;
    for (const [term, weight] of derived) {
      const inBase = this.#baseTerm(term);
      const baseStart = inBase < 0 ? 0 : base!.starts[inBase]!;
      const baseEnd = inBase < 0 ? 0 : baseStart + base!.counts[inBase]!;
      const postings = this.#postings.get(term);
      const df = baseEnd - baseStart + (postings?.length ?? 0);
      if (df === 0) continue;
      const idf = Math.log(1 + (n - df + 0.5) / (df + 0.5));
      // Two plain loops, the segment's run then the overlay's, rather than one closure per posting: the
      // search's hot path (a prefix query walks tens of thousands of postings).
      const norm = (length: number): number => BM25.k * (1 - BM25.b + (BM25.b * length) / average);
      if (baseEnd > baseStart) {
        const { ids, tfs, lengths } = base!;
        for (let at = baseStart; at < baseEnd; at++) {
          const id = ids[at]!;
          const tf = tfs[at]!;
          const score = weight * (idf * (BM25.d + (tf * (BM25.k + 1)) / (tf + norm(lengths[id - 1]!))));
          const match = matches.get(id);
          if (match) {
            match.score += score;
            if (!match.terms.includes(term)) match.terms.push(term);
          } else matches.set(id, { score, terms: [term] });
        }
      }
      if (postings) {
        const first = this.#overlayFirst;
        const lengths = this.#lengthOf;
        for (const posting of postings) {
          const id = Math.floor(posting / TF_SPAN);
          const tf = posting - id * TF_SPAN;
          const score = weight * (idf * (BM25.d + (tf * (BM25.k + 1)) / (tf + norm(lengths[id - first]!))));
          const match = matches.get(id);
          if (match) {
            match.score += score;
            if (!match.terms.includes(term)) match.terms.push(term);
          } else matches.set(id, { score, terms: [term] });
        }
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
      const date = this.#dateOfStory(id);
      if (!whole && (date < range.from || date > range.to)) continue;
      ranked.push({ id, score: match.score * quality, terms: match.terms, date });
    }
    ranked.sort((a, b) => b.score - a.score || b.date.localeCompare(a.date) || a.id - b.id);
    return ranked.map(({ id, score, terms }) => ({ id, score, terms }));
  }
}
