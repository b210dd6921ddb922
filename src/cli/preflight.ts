/** What every command checks before it does anything, with the reason printed on stderr when it stops. */
import { format } from 'node:util';
import { type Logger, LogLevel } from '@slack/logger';
import { type Config, loadConfig } from '../config.js';
import { botIsRunning, runningBotMessage } from '../delivery/running-bot.js';

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

const SEVERITY: Record<LogLevel, number> = {
  [LogLevel.DEBUG]: 0,
  [LogLevel.INFO]: 1,
  [LogLevel.WARN]: 2,
  [LogLevel.ERROR]: 3,
};

/**
 * The bot's log lines for a CLI command, on stderr: stdout carries the command's result (a JSON
 * outcome, a table) and scripts read it.
 */
export function stderrLogger(level: Config['logLevel']): Logger {
  let current = level as LogLevel;
  let name = 'briefing-bot';
  const write =
    (at: LogLevel) =>
    (...msg: unknown[]) => {
      if (SEVERITY[at] >= SEVERITY[current])
        process.stderr.write(`[${at.toUpperCase()}] ${name} ${format(...msg)}\n`);
    };
  return {
    debug: write(LogLevel.DEBUG),
    info: write(LogLevel.INFO),
    warn: write(LogLevel.WARN),
    error: write(LogLevel.ERROR),
    setLevel: (next) => {
      current = next;
    },
    getLevel: () => current,
    setName: (next) => {
      name = next;
    },
  };
}
