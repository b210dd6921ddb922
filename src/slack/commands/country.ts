import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import type { Services } from '../../services.js';
import { answerCountryCommand } from './answer.js';
import { answerContext, SORRY } from './context.js';

/** `/country <name> [period]`: ack at once, then answer privately through response_url. */
export function countryCommand(services: Services) {
  return async ({
    command,
    ack,
    respond,
    logger,
  }: SlackCommandMiddlewareArgs & AllMiddlewareArgs): Promise<void> => {
    await ack();
    try {
      const answer = answerCountryCommand(command.text ?? '', answerContext(services));
      await respond({ response_type: 'ephemeral', ...answer });
    } catch (error) {
      logger.error('/country failed', { text: command.text, error });
      await respond({ response_type: 'ephemeral', text: SORRY });
    }
  };
}
