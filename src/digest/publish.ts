/**
 * Posting a day's digest exactly once: the store's digest record (date → ts) is checked before and
 * written right after chat.postMessage, and calls are serialised so the scheduled run and a catch-up
 * racing each other cannot both post. A process that dies after Slack took the post but before the
 * record was written leaves a digest Slack has and the store does not: every post therefore carries a
 * marker (its first block's `block_id` names the date), and the channel's history since the start of
 * that day is searched for it first; a digest found there is adopted (recorded), not posted again.
 *
 * Several instances on one database each run the schedule: the day's digest is claimed (a lease in
 * the store, see delivery/leases.ts) before the record is read again and the channel searched, so one
 * instance at a time decides. The others answer 'claimed-elsewhere' and ask again when the lease
 * would run out — by then the digest is recorded, or its claimer died and the search above finds
 * what it may have posted. The post itself goes through the channel pacer, like a briefing's.
 */
import { TZDate } from '@date-fns/tz';
import type { WebClient } from '@slack/web-api';
import { MIN_POST_INTERVAL_MS } from '../delivery/deliverer.js';
import { createLeases, type Leases, newInstanceId } from '../delivery/leases.js';
import { type ChannelPacer, createChannelPacer } from '../delivery/pacer.js';
import { parts } from '../query/calendar.js';
import type { Services } from '../services.js';
import { DEFAULT_RETRY_POLICY, realSleep, type Sleep, withSlackRetries } from '../slack/api/call.js';
import { resolveChannel } from '../slack/api/channel.js';
import { type BotIdentity, findInHistory, type ListedMessage, postedBy } from '../slack/api/history.js';
import type { Block, SlackMessage } from '../slack/render/blocks.js';
import { collectDigest } from './collect.js';
import { isEmptyDigest } from './model.js';
import { renderDigest } from './render.js';

/** The `block_id` of a digest's first block. */
export function digestMarker(date: string): string {
  return `briefing-bot-digest-${date}`;
}

/** The message with the digest's marker on its first block. */
export function markDigest(message: SlackMessage, date: string): SlackMessage {
  const [first, ...rest] = message.blocks;
  if (!first) return message;
  const marked: Block = Object.assign({}, first, { block_id: digestMarker(date) });
  return { ...message, blocks: [marked, ...rest] };
}

/** True when a message from history is the digest for `date`, posted at top level by this bot. */
export function isDigestPost(message: ListedMessage, date: string, bot: BotIdentity): boolean {
  if (message.blocks?.[0]?.block_id !== digestMarker(date)) return false;
  if (message.thread_ts && message.thread_ts !== message.ts) return false;
  // Only apps set block ids in practice; still, another app's message must not stand in for ours.
  if (bot.userId === null && bot.botId === null) return message.bot_id !== undefined;
  return postedBy(message, bot);
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

export type DigestServices = Pick<
  Services,
  'config' | 'store' | 'client' | 'logger' | 'now' | 'slackRetry' | 'instanceId'
>;

/** Extra wait past another instance's lease before asking again, so its last renewal is not raced. */
const CLAIM_RECHECK_MARGIN_MS = 100;

export type PublishDigest = (date: string) => Promise<DigestOutcome>;

export function createDigestPublisher(
  services: DigestServices,
  sleep: Sleep = services.slackRetry?.sleep ?? realSleep,
): PublishDigest {
  const policy = services.slackRetry?.policy ?? DEFAULT_RETRY_POLICY;
  // The bot's one Slack retry policy (the WebClient itself never retries): 429s waited out, transient
  // faults backed off, permanent ones (channel_not_found, not_in_channel) thrown at once.
  const call = <T>(fn: () => Promise<T>) => withSlackRetries(fn, policy, sleep);
  let channelId: string | null = null;
  const channel = async () => {
    // DIGEST_CHANNEL may be a name, and a public channel the bot has not joined yet.
    channelId ??= await resolveChannel(services.client, services.config.digestChannel, call);
    return channelId;
  };
  let identity: Promise<BotIdentity> | null = null;
  const self = () => {
    identity ??= whoAmI(services.client);
    return identity;
  };
  const leases = createLeases({
    store: services.store,
    owner: `${services.instanceId ?? newInstanceId()}/digest`,
    leaseMs: services.config.claimLeaseMs,
    logger: services.logger,
  });
  const pacer = createChannelPacer({ leases, minIntervalMs: MIN_POST_INTERVAL_MS, sleep });
  const slack: SlackSide = { channel, call, self, leases, pacer };
  let queue: Promise<unknown> = Promise.resolve();
  return (date) => {
    const run = queue.then(() => claimAndPublish(services, date, slack));
    // The chain must survive a failed post, or every later digest would be skipped.
    queue = run.catch(() => undefined);
    return run;
  };
}

/** What the publisher keeps between digests: Slack look-ups, retries and this process's claims. */
interface SlackSide {
  channel: () => Promise<string>;
  call: <T>(fn: () => Promise<T>) => Promise<T>;
  self: () => Promise<BotIdentity>;
  leases: Leases;
  pacer: ChannelPacer;
}

async function claimAndPublish(
  services: DigestServices,
  date: string,
  slack: SlackSide,
): Promise<DigestOutcome> {
  const existing = await services.store.getDigest(date);
  if (existing) return { status: 'already-posted', date, channel: existing.channel, ts: existing.ts };
  const claim = await slack.leases.claim('digest', date);
  if (!claim.ok) {
    services.logger.info(`digest ${date}: another instance is posting it`);
    return { status: 'claimed-elsewhere', date, retryInMs: claim.heldForMs + CLAIM_RECHECK_MARGIN_MS };
  }
  try {
    return await publishOnce(services, date, slack);
  } finally {
    await slack.leases.release('digest', date);
  }
}

async function publishOnce(services: DigestServices, date: string, slack: SlackSide): Promise<DigestOutcome> {
  const { config, store, client, logger } = services;
  const { channel, call, self } = slack;
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
  const message = markDigest(renderDigest(model), date);
  const target = await channel();
  const bot = await self();
  const oldest = startOfDayTs(date, config.newsroomTz);
  let adopted = false;
  // The search runs inside the retried call: a post whose answer was lost (timeout, 5xx) may have
  // been taken, and the retry must find it rather than post a second digest.
  const result = await slack.pacer.withChannel(target, () =>
    call(async (): Promise<{ ts?: string; channel?: string }> => {
      const found = await findPosted(services, target, date, oldest, bot);
      if (found) {
        adopted = true;
        return { ts: found, channel: target };
      }
      return client.chat.postMessage({
        channel: target,
        text: message.text,
        blocks: message.blocks,
        unfurl_links: false,
        unfurl_media: false,
      });
    }),
  );
  if (!result.ts) throw new Error(`chat.postMessage returned no ts for the ${date} digest.`);
  const postedIn = result.channel ?? target;
  await store.recordDigest({
    date,
    channel: postedIn,
    ts: result.ts,
    postedAt: coveredUntil(builtAt, adopted ? result.ts : null).toISOString(),
  });
  if (adopted) {
    logger.info(
      `digest ${date}: already in ${postedIn} (${result.ts}) but not on record; recorded, not reposted`,
    );
    return { status: 'already-posted', date, channel: postedIn, ts: result.ts };
  }
  logger.info(`digest ${date}: posted to ${postedIn} (${result.ts})`);
  return { status: 'posted', date, channel: postedIn, ts: result.ts };
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

/** The bot's own ids (auth.test), to tell its digests from another app's; unknown when that fails. */
async function whoAmI(client: WebClient): Promise<BotIdentity> {
  try {
    const identity = await client.auth.test();
    return { userId: identity.user_id ?? null, botId: identity.bot_id ?? null };
  } catch {
    return { userId: null, botId: null };
  }
}

/**
 * The ts of the `date` digest if the channel already shows it, else null. A permanent error (no
 * history scope, a channel the bot cannot read) means "cannot tell": the digest is posted, as before
 * this check existed. Transient errors propagate to the caller's retries.
 */
async function findPosted(
  services: Pick<DigestServices, 'client' | 'logger'>,
  channel: string,
  date: string,
  oldest: string,
  bot: BotIdentity,
): Promise<string | null> {
  return findInHistory(
    services.client,
    { channel, oldest },
    (m) => isDigestPost(m, date, bot),
    (reason) =>
      services.logger.warn(
        `digest ${date}: cannot check ${channel} for an unrecorded digest (${reason}); posting it`,
      ),
  );
}
