import type {
  AllMiddlewareArgs,
  BlockAction,
  ButtonAction,
  RespondArguments,
  SlackActionMiddlewareArgs,
} from '@slack/bolt';
import type { Services } from '../../services.js';
import { type AnswerContext, answerRequest } from '../commands/answer.js';
import { answerContext, SORRY } from '../commands/context.js';
import { type AnswerRequest, decodeRequest } from '../commands/request.js';

export const EXPIRED = 'That button no longer works: run the command again.';

/**
 * A button whose value is an encoded request: ack, decode it (a value that no longer decodes gets
 * EXPIRED), answer through response_url; a failure is logged as `failure` and gets an apology.
 */
export function requestButton(
  services: Services,
  failure: string,
  reply: (request: AnswerRequest, ctx: AnswerContext, userId: string) => Promise<RespondArguments>,
) {
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
      await respond(await reply(request, answerContext(services), body.user.id));
    } catch (error) {
      logger.error(failure, { value: action.value, error });
      await respond({ response_type: 'ephemeral', replace_original: false, text: SORRY });
    }
  };
}

/**
 * "More" on a country answer and the nearest-date buttons on an empty day: the answer to the
 * button's request replaces the private answer it was clicked on (replace_original via response_url).
 */
export function showAction(services: Services) {
  return requestButton(services, 'answering a button failed', async (request, ctx) => ({
    replace_original: true,
    ...(await answerRequest(request, ctx)),
  }));
}
