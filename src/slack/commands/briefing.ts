import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import type { Services } from '../../services.js';
import { answerBriefingCommand } from './answer.js';
import { answerContext, SORRY } from './context.js';

/** `/briefing [when]`: ack at once (Slack allows 3 s), then answer privately through response_url. */
export function briefingCommand(services: Services) {
  return async ({
    command,
    ack,
    respond,
    logger,
  }: SlackCommandMiddlewareArgs & AllMiddlewareArgs): Promise<void> => {
    await ack();
    try {
      const answer = answerBriefingCommand(command.text ?? '', answerContext(services));
      await respond({ response_type: 'ephemeral', ...answer });
    } catch (error) {
      logger.error('/briefing failed', { text: command.text, error });
      await respond({ response_type: 'ephemeral', text: SORRY });
    }
  };
}
