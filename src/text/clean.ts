/**
 * Characters an email can carry that change what a reader sees without being seen themselves:
 * bidirectional overrides and isolates (U+202E turns "‮gnp.exe" into what looks like "exe.png"),
 * zero-width and other invisible format characters (which hide or split words), NUL and the other
 * control characters. Everything that comes from an email loses them before it is stored or posted.
 */

/**
 * Format (Cf) and control (Cc) characters, plus the line/paragraph separators, which some viewers
 * break on and others do not. Kept out of the class: tab, newline and carriage return (ordinary
 * whitespace); ZWNJ and ZWJ (U+200C/U+200D), which Persian, Indic scripts and emoji sequences need
 * to render correctly and which change nothing about direction or what a word reads as.
 */
const INVISIBLE = /[\p{Cc}\p{Cf}\u2028\u2029]/u;

/**
 * Subdivision flags (🏴 followed by tag letters and CANCEL TAG, e.g. the Scottish flag) are the one
 * legitimate use of the tag characters; anywhere else tags are invisible text ("ASCII smuggling").
 */
const FLAG_TAG_SEQUENCE = /\u{1F3F4}[\u{E0020}-\u{E007E}]+\u{E007F}/u;

const KEEP = new Set(['\t', '\n', '\r', '\u200C', '\u200D']);

const PATTERN = new RegExp(`(${FLAG_TAG_SEQUENCE.source})|${INVISIBLE.source}`, 'gu');

/** True for the characters `cleanText` removes (tests and the property check use it). */
export function isInvisibleControl(char: string): boolean {
  return INVISIBLE.test(char) && !KEEP.has(char);
}

/**
 * `text` without invisible format and control characters. The separators U+2028/U+2029 become
 * newlines (they do separate lines); the rest are removed.
 */
export function cleanText(text: string): string {
  return text.replace(PATTERN, (match: string, flag: string | undefined) => {
    if (flag) return flag;
    if (KEEP.has(match)) return match;
    return match === '\u2028' || match === '\u2029' ? '\n' : '';
  });
}

/** The same, for a nullable field. */
export function cleanNullable(text: string | null): string | null {
  return text === null ? null : cleanText(text);
}
