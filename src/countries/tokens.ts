/**
 * Tokenising for country matching. Names, aliases and free text all go through the same function, so a
 * data entry ("Port-au-Prince", "Côte d'Ivoire", "EE.UU.", "St. Lucia") and its forms in prose line up
 * by construction instead of by special cases.
 */

export interface Token {
  /** The token as written, marks stripped, case kept, dots of an abbreviation removed ("U.S." → "US"). */
  raw: string;
  /** Lower-case, accent-free form used as a lookup key. */
  key: string;
  /** Starts with an upper-case letter: proper nouns are the only country mentions in prose. */
  capitalised: boolean;
  /** Every letter is upper case ("US", "U.S.", "EEUU"): tells the country from the pronoun "us". */
  allCaps: boolean;
  /** May continue a multi-word name begun by the previous token (only spaces, hyphens, apostrophes between). */
  joinsPrevious: boolean;
  /** Only horizontal spaces separate it from the previous token: the test for "Firstname Surname". */
  spaceBefore: boolean;
}

/**
 * One alternation, tried left to right at each position, each branch consuming at least one character:
 * the scan is linear in the input and cannot backtrack catastrophically.
 * - dotted abbreviations of one or two letters per part ("U.S.", "U.N.", "EE.UU.", "U.S.A.")
 * - runs of letters and digits (after marks are stripped, "Perú" is one run)
 */
const TOKEN_PATTERN = /(?:\p{L}{1,2}\.){2,}|[\p{L}\p{N}]+/gu;

/** Combining marks left by NFD: removing them folds "México" to "Mexico" and "São" to "Sao". */
const MARKS = /\p{M}+/gu;

/** Non-ASCII means there may be accents to fold; pure ASCII text skips the normalisation pass. */
const NON_ASCII = /[^\u0000-\u007f]/;

/** Punctuation that ends a name: "Haiti, Guinea" is two countries, never the name "Haiti Guinea". */
const NAME_BREAK = /[^\s\-\u2010-\u2013'\u2019.]/u;

const ALL_SPACE = /^[ \t\u00a0]+$/;

/** Strip accents (NFD then drop marks); case and punctuation are kept. */
export function stripMarks(text: string): string {
  return NON_ASCII.test(text) ? text.normalize('NFD').replace(MARKS, '') : text;
}

/** The lookup form of a name or query: accent-free, lower case, tokens joined by single spaces. */
export function foldKey(text: string): string {
  return tokenize(text)
    .map((t) => t.key)
    .join(' ');
}

export function tokenize(text: string): Token[] {
  const plain = stripMarks(text);
  const tokens: Token[] = [];
  let previousEnd = -1;
  let previousLength = 0;
  for (const match of plain.matchAll(TOKEN_PATTERN)) {
    const word = match[0];
    const start = match.index;
    const raw = word.includes('.') ? word.replaceAll('.', '') : word;
    const gap = previousEnd < 0 ? '' : plain.slice(previousEnd, start);
    const first = raw.charAt(0);
    tokens.push({
      raw,
      key: raw.toLowerCase(),
      capitalised: first !== first.toLowerCase(),
      allCaps: raw === raw.toUpperCase() && raw !== raw.toLowerCase(),
      joinsPrevious: previousEnd >= 0 && joinable(gap, previousLength),
      spaceBefore: ALL_SPACE.test(gap),
    });
    previousEnd = start + word.length;
    previousLength = raw.length;
  }
  return tokens;
}

/**
 * A gap joins two tokens of one name when it holds only spaces, hyphens and apostrophes, or the period of
 * a short abbreviation ("St. Lucia"); a blank line, a comma or a sentence end always separates.
 */
function joinable(gap: string, previousLength: number): boolean {
  if (gap.length === 0) return true;
  if (NAME_BREAK.test(gap) || gap.includes('\n\n')) return false;
  return !gap.includes('.') || previousLength <= 2;
}
