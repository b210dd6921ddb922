/**
 * Block Kit shapes for command answers: the delivery renderer's blocks plus buttons, which only
 * interactive answers carry. Plain data so answers compare with `toEqual`.
 */

import type { ContextBlock, DividerBlock, SectionBlock } from '../render/blocks.js';
import { context as contextOf, MAX_FALLBACK_TEXT } from '../render/blocks.js';
import type { RichTextBlock } from '../render/rich.js';

export { MAX_BLOCKS, MAX_FALLBACK_TEXT, MAX_SECTION_TEXT, section } from '../render/blocks.js';
export type { ContextBlock, DividerBlock, SectionBlock };

/** Slack cuts a button's label past 75 characters. */
export const MAX_BUTTON_TEXT = 75;
/** A button's `value` is at most 2000 characters; ours are small JSON requests. */
export const MAX_BUTTON_VALUE = 2000;

export interface ButtonElement {
  type: 'button';
  action_id: string;
  text: { type: 'plain_text'; text: string; emoji: true };
  value: string;
  style?: 'primary';
}

export interface ActionsBlock {
  type: 'actions';
  block_id: string;
  elements: ButtonElement[];
}

/** Email words go in rich_text (shown as typed); mrkdwn sections carry only the bot's own words. */
export type AnswerBlock = SectionBlock | ContextBlock | DividerBlock | ActionsBlock | RichTextBlock;

/** What a command answer carries: `respond()` adds response_type / replace_original. */
export interface Answer {
  text: string;
  blocks: AnswerBlock[];
}

export function context(...texts: string[]): ContextBlock {
  return contextOf(texts);
}

export function divider(): DividerBlock {
  return { type: 'divider' };
}

export function button(actionId: string, label: string, value: string, primary = false): ButtonElement {
  const text = label.length > MAX_BUTTON_TEXT ? `${label.slice(0, MAX_BUTTON_TEXT - 1)}…` : label;
  return {
    type: 'button',
    action_id: actionId,
    text: { type: 'plain_text', text, emoji: true },
    value,
    ...(primary ? { style: 'primary' as const } : {}),
  };
}

export function actions(blockId: string, elements: ButtonElement[]): ActionsBlock {
  return { type: 'actions', block_id: blockId, elements };
}

/** Keeps a notification fallback within Slack's advised 4000 characters. */
export function clip(text: string): string {
  return text.length > MAX_FALLBACK_TEXT ? `${text.slice(0, MAX_FALLBACK_TEXT - 1)}…` : text;
}
