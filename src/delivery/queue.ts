/**
 * The deliverer's one queue: deliveries run one after another, in the order they were kicked. One,
 * not one per channel: nearly every post goes to BRIEFING_CHANNEL, where Slack allows about a post a
 * second, so a second delivery running beside the first would interleave its posts with the first's
 * without either finishing sooner. A delivery kicked while queued or running joins that run; one
 * scheduled for later (a backoff, a claim held elsewhere) waits on a timer, then queues.
 *
 * An attempt that throws was stopped by the store (Slack's faults are settled inside the attempt): the
 * delivery is unfinished in the store's eyes and is run again, later and later, until a write succeeds.
 */
import type { Logger } from '@slack/bolt';
import { withLogContext } from '../log/context.js';

/**
 * A delivery stopped by the store (a full disk: ENOSPC; a database gone) is tried again after this,
 * doubling up to the cap: the bot resumes by itself once space returns, without a restart.
 */
export const STORE_RETRY_BASE_MS = 5_000;
export const STORE_RETRY_MAX_MS = 5 * 60_000;

export interface DeliveryQueue {
  /** Queues the delivery (joining it when already queued or running); settles when its run ends. */
  run(briefingId: string): Promise<void>;
  /** Queues it after `delayMs`, replacing any timer it had. */
  schedule(briefingId: string, delayMs: number): void;
  /** Drops its timer, and resolves once a run in flight has ended. */
  settle(briefingId: string): Promise<void>;
  has(briefingId: string): boolean;
  /** The store refused this delivery's last write: its next run rewrites its state first. */
  storeStopped(briefingId: string): boolean;
  /** 'ok', or 'error: …' while the store refuses writes. */
  storeStatus(): string;
  /** Resolves when nothing is queued or running. */
  idle(): Promise<void>;
  /** No more timers fire or runs start; resolves when the running one has ended. */
  stop(): Promise<void>;
}

export function createDeliveryQueue(options: {
  attempt: (briefingId: string) => Promise<void>;
  logger: Logger;
  storeRetryBaseMs?: number;
  storeRetryMaxMs?: number;
}): DeliveryQueue {
  const { attempt, logger } = options;
  const storeRetryBase = options.storeRetryBaseMs ?? STORE_RETRY_BASE_MS;
  const storeRetryMax = options.storeRetryMaxMs ?? STORE_RETRY_MAX_MS;
  /** Runs per briefing id, queued or in flight. */
  const runs = new Map<string, Promise<void>>();
  let tail: Promise<void> = Promise.resolve();
  const timers = new Map<string, NodeJS.Timeout>();
  /** Each store-stopped delivery's next wait, and why the store last refused (null: fine). */
  const storeRetries = new Map<string, number>();
  let storeProblem: string | null = null;
  let stopped = false;

  function enqueue(briefingId: string): Promise<void> {
    const current = tail
      .then(() => attempt(briefingId))
      .then(
        () => {
          storeRetries.delete(briefingId);
          if (storeRetries.size === 0) storeProblem = null;
        },
        (error: unknown) => {
          const reason = error instanceof Error ? error.message : String(error);
          storeProblem = reason;
          const wait = storeRetries.get(briefingId) ?? storeRetryBase;
          storeRetries.set(briefingId, Math.min(wait * 2, storeRetryMax));
          logger.error(
            `Delivery of briefing ${briefingId} stopped by the store (${reason}); trying again in ${Math.round(wait / 1000)} s`,
          );
          queue.schedule(briefingId, wait);
        },
      )
      .finally(() => runs.delete(briefingId));
    runs.set(briefingId, current);
    tail = current;
    return current;
  }

  const queue: DeliveryQueue = {
    run(briefingId) {
      const existing = runs.get(briefingId);
      if (existing) return existing;
      // Every line of this delivery's attempt names it, also when a timer or a restart started it.
      return withLogContext({ delivery: briefingId }, () => enqueue(briefingId));
    },
    schedule(briefingId, delayMs) {
      if (stopped) return;
      clearTimeout(timers.get(briefingId));
      const timer = setTimeout(() => {
        timers.delete(briefingId);
        void queue.run(briefingId);
      }, delayMs);
      timer.unref();
      timers.set(briefingId, timer);
    },
    async settle(briefingId) {
      clearTimeout(timers.get(briefingId));
      timers.delete(briefingId);
      await runs.get(briefingId);
    },
    has: (briefingId) => runs.has(briefingId),
    storeStopped: (briefingId) => storeRetries.has(briefingId),
    storeStatus: () => (storeProblem ? `error: ${storeProblem}` : 'ok'),
    async idle() {
      while (runs.size > 0) await Promise.all([...runs.values()]);
    },
    async stop() {
      stopped = true;
      for (const timer of timers.values()) clearTimeout(timer);
      timers.clear();
      await queue.idle();
    },
  };
  return queue;
}
