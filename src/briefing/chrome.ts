import {
  FOOTER_LINES,
  FOOTER_SOFT_LINES,
  FOOTER_START_LINES,
  FOOTER_TAIL_LINES,
  GROUP_FOOTER_START,
  RULE_LINE,
  SEPARATOR_LINE,
  SIGN_OFF_LINES,
  SIGNATURE_SEPARATOR,
  VIDEO_CAPTION,
  WEB_VIEW_DATE,
  WEB_VIEW_LINES,
  WEB_VIEW_LINK,
} from './data/chrome.js';
import { isBlank, type Line } from './lines.js';

/** Chrome is short; a longer line is content even if it mentions "unsubscribe". */
const MAX_CHROME_LINE = 200;
/** A web-view poster name is a few words. */
const MAX_POSTER_NAME_WORDS = 5;
/** Captions are teaser lines, never paragraphs. */
const MAX_CAPTION_CHARS = 160;
/** The footer is looked for in the last part of the body only: a story may quote "unsubscribe". */
const FOOTER_SEARCH_FROM = 0.5;
/** Lines above the footer's first line that still belong to it are short. */
const MAX_SOFT_FOOTER_CHARS = 140;
/** Navigation rows are a few words. */
const MAX_NAV_WORDS = 5;

/** Whether the line is only links (and the bars or dots between them): navigation, not news. */
export function isLinkOnly(line: Line): boolean {
  if (line.hint === 'heading' || line.links.length === 0) return false;
  if (!linksCoverWords(line)) return false;
  return line.links.length >= 2 || line.text.split(/\s+/).length <= MAX_NAV_WORDS;
}

const WORDISH = /[\p{L}\p{N}]/u;
/** Links out of document order are matched the old way (each replaced where first found) up to this many. */
const MAX_UNORDERED_LINKS = 64;

/**
 * Whether every letter and digit of the line is inside one of its links. The links come in document
 * order, so one pass from left to right decides it (a line of 100,000 links costs one scan, where
 * replacing each link's text in turn cost one scan per link); a line whose links are not in order
 * falls back to replacing each one where it is first found, for a bounded number of links.
 */
function linksCoverWords(line: Line): boolean {
  const text = line.text;
  let cursor = 0;
  for (const link of line.links) {
    if (link.text === '') continue;
    const at = text.indexOf(link.text, cursor);
    if (at === -1) return line.links.length <= MAX_UNORDERED_LINKS && coveredOutOfOrder(line);
    if (WORDISH.test(text.slice(cursor, at))) return false;
    cursor = at + link.text.length;
  }
  return !WORDISH.test(text.slice(cursor));
}

function coveredOutOfOrder(line: Line): boolean {
  let rest = line.text;
  for (const link of line.links) rest = rest.replace(link.text, ' ');
  return !WORDISH.test(rest);
}

/** A table row of figures ("NASDAQ 14,657.27 -1.17%"): market data, not a heading or a story. */
export function isFigureRow(text: string): boolean {
  if (text.length > 80) return false;
  const tokens = text.split(/\s+/).filter(Boolean);
  if (tokens.length < 2) return false;
  const figures = tokens.filter((token) => /^[-+−$€£R]*[\d.,]+(?:%|bps|x)?$/.test(token)).length;
  return figures * 2 >= tokens.length;
}

/**
 * Where the footer starts: its first line (unsubscribe, preferences, copyright …) in the second half of
 * the body, moved up over the blank and short footer-ish lines just above it (sign-up buttons, nav rows).
 * The RFC 3676 signature delimiter ends the message the same way.
 */
export function footerStart(lines: readonly Line[]): number {
  const from = Math.floor(lines.length * FOOTER_SEARCH_FROM);
  let start = lines.length;
  for (let index = from; index < lines.length; index++) {
    const text = lines[index]!.text.trim();
    if (text.length > MAX_CHROME_LINE) continue;
    if (/^--\s*$/.test(lines[index]!.text) || FOOTER_START_LINES.some((pattern) => pattern.test(text))) {
      start = index;
      break;
    }
  }
  if (start === lines.length) return start;
  while (start > 0) {
    const previous = lines[start - 1]!;
    const text = previous.text.trim();
    const soft =
      text === '' ||
      isLinkOnly(previous) ||
      (text.length <= MAX_SOFT_FOOTER_CHARS &&
        previous.hint !== 'heading' &&
        FOOTER_SOFT_LINES.some((pattern) => pattern.test(text)));
    if (!soft) break;
    start--;
  }
  return start;
}

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
export function stripChrome(all: readonly Line[]): Cleaned {
  const lines: Line[] = [];
  let signOff: string | null = null;
  const input = all.slice(0, footerStart(all));
  for (let index = 0; index < input.length; index++) {
    const line = input[index]!;
    const text = line.text.trim();
    if (text === '') {
      lines.push(line);
      continue;
    }
    if (
      line.hint === 'caption' ||
      SEPARATOR_LINE.test(text) ||
      /^\d{1,2}$/.test(text) ||
      isLinkOnly(line) ||
      isFigureRow(text) ||
      (text.length <= MAX_CHROME_LINE && WEB_VIEW_LINK.test(text))
    ) {
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
