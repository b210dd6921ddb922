/**
 * Posts stored briefings to Slack, exactly once per post. The parts, each in its own file:
 *
 * - queue.ts: the one queue deliveries run in, its timers, and the store-failure backoff.
 * - attempt.ts: one attempt — claim the delivery, post what is missing in order, settle the outcome
 *   (transient faults rescheduled with backoff, permanent ones failed with Slack's reason).
 * - poster.ts: one post — fenced on the delivery's claim, made exactly once (posting/post-once.ts: paced
 *   per channel across instances, looked for by its marker whenever it may already be in Slack), its
 *   ts recorded the moment Slack returns it; a resumed delivery skips the keys recorded and threads the
 *   rest under the recorded card.
 * - revision.ts: a corrected copy's edits; follow-on-posts.ts: desk posts and follow notices.
 *
 * Several instances may share the store (PostgreSQL): each attempt first claims its delivery, so one
 * instance at a time posts a briefing; a claim held elsewhere is looked at again when its lease would
 * run out, which is how a killed instance's delivery is taken over. With `sweepMs` the store is also
 * asked, that often, for unfinished deliveries — those another instance took in and died with.
 */
import type { Logger } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { ThreadLayout } from '../config.js';
import { type Leases, newInstanceId } from '../posting/leases.js';
import { createPosting, type Posting } from '../posting/posting.js';
import {
  DEFAULT_RETRY_POLICY,
  PermanentSlackError,
  type RetryPolicy,
  realSleep,
  type Sleep,
  slackCall,
} from '../slack/api/call.js';
import type { PreviousStories } from '../slack/render/index.js';
import type { DeliveryWork } from '../store/roles.js';
import type { ClaimStore, Delivery, StoredBriefing } from '../store/types.js';
import { createAttempt, MAX_REDELIVERY_DELAY_MS, REDELIVERY_BASE_DELAY_MS } from './attempt.js';
import { createFollowOnPoster, FollowOnError, type PlanFollowOns } from './follow-on-posts.js';
import { createPoster } from './poster.js';
import { createDeliveryQueue } from './queue.js';
import { createRevisionEditor } from './revision.js';
import { createStopSignal, DeliveryStopped } from './stop-signal.js';
import type { Deliverer } from './types.js';

export type { FollowOnPost, PlanFollowOns } from './follow-on-posts.js';

/** Slack's answers that mean the channel itself is unusable (not the message or the token). */
const CHANNEL_ERRORS = /^(channel_not_found|not_in_channel|is_archived|restricted_action)\b/;

export interface DelivererOptions {
  store: DeliveryWork & ClaimStore;
  client: WebClient;
  logger: Logger;
  /** BRIEFING_CHANNEL: a channel id or name. */
  channel: string;
  layout: ThreadLayout;
  now?: () => Date;
  sleep?: Sleep;
  retryPolicy?: RetryPolicy;
  /** Used when the deliverer builds its own `posting`. */
  minPostIntervalMs?: number;
  redeliveryBaseDelayMs?: number;
  maxRedeliveryDelayMs?: number;
  /** The first wait after the store refused a write, and the longest (doubling between them). */
  storeRetryBaseMs?: number;
  storeRetryMaxMs?: number;
  /** Desk posts and follow notices, posted after the sections. */
  followOns?: PlanFollowOns;
  /** The "Previously on …" story of each section (read from the store when a delivery starts). */
  previously?: (stored: StoredBriefing) => Promise<PreviousStories>;
  /** A follower who can no longer be written to: their follows stop until they follow again. */
  muteFollower?: (user: string, reason: string) => Promise<void>;
  /** NEWSROOM_TZ: the "updated 09:41" of a corrected copy is the newsroom's time. */
  timeZone?: string;
  /**
   * The process's shared Slack side (identity, channels, claims, pacer), as the bot's core builds it
   * for the deliverer and the digest alike. Absent: the deliverer makes its own, on `leases` if given.
   */
  posting?: Posting;
  leases?: Leases;
  /**
   * How often to look in the store for unfinished deliveries this process has not seen (another
   * instance's, left by its crash). Null (the default, one process): only at start.
   */
  sweepMs?: number | null;
}

export function createDeliverer(options: DelivererOptions): Deliverer {
  const { store, logger } = options;
  const now = options.now ?? (() => new Date());
  const signal = createStopSignal(options.sleep ?? realSleep);
  const { sleep } = signal;
  const ownsPosting = !options.posting;
  const posting =
    options.posting ??
    createPosting({
      client: options.client,
      store,
      logger,
      owner: `${newInstanceId()}/deliver`,
      ...(options.leases ? { leases: options.leases } : {}),
      ...(options.minPostIntervalMs !== undefined ? { minPostIntervalMs: options.minPostIntervalMs } : {}),
      sleep,
    });
  const call = slackCall(options.retryPolicy ?? DEFAULT_RETRY_POLICY, sleep, logger);
  /** BRIEFING_CHANNEL's id once looked up, and why it cannot be posted in, as last seen. */
  let channelId: string | null = null;
  let channelProblem: string | null = null;
  /** Deliveries an operator retried: their next attempt looks for an unrecorded post first. */
  const retried = new Set<string>();
  let sweeper: NodeJS.Timeout | null = null;

  async function briefingChannel(): Promise<string> {
    try {
      channelId = await posting.channels.resolve(options.channel, call);
      channelProblem = null;
      return channelId;
    } catch (error) {
      if (error instanceof PermanentSlackError) channelProblem = error.message;
      throw error;
    }
  }

  const poster = createPoster({
    store,
    posting,
    call,
    sleep,
    logger,
    layout: options.layout,
    now,
    briefingChannel,
  });
  const attempt = createAttempt({
    store,
    leases: posting.leases,
    poster,
    postFollowOn: createFollowOnPoster({
      posting,
      poster,
      call,
      logger,
      ...(options.muteFollower ? { muteFollower: options.muteFollower } : {}),
    }),
    applyRevision: createRevisionEditor({
      store,
      poster,
      logger,
      ...(options.timeZone ? { timeZone: options.timeZone } : {}),
    }),
    logger,
    now,
    ...(options.timeZone ? { timeZone: options.timeZone } : {}),
    ...(options.followOns ? { followOns: options.followOns } : {}),
    ...(options.previously ? { previously: options.previously } : {}),
    redeliveryBaseDelayMs: options.redeliveryBaseDelayMs ?? REDELIVERY_BASE_DELAY_MS,
    maxRedeliveryDelayMs: options.maxRedeliveryDelayMs ?? MAX_REDELIVERY_DELAY_MS,
    schedule: (briefingId, delayMs) => queue.schedule(briefingId, delayMs),
    stopped: signal.stopped,
    storeStopped: (briefingId) => queue.storeStopped(briefingId),
    takeOperatorRetry: (briefingId) => retried.delete(briefingId),
    onPermanentFault(error) {
      // The next attempt (an operator's retry) looks the channel up again: it may have been fixed.
      if (!(error instanceof FollowOnError)) {
        posting.channels.forget(options.channel);
        channelId = null;
      }
      if (CHANNEL_ERRORS.test(error.reason)) channelProblem = error.reason;
    },
  });
  const queue = createDeliveryQueue({
    attempt,
    logger,
    ...(options.storeRetryBaseMs !== undefined ? { storeRetryBaseMs: options.storeRetryBaseMs } : {}),
    ...(options.storeRetryMaxMs !== undefined ? { storeRetryMaxMs: options.storeRetryMaxMs } : {}),
  });

  /** Schedules every unfinished delivery: at start, and on each sweep (a run in flight is joined). */
  async function resume(): Promise<void> {
    for (const delivery of await store.unfinishedDeliveries()) {
      if (signal.stopped()) return;
      if (queue.has(delivery.briefingId)) continue;
      const wait = dueIn(delivery);
      if (wait > 0) queue.schedule(delivery.briefingId, wait);
      else void queue.run(delivery.briefingId);
    }
  }

  function dueIn(delivery: Delivery): number {
    return delivery.nextAttemptAt ? Date.parse(delivery.nextAttemptAt) - now().getTime() : 0;
  }

  return {
    kick(briefingId) {
      if (signal.stopped()) return;
      void queue.run(briefingId);
    },
    async retry(briefingId) {
      const delivery = await store.getDelivery(briefingId);
      if (!delivery) throw new Error(`No delivery for briefing ${briefingId}`);
      if (delivery.state === 'posted') return;
      await queue.settle(briefingId);
      if ((await store.getDelivery(briefingId))?.state === 'posted') return;
      // A fresh budget of attempts: the operator has (presumably) fixed what made it fail. What made it
      // fail may have come after Slack took a post (a full disk), so the attempt looks first.
      retried.add(briefingId);
      await store.updateDelivery(briefingId, {
        state: 'pending',
        attempts: 0,
        lastError: null,
        nextAttemptAt: null,
      });
      await queue.run(briefingId);
    },
    channelStatus() {
      if (channelProblem) return `error: ${channelProblem}`;
      return channelId ? 'ok' : 'not checked yet';
    },
    storeStatus: () => queue.storeStatus(),
    async warmUp() {
      // Looked up before the first briefing arrives: a wrong BRIEFING_CHANNEL shows at start-up, and a
      // briefing's delivery then costs exactly its posts.
      try {
        await posting.whoAmI(call);
        await briefingChannel();
      } catch (error) {
        if (error instanceof DeliveryStopped) return;
        logger.error(
          `BRIEFING_CHANNEL "${options.channel}" is not usable (${(error as Error).message}). Briefings are still accepted and stored; fix the channel, then \`npm run cli -- deliveries --retry ID\` posts any that failed.`,
        );
      }
    },
    async resumeAll() {
      await resume();
      const every = options.sweepMs;
      if (every && every > 0 && !sweeper && !signal.stopped()) {
        sweeper = setInterval(() => {
          resume().catch((error: unknown) =>
            logger.warn(`Looking for unfinished deliveries failed: ${(error as Error).message}`),
          );
        }, every);
        sweeper.unref();
      }
    },
    idle: () => queue.idle(),
    async stop() {
      signal.stop();
      if (sweeper) clearInterval(sweeper);
      await queue.stop();
      // Every attempt released its claim on the way out; nothing is left to renew.
      if (ownsPosting) posting.stop();
    },
  };
}
