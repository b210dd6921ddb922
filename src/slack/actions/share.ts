import type { AllMiddlewareArgs, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { Services } from '../../services.js';
import { answerRequest } from '../commands/answer.js';
import { answerContext, SORRY } from '../commands/context.js';
import { decodeRequest } from '../commands/request.js';
import { EXPIRED } from './show.js';

/**
 * "Share in channel": the same answer, posted for everyone through response_url, which works in
 * channels the bot is not a member of and in DMs, where chat.postMessage would fail.
 */
export function shareAction(services: Services) {
  return async ({
    ack,
    action,
    body,
    respond,
    logger,
  }: SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & AllMiddlewareArgs): Promise<void> => {
    await ack();
    const request = decodeRequest(action.value);
    if (!request) {
      await respond({ response_type: 'ephemeral', replace_original: false, text: EXPIRED });
      return;
    }
    try {
      const answer = answerRequest(request, answerContext(services), { sharedBy: body.user.id });
      await respond({ response_type: 'in_channel', replace_original: false, ...answer });
    } catch (error) {
      logger.error('sharing an answer failed', { value: action.value, error });
      await respond({ response_type: 'ephemeral', replace_original: false, text: SORRY });
    }
  };
}
