/**
 * Posting a message exactly once, for whatever the bot posts that must not appear twice (a briefing's
 * card and sections, desk posts and follow notices, the day's digest): paced as its channel's one
 * poster (pacer.ts), retried under the bot's one policy, and — whenever the post may already be in
 * Slack without its ts on record — looked for by its marker first and adopted rather than sent again.
 * "May already be in Slack": the caller knows an earlier attempt may have posted it (a resumed
 * delivery, a digest whose claimer died); and after a lost answer (a network error, a 5xx, a timeout)
 * Slack may have taken the post, so the retry looks before it posts. A 429 or a permanent error means
 * Slack did not post.
 */
import type { Logger } from '@slack/bolt';
import { type Call, classifySlackError, PermanentSlackError, type Sleep } from '../slack/api/call.js';
import { findInHistory } from '../slack/api/history.js';
import type { SlackMessage } from '../slack/render/blocks.js';
import { carriesMarker, inPlace, type PostMark, postMarker } from './marker.js';
import type { Posting } from './posting.js';

export interface PostOnceRequest {
  channel: string;
  /** The thread it replies in; null at top level. */
  threadTs: string | null;
  message: SlackMessage;
  mark: PostMark;
  /** True when an earlier attempt may have posted it: its marker is looked for before posting. */
  mayExist: boolean;
  /** The Slack ts the search starts after: no copy of the post can be older. */
  oldest: string;
  /**
   * False for a fallback text that is an email's words, escaped: shown as typed, never as formatting.
   * Absent: Slack's default (mrkdwn), for text the bot wrote.
   */
  mrkdwn?: false;
  /** What the post is, for the warning when history cannot be read ("post s2 of briefing 7"). */
  what: string;
}

export interface PostOnceResult {
  ts: string;
  channel: string;
  /** True when the post was found in Slack rather than made now. */
  adopted: boolean;
}

export async function postOnce(
  posting: Posting,
  call: Call,
  request: PostOnceRequest,
  logger: Pick<Logger, 'warn'>,
  sleep?: Sleep,
): Promise<PostOnceResult> {
  const { client } = posting;
  const { channel, threadTs, message } = request;
  const bot = await posting.whoAmI(call);
  let mayExist = request.mayExist;
  let adopted = false;
  // The search runs inside the retried call: a retry after a lost answer must find what Slack took.
  const result = await posting.pacer.withChannel(
    channel,
    () =>
      call(async (): Promise<{ ts?: string; channel?: string }> => {
        if (mayExist) {
          const ts = await findInHistory(
            client,
            { channel, oldest: request.oldest, threadTs, includeMetadata: true },
            (m) => carriesMarker(m, request.mark, bot) && inPlace(m, threadTs),
            (reason) =>
              logger.warn(`Cannot check Slack for an unrecorded ${request.what} (${reason}); posting it`),
          );
          if (ts) {
            adopted = true;
            return { ts, channel };
          }
        }
        try {
          return await client.chat.postMessage({
            channel,
            text: message.text,
            blocks: message.blocks,
            ...(request.mrkdwn === false ? { mrkdwn: false } : {}),
            ...(threadTs ? { thread_ts: threadTs } : {}),
            unfurl_links: false,
            unfurl_media: false,
            metadata: postMarker(request.mark),
          });
        } catch (error) {
          if (classifySlackError(error).kind === 'transient') mayExist = true;
          throw error;
        }
      }),
    sleep,
  );
  if (!result.ts) throw new PermanentSlackError(`chat.postMessage returned no ts for ${request.what}`);
  return { ts: result.ts, channel: result.channel ?? channel, adopted };
}
