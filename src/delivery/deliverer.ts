/**
 * Posts stored briefings to Slack, exactly once per post.
 *
 * - Several instances may share the store (PostgreSQL): each attempt first claims its delivery (a
 *   lease, see leases.ts), so one instance at a time posts a briefing; a claim held elsewhere is looked
 *   at again when its lease would run out, which is how a killed instance's delivery is taken over.
 *   Before each post the claim is renewed, and a lost one stops the attempt before it posts (the
 *   fence). Each post goes through the channel pacer (pacer.ts): one poster per channel at a time
 *   across the instances, spaced by Slack's interval. With `sweepMs` the store is also asked, that
 *   often, for unfinished deliveries — those another instance took in and died with.
 * - One queue per channel: Slack allows about one message per second per channel, and a briefing's
 *   posts must land in order, so deliveries to a channel run one after another, paced.
 * - Each post's ts is recorded the moment Slack returns it; a delivery that stops half-way (crash,
 *   Slack outage) resumes by skipping the keys already recorded and threading the rest under the
 *   recorded card.
 * - Slack faults follow `withSlackRetries`; a delivery whose attempt fails transiently is rescheduled
 *   with backoff, a permanent fault marks it failed with Slack's reason.
 * - Every post carries message metadata naming its briefing and post key. Whenever a post may already
 *   be in Slack without its ts recorded — the first unrecorded post of a resumed delivery (the process
 *   died between Slack's answer and the store write), or a post retried after a network error or 5xx
 *   (Slack may have taken it before the answer was lost) — the deliverer first looks in the thread or
 *   channel for a message with that marker and adopts its ts instead of posting a second copy.
 */

import { TZDate } from '@date-fns/tz';
import type { Logger } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { format } from 'date-fns/format';
import type { ThreadLayout } from '../config.js';
import { type BriefingDiff, diffBriefings } from '../corrections/diff.js';
import { goneOf, noteKey, partOf, rekeyPosts } from '../corrections/posts.js';
import { withLogContext } from '../log/context.js';
import {
  classifySlackError,
  DEFAULT_RETRY_POLICY,
  PermanentSlackError,
  type RetryPolicy,
  realSleep,
  type Sleep,
  TransientSlackError,
  withSlackRetries,
} from '../slack/api/call.js';
import { resolveChannel } from '../slack/api/channel.js';
import { isGoneUserError, openDirectMessage } from '../slack/api/direct-message.js';
import { type BotIdentity, findInHistory, type ListedMessage, postedBy } from '../slack/api/history.js';
import { buildPermalink, isWorkspaceUrl } from '../slack/permalink.js';
import {
  type PlannedPost,
  type PreviousStories,
  planPosts,
  type SlackMessage,
} from '../slack/render/index.js';
import { markUpdated, mergedAbove, revisionNote, strikeThrough } from '../slack/render/revision.js';
import {
  type Delivery,
  type PostRecord,
  revisionOf,
  type Store,
  type StoredBriefing,
} from '../store/types.js';
import { createLeases, type Leases, newInstanceId } from './leases.js';
import { type ChannelPacer, createChannelPacer } from './pacer.js';
import type { Deliverer } from './types.js';

/** Slack's documented pace for chat.postMessage: about one message per second per channel. */
export const MIN_POST_INTERVAL_MS = 1000;
/** Slack's answers that mean the channel itself is unusable (not the message or the token). */
const CHANNEL_ERRORS = /^(channel_not_found|not_in_channel|is_archived|restricted_action)\b/;
/** Wait before re-attempting a delivery whose attempt ended on a transient fault; doubles per attempt. */
export const REDELIVERY_BASE_DELAY_MS = 60_000;
/**
 * Longest wait between attempts. A transient fault (Slack down, network gone) never fails a delivery:
 * an outage of hours must end with the briefing posted, not with an operator running --retry. Fifteen
 * minutes keeps a long outage to four polite attempts an hour.
 */
export const MAX_REDELIVERY_DELAY_MS = 15 * 60_000;
/**
 * A delivery stopped by the store (a full disk: ENOSPC; a database gone) is tried again after this,
 * doubling up to the cap: the bot resumes by itself once space returns, without a restart.
 */
export const STORE_RETRY_BASE_MS = 5_000;
export const STORE_RETRY_MAX_MS = 5 * 60_000;

/** Message metadata event type of every briefing post (see `postMarker`). */
export const POST_METADATA_TYPE = 'briefing_bot_post';
/**
 * An unrecorded card went out after the briefing was received (by this machine's clock); this much
 * earlier is still searched, for clock differences between this machine and Slack.
 */
export const ADOPT_CLOCK_MARGIN_MS = 10 * 60_000;

/**
 * The key a post's marker names. Posts made for a corrected copy (version n ≥ 1) add `@r{n}`: a
 * section renumbered by the correction may reuse the key of an older post still in the thread (a
 * dropped section's `s3`), which must not be adopted as the new section's post.
 */
export function markerKey(key: string, revision: number): string {
  return revision > 0 ? `${key}@r${revision}` : key;
}

/** The marker a post carries, so a later attempt can recognise it in Slack. */
export function postMarker(briefingId: string, key: string) {
  return { event_type: POST_METADATA_TYPE, event_payload: { briefing_id: briefingId, post_key: key } };
}

/** True when a message from history/replies is this briefing's post `key`, posted by this bot. */
export function carriesMarker(
  message: ListedMessage,
  briefingId: string,
  key: string,
  bot: BotIdentity,
): boolean {
  const payload = message.metadata?.event_payload;
  if (message.metadata?.event_type !== POST_METADATA_TYPE || !payload) return false;
  if (payload.briefing_id !== briefingId || payload.post_key !== key) return false;
  // Only apps can set metadata; still, another app's message must not stand in for ours.
  if (bot.userId === null && bot.botId === null) return true;
  return postedBy(message, bot);
}

/** Slack's ts format for an instant: seconds with six decimals. */
function slackTs(ms: number): string {
  return (Math.max(ms, 0) / 1000).toFixed(6);
}

/**
 * Where the search for an unrecorded post starts: posts go out in order, so it came after the latest
 * recorded one (Slack's own clock); with none recorded, after the briefing was received.
 */
export function searchFrom(posted: Iterable<PostRecord>, receivedAt: string): string {
  let latest: PostRecord | null = null;
  for (const record of posted) if (!latest || Number(record.ts) > Number(latest.ts)) latest = record;
  return latest ? latest.ts : slackTs(Date.parse(receivedAt) - ADOPT_CLOCK_MARGIN_MS);
}

/**
 * A post that follows a briefing's thread, outside it: a desk channel's index of the sections about its
 * countries, a follower's direct message. Keys (`desk:…`, `dm:…`) make each exactly-once like the
 * briefing's own posts; they are planned after the sections, whose permalinks they link to.
 */
export interface FollowOnPost {
  key: string;
  target: { kind: 'channel'; channel: string } | { kind: 'dm'; user: string };
  message: SlackMessage;
}

/** What a delivery posts besides the briefing's thread, given the posts recorded so far. */
export type PlanFollowOns = (
  stored: StoredBriefing,
  posted: ReadonlyMap<string, PostRecord>,
) => Promise<FollowOnPost[]>;

export interface DelivererOptions {
  store: Store;
  client: WebClient;
  logger: Logger;
  /** BRIEFING_CHANNEL: a channel id or name. */
  channel: string;
  layout: ThreadLayout;
  now?: () => Date;
  sleep?: Sleep;
  retryPolicy?: RetryPolicy;
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
  /** This process's claims (default: a new owner on `store`, DEFAULT_LEASE_MS). */
  leases?: Leases;
  /**
   * How often to look in the store for unfinished deliveries this process has not seen (another
   * instance's, left by its crash). Null (the default, one process): only at start.
   */
  sweepMs?: number | null;
}

/** Slack's answers to chat.update that mean the post is gone or frozen: the edit is skipped, not failed. */
const UNEDITABLE =
  /^(message_not_found|cant_update_message|edit_window_closed|channel_not_found|is_archived)\b/;

/** A desk post or follow notice Slack refused for good: the briefing's own channel is not at fault. */
class FollowOnError extends PermanentSlackError {}

/**
 * Thrown before a post when this process no longer holds the delivery's claim (its lease ran out while
 * it could not renew, and another instance took over): posting on would make a second copy.
 */
class ClaimLost extends Error {
  constructor(briefingId: string) {
    super(`the claim on delivery ${briefingId} passed to another instance`);
  }
}

/** Extra wait past a claim's lease before asking again, so the holder's last renewal is not raced. */
const CLAIM_RECHECK_MARGIN_MS = 100;

/** Thrown out of a wait when the deliverer stops; the delivery stays pending and resumes next start. */
class DeliveryStopped extends Error {
  constructor() {
    super('deliverer stopped');
  }
}

/** How a post hangs in the channel, given the posts recorded before it. */
export function threadFor(
  post: PlannedPost,
  layout: ThreadLayout,
  posted: Map<string, PostRecord>,
): string | null {
  if (post.key === 'card') return null;
  if (layout === 'briefing') return posted.get('card')?.ts ?? null;
  // 'sections': each section starts its own thread; its continuations go into that thread.
  return post.part === 0 ? null : (posted.get(`s${post.sectionIndex}`)?.ts ?? null);
}

export function createDeliverer(options: DelivererOptions): Deliverer {
  const { store, client, logger, layout } = options;
  const now = options.now ?? (() => new Date());
  const baseSleep = options.sleep ?? realSleep;
  const policy = options.retryPolicy ?? DEFAULT_RETRY_POLICY;
  const minInterval = options.minPostIntervalMs ?? MIN_POST_INTERVAL_MS;
  const redeliveryBase = options.redeliveryBaseDelayMs ?? REDELIVERY_BASE_DELAY_MS;
  const redeliveryMax = options.maxRedeliveryDelayMs ?? MAX_REDELIVERY_DELAY_MS;
  const storeRetryBase = options.storeRetryBaseMs ?? STORE_RETRY_BASE_MS;
  const storeRetryMax = options.storeRetryMaxMs ?? STORE_RETRY_MAX_MS;
  /** Why the store last refused a delivery's write (null: fine), and each stopped delivery's next wait. */
  let storeProblem: string | null = null;
  const storeRetries = new Map<string, number>();

  /** Runs per briefing id, queued or in flight: a second kick joins the first. */
  const runs = new Map<string, Promise<void>>();
  /** The tail of each channel's queue. */
  const queues = new Map<string, Promise<void>>();
  const timers = new Map<string, NodeJS.Timeout>();
  const leases = options.leases ?? createLeases({ store, owner: `${newInstanceId()}/deliver`, logger });
  let sweeper: NodeJS.Timeout | null = null;
  let channelId: string | null = null;
  /** Why BRIEFING_CHANNEL cannot be posted in, as last seen (null: fine or not looked up yet). */
  let channelProblem: string | null = null;
  /** The workspace URL from auth.test (undefined: not asked yet; null: unavailable, ask per post). */
  let workspaceUrl: string | null | undefined;
  /** The bot's own ids from the same auth.test: adopted posts must be the bot's. */
  const self: BotIdentity = { userId: null, botId: null };
  /** Deliveries an operator retried: their next attempt looks for an unrecorded post first. */
  const retried = new Set<string>();
  let stopped = false;
  let wakeSleepers: () => void = () => {};
  const stopping = new Promise<void>((resolve) => {
    wakeSleepers = resolve;
  });

  /** Waits are cut short by stop(): a graceful shutdown must not sit out a two-minute Retry-After. */
  const sleep: Sleep = async (ms) => {
    await Promise.race([baseSleep(ms), stopping]);
    if (stopped) throw new DeliveryStopped();
  };

  const pacer: ChannelPacer = createChannelPacer({ leases, minIntervalMs: minInterval, sleep });

  /** The fence: renews this attempt's claim, and stops it when another instance has taken over. */
  async function holdClaim(briefingId: string): Promise<void> {
    const claim = await leases.claim('delivery', briefingId);
    if (!claim.ok) throw new ClaimLost(briefingId);
  }

  const call = <T>(fn: () => Promise<T>): Promise<T> =>
    withSlackRetries(fn, policy, sleep, (failure, waitMs) =>
      logger.warn(`Slack call failed (${failure.reason}); retrying in ${waitMs} ms`),
    );

  async function channel(): Promise<string> {
    if (channelId) return channelId;
    try {
      channelId = await resolveChannel(client, options.channel, call);
      channelProblem = null;
      return channelId;
    } catch (error) {
      if (error instanceof PermanentSlackError) channelProblem = error.message;
      throw error;
    }
  }

  /**
   * The ts of this briefing's post `key` if Slack already has it (searched in its thread, or among
   * the channel's messages, after `oldest`), else null. A permanent error (a missing history scope, a deleted thread)
   * means "cannot tell": the post is sent. Transient errors propagate to the caller's retries.
   */
  async function findPosted(
    stored: StoredBriefing,
    key: string,
    target: string,
    threadTs: string | null,
    oldest: string,
  ): Promise<string | null> {
    await workspace();
    return findInHistory(
      client,
      { channel: target, oldest, threadTs, includeMetadata: true },
      (m) =>
        carriesMarker(m, stored.id, markerKey(key, revisionOf(stored)), self) &&
        (threadTs ? m.thread_ts === threadTs && m.ts !== threadTs : !m.thread_ts || m.thread_ts === m.ts),
      (reason) =>
        logger.warn(
          `Cannot check Slack for an unrecorded post ${key} of briefing ${stored.id} (${reason}); posting it`,
        ),
    );
  }

  async function post(
    stored: StoredBriefing,
    planned: PlannedPost,
    posted: Map<string, PostRecord>,
    options: { mayExist: boolean; target?: string; threadTs?: string | null },
  ): Promise<void> {
    // Resumed deliveries stay in the channel their card went to, even if BRIEFING_CHANNEL changed since.
    const target = options.target ?? posted.get('card')?.channel ?? (await channel());
    // A follow-on post (desk, DM) starts its own conversation: it is never in the briefing's thread.
    const threadTs =
      options.threadTs !== undefined
        ? options.threadTs
        : options.target === undefined
          ? threadFor(planned, layout, posted)
          : null;
    let mayExist = options.mayExist;
    let adopted = false;
    await holdClaim(stored.id);
    const result = await pacer.withChannel(target, () =>
      call(async (): Promise<{ ts?: string; channel?: string }> => {
        if (mayExist) {
          const oldest = searchFrom(posted.values(), stored.receivedAt);
          const ts = await findPosted(stored, planned.key, target, threadTs, oldest);
          if (ts) {
            adopted = true;
            return { ts, channel: target };
          }
        }
        try {
          return await client.chat.postMessage({
            channel: target,
            text: planned.message.text,
            blocks: planned.message.blocks,
            // The fallback is the email's words, escaped: never read as formatting.
            mrkdwn: false,
            ...(threadTs ? { thread_ts: threadTs } : {}),
            unfurl_links: false,
            unfurl_media: false,
            metadata: postMarker(stored.id, markerKey(planned.key, revisionOf(stored))),
          });
        } catch (error) {
          // A lost answer (network error, 5xx, timeout) may hide a post Slack took: look before retrying.
          // A 429 or a permanent error means Slack did not post.
          if (classifySlackError(error).kind === 'transient') mayExist = true;
          throw error;
        }
      }),
    );
    if (adopted)
      logger.info(`Briefing ${stored.id}: post ${planned.key} was already in Slack; adopted its ts`);
    if (!result.ts) throw new PermanentSlackError('chat.postMessage returned no ts');
    const record: PostRecord = {
      key: planned.key,
      sectionIndex: planned.sectionIndex,
      channel: result.channel ?? target,
      ts: result.ts,
      threadTs,
      permalink: null,
      postedAt: now().toISOString(),
    };
    // Recorded before anything else happens: a crash from here on cannot lead to a second copy.
    await store.recordPost(stored.id, record);
    posted.set(planned.key, record);
    const permalink = await fetchPermalink(record);
    if (permalink) {
      const withLink = { ...record, permalink };
      await store.recordPost(stored.id, withLink);
      posted.set(planned.key, withLink);
    }
  }

  async function workspace(): Promise<string | null> {
    if (workspaceUrl !== undefined) return workspaceUrl;
    try {
      const identity = await call(() => client.auth.test());
      workspaceUrl = isWorkspaceUrl(identity.url) ? identity.url : null;
      self.userId = identity.user_id ?? null;
      self.botId = identity.bot_id ?? null;
    } catch (error) {
      logger.warn(
        `auth.test gave no workspace URL (${(error as Error).message}); asking Slack per permalink`,
      );
      workspaceUrl = null;
    }
    return workspaceUrl;
  }

  /** A missing permalink is cosmetic (commands link to posts): it never fails a delivery. */
  async function fetchPermalink(record: PostRecord): Promise<string | null> {
    const base = await workspace();
    if (base) return buildPermalink(base, record.channel, record.ts, record.threadTs);
    try {
      const result = await call(() =>
        client.chat.getPermalink({ channel: record.channel, message_ts: record.ts }),
      );
      return result.permalink ?? null;
    } catch (error) {
      logger.warn(`No permalink for ${record.channel}/${record.ts}: ${(error as Error).message}`);
      return null;
    }
  }

  async function attempt(briefingId: string): Promise<void> {
    const claim = await leases.claim('delivery', briefingId);
    if (!claim.ok) {
      // Another instance is posting it. Asked again when its lease would run out: if it finished, the
      // delivery is posted and nothing happens; if it died, this instance takes over.
      schedule(briefingId, claim.heldForMs + CLAIM_RECHECK_MARGIN_MS);
      return;
    }
    try {
      await attemptClaimed(briefingId);
    } finally {
      await leases.release('delivery', briefingId);
    }
  }

  async function attemptClaimed(briefingId: string): Promise<void> {
    // The write the store refused may have been the last one (state 'posted' is set in memory before
    // it reaches the disk): write the delivery's state again before judging it by that state.
    if (storeRetries.has(briefingId)) await store.updateDelivery(briefingId, {});
    const stored = await store.getBriefing(briefingId);
    const delivery = await store.getDelivery(briefingId);
    if (!stored || !delivery || delivery.state === 'posted' || delivery.state === 'failed' || stopped) return;
    const attempts = delivery.attempts + 1;
    // An earlier attempt (of this process or one that died) may have left its last post in Slack
    // unrecorded: the first post of this attempt looks for it before posting.
    const operatorRetry = retried.delete(briefingId);
    let mayExist = operatorRetry || delivery.attempts > 0 || delivery.posts.length > 0;
    await store.updateDelivery(briefingId, { state: 'posting', attempts, nextAttemptAt: null });
    let posted = new Map(delivery.posts.map((p) => [p.key, p]));
    try {
      const previous = options.previously ? await options.previously(stored) : undefined;
      const plan = planPosts(stored, previous);
      const revision = revisionOf(stored);
      const revising = revision > (delivery.updatedRevision ?? 0) && posted.has('card');
      // A corrected copy of a briefing already in Slack: the thread is edited before anything is added.
      const changes = revising ? await applyRevision(stored, delivery, posted, plan) : null;
      if (changes) posted = changes.posted;
      for (const planned of plan) {
        if (posted.has(planned.key)) continue;
        if (stopped) {
          await store.updateDelivery(briefingId, { state: 'pending' });
          return;
        }
        // Posts go out one at a time, each recorded before the next: only the first unrecorded one
        // can be in Slack already.
        await post(stored, planned, posted, { mayExist });
        mayExist = false;
      }
      if (changes && !posted.has(noteKey(revision))) {
        // One line in the thread saying what the correction changed, after the sections it added.
        const before = versionOf(stored, delivery.updatedRevision ?? 0);
        const note: PlannedPost = {
          key: noteKey(revision),
          sectionIndex: null,
          part: 0,
          message: revisionNote(before, stored.briefing, changes.diff, revisedAt(stored)),
        };
        await post(stored, note, posted, { mayExist, threadTs: posted.get('card')?.ts ?? null });
        mayExist = false;
      }
      if (changes) await store.updateDelivery(briefingId, { updatedRevision: revision });
      else if (revision > (delivery.updatedRevision ?? 0)) {
        // Nothing was in Slack yet: this attempt posted the current version from the start.
        await store.rekeyPosts(briefingId, [...posted.values()], revision);
        await store.updateDelivery(briefingId, { updatedRevision: revision });
      }
      for (const followOn of options.followOns ? await options.followOns(stored, posted) : []) {
        if (posted.has(followOn.key)) continue;
        if (stopped) {
          await store.updateDelivery(briefingId, { state: 'pending' });
          return;
        }
        if (await postFollowOn(stored, followOn, posted, mayExist)) mayExist = false;
      }
      const latest = await store.getBriefing(briefingId);
      if (latest && revisionOf(latest) !== revision) {
        // A corrected copy arrived while this attempt posted the earlier one: the next attempt edits.
        await store.updateDelivery(briefingId, { state: 'pending' });
        schedule(briefingId, 0);
        return;
      }
      await store.updateDelivery(briefingId, { state: 'posted', lastError: null });
      logger.info(`Briefing ${briefingId} delivered (${posted.size} posts)`);
    } catch (error) {
      if (error instanceof ClaimLost) {
        // The instance that took over owns the delivery's state now: nothing is written here.
        logger.warn(`Delivery of briefing ${briefingId} stopped: ${error.message}`);
        return;
      }
      if (error instanceof DeliveryStopped) await store.updateDelivery(briefingId, { state: 'pending' });
      else await settleFailure(briefingId, attempts, error);
    }
  }

  /** The briefing as it was at version `n` (the current body for the newest). */
  function versionOf(stored: StoredBriefing, n: number) {
    return stored.versions?.[n]?.briefing ?? stored.briefing;
  }

  /** The newsroom's time the newest version arrived: "09:41". */
  function revisedAt(stored: StoredBriefing): string {
    const at = Date.parse(stored.versions?.at(-1)?.receivedAt ?? stored.receivedAt);
    return options.timeZone ? format(new TZDate(at, options.timeZone), 'HH:mm') : format(at, 'HH:mm');
  }

  /**
   * Brings a thread posted for an earlier version up to the current one: post records renumbered to the
   * current sections (stored first, so a crash cannot pair a post with the wrong section), then the
   * card and every changed section edited and every dropped section struck through with chat.update —
   * edits are idempotent, so a resumed attempt simply makes them again. New sections are then posted
   * by the usual loop, and the note after them. Returns the renumbered posts and the diff the note
   * describes (from what Slack showed to the current version).
   */
  async function applyRevision(
    stored: StoredBriefing,
    delivery: Delivery,
    posted: Map<string, PostRecord>,
    plan: PlannedPost[],
  ): Promise<{ posted: Map<string, PostRecord>; diff: BriefingDiff }> {
    const revision = revisionOf(stored);
    const keyed = delivery.revision ?? 0;
    let records = [...posted.values()];
    if (keyed < revision) {
      const renumber = diffBriefings(versionOf(stored, keyed), stored.briefing);
      records = (await store.rekeyPosts(stored.id, rekeyPosts(records, renumber, keyed), revision)).posts;
    }
    const current = new Map(records.map((record) => [record.key, record]));
    const shown = versionOf(stored, delivery.updatedRevision ?? 0);
    const diff = diffBriefings(shown, stored.briefing);
    const when = revisedAt(stored);
    const changed = new Set(diff.kept.filter((change) => change.changed).map((change) => change.newIndex));
    const planned = new Map(plan.map((entry) => [entry.key, entry]));

    const card = current.get('card');
    const cardPlan = planned.get('card');
    if (card && cardPlan) await edit(stored, card, markUpdated(cardPlan.message, when));
    for (const record of records) {
      const part = partOf(record.key);
      if (part && changed.has(part.section)) {
        const next = planned.get(record.key);
        await edit(
          stored,
          record,
          // The corrected section needs fewer posts than it had: the spare one says where its text went.
          next ? markUpdated(next.message, when) : mergedAbove(when),
        );
        continue;
      }
      const gone = goneOf(record.key);
      if (gone) {
        const old = versionOf(stored, gone.base).sections[gone.section];
        const oldPlan = old
          ? planPosts({ ...stored, briefing: { ...stored.briefing, sections: [old] } }).find(
              (entry) => entry.sectionIndex === 0 && entry.part === gone.part,
            )
          : undefined;
        if (oldPlan) await edit(stored, record, strikeThrough(oldPlan.message, when));
      }
    }
    logger.info(
      `Briefing ${stored.id}: corrected copy (version ${revision + 1}) — ${changed.size} changed, ${diff.added.length} added, ${diff.removed.length} removed`,
    );
    return { posted: current, diff };
  }

  /** chat.update of a recorded post; a post Slack no longer lets the bot edit is skipped with a warning. */
  async function edit(stored: StoredBriefing, record: PostRecord, message: SlackMessage): Promise<void> {
    await holdClaim(stored.id);
    try {
      await pacer.withChannel(record.channel, () =>
        call(() =>
          client.chat.update({
            channel: record.channel,
            ts: record.ts,
            text: message.text,
            blocks: message.blocks,
            // No metadata: the post keeps the marker it was posted with (see markerKey).
          }),
        ),
      );
    } catch (error) {
      if (error instanceof PermanentSlackError && UNEDITABLE.test(error.reason)) {
        logger.warn(
          `Briefing ${stored.id}: post ${record.key} cannot be edited (${error.reason}); left as it was`,
        );
        return;
      }
      throw error;
    }
  }

  /** Desk channels by their DESKS / `/desk` name or id, looked up (and joined) once per process. */
  const followOnChannels = new Map<string, string>();
  const dmChannels = new Map<string, string>();

  /** Posts a desk post or follow notice; false when its user cannot be written to (then muted). */
  async function postFollowOn(
    stored: StoredBriefing,
    followOn: FollowOnPost,
    posted: Map<string, PostRecord>,
    mayExist: boolean,
  ): Promise<boolean> {
    const planned: PlannedPost = {
      key: followOn.key,
      sectionIndex: null,
      part: 0,
      message: followOn.message,
    };
    if (followOn.target.kind === 'channel') {
      const ref = followOn.target.channel;
      try {
        let target = followOnChannels.get(ref);
        if (!target) {
          target = await resolveChannel(client, ref, call);
          followOnChannels.set(ref, target);
        }
        await post(stored, planned, posted, { mayExist, target });
      } catch (error) {
        followOnChannels.delete(ref);
        // Named, so the failed delivery says which desk needs the bot invited (and /healthz does not
        // blame BRIEFING_CHANNEL).
        if (error instanceof PermanentSlackError) throw new FollowOnError(`desk ${ref}: ${error.reason}`);
        throw error;
      }
      return true;
    }
    const user = followOn.target.user;
    try {
      const opened = await openDirectMessage(client, user, call, dmChannels.get(user));
      if (opened.kind === 'gone') {
        await muted(user, opened.reason);
        return false;
      }
      dmChannels.set(user, opened.channel);
      await post(stored, planned, posted, { mayExist, target: opened.channel });
      return true;
    } catch (error) {
      dmChannels.delete(user);
      if (error instanceof PermanentSlackError && isGoneUserError(error.reason)) {
        await muted(user, error.reason);
        return false;
      }
      if (error instanceof PermanentSlackError)
        throw new FollowOnError(`follow notice to ${user}: ${error.reason}`);
      throw error;
    }
  }

  async function muted(user: string, reason: string): Promise<void> {
    logger.warn(`Follow notices to ${user} stopped: ${reason}`);
    await options.muteFollower?.(user, reason);
  }

  async function settleFailure(briefingId: string, attempts: number, error: unknown): Promise<void> {
    const reason = error instanceof Error ? error.message : String(error);
    if (error instanceof PermanentSlackError) {
      // The next attempt (an operator's retry) looks the channel up again: it may have been fixed.
      if (!(error instanceof FollowOnError)) channelId = null;
      if (CHANNEL_ERRORS.test(reason)) channelProblem = reason;
      await store.updateDelivery(briefingId, { state: 'failed', lastError: reason, nextAttemptAt: null });
      logger.error(`Delivery of briefing ${briefingId} failed: ${reason}`);
      return;
    }
    if (!(error instanceof TransientSlackError)) {
      await store.updateDelivery(briefingId, { state: 'failed', lastError: reason, nextAttemptAt: null });
      logger.error(`Delivery of briefing ${briefingId} failed after ${attempts} attempts: ${reason}`);
      return;
    }
    // 2 ** 30 already dwarfs any cap; bounding the exponent keeps the arithmetic finite after weeks.
    const delay = Math.min(redeliveryBase * 2 ** Math.min(attempts - 1, 30), redeliveryMax);
    const at = new Date(now().getTime() + delay);
    await store.updateDelivery(briefingId, {
      state: 'pending',
      lastError: reason,
      nextAttemptAt: at.toISOString(),
    });
    logger.warn(
      `Delivery of briefing ${briefingId} interrupted (${reason}); next attempt at ${at.toISOString()}`,
    );
    schedule(briefingId, delay);
  }

  function schedule(briefingId: string, delayMs: number): void {
    if (stopped) return;
    clearTimeout(timers.get(briefingId));
    const timer = setTimeout(() => {
      timers.delete(briefingId);
      void run(briefingId);
    }, delayMs);
    timer.unref();
    timers.set(briefingId, timer);
  }

  function run(briefingId: string): Promise<void> {
    const existing = runs.get(briefingId);
    if (existing) return existing;
    // Every line of this delivery's attempt names it, also when a timer or a restart started it.
    return withLogContext({ delivery: briefingId }, () => startRun(briefingId));
  }

  function startRun(briefingId: string): Promise<void> {
    const queueKey = options.channel;
    const tail = queues.get(queueKey) ?? Promise.resolve();
    const current = tail
      .then(() => attempt(briefingId))
      .then(
        () => {
          storeRetries.delete(briefingId);
          if (storeRetries.size === 0) storeProblem = null;
        },
        (error: unknown) => {
          // Store failures land here (Slack's are settled inside the attempt): the delivery stays
          // unfinished in the store's eyes, and is tried again, later and later, until a write succeeds.
          const reason = error instanceof Error ? error.message : String(error);
          storeProblem = reason;
          const wait = storeRetries.get(briefingId) ?? storeRetryBase;
          storeRetries.set(briefingId, Math.min(wait * 2, storeRetryMax));
          logger.error(
            `Delivery of briefing ${briefingId} stopped by the store (${reason}); trying again in ${Math.round(wait / 1000)} s`,
          );
          schedule(briefingId, wait);
        },
      )
      .finally(() => {
        runs.delete(briefingId);
        if (queues.get(queueKey) === current) queues.delete(queueKey);
      });
    runs.set(briefingId, current);
    queues.set(queueKey, current);
    return current;
  }

  /** Schedules every unfinished delivery: at start, and on each sweep (a run in flight is joined). */
  async function resume(): Promise<void> {
    for (const delivery of await store.unfinishedDeliveries()) {
      if (stopped) return;
      if (runs.has(delivery.briefingId)) continue;
      const wait = dueIn(delivery);
      if (wait > 0) schedule(delivery.briefingId, wait);
      else void run(delivery.briefingId);
    }
  }

  function dueIn(delivery: Delivery): number {
    return delivery.nextAttemptAt ? Date.parse(delivery.nextAttemptAt) - now().getTime() : 0;
  }

  return {
    kick(briefingId) {
      if (stopped) return;
      void run(briefingId);
    },
    async retry(briefingId) {
      const delivery = await store.getDelivery(briefingId);
      if (!delivery) throw new Error(`No delivery for briefing ${briefingId}`);
      if (delivery.state === 'posted') return;
      clearTimeout(timers.get(briefingId));
      timers.delete(briefingId);
      await runs.get(briefingId);
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
      await run(briefingId);
    },
    channelStatus() {
      if (channelProblem) return `error: ${channelProblem}`;
      return channelId ? 'ok' : 'not checked yet';
    },
    storeStatus() {
      return storeProblem ? `error: ${storeProblem}` : 'ok';
    },
    async warmUp() {
      // Looked up before the first briefing arrives: a wrong BRIEFING_CHANNEL shows at start-up, and a
      // briefing's delivery then costs exactly its posts.
      try {
        await workspace();
        await channel();
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
      if (every && every > 0 && !sweeper && !stopped) {
        sweeper = setInterval(() => {
          resume().catch((error: unknown) =>
            logger.warn(`Looking for unfinished deliveries failed: ${(error as Error).message}`),
          );
        }, every);
        sweeper.unref();
      }
    },
    async idle() {
      while (runs.size > 0) await Promise.all([...runs.values()]);
    },
    async stop() {
      stopped = true;
      wakeSleepers();
      if (sweeper) clearInterval(sweeper);
      for (const timer of timers.values()) clearTimeout(timer);
      timers.clear();
      while (runs.size > 0) await Promise.all([...runs.values()]);
      // Every attempt released its claim on the way out; nothing is left to renew.
      leases.stop();
    },
  };
}
