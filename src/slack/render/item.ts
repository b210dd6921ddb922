/**
 * One item of a briefing as mrkdwn: escaped text, with its links made clickable where their anchor
 * text appears in the item.
 */
import type { Item, Link } from '../../briefing/types.js';
import { escapeMrkdwn, mrkdwnLink, safeHttpUrl } from '../escape.js';
import { link, type RichInline, txt } from './rich.js';

/** Anchors shorter than this ("a", "x") match too much of ordinary text to be placed inline. */
const MIN_INLINE_ANCHOR = 2;

export interface RenderedItem {
  text: string;
  /** Links whose anchor text was not found in the item: they go to the section's context line. */
  leftover: Link[];
}

export function renderItem(item: Item): RenderedItem {
  const placements: { start: number; end: number; link: Link }[] = [];
  const leftover: Link[] = [];
  for (const link of item.links) {
    const anchor = link.text.trim();
    const at =
      anchor.length >= MIN_INLINE_ANCHOR && safeHttpUrl(link.url)
        ? findFree(item.text, anchor, placements)
        : -1;
    if (at === -1) leftover.push(link);
    else placements.push({ start: at, end: at + anchor.length, link });
  }
  placements.sort((a, b) => a.start - b.start);
  let out = '';
  let from = 0;
  for (const { start, end, link } of placements) {
    out += escapeMrkdwn(item.text.slice(from, start)) + mrkdwnLink(link.url, item.text.slice(start, end));
    from = end;
  }
  out += escapeMrkdwn(item.text.slice(from));
  return { text: out.trim(), leftover };
}

/** First occurrence of `anchor` that does not overlap a link already placed. */
function findFree(text: string, anchor: string, taken: { start: number; end: number }[]): number {
  let at = text.indexOf(anchor);
  while (at !== -1) {
    const end = at + anchor.length;
    if (!taken.some((t) => at < t.end && end > t.start)) return at;
    at = text.indexOf(anchor, at + 1);
  }
  return -1;
}

export interface RichItem {
  elements: RichInline[];
  leftover: Link[];
}

/** The same placement as `renderItem`, as rich text elements: the item's words shown as typed. */
export function renderItemRich(item: Item): RichItem {
  const placements: { start: number; end: number; link: Link }[] = [];
  const leftover: Link[] = [];
  for (const link of item.links) {
    const anchor = link.text.trim();
    const at =
      anchor.length >= MIN_INLINE_ANCHOR && safeHttpUrl(link.url)
        ? findFree(item.text, anchor, placements)
        : -1;
    if (at === -1) leftover.push(link);
    else placements.push({ start: at, end: at + anchor.length, link });
  }
  placements.sort((a, b) => a.start - b.start);
  const elements: RichInline[] = [];
  let from = 0;
  const text = item.text;
  for (const { start, end, link: l } of placements) {
    elements.push(txt(text.slice(from, start)), ...link(l.url, text.slice(start, end)));
    from = end;
  }
  elements.push(txt(text.slice(from)));
  return { elements: trimInline(elements), leftover };
}

/** Leading and trailing whitespace of the whole run removed, as `renderItem` trims its text. */
function trimInline(elements: RichInline[]): RichInline[] {
  const out = elements.filter((e) => e.type === 'link' || e.text !== '');
  const first = out[0];
  if (first?.type === 'text') out[0] = { ...first, text: first.text.trimStart() };
  const last = out.at(-1);
  if (last?.type === 'text') out[out.length - 1] = { ...last, text: last.text.trimEnd() };
  return out.filter((e) => e.type === 'link' || e.text !== '');
}
