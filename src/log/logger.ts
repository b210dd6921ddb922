/**
 * The bot's logger: pino behind the Logger interface Bolt and our code already call
 * (`logger.info('text', value…)`), so a call site never changes. One JSON object per line by default
 * (`LOG_FORMAT=pretty` for a person at a terminal), every line with the ids of the request or delivery
 * it belongs to (see context.ts), and nothing secret or personal in it (see redact.ts).
 */
import { createRequire } from 'node:module';
import { format } from 'node:util';
import type { Logger, LogLevel } from '@slack/logger';
import { type DestinationStream, pino } from 'pino';
import { currentLogContext } from './context.js';
import { redactText, redactValue } from './redact.js';

export type LogFormat = 'json' | 'pretty';

export interface LoggerOptions {
  level: 'debug' | 'info' | 'warn' | 'error';
  format?: LogFormat;
  /** 1 (stdout) for the bot; 2 for CLI commands, whose stdout is their result. */
  fd?: 1 | 2;
  /** Literal values (tokens, signing secrets, webhook secrets) to blank wherever they appear. */
  secrets?: readonly string[];
  name?: string;
  /** Where lines go instead of `fd` (tests read them). */
  stream?: DestinationStream;
}

function serializeError(error: Error, secrets: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {
    type: error.name,
    message: redactText(error.message, secrets),
  };
  if (error.stack) out.stack = redactText(error.stack, secrets);
  const code = (error as { code?: unknown }).code;
  if (code !== undefined) out.code = code;
  return out;
}

/** Bolt-style arguments → pino's (fields, message): text joins into `msg`, objects become fields. */
export function toLine(
  args: unknown[],
  secrets: readonly string[],
): { fields: Record<string, unknown>; msg: string } {
  const fields: Record<string, unknown> = {};
  const text: unknown[] = [];
  for (const arg of args) {
    if (arg instanceof Error) fields.err = serializeError(arg, secrets);
    else if (arg !== null && typeof arg === 'object' && !Array.isArray(arg)) {
      for (const [key, value] of Object.entries(arg)) {
        fields[key] = value instanceof Error ? serializeError(value, secrets) : redactValue(value, secrets);
      }
    } else text.push(arg);
  }
  let msg = redactText(format(...text), secrets);
  if (!msg && fields.err) msg = String((fields.err as { message: string }).message);
  return { fields, msg };
}

function prettyStream(fd: 1 | 2): DestinationStream {
  // Loaded only when asked for: JSON logging never pays for the prettifier's modules.
  const pretty = createRequire(import.meta.url)('pino-pretty') as (options: object) => DestinationStream;
  return pretty({ destination: fd, sync: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' });
}

export function createLogger(options: LoggerOptions): Logger {
  const secrets = options.secrets ?? [];
  const fd = options.fd ?? 1;
  const stream =
    options.stream ??
    (options.format === 'pretty' ? prettyStream(fd) : pino.destination({ dest: fd, sync: true }));
  const base = pino(
    {
      level: options.level,
      name: options.name ?? 'briefing-bot',
      base: undefined,
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      mixin: () => ({ ...currentLogContext() }),
      // Errors are serialized (and redacted) by toLine; pino's own would rename their type to Object.
      serializers: { err: (value: unknown) => value },
    },
    stream,
  );
  const write =
    (level: 'debug' | 'info' | 'warn' | 'error') =>
    (...args: unknown[]) => {
      if (!base.isLevelEnabled(level)) return;
      const { fields, msg } = toLine(args, secrets);
      base[level](fields, msg);
    };
  return {
    debug: write('debug'),
    info: write('info'),
    warn: write('warn'),
    error: write('error'),
    setLevel(level: LogLevel) {
      base.level = level;
    },
    getLevel: () => base.level as LogLevel,
    // The Web API and Socket Mode clients rename the logger they are handed ("web-api:WebClient:3");
    // one logger serves the whole bot, so its lines keep the bot's name.
    setName() {},
  };
}
