/**
 * Posting a day's digest exactly once: the store's digest record (date → ts) is checked before and
 * written right after the post, and calls are serialised so the scheduled run and a catch-up racing
 * each other cannot both post. A process that dies after Slack took the post but before the record
 * was written leaves a digest Slack has and the store does not: the post is therefore made like a
 * briefing's (posting/post-once.ts), marked with the day it is the digest of, and the channel's
 * history since the start of that day is searched for that marker first; a digest found there is
 * adopted (recorded), not posted again.
 *
 * Several instances on one database each run the schedule: the day's digest is claimed (a lease in
 * the store, see posting/leases.ts) before the record is read again and the channel searched, so one
 * instance at a time decides. The others answer 'claimed-elsewhere' and ask again when the lease
 * would run out — by then the digest is recorded, or its claimer died and the search above finds
 * what it may have posted.
 */
import { TZDate } from '@date-fns/tz';
import { newInstanceId } from '../posting/leases.js';
import type { PostMark } from '../posting/marker.js';
import { postOnce } from '../posting/post-once.js';
import { createPosting, type Posting } from '../posting/posting.js';
import { parts } from '../query/calendar.js';
import type { ServicesWith } from '../services.js';
import { type Call, DEFAULT_RETRY_POLICY, realSleep, type Sleep, slackCall } from '../slack/api/call.js';
import type { DigestWork } from '../store/roles.js';
import { collectDigest } from './collect.js';
import { isEmptyDigest } from './model.js';
import { renderDigest } from './render.js';

/** The marker of the digest for `date` (see posting/marker.ts). */
export function digestMark(date: string): PostMark {
  return { digest_date: date };
}

/** Slack's ts for the first instant of `date` in the newsroom's zone. */
export function startOfDayTs(date: string, timeZone: string): string {
  const { year, month, day } = parts(date);
  return (new TZDate(year, month - 1, day, 0, 0, timeZone).getTime() / 1000).toFixed(6);
}

export type DigestOutcome =
  | { status: 'posted'; date: string; channel: string; ts: string }
  | { status: 'already-posted'; date: string; channel: string; ts: string }
  | { status: 'skipped-empty'; date: string }
  /** Another instance is posting it; ask again after `retryInMs` (its lease, if it died meanwhile). */
  | { status: 'claimed-elsewhere'; date: string; retryInMs: number };

export type DigestServices = ServicesWith<
  DigestWork,
  'config' | 'client' | 'logger' | 'now' | 'slackRetry' | 'instanceId' | 'posting'
>;

/** Extra wait past another instance's lease before asking again, so its last renewal is not raced. */
const CLAIM_RECHECK_MARGIN_MS = 100;

export type PublishDigest = (date: string) => Promise<DigestOutcome>;

/** What the publisher keeps between digests: the process's Slack side, its retries and their waits. */
interface SlackSide {
  posting: Posting;
  call: Call;
  sleep: Sleep;
}

export function createDigestPublisher(
  services: DigestServices,
  sleep: Sleep = services.slackRetry?.sleep ?? realSleep,
): PublishDigest {
  // The bot's one Slack retry policy (the WebClient itself never retries): 429s waited out, transient
  // faults backed off, permanent ones (channel_not_found, not_in_channel) thrown at once.
  const call = slackCall(services.slackRetry?.policy ?? DEFAULT_RETRY_POLICY, sleep, services.logger);
  const posting =
    services.posting ??
    createPosting({
      client: services.client,
      store: services.store,
      logger: services.logger,
      owner: `${services.instanceId ?? newInstanceId()}/digest`,
      leaseMs: services.config.claimLeaseMs,
      sleep,
    });
  const slack: SlackSide = { posting, call, sleep };
  let queue: Promise<unknown> = Promise.resolve();
  return (date) => {
    const run = queue.then(() => claimAndPublish(services, date, slack));
    // The chain must survive a failed post, or every later digest would be skipped.
    queue = run.catch(() => undefined);
    return run;
  };
}

async function claimAndPublish(
  services: DigestServices,
  date: string,
  slack: SlackSide,
): Promise<DigestOutcome> {
  const { leases } = slack.posting;
  const existing = await services.store.getDigest(date);
  if (existing) return { status: 'already-posted', date, channel: existing.channel, ts: existing.ts };
  const claim = await leases.claim('digest', date);
  if (!claim.ok) {
    services.logger.info(`digest ${date}: another instance is posting it`);
    return { status: 'claimed-elsewhere', date, retryInMs: claim.heldForMs + CLAIM_RECHECK_MARGIN_MS };
  }
  try {
    return await publishOnce(services, date, slack);
  } finally {
    await leases.release('digest', date);
  }
}

async function publishOnce(services: DigestServices, date: string, slack: SlackSide): Promise<DigestOutcome> {
  const { config, store, logger } = services;
  const { posting, call } = slack;
  // Read again under the claim: the instance that held it before may have just recorded it.
  const existing = await store.getDigest(date);
  if (existing) return { status: 'already-posted', date, channel: existing.channel, ts: existing.ts };

  // The digest covers what arrived up to this instant; it is recorded as the digest's postedAt, where
  // the next day's window starts (see digestWindow), so whatever arrives while the post is retried or
  // awaits Slack's answer is in the next digest instead of in neither.
  const builtAt = services.now();
  const model = await collectDigest(store, date, config.newsroomTz, builtAt);
  if (isEmptyDigest(model) && config.digestSkipEmpty) {
    logger.info(`digest ${date}: no briefings, nothing posted (DIGEST_SKIP_EMPTY)`);
    return { status: 'skipped-empty', date };
  }
  // DIGEST_CHANNEL may be a name, and a public channel the bot has not joined yet.
  const target = await posting.channels.resolve(config.digestChannel, call);
  const result = await postOnce(
    posting,
    call,
    {
      channel: target,
      threadTs: null,
      message: renderDigest(model),
      mark: digestMark(date),
      // Always looked for: the claim may have come from an instance that died after posting.
      mayExist: true,
      oldest: startOfDayTs(date, config.newsroomTz),
      what: `digest ${date} in ${target}`,
    },
    logger,
    slack.sleep,
  );
  await store.recordDigest({
    date,
    channel: result.channel,
    ts: result.ts,
    postedAt: coveredUntil(builtAt, result.adopted ? result.ts : null).toISOString(),
  });
  if (result.adopted) {
    logger.info(
      `digest ${date}: already in ${result.channel} (${result.ts}) but not on record; recorded, not reposted`,
    );
    return { status: 'already-posted', date, channel: result.channel, ts: result.ts };
  }
  logger.info(`digest ${date}: posted to ${result.channel} (${result.ts})`);
  return { status: 'posted', date, channel: result.channel, ts: result.ts };
}

/**
 * The instant a recorded digest covers up to (its record's postedAt): when its content was collected.
 * One adopted from the channel may have been built by an earlier process, before its Slack ts (the
 * moment Slack took it): the earlier of the two, so the next window overlaps rather than leaves a gap.
 */
function coveredUntil(builtAt: Date, adoptedTs: string | null): Date {
  const slackMs = adoptedTs === null ? Number.NaN : Number(adoptedTs) * 1000;
  return Number.isFinite(slackMs) && slackMs < builtAt.getTime() ? new Date(Math.floor(slackMs)) : builtAt;
}
