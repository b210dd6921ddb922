import type { Logger } from '@slack/logger';
import type { Config } from '../config.js';
import { createLogger } from './logger.js';

export { newLogId, withLogContext } from './context.js';
export { withRequestId } from './request-id.js';

/** Every configured secret, so a line that quotes one (an error echoing a URL, a header) never shows it. */
export function configSecrets(config: Config): string[] {
  return [
    config.slackBotToken,
    config.slackSigningSecret,
    config.slackAppToken,
    config.mailWebhookSecret,
    config.mailgunSigningKey,
    config.slackClientSecret,
    config.slackStateSecret,
  ].filter((value): value is string => Boolean(value));
}

/** The bot's logger as configured: LOG_LEVEL, LOG_FORMAT; stdout for the bot, stderr (2) for a CLI command. */
export function loggerFor(config: Config, fd: 1 | 2 = 1): Logger {
  return createLogger({
    level: config.logLevel,
    format: config.logFormat,
    fd,
    secrets: configSecrets(config),
  });
}
