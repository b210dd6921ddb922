/**
 * A briefing section as one or more Slack posts: a header, the items (bullets for list sections) as
 * rich text, so the email's words show as typed, a context line with flags and sources, and the
 * links not shown inline.
 */
import type { Item, Link, Section } from '../../briefing/types.js';
import { countryFlag } from '../../countries/index.js';
import { escapeMrkdwn, plainText } from '../escape.js';
import {
  type Block,
  context,
  header,
  MAX_BLOCKS,
  MAX_FALLBACK_TEXT,
  MAX_HEADER_TEXT,
  MAX_SECTION_TEXT,
  plainContext,
  type SlackMessage,
  truncateAtWord,
} from './blocks.js';
import { renderItemRich } from './item.js';
import { type PreviousStory, previouslyBlock } from './previously.js';
import {
  bold,
  bulletList,
  inlineLength,
  inlineText,
  link,
  para,
  type RichInline,
  type RichTextBlock,
  richText,
  splitInline,
  txt,
} from './rich.js';

/** Header + context leave this many blocks for a post's text (one fewer with a "Previously" line). */
const MAX_BODY_BLOCKS = MAX_BLOCKS - 2;
/** Room kept at the end of a header for " (12/12)". */
const PART_SUFFIX_ROOM = 8;

export function sectionTitle(s: Section): string {
  const title = s.title.trim() || 'Untitled section';
  const group = s.group?.trim();
  return group && group !== title ? `${group} · ${title}` : title;
}

/** Flags for a list of ISO codes, unknown codes skipped. */
export function flags(codes: string[]): string {
  return [...new Set(codes)]
    .map((code) => countryFlag(code))
    .filter(Boolean)
    .join(' ');
}

/**
 * The posts for one section, in order; more than one only when Slack's limits demand it. The last
 * ends with a link to the previous story about the section's main country, when there is one.
 */
export function renderSectionPosts(s: Section, previous?: PreviousStory | null): SlackMessage[] {
  return renderSectionBounded(s, previous ?? null, null).messages;
}

/** How much of one section a briefing's posts may carry (see planPosts). */
export interface SectionBudget {
  /** 1-based number of the section, for the "more N" hint when it is cut. */
  number: number;
  maxParts: number;
  /** Characters of item text rendered at most; items past it are not rendered at all. */
  maxChars: number;
  /** Links rendered at most (each is vetted: its URL parsed, its label checked); the rest are dropped. */
  maxLinks: number;
}

export interface BoundedSection {
  messages: SlackMessage[];
  /** Characters of item text rendered. */
  chars: number;
  /** Links rendered (placed inline or shown in the tail). */
  links: number;
  /** Whether some of the section was left out (then its last post says so). */
  cut: boolean;
}

/** Item text past `room` characters, cut at a word: the rest is not rendered. */
function cutItem(item: Item, room: number): Item {
  if (item.text.length <= room) return item;
  const space = item.text.lastIndexOf(' ', room);
  return { ...item, text: `${item.text.slice(0, space > room / 2 ? space : room)} …` };
}

/**
 * `renderSectionPosts` within a budget: items are rendered only while the characters last, and at most
 * `maxParts` posts are made; a section cut short ends with a note saying where the rest is. The work
 * done is linear in what is rendered, whatever the size of the section.
 */
export function renderSectionBounded(
  s: Section,
  previous: PreviousStory | null,
  budget: SectionBudget | null,
): BoundedSection {
  let chars = 0;
  let links = 0;
  let cut = false;
  const rendered = [];
  for (const item of s.items) {
    if (budget && chars >= budget.maxChars) {
      cut = true;
      break;
    }
    let shown = budget ? cutItem(item, budget.maxChars - chars) : item;
    if (budget && shown.links.length > budget.maxLinks - links) {
      shown = { ...shown, links: shown.links.slice(0, Math.max(0, budget.maxLinks - links)) };
    }
    if (shown !== item) cut = true;
    rendered.push(renderItemRich(shown));
    chars += shown.text.length;
    links += shown.links.length;
  }
  const runs = rendered.map((r) => r.elements).filter((elements) => elements.length > 0);
  const bodies =
    runs.length > 0
      ? packRuns(runs, s.kind === 'list')
      : [richText([para([txt('(no text)', { italic: true })])])];

  // The tail takes up to two blocks (context, links), the "Previously" line one more.
  let bodyBlocks = MAX_BODY_BLOCKS - 1 - (previous ? 1 : 0);
  if (budget && (cut || bodies.length > bodyBlocks * budget.maxParts)) {
    cut = true;
    bodyBlocks -= 1; // the note
  }
  const parts: RichTextBlock[][] = [];
  for (let i = 0; i < bodies.length; i += bodyBlocks) parts.push(bodies.slice(i, i + bodyBlocks));
  if (budget && parts.length > budget.maxParts) parts.length = budget.maxParts;

  const title = sectionTitle(s);
  // Flags and sources of the items shown (all of them, unless the section was cut short).
  const tail = tailBlocks(
    rendered.length === s.items.length ? s : { ...s, items: s.items.slice(0, rendered.length) },
    rendered.flatMap((r) => r.leftover),
  );
  const messages = parts.map((blocksOfPart, i) => {
    const suffix = parts.length > 1 ? ` (${i + 1}/${parts.length})` : '';
    const label = plainText(title);
    const blocks: Block[] = [
      header(suffix ? `${truncateAtWord(label, MAX_HEADER_TEXT - PART_SUFFIX_ROOM)}${suffix}` : label),
      ...blocksOfPart,
    ];
    const isLast = i === parts.length - 1;
    if (isLast && cut && budget) {
      blocks.push(
        context([
          `_This section is longer than a post carries; mention the bot here with_ \`more ${budget.number}\` _for all of it._`,
        ]),
      );
    }
    if (isLast) blocks.push(...tail);
    if (isLast && previous) blocks.push(previouslyBlock(previous));
    return { text: fallback(`${plainText(title)}${suffix}`, blocksOfPart), blocks };
  });
  return { messages, chars, links, cut };
}

const MAX_FOLDED_LINKS = 5;

/** A folded section's lines: its title in bold, then its items as plain paragraphs. */
export function foldedRuns(s: Section, maxChars: number): { runs: RichInline[][]; chars: number } {
  const runs: RichInline[][] = [[bold(sectionTitle(s))]];
  let chars = 0;
  for (const item of s.items) {
    if (chars >= maxChars) break;
    const cutShort = cutItem(item, maxChars - chars);
    // A taste of the text: its first few links stay clickable, the rest is words.
    const shown = { ...cutShort, links: cutShort.links.slice(0, MAX_FOLDED_LINKS) };
    const elements = renderItemRich(shown).elements;
    if (elements.length > 0) runs.push(s.kind === 'list' ? [txt('• '), ...elements] : elements);
    chars += shown.text.length;
  }
  return { runs, chars };
}

/**
 * Items into rich text blocks of at most MAX_SECTION_TEXT visible characters each: list items as
 * bullets, paragraphs with a blank line between them. An item longer than a block is split.
 */
export function packRuns(runs: RichInline[][], isList: boolean): RichTextBlock[] {
  const pieces = runs.flatMap((run) => splitInline(run, MAX_SECTION_TEXT));
  const groups: RichInline[][][] = [];
  let current: RichInline[][] = [];
  let size = 0;
  for (const piece of pieces) {
    const length = inlineLength(piece) + 2;
    if (current.length > 0 && size + length > MAX_SECTION_TEXT) {
      groups.push(current);
      current = [];
      size = 0;
    }
    current.push(piece);
    size += length;
  }
  if (current.length > 0) groups.push(current);
  return groups.map((group) =>
    isList
      ? richText([bulletList(group)])
      : richText(group.map((piece, i) => para(i < group.length - 1 ? [...piece, txt('\n')] : piece))),
  );
}

/** The notification text: plain words, escaped for the `text` field (sent with `mrkdwn: false`). */
function fallback(label: string, blocks: RichTextBlock[]): string {
  const words = blocks.flatMap((block) =>
    block.elements.flatMap((element) =>
      element.type === 'rich_text_list'
        ? element.elements.map((item) => `• ${inlineText(item.elements)}`)
        : [inlineText(element.elements)],
    ),
  );
  return truncateAtWord(escapeMrkdwn(`${label}\n${words.join('\n')}`), MAX_FALLBACK_TEXT);
}

/** Shown links of the tail at most; the rest are counted (they are still in the stored briefing). */
const MAX_TAIL_LINKS = 40;

/**
 * Flags and sources as a literal context line, then the links not shown inline as a rich text
 * line — each link whole.
 */
function tailBlocks(s: Section, leftover: Link[]): Block[] {
  const codes = s.countries.length ? s.countries : s.items.flatMap((item) => item.countries);
  const sources = [
    ...new Set(s.items.flatMap((item) => item.sources.map((source) => source.trim())).filter(Boolean)),
  ];
  const lead = [flags(codes), sources.length ? `Sources: ${plainText(sources.join(', '))}` : '']
    .filter(Boolean)
    .join('  ·  ');
  const blocks: Block[] = lead ? [plainContext([lead])] : [];

  const seen = new Set<string>();
  const links = leftover.filter((l) => !seen.has(l.url) && seen.add(l.url));
  if (links.length === 0) return blocks;
  const elements: RichInline[] = [];
  let shown = 0;
  for (const l of links) {
    const next = link(l.url, l.text || l.url);
    if (shown >= MAX_TAIL_LINKS || inlineLength(elements) + inlineLength(next) > MAX_SECTION_TEXT) break;
    if (elements.length > 0) elements.push(txt('  ·  '));
    elements.push(...next);
    shown++;
  }
  const hidden = links.length - shown;
  if (hidden > 0) elements.push(txt(`  ·  +${hidden} more link${hidden === 1 ? '' : 's'}`));
  blocks.push(richText([para(elements)]));
  return blocks;
}
