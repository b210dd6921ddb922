/**
 * One attempt at a delivery: claim it, post what is missing in order (editing the thread first when a
 * corrected copy arrived), then say how it ended — posted; pending again with backoff after a transient
 * Slack fault (a fault that never fails a delivery); failed with Slack's reason after a permanent one.
 * Store failures are not settled here: they propagate to the queue, which tries again later.
 */
import type { Logger } from '@slack/bolt';
import { noteKey } from '../corrections/posts.js';
import type { Leases } from '../posting/leases.js';
import { PermanentSlackError, TransientSlackError } from '../slack/api/call.js';
import { type PlannedPost, type PreviousStories, planPosts } from '../slack/render/index.js';
import { revisionNote } from '../slack/render/revision.js';
import type { DeliveryWork } from '../store/roles.js';
import { revisionOf, type StoredBriefing } from '../store/types.js';
import type { PlanFollowOns, PostFollowOn } from './follow-on-posts.js';
import { ClaimLost, type Poster } from './poster.js';
import { type ApplyRevision, revisedAt, versionOf } from './revision.js';
import { DeliveryStopped } from './stop-signal.js';

/** Wait before re-attempting a delivery whose attempt ended on a transient fault; doubles per attempt. */
export const REDELIVERY_BASE_DELAY_MS = 60_000;
/**
 * Longest wait between attempts. A transient fault (Slack down, network gone) never fails a delivery:
 * an outage of hours must end with the briefing posted, not with an operator running --retry. Fifteen
 * minutes keeps a long outage to four polite attempts an hour.
 */
export const MAX_REDELIVERY_DELAY_MS = 15 * 60_000;
/** Extra wait past a claim's lease before asking again, so the holder's last renewal is not raced. */
const CLAIM_RECHECK_MARGIN_MS = 100;

export interface AttemptDeps {
  store: DeliveryWork;
  leases: Leases;
  poster: Poster;
  postFollowOn: PostFollowOn;
  applyRevision: ApplyRevision;
  logger: Logger;
  now: () => Date;
  timeZone?: string;
  followOns?: PlanFollowOns;
  previously?: (stored: StoredBriefing) => Promise<PreviousStories>;
  redeliveryBaseDelayMs: number;
  maxRedeliveryDelayMs: number;
  /** Runs the delivery again after `delayMs` (the queue's timer). */
  schedule(briefingId: string, delayMs: number): void;
  stopped(): boolean;
  /** The store refused this delivery's last write (the queue is retrying it). */
  storeStopped(briefingId: string): boolean;
  /** True once for a delivery an operator retried: its first post looks for an unrecorded one. */
  takeOperatorRetry(briefingId: string): boolean;
  /** Slack refused for good (BRIEFING_CHANNEL may be why, unless a FollowOnError names a desk). */
  onPermanentFault(error: PermanentSlackError): void;
}

export function createAttempt(deps: AttemptDeps): (briefingId: string) => Promise<void> {
  const { store, leases, poster, logger, now } = deps;

  async function attemptClaimed(briefingId: string): Promise<void> {
    // The write the store refused may have been the last one (state 'posted' is set in memory before
    // it reaches the disk): write the delivery's state again before judging it by that state.
    if (deps.storeStopped(briefingId)) await store.updateDelivery(briefingId, {});
    const stored = await store.getBriefing(briefingId);
    const delivery = await store.getDelivery(briefingId);
    if (!stored || !delivery || delivery.state === 'posted' || delivery.state === 'failed' || deps.stopped())
      return;
    const attempts = delivery.attempts + 1;
    // An earlier attempt (of this process or one that died) may have left its last post in Slack
    // unrecorded: the first post of this attempt looks for it before posting.
    const operatorRetry = deps.takeOperatorRetry(briefingId);
    let mayExist = operatorRetry || delivery.attempts > 0 || delivery.posts.length > 0;
    await store.updateDelivery(briefingId, { state: 'posting', attempts, nextAttemptAt: null });
    let posted = new Map(delivery.posts.map((p) => [p.key, p]));
    try {
      const previous = deps.previously ? await deps.previously(stored) : undefined;
      const plan = planPosts(stored, previous);
      const revision = revisionOf(stored);
      const revising = revision > (delivery.updatedRevision ?? 0) && posted.has('card');
      // A corrected copy of a briefing already in Slack: the thread is edited before anything is added.
      const changes = revising ? await deps.applyRevision(stored, delivery, posted, plan) : null;
      if (changes) posted = changes.posted;
      for (const planned of plan) {
        if (posted.has(planned.key)) continue;
        if (deps.stopped()) {
          await store.updateDelivery(briefingId, { state: 'pending' });
          return;
        }
        // Posts go out one at a time, each recorded before the next: only the first unrecorded one
        // can be in Slack already.
        await poster.post(stored, planned, posted, { mayExist });
        mayExist = false;
      }
      if (changes && !posted.has(noteKey(revision))) {
        // One line in the thread saying what the correction changed, after the sections it added.
        const before = versionOf(stored, delivery.updatedRevision ?? 0);
        const note: PlannedPost = {
          key: noteKey(revision),
          sectionIndex: null,
          part: 0,
          message: revisionNote(before, stored.briefing, changes.diff, revisedAt(stored, deps.timeZone)),
        };
        await poster.post(stored, note, posted, { mayExist, threadTs: posted.get('card')?.ts ?? null });
        mayExist = false;
      }
      if (changes) await store.updateDelivery(briefingId, { updatedRevision: revision });
      else if (revision > (delivery.updatedRevision ?? 0)) {
        // Nothing was in Slack yet: this attempt posted the current version from the start.
        await store.rekeyPosts(briefingId, [...posted.values()], revision);
        await store.updateDelivery(briefingId, { updatedRevision: revision });
      }
      for (const followOn of deps.followOns ? await deps.followOns(stored, posted) : []) {
        if (posted.has(followOn.key)) continue;
        if (deps.stopped()) {
          await store.updateDelivery(briefingId, { state: 'pending' });
          return;
        }
        if (await deps.postFollowOn(stored, followOn, posted, mayExist)) mayExist = false;
      }
      const latest = await store.getBriefing(briefingId);
      if (latest && revisionOf(latest) !== revision) {
        // A corrected copy arrived while this attempt posted the earlier one: the next attempt edits.
        await store.updateDelivery(briefingId, { state: 'pending' });
        deps.schedule(briefingId, 0);
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

  async function settleFailure(briefingId: string, attempts: number, error: unknown): Promise<void> {
    const reason = error instanceof Error ? error.message : String(error);
    if (error instanceof PermanentSlackError) {
      deps.onPermanentFault(error);
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
    const delay = Math.min(
      deps.redeliveryBaseDelayMs * 2 ** Math.min(attempts - 1, 30),
      deps.maxRedeliveryDelayMs,
    );
    const at = new Date(now().getTime() + delay);
    await store.updateDelivery(briefingId, {
      state: 'pending',
      lastError: reason,
      nextAttemptAt: at.toISOString(),
    });
    logger.warn(
      `Delivery of briefing ${briefingId} interrupted (${reason}); next attempt at ${at.toISOString()}`,
    );
    deps.schedule(briefingId, delay);
  }

  return async (briefingId) => {
    const claim = await leases.claim('delivery', briefingId);
    if (!claim.ok) {
      // Another instance is posting it. Asked again when its lease would run out: if it finished, the
      // delivery is posted and nothing happens; if it died, this instance takes over.
      deps.schedule(briefingId, claim.heldForMs + CLAIM_RECHECK_MARGIN_MS);
      return;
    }
    try {
      await attemptClaimed(briefingId);
    } finally {
      await leases.release('delivery', briefingId);
    }
  };
}
