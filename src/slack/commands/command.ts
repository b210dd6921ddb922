import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import type { Services } from '../../services.js';
import type { AnswerContext } from './answer.js';
import type { Answer } from './blocks.js';
import { answerContext, SORRY } from './context.js';

/**
 * A slash command's listener (`/briefing [when]`, `/country <name> [period]`): ack at once (Slack
 * allows 3 s), then answer privately through response_url.
 */
export function slashCommand(
  name: string,
  answer: (text: string, ctx: AnswerContext) => Promise<Answer>,
  services: Services,
) {
  return async ({
    command,
    ack,
    respond,
    logger,
  }: SlackCommandMiddlewareArgs & AllMiddlewareArgs): Promise<void> => {
    await ack();
    try {
      await respond({
        response_type: 'ephemeral',
        ...(await answer(command.text ?? '', answerContext(services))),
      });
    } catch (error) {
      logger.error(`${name} failed`, { text: command.text, error });
      await respond({ response_type: 'ephemeral', text: SORRY });
    }
  };
}

/** The same for answers that read or write the store asynchronously and depend on who asked. */
export function asyncCommand(name: string, answer: (text: string, user: string) => Promise<Answer>) {
  return async ({
    command,
    ack,
    respond,
    logger,
  }: SlackCommandMiddlewareArgs & AllMiddlewareArgs): Promise<void> => {
    await ack();
    try {
      await respond({ response_type: 'ephemeral', ...(await answer(command.text ?? '', command.user_id)) });
    } catch (error) {
      logger.error(`${name} failed`, { text: command.text, error });
      await respond({ response_type: 'ephemeral', text: SORRY });
    }
  };
}
