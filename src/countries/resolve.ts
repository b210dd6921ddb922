/**
 * `/country <query>` → a country. Exact names (any of three languages), codes and demonyms first,
 * then a unique prefix, then a small typo; otherwise the closest few as suggestions.
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

  const byPrefix = new Map<string, number>();
  for (const [name, codes] of known.lookup) {
    if (!name.startsWith(key)) continue;
    for (const code of codes) byPrefix.set(code, Math.min(byPrefix.get(code) ?? Infinity, name.length));
  }
  if (byPrefix.size === 1 && key.length >= MIN_FUZZY_LENGTH) return ref([...byPrefix.keys()][0]!);
  if (byPrefix.size > 0) return suggest(rank(byPrefix));
  if (key.length < MIN_FUZZY_LENGTH) return { suggestions: [] };

  const byDistance = new Map<string, number>();
  for (const [name, codes] of known.lookup) {
    const d = distance(key, name);
    for (const code of codes) byDistance.set(code, Math.min(byDistance.get(code) ?? Infinity, d));
  }
  const ranked = rank(byDistance);
  const [best, second] = ranked.map((code) => byDistance.get(code)!);
  if (best !== undefined && best <= typoBudget(key.length) && (second === undefined || second > best)) {
    return ref(ranked[0]!);
  }
  // Only suggestions that share at least half the letters: "Atlantis" → Antarctica, not Fiji.
  const plausible = ranked.filter((code) => byDistance.get(code)! <= Math.ceil(key.length / 2));
  return suggest(plausible);
}

function ref(code: string): CountryRef {
  return { code, name: countryName(code) };
}

function suggest(codes: string[]): { suggestions: CountryRef[] } {
  return { suggestions: codes.slice(0, MAX_SUGGESTIONS).map(ref) };
}

/** Codes by score, lowest first; ties by English name so the order is stable. */
function rank(scores: Map<string, number>): string[] {
  return [...scores.keys()].sort(
    (a, b) => scores.get(a)! - scores.get(b)! || countryName(a).localeCompare(countryName(b)),
  );
}
