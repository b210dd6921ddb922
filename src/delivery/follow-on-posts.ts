/**
 * Desk posts and follow notices: posted after a briefing's sections, each exactly once like them, in a
 * desk channel or a follower's direct message. A desk the bot cannot post in fails the delivery with
 * the desk named; a follower who can no longer be written to is muted instead.
 */
import type { Logger } from '@slack/bolt';
import type { Posting } from '../posting/posting.js';
import { type Call, PermanentSlackError } from '../slack/api/call.js';
import { isGoneUserError, openDirectMessage } from '../slack/api/direct-message.js';
import type { PlannedPost, SlackMessage } from '../slack/render/index.js';
import type { PostRecord, StoredBriefing } from '../store/types.js';
import type { Poster } from './poster.js';

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

/** A desk post or follow notice Slack refused for good: the briefing's own channel is not at fault. */
export class FollowOnError extends PermanentSlackError {}

/** Posts a desk post or follow notice; false when its user cannot be written to (then muted). */
export type PostFollowOn = (
  stored: StoredBriefing,
  followOn: FollowOnPost,
  posted: Map<string, PostRecord>,
  mayExist: boolean,
) => Promise<boolean>;

export function createFollowOnPoster(deps: {
  posting: Posting;
  poster: Poster;
  call: Call;
  logger: Logger;
  muteFollower?: (user: string, reason: string) => Promise<void>;
}): PostFollowOn {
  const { posting, poster, call, logger } = deps;
  /** DM channels this process opened: users.info is still asked per notice (see direct-message.ts). */
  const dmChannels = new Map<string, string>();

  async function muted(user: string, reason: string): Promise<void> {
    logger.warn(`Follow notices to ${user} stopped: ${reason}`);
    await deps.muteFollower?.(user, reason);
  }

  return async (stored, followOn, posted, mayExist) => {
    const planned: PlannedPost = {
      key: followOn.key,
      sectionIndex: null,
      part: 0,
      message: followOn.message,
    };
    if (followOn.target.kind === 'channel') {
      const ref = followOn.target.channel;
      try {
        const target = await posting.channels.resolve(ref, call);
        await poster.post(stored, planned, posted, { mayExist, target });
      } catch (error) {
        posting.channels.forget(ref);
        // Named, so the failed delivery says which desk needs the bot invited (and /healthz does not
        // blame BRIEFING_CHANNEL).
        if (error instanceof PermanentSlackError) throw new FollowOnError(`desk ${ref}: ${error.reason}`);
        throw error;
      }
      return true;
    }
    const user = followOn.target.user;
    try {
      const opened = await openDirectMessage(posting.client, user, call, dmChannels.get(user));
      if (opened.kind === 'gone') {
        await muted(user, opened.reason);
        return false;
      }
      dmChannels.set(user, opened.channel);
      await poster.post(stored, planned, posted, { mayExist, target: opened.channel });
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
  };
}
