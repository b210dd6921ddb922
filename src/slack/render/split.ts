/**
 * Splitting escaped mrkdwn into pieces that fit Slack's limits, at the gentlest boundary available:
 * between items, then paragraphs, lines, sentences, words — never inside a word, an `&…;` entity or a
 * `<url|text>` link.
 */
import { insideLink } from './blocks.js';

/** Boundaries in order of preference; each is tried before falling back to the next. */
const BOUNDARIES = [/\n\s*\n/g, /\n/g, /(?<=[.!?…]["”’)]?)\s+/g, /\s+/g];

/**
 * Splits one piece of text into chunks of at most `max` characters. Each cut is searched for in a
 * window of `max` characters from the current position, so a multi-megabyte paragraph costs linear
 * time rather than one scan of the remaining text per chunk.
 */
export function chunkText(text: string, max: number): string[] {
  const chunks: string[] = [];
  const rest = text.trim();
  let pos = 0;
  while (rest.length - pos > max) {
    // One character past the limit, so a boundary right at `max` is seen.
    const window = rest.slice(pos, pos + max + 1);
    const cut = bestCut(window, max);
    chunks.push(window.slice(0, cut.end).trimEnd());
    pos += cut.next;
    while (pos < rest.length && /\s/.test(rest[pos]!)) pos++;
  }
  if (pos < rest.length) chunks.push(rest.slice(pos));
  return chunks;
}

/** Where to cut a window that starts outside any link (every earlier cut was). */
function bestCut(text: string, max: number): { end: number; next: number } {
  for (const boundary of BOUNDARIES) {
    let found: { end: number; next: number } | null = null;
    for (const match of text.matchAll(boundary)) {
      if (match.index > max) break;
      if (match.index === 0 || insideLink(text, match.index)) continue;
      found = { end: match.index, next: match.index + match[0].length };
    }
    if (found) return found;
  }
  // One unbroken run longer than the limit (a pasted hash, a data URI): it has to be cut somewhere, but
  // not inside an entity or a link (whose end may lie beyond the window: indexOf gives -1).
  let end = max;
  const amp = text.lastIndexOf('&', end - 1);
  const semicolon = amp === -1 ? -1 : text.indexOf(';', amp);
  if (amp > 0 && end - amp < 6 && (semicolon === -1 || semicolon >= end)) end = amp;
  const open = text.lastIndexOf('<', end - 1);
  const close = open === -1 ? -1 : text.indexOf('>', open);
  if (open > 0 && (close === -1 || close >= end)) end = open;
  return { end, next: end };
}

/**
 * Packs pieces into as few groups as possible, in order, each group's joined text ≤ `max`.
 * A piece that is itself too long is chunked first.
 */
export function packPieces(pieces: string[], separator: string, max: number): string[] {
  const groups: string[] = [];
  let current = '';
  for (const piece of pieces.flatMap((p) => chunkText(p, max))) {
    if (!current) {
      current = piece;
    } else if (current.length + separator.length + piece.length <= max) {
      current += separator + piece;
    } else {
      groups.push(current);
      current = piece;
    }
  }
  if (current) groups.push(current);
  return groups;
}
