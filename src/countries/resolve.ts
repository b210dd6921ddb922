/**
 * `/country <query>` → a country. In order: an exact name (English, Spanish or Portuguese), demonym or
 * city; an alpha-2 or alpha-3 code; a word of a longer name ("timor"); a unique prefix ("venez"); a small
 * typo ("Venezeula"). A query that fits several countries, or none, yields the closest few as suggestions.
 */
import { distance } from 'fastest-levenshtein';
import { catalog } from './catalog.js';
import { countryName } from './names.js';
import { foldKey } from './tokens.js';

export interface CountryRef {
  code: string;
  name: string;
}

export type Resolution = CountryRef | { suggestions: CountryRef[] };

/** Slack shows a short list best; three is enough to catch the intended country after a typo. */
export const MAX_SUGGESTIONS = 3;

/** Below this many letters a prefix or an edit matches too much ("pe" is the start of ten names). */
const MIN_FUZZY_LENGTH = 4;

/** Past this share of letters changed, a name is no longer a plausible suggestion. */
const MAX_RELATIVE_DISTANCE = 0.5;

/** Queries longer than any country name are not names; cut them before the quadratic edit distance. */
const MAX_QUERY_LENGTH = 80;

/** Edits a typo may have and still resolve: one for short names, two from 6 letters, three from 11. */
function typoBudget(length: number): number {
  return length < 6 ? 1 : length < 11 ? 2 : 3;
}

export function resolveCountry(query: string): Resolution {
  const known = catalog();
  const key = foldKey(query.slice(0, MAX_QUERY_LENGTH)).replace(/^the /u, '');
  if (key === '') return { suggestions: [] };

  const exact = known.lookup.get(key);
  if (exact?.size === 1) return ref([...exact][0]!);

  const compact = key.replaceAll(' ', '');
  const upper = compact.toUpperCase();
  if (compact.length === 2 && known.codes.has(upper)) return ref(upper);
  const fromAlpha3 = compact.length === 3 ? known.alpha3.get(compact) : undefined;
  if (fromAlpha3) return ref(fromAlpha3);
  if (exact) return suggest([...exact]);

  // A word of a longer name: "korea" (North or South?), "timor", "salvador", "virgin islands".
  const byWord = scoreNames(known.lookup, (name) => (containsWords(name, key) ? name.length : undefined));
  if (byWord.size === 1) return ref([...byWord.keys()][0]!);
  if (byWord.size > 1) return suggest(rank(byWord));

  const byPrefix = scoreNames(known.lookup, (name) => (name.startsWith(key) ? name.length : undefined));
  if (byPrefix.size === 1 && key.length >= MIN_FUZZY_LENGTH) return ref([...byPrefix.keys()][0]!);
  if (byPrefix.size > 0) return suggest(rank(byPrefix));
  if (key.length < MIN_FUZZY_LENGTH) return { suggestions: [] };

  // One edit distance per name (the costly part of a lookup), scored two ways.
  const distances = new Map<string, number>();
  for (const name of known.lookup.keys()) distances.set(name, distance(key, name));
  const edits = scoreNames(known.lookup, (name) => distances.get(name));
  const ranked = rank(edits);
  const [best, second] = ranked.map((code) => edits.get(code)!);
  if (best !== undefined && best <= typoBudget(key.length) && (second === undefined || second > best)) {
    return ref(ranked[0]!);
  }
  // Relative distance ranks suggestions fairly between short and long names; past half the letters
  // changed, a "suggestion" is noise ("qqqqqq" suggests nothing).
  const relative = scoreNames(
    known.lookup,
    (name) => distances.get(name)! / Math.max(key.length, name.length),
  );
  return suggest(rank(relative).filter((code) => relative.get(code)! <= MAX_RELATIVE_DISTANCE));
}

/** Best (lowest) score per country over all its names; `score` returns undefined to skip a name. */
function scoreNames(
  lookup: ReadonlyMap<string, ReadonlySet<string>>,
  score: (name: string) => number | undefined,
): Map<string, number> {
  const best = new Map<string, number>();
  for (const [name, codes] of lookup) {
    const value = score(name);
    if (value === undefined) continue;
    for (const code of codes) best.set(code, Math.min(best.get(code) ?? Infinity, value));
  }
  return best;
}

/** `words` appears in `name` on word boundaries (both are folded: words separated by single spaces). */
function containsWords(name: string, words: string): boolean {
  return ` ${name} `.includes(` ${words} `);
}

function ref(code: string): CountryRef {
  return { code, name: countryName(code) };
}

function suggest(codes: string[]): { suggestions: CountryRef[] } {
  return { suggestions: codes.slice(0, MAX_SUGGESTIONS).map(ref) };
}

/**
 * Only the certain steps of `resolveCountry`: an exact name, demonym or city of one country, or a code.
 * Lists of several countries read with this, so "PE ht" cannot blur into one typo-corrected name.
 */
export function exactCountry(query: string): string | null {
  const known = catalog();
  const key = foldKey(query.slice(0, MAX_QUERY_LENGTH)).replace(/^the /u, '');
  if (key === '') return null;
  const exact = known.lookup.get(key);
  if (exact?.size === 1) return [...exact][0]!;
  const compact = key.replaceAll(' ', '');
  const upper = compact.toUpperCase();
  if (compact.length === 2 && known.codes.has(upper)) return upper;
  return (compact.length === 3 ? known.alpha3.get(compact) : undefined) ?? null;
}

/** Codes by score, lowest first; ties by English name so the order is stable. */
function rank(scores: Map<string, number>): string[] {
  return [...scores.keys()].sort(
    (a, b) => scores.get(a)! - scores.get(b)! || countryName(a).localeCompare(countryName(b)),
  );
}
