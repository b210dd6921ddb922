import { insertSorted, lowerBound, removeWhere, upperBound } from './sorted.js';
import type { BriefingStory } from './stories.js';
import type { DateRange, StoryRef } from './types.js';

/** What the archive index keeps of every briefing, so that most reads never touch a briefing's body. */
export interface BriefingMeta {
  id: string;
  month: string;
  date: string;
  receivedAt: string;
  dedupeKey: string;
}

/** One briefing's stories about one country, in document order. */
interface CountryEntry {
  /** date, receivedAt, id: the archive's order, oldest first. */
  order: string;
  date: string;
  briefingId: string;
  stories: StoryRef[];
}

const orderOf = (meta: BriefingMeta): string => `${meta.date}\u0000${meta.receivedAt}\u0000${meta.id}`;
const entryOrder = (entry: CountryEntry): string => entry.order;
const entryDate = (entry: CountryEntry): string => entry.date;
const metaReceived = (meta: BriefingMeta): string => `${meta.receivedAt}\u0000${meta.id}`;
const CANONICAL_INSTANT =
  /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|1\d|2[0-8])T([01]\d|2[0-3]):[0-5]\d:[0-5]\d\.\d{3}Z$/;
/** receivedAt as one canonical ISO form (a stored "…:13Z" and "…:13.000Z" must sort as one instant). */
export function canonicalInstant(iso: string): string {
  // What the bot itself writes is already canonical: no Date for each briefing at open. Days past the
  // 28th take the long way, where Date.parse rolls an impossible one (Feb 31) into the next month.
  if (CANONICAL_INSTANT.test(iso)) return iso;
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? iso : new Date(ms).toISOString();
}
/** A briefing in receive order: the key (canonical receivedAt, then id) is computed once. */
interface ReceivedEntry {
  key: string;
  meta: BriefingMeta;
}
const receivedKey = (entry: ReceivedEntry): string => entry.key;
const identity = (value: string): string => value;

/**
 * In-memory indexes over the whole archive, built at open and kept current on every add:
 * by id, by dedupe key, by date (with the sorted list of dates), by country (what stories are about)
 * and by mentioned country (what they only mention). Every query is a map
 * lookup or a binary search plus a slice — never a scan of the archive.
 */
export class ArchiveIndex {
  readonly #byId = new Map<string, BriefingMeta>();
  readonly #byKey = new Map<string, string>();
  /** The other dedupe keys of a revised briefing (one per corrected copy), by id. */
  readonly #extraKeys = new Map<string, string[]>();
  readonly #byDate = new Map<string, BriefingMeta[]>();
  /** Distinct dates that have a briefing, ascending. */
  readonly #dates: string[] = [];
  readonly #byCountry = new Map<string, CountryEntry[]>();
  /** The same, for the stories that only mention a country. */
  readonly #byMention = new Map<string, CountryEntry[]>();
  /** Every briefing, oldest received first (canonical receivedAt, then id), whatever its date. */
  readonly #byReceived: ReceivedEntry[] = [];
  #lastReceivedAt: string | null = null;
  /** Frozen country lists by their codes: a ten-year archive's 24,000 stories have a few hundred lists. */
  readonly #countryLists = new Map<string, string[]>();

  /** The one frozen list of these codes (in this order) that every story with them shares. */
  #countryList(codes: string[]): string[] {
    const key = codes.join(',');
    let list = this.#countryLists.get(key);
    if (list === undefined) {
      list = Object.freeze(codes) as string[];
      this.#countryLists.set(key, list);
    }
    return list;
  }

  add(meta: BriefingMeta, stories: readonly BriefingStory[]): void {
    this.#byId.set(meta.id, meta);
    this.#byKey.set(meta.dedupeKey, meta.id);

    let onDate = this.#byDate.get(meta.date);
    if (!onDate) {
      onDate = [];
      this.#byDate.set(meta.date, onDate);
      insertSorted(this.#dates, meta.date, identity);
    }
    insertSorted(onDate, meta, metaReceived);
    // Month files load in date order, which is nearly receive order: almost always an append.
    const key = `${canonicalInstant(meta.receivedAt)}\u0000${meta.id}`;
    insertSorted(this.#byReceived, { key, meta }, receivedKey);

    const perCountry = new Map<string, StoryRef[]>();
    const perMention = new Map<string, StoryRef[]>();
    for (const story of stories) {
      // One ref per story, shared by its countries' lists and handed out as is by storiesAbout (a
      // ten-year query returns thousands): frozen, so a caller that writes to one fails loudly instead
      // of changing the index. Its country list is the first story's with those codes, frozen in place
      // (storiesOf and the open cache make a fresh one per story; copying it was a tenth of a ten-year
      // open) and shared with every later one: ~1 MB of heap at ten years otherwise.
      const ref: StoryRef = Object.freeze({
        briefingId: meta.id,
        date: meta.date,
        sectionIndex: story.sectionIndex,
        itemIndex: story.itemIndex,
        countries: this.#countryList(story.countries),
      });
      // A story has a handful of codes: arrays, not Sets, keep the open's garbage down.
      const about: string[] = [];
      for (const code of story.countries) {
        const country = normaliseCountry(code);
        if (about.includes(country)) continue;
        about.push(country);
        push(perCountry, country, ref);
      }
      const mentioned: string[] = [];
      for (const code of story.mentions) {
        const country = normaliseCountry(code);
        if (about.includes(country) || mentioned.includes(country)) continue;
        mentioned.push(country);
        push(perMention, country, ref);
      }
    }
    const order = orderOf(meta);
    for (const [index, found] of [
      [this.#byCountry, perCountry],
      [this.#byMention, perMention],
    ] as const) {
      for (const [country, refs] of found) {
        let entries = index.get(country);
        if (!entries) {
          entries = [];
          index.set(country, entries);
        }
        insertSorted(entries, { order, date: meta.date, briefingId: meta.id, stories: refs }, entryOrder);
      }
    }

    if (this.#lastReceivedAt === null || meta.receivedAt > this.#lastReceivedAt) {
      this.#lastReceivedAt = meta.receivedAt;
    }
  }

  /** One more dedupe key answering `id` (the key of a corrected copy of it). */
  addKey(dedupeKey: string, id: string): void {
    this.#byKey.set(dedupeKey, id);
    const keys = this.#extraKeys.get(id);
    if (keys) keys.push(dedupeKey);
    else this.#extraKeys.set(id, [dedupeKey]);
  }

  /** Undoes `add` (a briefing whose write failed, or one re-indexed after a revision). Rare, so it may cost a scan. */
  remove(id: string): void {
    const meta = this.#byId.get(id);
    if (!meta) return;
    this.#byId.delete(id);
    if (this.#byKey.get(meta.dedupeKey) === id) this.#byKey.delete(meta.dedupeKey);
    for (const key of this.#extraKeys.get(id) ?? []) if (this.#byKey.get(key) === id) this.#byKey.delete(key);
    this.#extraKeys.delete(id);
    const onDate = this.#byDate.get(meta.date);
    if (onDate) {
      removeWhere(onDate, (other) => other.id === id);
      if (onDate.length === 0) {
        this.#byDate.delete(meta.date);
        removeWhere(this.#dates, (date) => date === meta.date);
      }
    }
    removeWhere(this.#byReceived, (entry) => entry.meta.id === id);
    for (const index of [this.#byCountry, this.#byMention]) {
      for (const [country, entries] of index) {
        removeWhere(entries, (entry) => entry.briefingId === id);
        if (entries.length === 0) index.delete(country);
      }
    }
    if (this.#lastReceivedAt === meta.receivedAt) {
      this.#lastReceivedAt = null;
      for (const other of this.#byId.values()) {
        if (this.#lastReceivedAt === null || other.receivedAt > this.#lastReceivedAt) {
          this.#lastReceivedAt = other.receivedAt;
        }
      }
    }
  }

  get(id: string): BriefingMeta | undefined {
    return this.#byId.get(id);
  }

  idForKey(dedupeKey: string): string | undefined {
    return this.#byKey.get(dedupeKey);
  }

  /** Briefings filed under a date, oldest received first. */
  on(date: string): readonly BriefingMeta[] {
    return this.#byDate.get(date) ?? [];
  }

  /** Briefings received within [fromIso, toIso), oldest received first: two binary searches. */
  receivedBetween(fromIso: string, toIso: string): readonly BriefingMeta[] {
    const from = canonicalInstant(fromIso);
    const to = canonicalInstant(toIso);
    if (from >= to) return [];
    // Keys are `${receivedAt}\0${id}`: a bare instant sorts before every key of that instant.
    const start = lowerBound(this.#byReceived, from, receivedKey);
    const end = lowerBound(this.#byReceived, to, receivedKey);
    return this.#byReceived.slice(start, end).map((entry) => entry.meta);
  }

  nearestDates(date: string): { before: string | null; after: string | null } {
    const below = lowerBound(this.#dates, date, identity) - 1;
    const above = upperBound(this.#dates, date, identity);
    return { before: this.#dates[below] ?? null, after: this.#dates[above] ?? null };
  }

  latestDate(): string | null {
    return this.#dates[this.#dates.length - 1] ?? null;
  }

  count(): number {
    return this.#byId.size;
  }

  lastReceivedAt(): string | null {
    return this.#lastReceivedAt;
  }

  /** Newest briefing first; within a briefing, stories in document order. The refs are frozen. */
  storiesAbout(country: string, range: DateRange): StoryRef[] {
    return inRange(this.#byCountry, country, range);
  }

  /** Stories that only mention the country, in the same order. */
  storiesMentioning(country: string, range: DateRange): StoryRef[] {
    return inRange(this.#byMention, country, range);
  }
}

function push(map: Map<string, StoryRef[]>, country: string, ref: StoryRef): void {
  const refs = map.get(country);
  if (refs) refs.push(ref);
  else map.set(country, [ref]);
}

/** A country's stories in a date range, newest briefing first: two binary searches and a copy. */
function inRange(index: ReadonlyMap<string, CountryEntry[]>, country: string, range: DateRange): StoryRef[] {
  const entries = index.get(normaliseCountry(country));
  if (!entries || range.from > range.to) return [];
  const start = lowerBound(entries, range.from, entryDate);
  const end = upperBound(entries, range.to, entryDate);
  const result: StoryRef[] = [];
  for (let i = end - 1; i >= start; i--) {
    for (const story of entries[i]!.stories) result.push(story);
  }
  return result;
}

/** Countries are ISO 3166-1 alpha-2 codes; callers may pass them in either case. */
function normaliseCountry(code: string): string {
  return /^[A-Z]{2}$/.test(code) ? code : code.trim().toUpperCase();
}
