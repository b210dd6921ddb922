/**
 * One poster per channel at a time, across every instance on the store, paced to Slack's interval.
 *
 * A post takes the channel's claim, waits until `minIntervalMs` has passed since the channel's last
 * post was answered (the store's clock: `done` stamped at release), posts, and releases. Stamping after
 * Slack's answer, not before the request, makes the spacing hold at Slack's end however long a request
 * took on the way: post n+1 leaves no earlier than the interval after post n was taken.
 */

import { PermanentSlackError, type Sleep } from '../slack/api/call.js';
import type { Leases } from './leases.js';

/** How often a channel held by another poster is asked for again: about one post's round trip. */
export const CHANNEL_POLL_MS = 50;

export interface ChannelPacer {
  /**
   * Runs `post` (a Slack call that may post in `channel`) as the channel's one poster. `sleep` is the
   * caller's (a deliverer that stops cuts its waits short); absent, the pacer's own.
   */
  withChannel<T>(channel: string, post: () => Promise<T>, sleep?: Sleep): Promise<T>;
}

export function createChannelPacer(options: {
  leases: Leases;
  minIntervalMs: number;
  sleep: Sleep;
}): ChannelPacer {
  const { leases, minIntervalMs } = options;
  /** This process's turns per channel: the claim's owner is per component, not per call. */
  const turns = new Map<string, Promise<unknown>>();

  async function take(channel: string, sleep: Sleep): Promise<void> {
    for (;;) {
      const claim = await leases.claim('channel', channel);
      if (claim.ok) {
        const since = claim.sinceDoneMs;
        if (minIntervalMs > 0 && since !== null && since < minIntervalMs) {
          try {
            await sleep(minIntervalMs - since);
          } catch (error) {
            await leases.release('channel', channel);
            throw error;
          }
        }
        return;
      }
      // Held elsewhere: usually for one post; after a holder's crash, until its lease runs out.
      await sleep(Math.min(Math.max(claim.heldForMs, 1), CHANNEL_POLL_MS));
    }
  }

  return {
    withChannel(channel, post, sleep = options.sleep) {
      const previous = turns.get(channel) ?? Promise.resolve();
      const turn = previous.then(async () => {
        await take(channel, sleep);
        let posted = true;
        try {
          return await post();
        } catch (error) {
          // Slack refused for good (not_in_channel…): nothing was posted, so nothing to space from.
          if (error instanceof PermanentSlackError) posted = false;
          throw error;
        } finally {
          await leases.release('channel', channel, posted);
        }
      });
      const settled = turn.catch(() => undefined);
      turns.set(channel, settled);
      void settled.then(() => {
        if (turns.get(channel) === settled) turns.delete(channel);
      });
      return turn;
    },
  };
}
