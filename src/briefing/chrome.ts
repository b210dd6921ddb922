import {
  FOOTER_LINES,
  FOOTER_TAIL_LINES,
  GROUP_FOOTER_START,
  RULE_LINE,
  SIGN_OFF_LINES,
  SIGNATURE_SEPARATOR,
  VIDEO_CAPTION,
  WEB_VIEW_DATE,
  WEB_VIEW_LINES,
} from './data/chrome.js';
import { isBlank, type Line } from './lines.js';

/** Chrome is short; a longer line is content even if it mentions "unsubscribe". */
const MAX_CHROME_LINE = 200;
/** A web-view poster name is a few words. */
const MAX_POSTER_NAME_WORDS = 5;
/** Captions are teaser lines, never paragraphs. */
const MAX_CAPTION_CHARS = 160;

export interface Cleaned {
  lines: Line[];
  /** The sign-off line as written, if one was removed (it names the publication). */
  signOff: string | null;
}

function matchesAny(text: string, patterns: readonly RegExp[]): boolean {
  return text.length <= MAX_CHROME_LINE && patterns.some((pattern) => pattern.test(text));
}

function nextContent(lines: readonly Line[], from: number): number {
  let index = from;
  while (index < lines.length && isBlank(lines[index])) index++;
  return index;
}

/** The Google Groups footer: its start line, then any of its tail lines, blanks between. */
function footerEnd(lines: readonly Line[], start: number): number {
  let end = start + 1;
  for (let index = end; index < lines.length; index++) {
    const text = (lines[index]?.text ?? '').trim();
    if (text === '') continue;
    if (!matchesAny(text, FOOTER_TAIL_LINES)) break;
    end = index + 1;
  }
  return end;
}

export function isVideoCaption(text: string): boolean {
  return text.length <= MAX_CAPTION_CHARS && VIDEO_CAPTION.test(text);
}

/**
 * Removes web-view furniture, footers, rules, the sign-off (leaving a `break` line in its place) and
 * video captions. Pure.
 */
export function stripChrome(input: readonly Line[]): Cleaned {
  const lines: Line[] = [];
  let signOff: string | null = null;
  for (let index = 0; index < input.length; index++) {
    const line = input[index]!;
    const text = line.text.trim();
    if (text === '') {
      lines.push(line);
      continue;
    }
    if (matchesAny(text, WEB_VIEW_LINES) || matchesAny(text, FOOTER_LINES) || RULE_LINE.test(text)) continue;
    if (text.length <= MAX_CHROME_LINE && WEB_VIEW_DATE.test(text)) continue;
    // The web view prints the poster's name just above the post date.
    const after = nextContent(input, index + 1);
    const next = input[after]?.text.trim() ?? '';
    if (
      WEB_VIEW_DATE.test(next) &&
      text.split(/\s+/).length <= MAX_POSTER_NAME_WORDS &&
      !/[.:!?]$/.test(text)
    ) {
      continue;
    }
    if (SIGNATURE_SEPARATOR.test(text) && GROUP_FOOTER_START.test(next)) {
      index = footerEnd(input, after) - 1;
      continue;
    }
    if (text.length <= MAX_CHROME_LINE * 2 && GROUP_FOOTER_START.test(text)) {
      index = footerEnd(input, index) - 1;
      continue;
    }
    if (
      signOff === null &&
      text.length <= MAX_CHROME_LINE &&
      SIGN_OFF_LINES.some((pattern) => pattern.test(text))
    ) {
      signOff = text;
      lines.push({ text: '', hint: 'break', level: 0, links: [] });
      continue;
    }
    if (line.hint !== 'heading' && isVideoCaption(text)) continue;
    lines.push(line);
  }
  return { lines, signOff };
}
