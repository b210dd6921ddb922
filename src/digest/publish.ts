/**
 * Posting a day's digest exactly once: the store's digest record (date → ts) is checked before and
 * written right after chat.postMessage, and calls are serialised so the scheduled run and a catch-up
 * racing each other cannot both post.
 */
import { resolveChannel } from '../delivery/channel.js';
import { DEFAULT_RETRY_POLICY, realSleep, type Sleep, withSlackRetries } from '../delivery/slack-call.js';
import type { Services } from '../services.js';
import { collectDigest } from './collect.js';
import { isEmptyDigest } from './model.js';
import { renderDigest } from './render.js';

export type DigestOutcome =
  | { status: 'posted'; date: string; channel: string; ts: string }
  | { status: 'already-posted'; date: string; channel: string; ts: string }
  | { status: 'skipped-empty'; date: string };

export type DigestServices = Pick<Services, 'config' | 'store' | 'client' | 'logger' | 'now'>;

export type PublishDigest = (date: string) => Promise<DigestOutcome>;

export function createDigestPublisher(services: DigestServices, sleep: Sleep = realSleep): PublishDigest {
  // The bot's one Slack retry policy (the WebClient itself never retries): 429s waited out, transient
  // faults backed off, permanent ones (channel_not_found, not_in_channel) thrown at once.
  const call = <T>(fn: () => Promise<T>) => withSlackRetries(fn, DEFAULT_RETRY_POLICY, sleep);
  let channelId: string | null = null;
  const channel = async () => {
    // DIGEST_CHANNEL may be a name, and a public channel the bot has not joined yet.
    channelId ??= await resolveChannel(services.client, services.config.digestChannel, call);
    return channelId;
  };
  let queue: Promise<unknown> = Promise.resolve();
  return (date) => {
    const run = queue.then(() => publishOnce(services, date, channel, call));
    // The chain must survive a failed post, or every later digest would be skipped.
    queue = run.catch(() => undefined);
    return run;
  };
}

async function publishOnce(
  services: DigestServices,
  date: string,
  channel: () => Promise<string>,
  call: <T>(fn: () => Promise<T>) => Promise<T>,
): Promise<DigestOutcome> {
  const { config, store, client, logger } = services;
  const existing = store.getDigest(date);
  if (existing) return { status: 'already-posted', date, channel: existing.channel, ts: existing.ts };

  const model = collectDigest(store, date, config.newsroomTz);
  if (isEmptyDigest(model) && config.digestSkipEmpty) {
    logger.info(`digest ${date}: no briefings, nothing posted (DIGEST_SKIP_EMPTY)`);
    return { status: 'skipped-empty', date };
  }
  const message = renderDigest(model);
  const target = await channel();
  const result = await call(() =>
    client.chat.postMessage({
      channel: target,
      text: message.text,
      blocks: message.blocks,
      unfurl_links: false,
      unfurl_media: false,
    }),
  );
  if (!result.ts) throw new Error(`chat.postMessage returned no ts for the ${date} digest.`);
  const postedIn = result.channel ?? target;
  await store.recordDigest({
    date,
    channel: postedIn,
    ts: result.ts,
    postedAt: services.now().toISOString(),
  });
  logger.info(`digest ${date}: posted to ${postedIn} (${result.ts})`);
  return { status: 'posted', date, channel: postedIn, ts: result.ts };
}
