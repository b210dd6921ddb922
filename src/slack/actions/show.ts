import type { AllMiddlewareArgs, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { Services } from '../../services.js';
import { answerRequest } from '../commands/answer.js';
import { answerContext, SORRY } from '../commands/context.js';
import { decodeRequest } from '../commands/request.js';

export const EXPIRED = 'That button no longer works: run the command again.';

/**
 * "More" on a country answer and the nearest-date buttons on an empty day: the answer to the
 * button's request replaces the private answer it was clicked on (replace_original via response_url).
 */
export function showAction(services: Services) {
  return async ({
    ack,
    action,
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
      await respond({ replace_original: true, ...answerRequest(request, answerContext(services)) });
    } catch (error) {
      logger.error('answering a button failed', { value: action.value, error });
      await respond({ response_type: 'ephemeral', replace_original: false, text: SORRY });
    }
  };
}
