/**
 * Finding a post Slack has but the store does not (a process that died between Slack's answer and the
 * store's write): posting/post-once.ts looks for a post's marker in the channel's history, or a
 * thread's replies, after a given ts.
 */
import type { WebClient } from '@slack/web-api';
import { classifySlackError } from './call.js';

/** What the search reads of a message from conversations.history or conversations.replies. */
export interface ListedMessage {
  ts?: string;
  user?: string;
  bot_id?: string;
  thread_ts?: string;
  metadata?: { event_type?: string; event_payload?: Record<string, unknown> };
  blocks?: Array<{ block_id?: string }>;
}

/** Page size of the search (Slack's recommended maximum for history and replies). */
const PAGE_SIZE = 200;
/**
 * Pages searched: an unrecorded post went out right after the last write the store has, so it is
 * among the first messages after `oldest` unless the channel is extraordinarily busy. Past 1000
 * messages the search gives up and the post is sent again — at worst one duplicate, never a lost post.
 */
const MAX_PAGES = 5;

/**
 * The ts of the first message after `oldest` in `channel` (in the thread `threadTs` when given) that
 * `matches` accepts, else null. A permanent error (a missing history scope, a channel the bot cannot
 * read, a deleted thread) means "cannot tell": `cannotTell` hears the reason and the answer is null,
 * so the post is sent. Transient errors propagate to the caller's retries.
 */
export async function findInHistory(
  client: WebClient,
  where: { channel: string; oldest: string; threadTs?: string | null; includeMetadata?: boolean },
  matches: (message: ListedMessage) => boolean,
  cannotTell: (reason: string) => void,
): Promise<string | null> {
  let cursor: string | undefined;
  try {
    for (let page = 0; page < MAX_PAGES; page++) {
      const args = {
        channel: where.channel,
        oldest: where.oldest,
        limit: PAGE_SIZE,
        ...(where.includeMetadata ? { include_all_metadata: true } : {}),
        ...(cursor ? { cursor } : {}),
      };
      const result = where.threadTs
        ? await client.conversations.replies({ ...args, ts: where.threadTs })
        : await client.conversations.history(args);
      const found = ((result.messages ?? []) as ListedMessage[]).find(matches);
      if (found?.ts) return found.ts;
      cursor = result.response_metadata?.next_cursor || undefined;
      if (!cursor) return null;
    }
  } catch (error) {
    const failure = classifySlackError(error);
    if (failure.kind !== 'permanent') throw error;
    cannotTell(failure.reason);
  }
  return null;
}
