/**
 * Which countries a text is about, from the names, demonyms and cities it mentions.
 * One pass over the tokens with a longest-match lookup in a Map: linear in the text, no regex per name.
 */
import { type Catalog, catalog, type TextEntry } from './catalog.js';
import { type Tokens, tokenize } from './tokens.js';

interface Mention {
  code: string;
  /** The phrase as folded, so later bare uses of a name found to be a person's can be dropped. */
  key: string;
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
  const anyCase = options.anyCase === true;
  const known = catalog();
  const tokens = tokenize(text);
  const mentions: Mention[] = [];
  const personNames = new Set<string>();

  for (let i = 0; i < tokens.length; ) {
    const found = longestMatch(known, tokens, i, anyCase);
    if (!found) {
      i += 1;
      continue;
    }
    const { entry, key, length } = found;
    if (entry.code !== null && !partOfStreetName(known, tokens, i)) {
      if (entry.personLike && partOfPersonName(known, tokens, i, length)) personNames.add(key);
      else mentions.push({ code: entry.code, key });
    }
    i += length;
  }

  const tally = new Map<string, { count: number; first: number }>();
  mentions.forEach(({ code, key }, order) => {
    if (personNames.has(key)) return;
    const seen = tally.get(code);
    if (seen) seen.count += 1;
    else tally.set(code, { count: 1, first: order });
  });
  return [...tally.entries()]
    .sort(([, a], [, b]) => b.count - a.count || a.first - b.first)
    .map(([code]) => code);
}

/** The longest known phrase starting at token `start`, if that token can begin one. */
function longestMatch(known: Catalog, tokens: Tokens, start: number, anyCase: boolean): Match | undefined {
  if (!anyCase && !tokens.capitalised(start)) return undefined;
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
