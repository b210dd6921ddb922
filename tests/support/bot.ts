/**
 * What every end-to-end harness shares: the real bot (createBot) configured against a listening Slack
 * stand-in and started on a free loopback port, loggers that keep test output quiet, a reader of the
 * text a Block Kit message shows, and a wait for work the bot does after it has answered.
 */
import type { Logger } from '@slack/bolt';
import { ConsoleLogger, LogLevel } from '@slack/logger';
import { type Bot, type BotOverrides, createBot } from '../../src/app.js';
import { type Config, loadConfig } from '../../src/config.js';
import { richAsMrkdwn } from './rich.js';

/** The config of a bot that talks to the stand-in at `apiUrl`; any config problem fails the test. */
export function standInConfig(apiUrl: string, token: string, env: Record<string, string>): Config {
  const { config, problems } = loadConfig({
    SLACK_BOT_TOKEN: token,
    SLACK_API_URL: apiUrl,
    BRIEFING_CHANNEL: 'briefings',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'error',
    ...env,
  });
  if (problems.length > 0) throw new Error(problems.join('\n'));
  return config;
}

/** createBot on a port the system picks (tests run side by side), started; `url` is its base address. */
export async function startBotOnLoopback(
  config: Config,
  overrides: BotOverrides,
): Promise<{ bot: Bot; url: string }> {
  const bot = await createBot({ ...config, port: 0 }, overrides);
  const { port } = await bot.start();
  return { bot, url: `http://127.0.0.1:${port}` };
}

/** Slack's console logger showing errors only. */
export function quietLogger(): ConsoleLogger {
  const logger = new ConsoleLogger();
  logger.setLevel(LogLevel.ERROR);
  return logger;
}

/** A silent logger that hands every error to `onError`, for tests that expect none (or a given one). */
export function recordingLogger(onError: (args: unknown[]) => void): Logger {
  return {
    debug: () => {},
    info: () => {},
    warn: () => {},
    error: (...args: unknown[]) => {
      onError(args);
    },
    setLevel: () => {},
    getLevel: () => 'error' as never,
    setName: () => {},
  };
}

export interface TextObject {
  type: 'mrkdwn' | 'plain_text';
  text: string;
}

/** Every mrkdwn and plain_text object in a message's blocks, in reading order. */
export function blockTexts(blocks: unknown): TextObject[] {
  const found: TextObject[] = [];
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(walk);
    else if (value && typeof value === 'object') {
      const record = value as Record<string, unknown>;
      if ((record.type === 'mrkdwn' || record.type === 'plain_text') && typeof record.text === 'string') {
        found.push({ type: record.type, text: record.text });
      } else if (record.type === 'rich_text') {
        found.push({ type: 'mrkdwn', text: richAsMrkdwn(record) });
      } else Object.values(record).forEach(walk);
    }
  };
  walk(blocks);
  return found;
}

/** What a reader sees of blocks, in order: mrkdwn and plain text as they are, rich text in mrkdwn's notation. */
export function readerText(blocks: unknown): string {
  return blockTexts(blocks)
    .map((t) => t.text)
    .join('\n');
}

/** Resolves once `check` is true — the bot acks first and works after — or fails naming `what`. */
export async function until(
  check: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
