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
  const { placements, leftover } = placeLinks(item);
  let out = '';
  let from = 0;
  for (const { start, end, link } of placements) {
    out += escapeMrkdwn(item.text.slice(from, start)) + mrkdwnLink(link.url, item.text.slice(start, end));
    from = end;
  }
  out += escapeMrkdwn(item.text.slice(from));
  return { text: out.trim(), leftover };
}

/** Links whose anchor is looked for again from the start of the item, at most (see `Placer`). */
const MAX_REWINDS = 64;

/**
 * Where each link's anchor text goes in the item, in linear time. Links come in document order, so an
 * anchor is first looked for after the previous link placed; only when it is not found there is it
 * looked for from the start (a bounded number of times), at its first occurrence overlapping no link
 * already placed. Each anchor's search resumes where its last one ended: an occurrence skipped once
 * overlaps a placed link for good.
 */
class Placer {
  /** Placed at or after the cursor: sorted by start, not overlapping, so their ends are sorted too. */
  private readonly ordered: Placement[] = [];
  /** Placed before the cursor, found by a search from the start of the item: at most MAX_REWINDS. */
  private readonly unordered: Placement[] = [];
  private cursor = 0;
  private rewinds = 0;
  private readonly resume = new Map<string, number>();
  constructor(private readonly text: string) {}

  place(link: Link): boolean {
    const anchor = link.text.trim();
    if (anchor.length < MIN_INLINE_ANCHOR || !safeHttpUrl(link.url)) return false;
    let at = this.free(anchor, Math.max(this.cursor, this.resume.get(anchor) ?? 0));
    let rewound = false;
    if (at === -1 && this.cursor > 0 && this.rewinds < MAX_REWINDS) {
      this.rewinds++;
      at = this.free(anchor, 0);
      rewound = at !== -1 && at < this.cursor;
    }
    if (at === -1) return false;
    const placement = { start: at, end: at + anchor.length, link };
    if (rewound) this.unordered.push(placement);
    else {
      this.ordered.push(placement);
      this.cursor = placement.end;
    }
    this.resume.set(anchor, placement.end);
    return true;
  }

  /** First occurrence from `from` on that overlaps no placed link. */
  private free(anchor: string, from: number): number {
    let at = this.text.indexOf(anchor, from);
    while (at !== -1 && this.overlaps(at, at + anchor.length)) at = this.text.indexOf(anchor, at + 1);
    return at;
  }

  private overlaps(start: number, end: number): boolean {
    if (this.unordered.some((taken) => start < taken.end && end > taken.start)) return true;
    // The last ordered placement starting before `end` is the only one that can reach past `start`.
    let low = 0;
    let high = this.ordered.length - 1;
    let last = -1;
    while (low <= high) {
      const middle = (low + high) >> 1;
      if (this.ordered[middle]!.start < end) {
        last = middle;
        low = middle + 1;
      } else high = middle - 1;
    }
    return last !== -1 && this.ordered[last]!.end > start;
  }

  sorted(): Placement[] {
    return [...this.ordered, ...this.unordered].sort((a, b) => a.start - b.start);
  }
}

interface Placement {
  start: number;
  end: number;
  link: Link;
}

function placeLinks(item: Item): { placements: Placement[]; leftover: Link[] } {
  const placer = new Placer(item.text);
  const leftover = item.links.filter((link) => !placer.place(link));
  return { placements: placer.sorted(), leftover };
}

export interface RichItem {
  elements: RichInline[];
  leftover: Link[];
}

/** The same placement as `renderItem`, as rich text elements: the item's words shown as typed. */
export function renderItemRich(item: Item): RichItem {
  const { placements, leftover } = placeLinks(item);
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
