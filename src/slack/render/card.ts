/**
 * The briefing card: the parent message of a briefing — title, date, publication, who forwarded it,
 * and an index of its sections with item counts and flags.
 */
import type { Briefing } from '../../briefing/types.js';
import { formatLongDate, makeDate, parts } from '../../query/calendar.js';
import { escapeInline, escapeMrkdwn, plainText } from '../escape.js';
import {
  type Block,
  context,
  header,
  MAX_BLOCKS,
  MAX_FALLBACK_TEXT,
  MAX_SECTION_TEXT,
  type SlackMessage,
  section,
  truncateAtWord,
} from './blocks.js';
import { flags, sectionTitle } from './section.js';
import { packPieces } from './split.js';

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

export function renderCard(input: CardInput): SlackMessage {
  const { briefing } = input;
  const title = briefing.title.trim() || briefing.subject.trim() || 'Briefing';
  const date = formatBriefingDate(input.date);
  const forwarder = input.forwardedByName?.trim() || input.forwardedBy?.trim() || null;

  const metaPart = (text: string) => truncateAtWord(escapeInline(text), MAX_META_PART);
  const meta = [
    `*${escapeMrkdwn(date)}*`,
    briefing.publication?.trim() ? metaPart(briefing.publication) : null,
    forwarder ? `forwarded by ${metaPart(forwarder)}` : null,
  ].filter((part): part is string => part !== null);

  const blocks: Block[] = [header(plainText(title)), context([meta.join('  ·  ')])];
  const note = briefing.note?.trim();
  if (note)
    blocks.push(section(truncateAtWord(`>${escapeMrkdwn(note).replace(/\n/g, '\n>')}`, MAX_SECTION_TEXT)));

  const lines = briefing.sections.map((s, i) => {
    const flagText = flags(s.countries);
    return `${i + 1}. *${escapeMrkdwn(sectionTitle(s))}* — ${countLabel(s.items.length, s.kind)}${flagText ? ` ${flagText}` : ''}`;
  });
  const indexTexts = packPieces(lines, '\n', MAX_SECTION_TEXT);
  const shown = indexTexts.slice(0, MAX_INDEX_BLOCKS);
  blocks.push(...shown.map(section));

  const count = briefing.sections.length;
  const text = truncateAtWord(
    `${escapeInline(title)} — ${date}: ${count} section${count === 1 ? '' : 's'}`,
    MAX_FALLBACK_TEXT,
  );
  return { text, blocks };
}
