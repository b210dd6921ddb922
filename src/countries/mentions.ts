/**
 * Which countries a text is about, from the names, demonyms and cities it mentions.
 * One pass over the tokens with a longest-match lookup in a Map: linear in the text, no regex per name.
 */
import { type Catalog, catalog, type PhraseKind, type TextEntry, wordShape } from './catalog.js';
import { type Tokens, tokenize } from './tokens.js';

/** One use of a country in a text, where the matcher found it. */
export interface Mention {
  code: string;
  /** The phrase as folded, so later bare uses of a name found to be a person's can be dropped. */
  key: string;
  kind: PhraseKind;
  /** Index of its first token, and the number of tokens it spans. */
  token: number;
  length: number;
}

interface Match {
  entry: TextEntry;
  key: string;
  length: number;
}

export interface MatchOptions {
  /**
   * Also read lower-case words ("what about haiti?"), for chat rather than edited prose. Abbreviations
   * still need capitals ("us" stays a pronoun), and person names are still told by real capitals.
   */
  anyCase?: boolean;
}

/**
 * ISO alpha-2 codes mentioned in `text`, most salient first: more mentions first, then earlier first
 * mention. Only capitalised words count unless `anyCase` (country names are proper nouns; "turkey",
 * "china" and "us" in lower case are ordinary words).
 */
export function countriesIn(text: string, options: MatchOptions = {}): string[] {
  const tally = new Map<string, { count: number; first: number }>();
  findMentions(tokenize(text), options).forEach(({ code }, order) => {
    const seen = tally.get(code);
    if (seen) seen.count += 1;
    else tally.set(code, { count: 1, first: order });
  });
  return [...tally.entries()]
    .sort(([, a], [, b]) => b.count - a.count || a.first - b.first)
    .map(([code]) => code);
}

/**
 * Every use of a country in the tokens, in order: not the parts of a person's name ("Michael Jordan",
 * "Jordan said"), a street ("Avenida Brasil"), an outlet or organisation (the exclusions list), nor a US
 * state that shares a country's name ("Atlanta, Georgia"). A name once used for a person or a state in
 * the text is taken that way in all its bare uses there.
 */
export function findMentions(tokens: Tokens, options: MatchOptions = {}): Mention[] {
  const anyCase = options.anyCase === true;
  const known = catalog();
  const found: Mention[] = [];
  const notCountry = new Set<string>();

  for (let i = 0; i < tokens.length; ) {
    const match = longestMatch(known, tokens, i, anyCase);
    if (!match) {
      i += 1;
      continue;
    }
    const { entry, key, length } = match;
    if (entry.code !== null && !partOfStreetName(known, tokens, i)) {
      if (entry.personLike && partOfPersonName(known, tokens, i, length)) notCountry.add(key);
      else if (known.speakers.has(key) && speaks(known, tokens, i, i + length)) notCountry.add(key);
      else if (known.states.has(key) && readsAsState(tokens, i, length, entry.code)) notCountry.add(key);
      else found.push({ code: entry.code, key, kind: entry.kind, token: i, length });
    }
    i += length;
  }
  return notCountry.size === 0 ? found : found.filter(({ key }) => !notCountry.has(key));
}

/**
 * "Jordan said", "Chad told reporters": a speaker name right before a verb of saying, and not after a
 * preposition or article ("the king of Jordan said" is the country's king).
 */
function speaks(known: Catalog, tokens: Tokens, start: number, next: number): boolean {
  if (next >= tokens.length || !tokens.spaceBefore(next) || !known.speechVerbs.has(tokens.key(next)))
    return false;
  const before = start - 1;
  return !(
    before >= 0 &&
    tokens.spaceBefore(start) &&
    !tokens.capitalised(before) &&
    known.neighbours.has(tokens.key(before))
  );
}

/** "On Monday, Georgia…", "In March, Georgia…": days and months before the comma are not places. */
const CALENDAR_WORDS = new Set(
  'monday tuesday wednesday thursday friday saturday sunday january february march april may june july august september october november december lunes martes miercoles jueves viernes sabado domingo enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre janeiro fevereiro marco maio junho julho setembro outubro novembro dezembro'.split(
    ' ',
  ),
);

/**
 * "Atlanta, Georgia" (a place, a comma, the name: how US places are written), "Georgia state", "the state
 * of Georgia". "Tbilisi, Georgia" stays the country: the place before the comma is one of its own cities.
 */
function readsAsState(tokens: Tokens, start: number, length: number, code: string): boolean {
  const after = start + length;
  if (after < tokens.length && tokens.spaceBefore(after) && tokens.key(after) === 'state') return true;
  if (start >= 2 && tokens.key(start - 1) === 'of' && tokens.key(start - 2) === 'state') return true;
  if (start === 0 || !tokens.capitalised(start - 1)) return false;
  const gap = tokens.text.slice(tokens.ends[start - 1]!, tokens.starts[start]!);
  if (!/^,[ \t\u00a0]+$/u.test(gap)) return false;
  // "Meanwhile, Georgia…", "On Monday, Georgia…": an opener before the comma, not a place.
  const opener =
    start - 1 === 0 ||
    /[.!?:\n]/u.test(tokens.text.slice(tokens.ends[start - 2]!, tokens.starts[start - 1]!));
  if (opener || catalog().neighbours.has(tokens.key(start - 1)) || CALENDAR_WORDS.has(tokens.key(start - 1)))
    return false;
  const place = catalog().text.get(tokens.key(start - 1));
  return place === undefined || (place.code !== code && place.code !== null && place.kind === 'city');
}

/** The longest known phrase starting at token `start`, if that token can begin one. */
function longestMatch(known: Catalog, tokens: Tokens, start: number, anyCase: boolean): Match | undefined {
  if (!anyCase && !tokens.capitalised(start)) return lowerCaseDemonym(known, tokens, start);
  const firstKey = tokens.key(start);
  const most = known.longestFrom.get(firstKey);
  if (most === undefined) return undefined;

  let best: Match | undefined;
  let key = firstKey;
  let allCaps = true;
  let capitals = 0;
  for (let length = 1; length <= most && start + length <= tokens.length; length += 1) {
    const i = start + length - 1;
    if (length > 1) {
      if (!tokens.joinsPrevious(i)) break;
      key = `${key} ${tokens.key(i)}`;
    }
    allCaps &&= tokens.allCaps(i);
    if (tokens.capitalised(i)) capitals |= 1 << (length - 1);
    const entry = known.text.get(key);
    const capitalsMatch = anyCase || (entry !== undefined && (entry.capitals & ~capitals) === 0);
    if (entry && (!entry.upperOnly || allCaps) && capitalsMatch && !tokens.currency(i)) {
      best = { entry, key, length };
    }
  }
  return best;
}

/**
 * Spanish and Portuguese write demonyms in lower case ("el líder opositor venezolano", "a seleção
 * brasileira"); those spellings (lower case in the data) match as written. English ones need capitals.
 */
function lowerCaseDemonym(known: Catalog, tokens: Tokens, start: number): Match | undefined {
  // A lower-case token's text is its key already (marks are stripped): its shape can be read in place.
  if (!known.lowerDemonymShapes.has(wordShape(tokens.text, tokens.starts[start]!, tokens.ends[start]!)))
    return undefined;
  const key = tokens.key(start);
  const entry = known.text.get(key);
  if (entry === undefined || entry.kind !== 'demonym' || entry.capitals !== 0) return undefined;
  return { entry, key, length: 1 };
}

/**
 * "Michael Jordan", "Chad Smith", "Francia Márquez", "José de Sucre": a capitalised word right next to
 * the name (only spaces between, or a name particle) that is not a title or a function word makes the
 * phrase part of a person's name.
 */
function partOfPersonName(known: Catalog, tokens: Tokens, start: number, length: number): boolean {
  const after = start + length;
  const nameLike = (i: number) => i >= 0 && tokens.capitalised(i) && !known.neighbours.has(tokens.key(i));
  const adjacent = (i: number) => tokens.spaceBefore(i);
  if (after < tokens.length && adjacent(after) && nameLike(after)) return true;
  if (start === 0 || !adjacent(start)) return false;
  const before = start - 1;
  if (nameLike(before)) return true;
  return known.particles.has(tokens.key(before)) && adjacent(before) && nameLike(before - 1);
}

/** "Plaza Italia", "Avenida Brasil": a capitalised street word right before the name. */
function partOfStreetName(known: Catalog, tokens: Tokens, start: number): boolean {
  const before = start - 1;
  return (
    before >= 0 &&
    tokens.joinsPrevious(start) &&
    tokens.capitalised(before) &&
    known.streetWords.has(tokens.key(before))
  );
}
