/**
 * `@briefing-bot …`: answered in the thread it was asked in (a short help outside the bot's threads).
 *
 * Bolt acks the event at once; the answer is queued (a bounded queue: a flood of mentions waits or
 * is dropped with a log line, never held in memory without limit). A mention is marked seen only
 * once its answer is posted, so one whose answer failed is answered when Slack delivers it again.
 */
import type { App } from '@slack/bolt';
import type { ServicesWith } from '../../services.js';
import type { ArchiveReads } from '../../store/roles.js';
import type { SeenStore } from '../../store/types.js';
import {
  DEFAULT_RETRY_POLICY,
  type RetryPolicy,
  realSleep,
  type Sleep,
  withSlackRetries,
} from '../api/call.js';
import { answerMention } from './mention-answer.js';
import { briefingThread } from './thread-of.js';
import { WorkQueue } from './work-queue.js';

/**
 * Mentions waiting for their answer at most. Each waiting mention holds its event (a few KB); answers
 * are rendered only when their turn comes. Slack posts about one message a second per channel, so
 * more than this would wait minutes anyway.
 */
export const MENTION_QUEUE_CAPACITY = 500;
/** Answers posted at once: Slack's per-channel pace makes more pointless. */
export const MENTION_CONCURRENCY = 4;

export interface MentionOptions {
  sleep?: Sleep;
  retryPolicy?: RetryPolicy;
  capacity?: number;
}

export function registerMentions(
  app: App,
  services: ServicesWith<ArchiveReads & SeenStore, 'logger'>,
  options: MentionOptions = {},
): WorkQueue {
  const { store, logger } = services;
  const sleep = options.sleep ?? realSleep;
  const policy = options.retryPolicy ?? DEFAULT_RETRY_POLICY;
  const queue = new WorkQueue({
    capacity: options.capacity ?? MENTION_QUEUE_CAPACITY,
    concurrency: MENTION_CONCURRENCY,
    logger,
    name: 'mention',
  });
  // The same event id in flight twice (Slack retrying a slow answer) is answered once.
  const inFlight = new Set<string>();

  app.event('app_mention', async ({ event, body, client }) => {
    // Another app mentioning us could start two bots answering each other forever.
    if (event.bot_id) return;
    const id = `mention:${body.event_id}`;
    if (inFlight.has(id) || (await store.eventSeen(id))) return;
    const { channel, text, ts } = event;
    const threadTs = event.thread_ts;
    inFlight.add(id);
    const queued = queue.push(body.event_id, async () => {
      try {
        const replies = await answerMention(store, text, await briefingThread(store, channel, threadTs));
        for (const reply of replies) {
          // In order, each after the last: a long `more` is several messages that must read top to bottom.
          await withSlackRetries(
            () =>
              client.chat.postMessage({
                channel,
                thread_ts: threadTs ?? ts,
                text: reply.text,
                blocks: reply.blocks,
                mrkdwn: false,
                unfurl_links: false,
                unfurl_media: false,
              }),
            policy,
            sleep,
          );
        }
        await store.markEventSeen(id);
      } finally {
        inFlight.delete(id);
      }
    });
    if (!queued) inFlight.delete(id);
  });
  return queue;
}
