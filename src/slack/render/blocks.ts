import type { RichTextBlock } from './rich.js';

/**
 * The few Block Kit shapes the bot posts, and Slack's limits on them
 * (https://docs.slack.dev/reference/block-kit/blocks, mirrored in @slack/types' JSDoc).
 * Kept as plain types so renderers stay pure and their output compares with `toEqual`.
 */

/** Slack refuses a message with more blocks than this (`invalid_blocks`). */
export const MAX_BLOCKS = 50;
/** A section block's text is 1–3000 characters. */
export const MAX_SECTION_TEXT = 3000;
/** A header block's plain_text is at most 150 characters. */
export const MAX_HEADER_TEXT = 150;
/** A context block holds at most 10 elements. */
export const MAX_CONTEXT_ELEMENTS = 10;
/** Each context element's text shares the section text limit. */
export const MAX_CONTEXT_TEXT = 3000;
/**
 * The top-level `text` is the notification and screen-reader fallback; Slack advises ≤4000 characters
 * and truncates far past that.
 */
export const MAX_FALLBACK_TEXT = 4000;

export interface MrkdwnText {
  type: 'mrkdwn';
  text: string;
}

export interface PlainText {
  type: 'plain_text';
  text: string;
  emoji: true;
}

export interface HeaderBlock {
  type: 'header';
  text: PlainText;
}

export interface SectionBlock {
  type: 'section';
  text: MrkdwnText;
}

export interface ContextBlock {
  type: 'context';
  elements: Array<MrkdwnText | PlainText>;
}

export interface DividerBlock {
  type: 'divider';
}

export type Block = HeaderBlock | SectionBlock | ContextBlock | DividerBlock | RichTextBlock;

/** What one chat.postMessage carries besides channel/thread. */
export interface SlackMessage {
  text: string;
  blocks: Block[];
}

export function header(text: string): HeaderBlock {
  return {
    type: 'header',
    text: { type: 'plain_text', text: truncateAtWord(text, MAX_HEADER_TEXT), emoji: true },
  };
}

export function section(text: string): SectionBlock {
  return { type: 'section', text: { type: 'mrkdwn', text } };
}

/** A context line of text shown literally (email words: publication, sources, who forwarded it). */
export function plainContext(texts: string[]): ContextBlock {
  return {
    type: 'context',
    elements: texts.map((text) => ({
      type: 'plain_text',
      text: truncateAtWord(text, MAX_CONTEXT_TEXT),
      emoji: true,
    })),
  };
}

export function context(texts: string[]): ContextBlock {
  return { type: 'context', elements: texts.map((text) => ({ type: 'mrkdwn', text })) };
}

/**
 * Shortens already-escaped text to `max` characters at a word boundary, with an ellipsis.
 * Never cuts inside an entity (`&amp;`) or a `<…>` link: the cut moves back to the whitespace before it.
 */
export function truncateAtWord(text: string, max: number): string {
  if (text.length <= max) return text;
  const room = max - 1;
  let cut = -1;
  for (const match of text.matchAll(/\s+/g)) {
    if (match.index > room) break;
    if (!insideLink(text, match.index)) cut = match.index;
  }
  // A single word longer than the limit: nothing else to do but cut it, still outside any entity.
  if (cut <= 0) cut = safeHardCut(text, room);
  return `${text.slice(0, cut).trimEnd()}…`;
}

/** True when position `at` lies inside a `<…>` sequence. */
export function insideLink(text: string, at: number): boolean {
  const open = text.lastIndexOf('<', at);
  if (open === -1) return false;
  const close = text.indexOf('>', open);
  return close === -1 || close >= at;
}

function safeHardCut(text: string, max: number): number {
  let cut = max;
  const amp = text.lastIndexOf('&', cut);
  if (amp !== -1 && amp > cut - 6 && text.indexOf(';', amp) >= cut) cut = amp;
  const open = text.lastIndexOf('<', cut);
  if (open !== -1 && text.indexOf('>', open) >= cut) cut = open;
  return Math.max(cut, 1);
}
