/**
 * Splitting escaped mrkdwn into pieces that fit Slack's limits, at the gentlest boundary available:
 * between items, then paragraphs, lines, sentences, words — never inside a word, an `&…;` entity or a
 * `<url|text>` link.
 */
import { insideLink } from './blocks.js';

/** Boundaries in order of preference; each is tried before falling back to the next. */
const BOUNDARIES = [/\n\s*\n/g, /\n/g, /(?<=[.!?…]["”’)]?)\s+/g, /\s+/g];

/** Splits one piece of text into chunks of at most `max` characters. */
export function chunkText(text: string, max: number): string[] {
  const chunks: string[] = [];
  let rest = text.trim();
  while (rest.length > max) {
    const cut = bestCut(rest, max);
    chunks.push(rest.slice(0, cut.end).trimEnd());
    rest = rest.slice(cut.next).trimStart();
  }
  if (rest) chunks.push(rest);
  return chunks;
}

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
  // not inside an entity or a link.
  let end = max;
  const amp = text.lastIndexOf('&', end - 1);
  if (amp !== -1 && end - amp < 6 && text.indexOf(';', amp) >= end) end = amp;
  const open = text.lastIndexOf('<', end - 1);
  if (open > 0 && text.indexOf('>', open) >= end) end = open;
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
