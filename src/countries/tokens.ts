/**
 * Tokenising for country matching. Names, aliases and free text all go through the same function, so a
 * data entry ("Port-au-Prince", "Côte d'Ivoire", "EE.UU.", "St. Lucia") and its forms in prose line up
 * by construction instead of by special cases.
 *
 * A hand-written scanner rather than a Unicode regex: archives are scanned paragraph by paragraph, and
 * checking ASCII letters by char code is several times faster than `matchAll(/[\p{L}\p{N}]+/gu)`.
 * Each character is looked at a bounded number of times, so the scan is linear in the input.
 */

/** Combining marks left by NFD: removing them folds "México" to "Mexico" and "São" to "Sao". */
const MARKS = /\p{M}+/gu;
/** The marks NFD leaves on Latin letters, the only ones most texts carry (a small class: fast). */
const LATIN_MARKS = /[\u0300-\u036f]+/g;
/** Accented Latin letters or their marks, without the `u` flag (a Unicode class scans ~10x slower). */
const LATIN_FOLDABLE = /[\u00c0-\u024f\u1e00-\u1eff]|[\u0300-\u036f]/;
/** Any other mark can only be a character past U+02FF outside General Punctuation (quotes, dashes). */
const BEYOND_LATIN = /[^\u0000-\u02ff\u2000-\u206f]/;
const ANY_MARK = /\p{M}/u;

/** A non-ASCII letter or digit (tested one UTF-16 unit at a time; astral letters act as separators). */
const WIDE_WORD_CHAR = /[\p{L}\p{N}]/u;
const WIDE_LETTER = /\p{L}/u;

/** Abbreviations are one or two letters per dotted part: "U.S.", "U.N.", "EE.UU.", "U.S.A.". */
const MAX_ABBREVIATION_PART = 2;

/**
 * Punctuation that ends a name: "Haiti, Guinea" is two countries, never the name "Haiti Guinea".
 * Spaces, hyphens, apostrophes, periods (checked separately) and "&" ("Trinidad & Tobago") do not.
 */
const NAME_BREAK = /[^\s\-\u2010-\u2013'\u2019.&]/u;

const ALL_SPACE = /^[ \t\u00a0]+$/;

/**
 * Strip accents (NFD then drop marks); case and punctuation are kept. Text with nothing to fold (most
 * English paragraphs: curly quotes and dashes at most) is returned as it is. The checks avoid Unicode
 * property classes where they can: on text with any non-Latin-1 character (a curly quote is enough)
 * those cost ~12 ns a character, and this runs on every paragraph of every email.
 */
export function stripMarks(text: string): string {
  const foldable = LATIN_FOLDABLE.test(text) || (BEYOND_LATIN.test(text) && ANY_MARK.test(text));
  if (!foldable) return text;
  const folded = text.normalize('NFD').replace(LATIN_MARKS, '');
  return BEYOND_LATIN.test(folded) ? folded.replace(MARKS, '') : folded;
}

/**
 * What each UTF-16 unit is, filled in as units are first seen: bit 1 known, bit 2 a letter or digit,
 * bit 4 a letter. The scanner asks about every character of every paragraph; a table read instead of a
 * Unicode regex per non-ASCII character made it about twice as fast on text with curly quotes or dashes.
 */
const KNOWN = 1;
const WORD = 2;
const LETTER = 4;
const CHAR_CLASS = new Uint8Array(0x10000);

function charClass(c: number): number {
  const known = CHAR_CLASS[c]!;
  if (known !== 0) return known;
  const unit = String.fromCharCode(c);
  const letter = WIDE_LETTER.test(unit);
  const computed = KNOWN | (letter || WIDE_WORD_CHAR.test(unit) ? WORD : 0) | (letter ? LETTER : 0);
  CHAR_CLASS[c] = computed;
  return computed;
}

function isWordChar(text: string, at: number): boolean {
  return (charClass(text.charCodeAt(at)) & WORD) !== 0;
}

function isLetter(text: string, at: number): boolean {
  return (charClass(text.charCodeAt(at)) & LETTER) !== 0;
}

/**
 * The words of a text with what the matcher asks about them, computed only when asked: most words of a
 * paragraph are lower case and never looked at past their first letter.
 */
export class Tokens {
  /** The text with marks stripped; offsets below index into it. */
  readonly text: string;
  readonly starts: number[] = [];
  readonly ends: number[] = [];
  /** Keys computed so far, by token (sized once the text is scanned, so it stays a fast array). */
  private readonly keys: (string | undefined)[];

  constructor(text: string) {
    this.text = stripMarks(text);
    const s = this.text;
    let i = 0;
    while (i < s.length) {
      if (!isWordChar(s, i)) {
        i += 1;
        continue;
      }
      let end = i + 1;
      while (end < s.length && isWordChar(s, end)) end += 1;
      // Only a run of one or two letters followed by a dot can open an abbreviation ("U.", "EE.").
      if (end - i <= MAX_ABBREVIATION_PART && s.charCodeAt(end) === 46) {
        const abbreviationEnd = dottedAbbreviationEnd(s, i);
        if (abbreviationEnd > 0) end = abbreviationEnd;
      }
      this.starts.push(i);
      this.ends.push(end);
      i = end;
    }
    this.keys = new Array<string | undefined>(this.starts.length);
  }

  get length(): number {
    return this.starts.length;
  }

  /** The word as written, dots of an abbreviation removed ("U.S." → "US"). */
  word(i: number): string {
    const end = this.ends[i]!;
    const word = this.text.slice(this.starts[i]!, end);
    // Only abbreviations contain dots, and they always end with one.
    return this.text.charCodeAt(end - 1) === 46 ? word.replaceAll('.', '') : word;
  }

  /** Lower-case, accent-free form used as a lookup key. */
  key(i: number): string {
    // The matcher, the actor lookup and the cue look-back each ask for the same capitalised words.
    const known = this.keys[i];
    if (known !== undefined) return known;
    const key = this.word(i).toLowerCase();
    this.keys[i] = key;
    return key;
  }

  /** Starts with an upper-case letter: proper nouns are the only country mentions in prose. */
  capitalised(i: number): boolean {
    const at = this.starts[i]!;
    const c = this.text.charCodeAt(at);
    if (c < 128) return c >= 65 && c <= 90;
    const first = this.text.charAt(at);
    return first !== first.toLowerCase();
  }

  /** Every letter is upper case ("US", "U.S.", "EEUU"): tells the country from the pronoun "us". */
  allCaps(i: number): boolean {
    const word = this.word(i);
    return word === word.toUpperCase() && word !== word.toLowerCase();
  }

  /** Followed directly by "$": "US$" and "R$" are currencies, not mentions of a country. */
  currency(i: number): boolean {
    return this.text.charCodeAt(this.ends[i]!) === 36;
  }

  /**
   * May continue a multi-word name begun by the previous token: only spaces, hyphens, apostrophes or
   * "&" between, or the period of a short abbreviation ("St. Lucia"). A blank line, a comma or a sentence
   * end always separates.
   */
  joinsPrevious(i: number): boolean {
    if (i === 0) return false;
    const gap = this.gapBefore(i);
    if (gap.length === 0) return true;
    if (NAME_BREAK.test(gap) || gap.includes('\n\n')) return false;
    return !gap.includes('.') || this.word(i - 1).length <= MAX_ABBREVIATION_PART;
  }

  /** Only horizontal spaces separate it from the previous token: the test for "Firstname Surname". */
  spaceBefore(i: number): boolean {
    return i > 0 && ALL_SPACE.test(this.gapBefore(i));
  }

  private gapBefore(i: number): string {
    return this.text.slice(this.ends[i - 1]!, this.starts[i]!);
  }
}

/**
 * Where a dotted abbreviation starting at `start` ends (after its last dot), or -1 if there is none:
 * at least two parts of one or two letters, each followed by a dot.
 */
function dottedAbbreviationEnd(s: string, start: number): number {
  let at = start;
  let parts = 0;
  for (;;) {
    let letters = 0;
    while (letters <= MAX_ABBREVIATION_PART && at + letters < s.length && isLetter(s, at + letters))
      letters += 1;
    if (letters === 0 || letters > MAX_ABBREVIATION_PART || s.charCodeAt(at + letters) !== 46) break;
    at += letters + 1;
    parts += 1;
  }
  return parts >= 2 ? at : -1;
}

export function tokenize(text: string): Tokens {
  return new Tokens(text);
}

/** The lookup form of a name or query: accent-free, lower case, tokens joined by single spaces. */
export function foldKey(text: string): string {
  const tokens = tokenize(text);
  const keys: string[] = [];
  for (let i = 0; i < tokens.length; i += 1) keys.push(tokens.key(i));
  return keys.join(' ');
}
