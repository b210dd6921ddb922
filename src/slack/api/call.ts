/**
 * The bot's one retry policy for Slack Web API calls. The WebClient is built with retries off and
 * rate-limited calls rejected (see `slackClientOptions`), so every wait happens here, with an injectable
 * sleep that tests can observe.
 */
import type { Logger } from '@slack/bolt';
import type { WebClientOptions } from '@slack/web-api';

export interface RetryPolicy {
  /** Retries after a network error, a 5xx or a transient Slack error, per call. */
  transientRetries: number;
  /** First backoff; doubled each retry. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** 429s honoured per call before the call counts as failed (Slack keeps saying "later"). */
  rateLimitWaits: number;
  /** Upper bound on one Retry-After wait, in case a proxy sends something absurd. */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  // 1+2+4+8+16 s ≈ half a minute of Slack trouble ridden out inside one delivery attempt.
  transientRetries: 5,
  baseDelayMs: 1000,
  maxDelayMs: 16_000,
  // Slack's post limit is ~1/s per channel: 20 waits cover a long burst from another app in the channel.
  rateLimitWaits: 20,
  maxRetryAfterMs: 120_000,
};

/**
 * A single Slack request gives up after this long; without it a hung connection would stall the
 * delivery queue forever (the WebClient's default is no timeout).
 */
export const SLACK_REQUEST_TIMEOUT_MS = 30_000;

/** Options for every WebClient the bot builds: our policy, not the client's, decides on retries. */
export function slackClientOptions(slackApiUrl: string): WebClientOptions {
  return {
    slackApiUrl,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    timeout: SLACK_REQUEST_TIMEOUT_MS,
  };
}

/** Slack errors that mean "try again later" rather than "this will never work". */
const TRANSIENT_SLACK_ERRORS = new Set([
  'ratelimited',
  'internal_error',
  'fatal_error',
  'service_unavailable',
  'request_timeout',
]);

export type Failure =
  | { kind: 'ratelimited'; retryAfterMs: number; reason: string }
  | { kind: 'transient'; reason: string }
  | { kind: 'permanent'; reason: string };

/** A call that failed for good (bad token, missing channel, invalid blocks…). */
export class PermanentSlackError extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'PermanentSlackError';
  }
}

/** A call that kept failing transiently past the policy's retries. */
export class TransientSlackError extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'TransientSlackError';
  }
}

function field(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
}

/** Sorts a WebClient error (matched by its `code`, which survives duplicate package copies). */
export function classifySlackError(error: unknown): Failure {
  const code = field(error, 'code');
  if (code === 'slack_webapi_rate_limited_error') {
    const seconds = Number(field(error, 'retryAfter'));
    return {
      kind: 'ratelimited',
      retryAfterMs: Number.isFinite(seconds) ? seconds * 1000 : 1000,
      reason: 'ratelimited',
    };
  }
  if (code === 'slack_webapi_platform_error') {
    const slackError = String(field(field(error, 'data'), 'error') ?? 'unknown_error');
    return TRANSIENT_SLACK_ERRORS.has(slackError)
      ? { kind: 'transient', reason: slackError }
      : { kind: 'permanent', reason: slackError };
  }
  if (code === 'slack_webapi_http_error') {
    const status = Number(field(error, 'statusCode'));
    const reason = `HTTP ${status}`;
    return status >= 500 || status === 408 ? { kind: 'transient', reason } : { kind: 'permanent', reason };
  }
  if (code === 'slack_webapi_request_error') {
    const original = field(error, 'original');
    const message = original instanceof Error ? original.message : 'request failed';
    return { kind: 'transient', reason: `network: ${message}` };
  }
  return { kind: 'permanent', reason: error instanceof Error ? error.message : String(error) };
}

export type Sleep = (ms: number) => Promise<void>;

export const realSleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs `call` under the policy: waits out 429s for as long as Slack asks, backs off exponentially on
 * transient faults, and throws PermanentSlackError / TransientSlackError when it gives up.
 */
export async function withSlackRetries<T>(
  call: () => Promise<T>,
  policy: RetryPolicy,
  sleep: Sleep,
  onRetry?: (failure: Failure, waitMs: number) => void,
): Promise<T> {
  let transient = 0;
  let rateLimited = 0;
  for (;;) {
    try {
      return await call();
    } catch (error) {
      const failure = classifySlackError(error);
      if (failure.kind === 'permanent') throw new PermanentSlackError(failure.reason);
      let waitMs: number;
      if (failure.kind === 'ratelimited') {
        if (rateLimited >= policy.rateLimitWaits) throw new TransientSlackError('ratelimited');
        rateLimited++;
        waitMs = Math.min(failure.retryAfterMs, policy.maxRetryAfterMs);
      } else {
        if (transient >= policy.transientRetries) throw new TransientSlackError(failure.reason);
        waitMs = Math.min(policy.baseDelayMs * 2 ** transient, policy.maxDelayMs);
        transient++;
      }
      onRetry?.(failure, waitMs);
      await sleep(waitMs);
    }
  }
}

/** A Slack call run under the policy (see slackCall). */
export type Call = <T>(fn: () => Promise<T>) => Promise<T>;

/**
 * The retry wrapper every component calls Slack through: the policy, the waits it sleeps (a component
 * that stops cuts its own short), and each retry logged when a logger is given.
 */
export function slackCall(policy: RetryPolicy, sleep: Sleep, logger?: Pick<Logger, 'warn'>): Call {
  const onRetry = logger
    ? (failure: Failure, waitMs: number) =>
        logger.warn(`Slack call failed (${failure.reason}); retrying in ${waitMs} ms`)
    : undefined;
  return (fn) => withSlackRetries(fn, policy, sleep, onRetry);
}
