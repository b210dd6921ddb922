/**
 * The briefing card: the parent message of a briefing — title, date, publication, who forwarded it,
 * and an index of its sections with item counts and flags.
 */
import type { Briefing } from '../../briefing/types.js';
import { formatLongDate, makeDate, parts } from '../../query/calendar.js';
import { escapeInline, escapeMrkdwn, plainText } from '../escape.js';
import {
  type Block,
  header,
  MAX_BLOCKS,
  MAX_FALLBACK_TEXT,
  MAX_SECTION_TEXT,
  type SlackMessage,
  truncateAtWord,
} from './blocks.js';
import { bold, packRichLines, richText, splitInline, txt } from './rich.js';
import { flags, sectionTitle } from './section.js';

export interface CardInput {
  briefing: Briefing;
  /** YYYY-MM-DD the briefing is filed under. */
  date: string;
  forwardedBy: string | null;
  forwardedByName: string | null;
}

/** Header, meta line, optional note: the index gets the rest of the message's blocks. */
const MAX_INDEX_BLOCKS = MAX_BLOCKS - 3;
/**
 * A publication or forwarder name longer than this is junk (a From display name can be anything);
 * capped so the meta line stays far inside a context element's 3000 characters, which Slack would
 * otherwise refuse (`invalid_blocks`), failing the whole delivery.
 */
const MAX_META_PART = 200;

/** "Thu, Oct 7, 2021" for "2021-10-07", as every post writes dates; the input unchanged when it is not a date. */
export function formatBriefingDate(isoDate: string): string {
  const { year, month, day } = parts(isoDate);
  return makeDate(year, month, day) === isoDate ? formatLongDate(isoDate) : isoDate;
}

function countLabel(n: number, kind: string): string {
  const noun = kind === 'list' ? 'item' : 'paragraph';
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

/** Sections past the bound, folded into `posts` posts at the end of the thread (see planPosts). */
export interface Folded {
  sections: number;
  posts: number;
}

export function renderCard(input: CardInput, folded: Folded | null = null): SlackMessage {
  const { briefing } = input;
  const title = briefing.title.trim() || briefing.subject.trim() || 'Briefing';
  const date = formatBriefingDate(input.date);
  const forwarder = input.forwardedByName?.trim() || input.forwardedBy?.trim() || null;

  const metaPart = (text: string) => truncateAtWord(plainText(text), MAX_META_PART);
  // The date is the bot's own words; publication and forwarder come from the email: shown literally.
  const meta: Array<{ type: 'mrkdwn'; text: string } | { type: 'plain_text'; text: string; emoji: true }> = [
    { type: 'mrkdwn', text: `*${escapeMrkdwn(date)}*` },
  ];
  const publication = briefing.publication?.trim();
  if (publication) meta.push({ type: 'plain_text', text: metaPart(publication), emoji: true });
  if (forwarder) meta.push({ type: 'plain_text', text: `forwarded by ${metaPart(forwarder)}`, emoji: true });

  const blocks: Block[] = [header(plainText(title)), { type: 'context', elements: meta }];
  const note = briefing.note?.trim();
  if (note) {
    const [first] = splitInline([txt(note)], MAX_SECTION_TEXT);
    blocks.push(richText([{ type: 'rich_text_quote', elements: first ?? [txt(note)] }]));
  }

  const indexed = folded
    ? briefing.sections.slice(0, briefing.sections.length - folded.sections)
    : briefing.sections;
  const lines = indexed.map((s, i) => {
    const flagText = flags(s.countries);
    return [
      txt(`${i + 1}. `),
      bold(sectionTitle(s)),
      txt(` — ${countLabel(s.items.length, s.kind)}${flagText ? ` ${flagText}` : ''}`),
    ];
  });
  if (folded) {
    const where = folded.posts === 1 ? 'one post' : `${folded.posts} posts`;
    lines.push([
      txt(
        `${folded.sections} more section${folded.sections === 1 ? '' : 's'} folded into ${where} at the end of the thread`,
        { italic: true },
      ),
    ]);
  }
  const packed = packRichLines(lines);
  const shown = packed.slice(0, MAX_INDEX_BLOCKS);
  // The fold line is the index's last: it stays when the index is longer than a message.
  if (folded && packed.length > MAX_INDEX_BLOCKS) shown[shown.length - 1] = packed.at(-1)!;
  blocks.push(...shown);

  const count = briefing.sections.length;
  const text = truncateAtWord(
    `${escapeInline(plainText(title))} — ${date}: ${count} section${count === 1 ? '' : 's'}`,
    MAX_FALLBACK_TEXT,
  );
  return { text, blocks };
}
