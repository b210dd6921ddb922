/**
 * Posting a day's digest exactly once: the store's digest record (date → ts) is checked before and
 * written right after chat.postMessage, and calls are serialised so the scheduled run and a catch-up
 * racing each other cannot both post.
 */
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

export function createDigestPublisher(services: DigestServices): PublishDigest {
  let queue: Promise<unknown> = Promise.resolve();
  return (date) => {
    const run = queue.then(() => publishOnce(services, date));
    // The chain must survive a failed post, or every later digest would be skipped.
    queue = run.catch(() => undefined);
    return run;
  };
}

async function publishOnce(services: DigestServices, date: string): Promise<DigestOutcome> {
  const { config, store, client, logger } = services;
  const existing = store.getDigest(date);
  if (existing) return { status: 'already-posted', date, channel: existing.channel, ts: existing.ts };

  const model = collectDigest(store, date, config.newsroomTz);
  if (isEmptyDigest(model) && config.digestSkipEmpty) {
    logger.info(`digest ${date}: no briefings, nothing posted (DIGEST_SKIP_EMPTY)`);
    return { status: 'skipped-empty', date };
  }
  const message = renderDigest(model);
  const result = await client.chat.postMessage({
    channel: config.digestChannel,
    text: message.text,
    blocks: message.blocks,
    unfurl_links: false,
    unfurl_media: false,
  });
  if (!result.ts) throw new Error(`chat.postMessage returned no ts for the ${date} digest.`);
  const channel = result.channel ?? config.digestChannel;
  await store.recordDigest({ date, channel, ts: result.ts, postedAt: services.now().toISOString() });
  logger.info(`digest ${date}: posted to ${channel} (${result.ts})`);
  return { status: 'posted', date, channel, ts: result.ts };
}
