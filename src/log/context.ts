/**
 * The ids a log line carries without every caller passing them: a request (Slack event, command, mail
 * webhook call) or a delivery runs inside a context, and every line logged from within it — however
 * deep, across awaits and timers started there — names it.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomBytes } from 'node:crypto';

export type LogContext = Readonly<Record<string, string>>;

const storage = new AsyncLocalStorage<LogContext>();

/** Runs `fn` with `fields` added to the current context (a delivery started by a request keeps both). */
export function withLogContext<T>(fields: LogContext, fn: () => T): T {
  return storage.run({ ...storage.getStore(), ...fields }, fn);
}

export function currentLogContext(): LogContext | undefined {
  return storage.getStore();
}

/** Short enough to read in a terminal, random enough not to repeat within a log's lifetime (48 bits). */
export function newLogId(): string {
  return randomBytes(6).toString('base64url');
}
