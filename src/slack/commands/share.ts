/** The two ends of sharing: the button on a private answer, the attribution on the shared one. */
import { ACTION_SHARE } from '../actions/ids.js';
import { escapeMrkdwn } from '../escape.js';
import {
  type AnswerBlock,
  actions,
  type ButtonElement,
  button,
  type ContextBlock,
  context,
} from './blocks.js';
import { type AnswerRequest, encodeRequest } from './request.js';

export function shareButton(request: AnswerRequest): ButtonElement {
  return button(ACTION_SHARE, 'Share in channel', encodeRequest(request));
}

/** "Shared by @user": a mention only for a well-formed Slack user id, anything else is shown as text. */
export function sharedBy(userId: string): ContextBlock {
  const who = /^[UW][A-Z0-9_]{2,}$/.test(userId) ? `<@${userId}>` : escapeMrkdwn(userId);
  return context(`Shared by ${who}`);
}

export interface RenderOptions {
  /** Set when the answer is being shared to the channel: who shared it (it then carries no buttons). */
  sharedBy?: string;
}

/** Attribution when shared; otherwise the buttons (`extra` ones first, Share last). */
export function appendFooter(
  blocks: AnswerBlock[],
  request: AnswerRequest,
  options: RenderOptions,
  extra: ButtonElement[] = [],
): void {
  if (options.sharedBy) blocks.push(sharedBy(options.sharedBy));
  else blocks.push(actions('answer_actions', [...extra, shareButton(request)]));
}
