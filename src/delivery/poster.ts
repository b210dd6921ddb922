/**
 * Posting one briefing's posts: the card, its sections in the card's thread (or each section's own, in
 * the 'sections' layout), desk posts and follow notices in their own channels, and edits of posts
 * already made. Each post is fenced on the delivery's claim — renewed just before, and a claim that
 * passed to another instance stops this one before it posts (ClaimLost) — then made exactly once
 * (posting/post-once.ts) and its ts recorded the moment Slack returns it.
 */
import type { Logger } from '@slack/bolt';
import type { ThreadLayout } from '../config.js';
import { postOnce } from '../posting/post-once.js';
import type { Posting } from '../posting/posting.js';
import type { Call, Sleep } from '../slack/api/call.js';
import { buildPermalink } from '../slack/permalink.js';
import type { PlannedPost, SlackMessage } from '../slack/render/index.js';
import { type DeliveryStore, type PostRecord, revisionOf, type StoredBriefing } from '../store/types.js';

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

/** The marker of a briefing's post `key` (see posting/marker.ts). */
export function briefingMark(stored: StoredBriefing, key: string) {
  return { briefing_id: stored.id, post_key: markerKey(key, revisionOf(stored)) };
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

/**
 * Thrown before a post when this process no longer holds the delivery's claim (its lease ran out while
 * it could not renew, and another instance took over): posting on would make a second copy.
 */
export class ClaimLost extends Error {
  constructor(briefingId: string) {
    super(`the claim on delivery ${briefingId} passed to another instance`);
  }
}

export interface PostOptions {
  /** An earlier attempt may have made this post: it is looked for before posting. */
  mayExist: boolean;
  /** A desk channel or a DM: outside the briefing's thread. Absent: the card's channel. */
  target?: string;
  /** The thread, when the layout's does not apply (a correction's note). */
  threadTs?: string | null;
}

export interface Poster {
  post(
    stored: StoredBriefing,
    planned: PlannedPost,
    posted: Map<string, PostRecord>,
    options: PostOptions,
  ): Promise<void>;
  /** chat.update of a recorded post, fenced and paced like a post. */
  update(stored: StoredBriefing, record: PostRecord, message: SlackMessage): Promise<void>;
}

export interface PosterDeps {
  store: DeliveryStore;
  posting: Posting;
  call: Call;
  sleep: Sleep;
  logger: Logger;
  layout: ThreadLayout;
  now: () => Date;
  /** BRIEFING_CHANNEL's id: where a delivery's card goes. */
  briefingChannel: () => Promise<string>;
}

export function createPoster(deps: PosterDeps): Poster {
  const { store, posting, call, sleep, logger, layout, now } = deps;

  /** The fence: renews this attempt's claim, and stops it when another instance has taken over. */
  async function fence(briefingId: string): Promise<void> {
    const claim = await posting.leases.claim('delivery', briefingId);
    if (!claim.ok) throw new ClaimLost(briefingId);
  }

  /** A missing permalink is cosmetic (commands link to posts): it never fails a delivery. */
  async function permalinkOf(record: PostRecord): Promise<string | null> {
    const base = (await posting.whoAmI(call)).workspaceUrl;
    if (base) return buildPermalink(base, record.channel, record.ts, record.threadTs);
    try {
      const result = await call(() =>
        posting.client.chat.getPermalink({ channel: record.channel, message_ts: record.ts }),
      );
      return result.permalink ?? null;
    } catch (error) {
      logger.warn(`No permalink for ${record.channel}/${record.ts}: ${(error as Error).message}`);
      return null;
    }
  }

  return {
    async post(stored, planned, posted, options) {
      // Resumed deliveries stay in the channel their card went to, even if BRIEFING_CHANNEL changed since.
      const target = options.target ?? posted.get('card')?.channel ?? (await deps.briefingChannel());
      // A follow-on post (desk, DM) starts its own conversation: it is never in the briefing's thread.
      const threadTs =
        options.threadTs !== undefined
          ? options.threadTs
          : options.target === undefined
            ? threadFor(planned, layout, posted)
            : null;
      await fence(stored.id);
      const result = await postOnce(
        posting,
        call,
        {
          channel: target,
          threadTs,
          message: planned.message,
          mark: briefingMark(stored, planned.key),
          mayExist: options.mayExist,
          oldest: searchFrom(posted.values(), stored.receivedAt),
          // The fallback is the email's words, escaped: never read as formatting.
          mrkdwn: false,
          what: `post ${planned.key} of briefing ${stored.id}`,
        },
        logger,
        sleep,
      );
      if (result.adopted)
        logger.info(`Briefing ${stored.id}: post ${planned.key} was already in Slack; adopted its ts`);
      const record: PostRecord = {
        key: planned.key,
        sectionIndex: planned.sectionIndex,
        channel: result.channel,
        ts: result.ts,
        threadTs,
        permalink: null,
        postedAt: now().toISOString(),
      };
      // Recorded before anything else happens: a crash from here on cannot lead to a second copy.
      await store.recordPost(stored.id, record);
      posted.set(planned.key, record);
      const permalink = await permalinkOf(record);
      if (permalink) {
        const withLink = { ...record, permalink };
        await store.recordPost(stored.id, withLink);
        posted.set(planned.key, withLink);
      }
    },

    async update(stored, record, message) {
      await fence(stored.id);
      await posting.pacer.withChannel(
        record.channel,
        () =>
          call(() =>
            posting.client.chat.update({
              channel: record.channel,
              ts: record.ts,
              text: message.text,
              blocks: message.blocks,
              // No metadata: the post keeps the marker it was posted with (see markerKey).
            }),
          ),
        sleep,
      );
    },
  };
}
