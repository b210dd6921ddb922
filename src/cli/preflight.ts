/** What every command checks before it does anything, with the reason printed on stderr when it stops. */
import type { Logger } from '@slack/logger';
import { type Config, loadConfig } from '../config.js';
import { loggerFor } from '../log/index.js';
import { botIsRunning, runningBotMessage } from './running-bot.js';

/** The configuration from the environment, or null after one stderr line per problem. */
export function configOrReport(): Config | null {
  const { config, problems } = loadConfig();
  for (const problem of problems) process.stderr.write(`config: ${problem}\n`);
  return problems.length ? null : config;
}

/**
 * True, after saying so, when a bot answers on this configuration's port: a command that writes the
 * store must not run beside it (see running-bot.ts).
 */
export async function besideRunningBot(config: Config): Promise<boolean> {
  if (!(await botIsRunning(config))) return false;
  process.stderr.write(`${runningBotMessage(config)}\n`);
  return true;
}

/**
 * The bot's log lines for a CLI command, on stderr: stdout carries the command's result (a JSON
 * outcome, a table) and scripts read it.
 */
export function stderrLogger(config: Config): Logger {
  return loggerFor(config, 2);
}
