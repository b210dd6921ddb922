import { isBlank, type Line } from './lines.js';
import { isEnglishWord } from './words.js';

/** A bullet marker at the start of a text line: •, ·, *, -, –, ▪, ◦, ‣ or "1." / "1)", then a space. */
export const BULLET_MARKER = /^\s*(?:[•·*▪◦‣–-]|\d{1,2}[.)])\s+(?=\S)/;
/** Hard-wrapped mail (72–78 columns) has no line longer than this. */
const WRAP_MAX_LINE = 90;
/** …and most of its lines are this long or longer. */
const WRAP_MIN_FULL_LINE = 50;
/** Share of full lines that marks a body as hard-wrapped. */
const WRAP_FULL_SHARE = 0.5;
/** Too few lines to tell wrapping from short paragraphs. */
const WRAP_MIN_LINES = 6;
/** A broken word's parts are letters only and short; longer runs are not paste breaks. */
const MAX_WORD_PART = 30;

/** True when the body was wrapped at a fixed width by the sender's client (not format=flowed). */
export function isHardWrapped(lines: readonly Line[]): boolean {
  const content = lines.filter((line) => !isBlank(line)).map((line) => line.text.length);
  if (content.length < WRAP_MIN_LINES) return false;
  if (content.some((length) => length > WRAP_MAX_LINE)) return false;
  const full = content.filter((length) => length >= WRAP_MIN_FULL_LINE).length;
  return full / content.length >= WRAP_FULL_SHARE;
}

const TRAILING_WORD = /(\p{L}{1,30})$/u;
const LEADING_WORD = /^(\p{L}{1,30})/u;

/**
 * How two lines of one paragraph join: without a space when the line break split a word ("for" +
 * "ces" → "forces": the joined form is a word and the parts are not both words), else with one.
 */
export function joinBroken(left: string, right: string): string {
  const tail = TRAILING_WORD.exec(left.slice(-MAX_WORD_PART - 1))?.[1];
  const head = LEADING_WORD.exec(right)?.[1];
  if (tail && head && tail.length + head.length <= MAX_WORD_PART * 2 && /^\p{Ll}/u.test(head)) {
    const joined = tail + head;
    if (isEnglishWord(joined) && !(isEnglishWord(tail) && isEnglishWord(head))) return left + right;
  }
  return `${left} ${right}`;
}

/**
 * Joins lines that belong to one paragraph. A line continues the previous one when the break is
 * mid-sentence (previous ends in a letter or comma, next starts lower-case) or, in hard-wrapped mail,
 * whenever the previous line was full (the client wrapped it) and no blank line or bullet intervenes. Paragraphs (blank lines) are never merged.
 */
export function joinParagraphLines(input: readonly Line[]): Line[] {
  const wrapped = isHardWrapped(input);
  // Each output line is built from pieces joined once at the end: re-joining a growing string per
  // input line would be quadratic on a hostile body of many short lines.
  const out: { line: Line; pieces: string[]; last: string }[] = [];
  for (const line of input) {
    const previous = out[out.length - 1];
    const text = line.text.trim();
    if (
      previous &&
      previous.last !== '' &&
      text !== '' &&
      line.hint === null &&
      previous.line.hint !== 'heading' &&
      previous.line.hint !== 'break' &&
      !BULLET_MARKER.test(text) &&
      ((wrapped && previous.last.length >= WRAP_MIN_FULL_LINE) ||
        (/[\p{L},]/u.test(previous.last.slice(-1)) && /^\p{Ll}/u.test(text)))
    ) {
      const joined = joinBroken(previous.last, text);
      previous.pieces.push(joined.length === previous.last.length + text.length ? '' : ' ', text);
      previous.line = { ...previous.line, links: [...previous.line.links, ...line.links] };
      previous.last = text;
      continue;
    }
    out.push({ line, pieces: [line.text.trimEnd()], last: isBlank(line) ? '' : line.text.trimEnd() });
  }
  return out.map(({ line, pieces }) => (pieces.length === 1 ? line : { ...line, text: pieces.join('') }));
}
