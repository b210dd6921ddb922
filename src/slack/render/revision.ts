/**
 * A corrected copy of a briefing shown in its thread (pure): changed sections carry an "updated" line,
 * removed ones are struck through, and one note says what changed. Everything from the email stays
 * literal (rich text and plain_text), as in every other post.
 */
import type { Briefing } from '../../briefing/types.js';
import type { BriefingDiff } from '../../corrections/diff.js';
import { escapeMrkdwn, plainText } from '../escape.js';
import {
  type Block,
  header,
  MAX_BLOCKS,
  MAX_FALLBACK_TEXT,
  MAX_HEADER_TEXT,
  plainContext,
  type SlackMessage,
  truncateAtWord,
} from './blocks.js';
import type { RichBlockElement, RichInline, RichTextBlock } from './rich.js';
import { para, richText, txt } from './rich.js';
import { sectionTitle } from './section.js';

/** Section titles named in the note before "and N more". */
const NAMED_IN_NOTE = 3;
const NOTE_TITLE_ROOM = 60;

/** The post with a line under its header saying it was updated (`when`: "09:41"). */
export function markUpdated(message: SlackMessage, when: string): SlackMessage {
  const line = plainContext([`✏️ Updated ${when} in a corrected copy`]);
  return withLine(message, line, `(updated ${when})`);
}

/** A spare post of a section whose corrected copy needs fewer posts. */
export function mergedAbove(when: string): SlackMessage {
  const line = `✏️ Updated ${when}: this part of the section is now in the post above.`;
  return { text: line, blocks: [plainContext([line])] };
}

/** The post struck through, with a line saying the corrected copy dropped it. */
export function strikeThrough(message: SlackMessage, when: string): SlackMessage {
  const blocks = message.blocks.map(struck);
  const titled: SlackMessage = {
    text: truncateAtWord(`Removed: ${message.text}`, MAX_FALLBACK_TEXT),
    blocks: blocks.map((block) =>
      block.type === 'header' ? header(`Removed · ${block.text.text}`.slice(0, MAX_HEADER_TEXT)) : block,
    ),
  };
  return withLine(
    titled,
    plainContext([`🗑️ Removed ${when}: the corrected copy no longer has this section`]),
    '',
  );
}

function withLine(message: SlackMessage, line: Block, headerSuffix: string): SlackMessage {
  const at = message.blocks[0]?.type === 'header' ? 1 : 0;
  if (message.blocks.length < MAX_BLOCKS) {
    return { ...message, blocks: [...message.blocks.slice(0, at), line, ...message.blocks.slice(at)] };
  }
  // No room for a block: the header says it instead.
  if (at === 0 || !headerSuffix) return message;
  const first = message.blocks[0] as Extract<Block, { type: 'header' }>;
  const room = MAX_HEADER_TEXT - headerSuffix.length - 1;
  return {
    ...message,
    blocks: [header(`${truncateAtWord(first.text.text, room)} ${headerSuffix}`), ...message.blocks.slice(1)],
  };
}

function struck(block: Block): Block {
  if (block.type !== 'rich_text') return block;
  return richText(block.elements.map(struckElement)) satisfies RichTextBlock;
}

function struckElement(element: RichBlockElement): RichBlockElement {
  if (element.type === 'rich_text_list') {
    return {
      ...element,
      elements: element.elements.map((item) => ({ ...item, elements: item.elements.map(struckInline) })),
    };
  }
  return { ...element, elements: element.elements.map(struckInline) } as RichBlockElement;
}

function struckInline(element: RichInline): RichInline {
  return { ...element, style: { ...element.style, strike: true } };
}

function named(briefing: Briefing, indexes: number[]): string {
  const titles = indexes
    .slice(0, NAMED_IN_NOTE)
    .map((index) => truncateAtWord(sectionTitle(briefing.sections[index]!), NOTE_TITLE_ROOM));
  const more = indexes.length - titles.length;
  return `${titles.join(', ')}${more > 0 ? ` and ${more} more` : ''}`;
}

const count = (n: number, what: string): string => `${n} ${what}${n === 1 ? '' : 's'}`;

/** The one line posted in the thread: "✏️ Corrected copy received 09:41: 2 sections changed (…), …". */
export function revisionNote(
  before: Briefing,
  after: Briefing,
  diff: BriefingDiff,
  when: string,
): SlackMessage {
  const changed = diff.kept.filter((change) => change.changed).map((change) => change.newIndex);
  const parts = [
    changed.length ? `${count(changed.length, 'section')} changed (${named(after, changed)})` : '',
    diff.added.length ? `${count(diff.added.length, 'section')} added (${named(after, diff.added)})` : '',
    diff.removed.length
      ? `${count(diff.removed.length, 'section')} removed (${named(before, diff.removed)})`
      : '',
  ].filter(Boolean);
  const what = parts.length ? parts.join('; ') : 'only its headline or date changed';
  const line = `✏️ A corrected copy arrived at ${when}: ${what}.`;
  const elements: RichInline[] = [txt(line)];
  return {
    text: truncateAtWord(escapeMrkdwn(plainText(line)), MAX_FALLBACK_TEXT),
    blocks: [richText([para(elements)])],
  };
}
