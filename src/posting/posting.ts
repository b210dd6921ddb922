/**
 * What every component that posts exactly once shares within one process: the Slack client, who the
 * bot is (one auth.test), the channels it posts in (each looked up and joined once), this process's
 * claims in the store and the channel pacer built on them (one poster per channel, across instances).
 * Built once by the bot's core and handed to the deliverer and the digest publisher; a component
 * built on its own (a test, a CLI command) makes its own.
 */
import type { Logger } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { realSleep, type Sleep } from '../slack/api/call.js';
import { type ChannelResolver, createChannelResolver } from '../slack/api/channel.js';
import { createWhoAmI, type WhoAmI } from '../slack/api/identity.js';
import type { ClaimStore } from '../store/types.js';
import { createLeases, type Leases, newInstanceId } from './leases.js';
import { type ChannelPacer, createChannelPacer } from './pacer.js';

/** Slack's documented pace for chat.postMessage: about one message per second per channel. */
export const MIN_POST_INTERVAL_MS = 1000;

export interface Posting {
  readonly client: WebClient;
  readonly whoAmI: WhoAmI;
  readonly channels: ChannelResolver;
  readonly leases: Leases;
  readonly pacer: ChannelPacer;
  /** Stops renewing this process's claims (they then run out unless released). */
  stop(): void;
}

export interface PostingOptions {
  client: WebClient;
  store: ClaimStore;
  logger: Logger;
  /** This process's claims; default: a new owner on `store`. */
  leases?: Leases;
  /** Names a default owner: `<instance>/<component>` tells in the claims table who holds what. */
  owner?: string;
  leaseMs?: number;
  minPostIntervalMs?: number;
  /** The pacer's waits when a post does not bring its own (see ChannelPacer.withChannel). */
  sleep?: Sleep;
}

export function createPosting(options: PostingOptions): Posting {
  const { client, logger } = options;
  const leases =
    options.leases ??
    createLeases({
      store: options.store,
      owner: options.owner ?? `${newInstanceId()}/post`,
      ...(options.leaseMs !== undefined ? { leaseMs: options.leaseMs } : {}),
      logger,
    });
  return {
    client,
    whoAmI: createWhoAmI(client, logger),
    channels: createChannelResolver(client),
    leases,
    pacer: createChannelPacer({
      leases,
      minIntervalMs: options.minPostIntervalMs ?? MIN_POST_INTERVAL_MS,
      sleep: options.sleep ?? realSleep,
    }),
    stop: () => leases.stop(),
  };
}
