/**
 * Every name the bot knows for every country, built once on first use: ISO names in English, Spanish and
 * Portuguese from i18n-iso-countries, then the lists in ./lists (JSON, one file per kind of name) for
 * what that package lacks. Building takes tens of milliseconds; doing it lazily keeps importing this
 * module free for code that only needs a flag or a name.
 */
import isoCountries from 'i18n-iso-countries/index.js';
import en from 'i18n-iso-countries/langs/en.json' with { type: 'json' };
import es from 'i18n-iso-countries/langs/es.json' with { type: 'json' };
import pt from 'i18n-iso-countries/langs/pt.json' with { type: 'json' };
import aliasData from './lists/aliases.json' with { type: 'json' };
import ambiguousData from './lists/ambiguous.json' with { type: 'json' };
import cityData from './lists/cities.json' with { type: 'json' };
import demonymData from './lists/demonyms.json' with { type: 'json' };
import exclusionData from './lists/exclusions.json' with { type: 'json' };
import libraryFixData from './lists/library-fixes.json' with { type: 'json' };
import regionData from './lists/regions.json' with { type: 'json' };
import streetData from './lists/street-words.json' with { type: 'json' };
import { foldKey, tokenize } from './tokens.js';

/** The languages the newsroom reads. */
const LANGUAGES = [en, es, pt] as const;

/** What a phrase found in prose stands for. */
export interface TextEntry {
  /** null: recognised but stands for no single country (an exclusion, or a name two countries share). */
  code: string | null;
  /** Written in capitals only ("US", "UK", "EEUU"): in lower case it is an ordinary word ("us"). */
  upperOnly: boolean;
  /** Also a person's first name or surname: tagged only when no name-like word is next to it. */
  personLike: boolean;
  /**
   * Bit i set: token i is capitalised in every spelling of the phrase, so prose must capitalise it too
   * ("Dominican Today" the outlet, not "Dominican today"). Lower-case joiners ("and", "de", "au") are free.
   */
  capitals: number;
  /** What kind of phrase it is: a salient country is usually named, a demonym often only qualifies. */
  kind: PhraseKind;
}

export type PhraseKind = 'name' | 'demonym' | 'city' | 'region';

export interface Catalog {
  /** Alpha-2 codes, upper case. */
  codes: ReadonlySet<string>;
  alpha3: ReadonlyMap<string, string>;
  /** Folded phrase ("port au prince") → what it means in prose. */
  text: ReadonlyMap<string, TextEntry>;
  /** First token of any phrase in `text` → the most tokens a phrase starting with it has. */
  longestFrom: ReadonlyMap<string, number>;
  /** Folded capitalised words that may stand next to a person-like name without making it a name. */
  neighbours: ReadonlySet<string>;
  /** Lower-case particles of full names ("de", "da"): "José de Sucre" is a person. */
  particles: ReadonlySet<string>;
  /** Folded person-like names that a speech verb right after makes a person ("Jordan said"). */
  speakers: ReadonlySet<string>;
  /** Folded verbs of saying. */
  speechVerbs: ReadonlySet<string>;
  /** Folded country names that are also a US state ("Georgia"). */
  states: ReadonlySet<string>;
  /** Folded city names shared with better-known places elsewhere ("Georgetown"): need the country named too. */
  elsewhere: ReadonlySet<string>;
  /**
   * The shape (length, first and last letter: `wordShape`) of every demonym spelt in lower case: most
   * lower-case words of a paragraph are ruled out by it without building their key.
   */
  lowerDemonymShapes: ReadonlySet<number>;
  /** Folded words that make a following name a street or square ("Plaza Italia", "Avenida Brasil"). */
  streetWords: ReadonlySet<string>;
  /** Folded name, alias, demonym or city → every country it may denote (for `/country`). */
  lookup: ReadonlyMap<string, ReadonlySet<string>>;
  /** Data entries that name one phrase with two different countries: should stay empty. */
  conflicts: readonly string[];
}

type CodeLists = Record<string, string[] | string>;

let built: Catalog | undefined;

export function catalog(): Catalog {
  built ??= buildCatalog();
  return built;
}

function buildCatalog(): Catalog {
  const alpha2ToAlpha3 = isoCountries.getAlpha2Codes();
  const codes = new Set(Object.keys(alpha2ToAlpha3));
  const alpha3 = new Map(Object.entries(alpha2ToAlpha3).map(([a2, a3]) => [a3.toLowerCase(), a2]));

  const text = new Map<string, TextEntry>();
  const lookup = new Map<string, Set<string>>();
  const conflicts: string[] = [];
  const dropped = new Set(
    Object.entries(codeLists(libraryFixData)).flatMap(([code, names]) => names.map((n) => `${code}:${n}`)),
  );

  const remember = (code: string, name: string) => {
    const key = foldKey(name);
    if (key === '') return;
    const set = lookup.get(key);
    if (set) set.add(code);
    else lookup.set(key, new Set([code]));
  };

  /** Library names may collide ("Congo" is two countries): then they tag nothing. */
  const addLibraryName = (code: string, name: string) => {
    const key = foldKey(name);
    const previous = text.get(key);
    const upperOnly = isUpperOnly(name);
    const capitals = capitalMask(name) & (previous?.capitals ?? ALL_TOKENS);
    const shared = previous !== undefined && previous.code !== code;
    text.set(key, {
      code: shared ? null : code,
      upperOnly: shared ? upperOnly : (previous?.upperOnly ?? true) && upperOnly,
      personLike: false,
      capitals,
      kind: 'name',
    });
  };

  /** Data entries are chosen by hand, so they override the library; two data files disagreeing is a bug. */
  const dataSource = new Map<string, string>();
  const addDataName = (code: string, name: string, personLike: boolean, kind: PhraseKind | null) => {
    const key = foldKey(name);
    const claimedBy = dataSource.get(key);
    if (claimedBy !== undefined && claimedBy !== code) conflicts.push(`${name}: ${claimedBy} and ${code}`);
    dataSource.set(key, code);
    const previous = text.get(key);
    const same = previous?.code === code;
    const upperOnly = isUpperOnly(name) && (!same || previous.upperOnly);
    const capitals = capitalMask(name) & (same ? previous.capitals : ALL_TOKENS);
    text.set(key, { code, upperOnly, personLike, capitals, kind: kind ?? (same ? previous.kind : 'name') });
  };

  for (const language of LANGUAGES) {
    for (const [code, names] of Object.entries(language.countries as CodeLists)) {
      for (const name of typeof names === 'string' ? [names] : names) {
        if (dropped.has(`${code}:${name}`)) continue;
        remember(code, name);
        // "Falkland Islands (Malvinas)" is written "Falkland Islands" in prose, and "Korea, Republic of"
        // is never written at all: list-style names only serve `/country`.
        const plain = name.replace(/\s*\([^()]*\)/gu, '');
        if (plain !== name) remember(code, plain);
        if (!plain.includes(',')) addLibraryName(code, plain);
      }
    }
  }

  /** Each list, and whether its entries also come in the plural (demonyms: "Peruvians"). */
  const lists: [object, boolean, PhraseKind][] = [
    [aliasData, false, 'name'],
    [demonymData, true, 'demonym'],
    [cityData, false, 'city'],
    [regionData, false, 'region'],
  ];
  for (const [data, plural, kind] of lists) {
    for (const [code, names] of Object.entries(codeLists(data))) {
      for (const name of names) {
        for (const form of plural ? withPlural(name) : [name]) {
          addDataName(code, form, false, kind);
          remember(code, form);
        }
      }
    }
  }
  for (const [code, names] of Object.entries(codeLists(ambiguousData.names))) {
    for (const name of names) {
      addDataName(code, name, true, ambiguousKind(name));
      remember(code, name);
    }
  }
  for (const phrases of Object.values(codeLists(exclusionData))) {
    for (const phrase of phrases) {
      const key = foldKey(phrase);
      const previous = text.get(key);
      const capitals = capitalMask(phrase) & (previous?.code === null ? previous.capitals : ALL_TOKENS);
      text.set(key, { code: null, upperOnly: false, personLike: false, capitals, kind: 'name' });
    }
  }

  for (const code of codes) {
    if (!/^[A-Z]{2}$/.test(code)) throw new Error(`i18n-iso-countries returned a malformed code: ${code}`);
  }
  for (const data of [aliasData, demonymData, cityData, regionData, libraryFixData, ambiguousData.names]) {
    for (const code of Object.keys(codeLists(data))) {
      if (!codes.has(code)) conflicts.push(`unknown code ${code} in data`);
    }
  }

  const longestFrom = new Map<string, number>();
  for (const key of text.keys()) {
    const parts = key.split(' ');
    const first = parts[0]!;
    longestFrom.set(first, Math.max(longestFrom.get(first) ?? 0, parts.length));
  }
  const neighbours = new Set(ambiguousData.neighbours.map((word) => foldKey(word).split(' ')[0]!));
  const particles = new Set(ambiguousData.particles.map(foldKey));
  const streetWords = new Set(streetData.before.map(foldKey));
  const speakers = new Set(ambiguousData.speakers.map(foldKey));
  const speechVerbs = new Set(ambiguousData.speechVerbs.map(foldKey));
  const states = new Set(ambiguousData.states.map(foldKey));
  const elsewhere = new Set(ambiguousData.elsewhere.map(foldKey));
  const lowerDemonymShapes = new Set<number>();
  for (const [key, entry] of text) {
    if (entry.kind === 'demonym' && entry.capitals === 0 && !key.includes(' ')) {
      lowerDemonymShapes.add(wordShape(key, 0, key.length));
    }
  }

  return {
    codes,
    alpha3,
    text,
    longestFrom,
    neighbours,
    particles,
    speakers,
    speechVerbs,
    states,
    elsewhere,
    lowerDemonymShapes,
    streetWords,
    lookup,
    conflicts,
  };
}

/** A word's length with its first and last character codes, as one number (text[start, end)). */
export function wordShape(text: string, start: number, end: number): number {
  return ((end - start) * 0x10000 + text.charCodeAt(start)) * 0x10000 + text.charCodeAt(end - 1);
}

/** Data files map codes to lists; keys starting with "$" are comments. */
function codeLists(data: object): Record<string, string[]> {
  const lists: Record<string, string[]> = {};
  for (const [key, value] of Object.entries(data)) {
    if (!key.startsWith('$') && Array.isArray(value)) lists[key] = value.map(String);
  }
  return lists;
}

/** Ambiguous entries are names unless they read as a demonym ("French", "German") or a known city. */
function ambiguousKind(name: string): PhraseKind | null {
  if (/(?:ch|sh|an|ese)$/u.test(name) && !/^(?:Jordan)$/u.test(name)) return 'demonym';
  return null;
}

/** Every bit set: the neutral start for intersecting capitalisation masks. */
const ALL_TOKENS = -1;

/** Which tokens of a spelling are capitalised, as a bit mask (phrases are far shorter than 31 tokens). */
function capitalMask(name: string): number {
  const tokens = tokenize(name);
  let mask = 0;
  for (let i = 0; i < tokens.length; i += 1) if (tokens.capitalised(i)) mask |= 1 << i;
  return mask;
}

/** Abbreviations in capitals ("US", "U.S.A.", "EE. UU."): every token upper case. */
function isUpperOnly(name: string): boolean {
  const tokens = tokenize(name);
  if (tokens.length === 0) return false;
  for (let i = 0; i < tokens.length; i += 1) if (!tokens.allCaps(i)) return false;
  return true;
}

/**
 * English demonyms take an -s plural (Peruvians, Puerto Ricans); so do the Spanish and Portuguese ones
 * ending in a vowel. Forms ending in a sibilant or "-ese" (Swiss, Dutch, Irish, Chinese) do not change.
 */
function withPlural(demonym: string): string[] {
  return /(?:s|sh|ch|x|z|ese)$/iu.test(demonym) ? [demonym] : [demonym, `${demonym}s`];
}
