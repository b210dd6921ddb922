import type { Logger } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { Config } from './config.js';
import type { Deliverer } from './delivery/types.js';
import type { Ingest } from './ingest/types.js';
import type { ParsePool } from './parse-worker/index.js';
import type { Posting } from './posting/posting.js';
import type { RetryPolicy, Sleep } from './slack/api/call.js';
import type { Store } from './store/types.js';

/** Everything a listener, route or job needs; built once in app.ts and passed down. */
export interface Services {
  config: Config;
  store: Store;
  logger: Logger;
  /** Bolt's Web API client, bound to the bot token and `slackApiUrl`. */
  client: WebClient;
  ingest: Ingest;
  deliverer: Deliverer;
  /** The worker thread every email is parsed in (src/parse-worker). */
  parser?: ParsePool;
  /** This process's name in the store's claims (absent in tests that build services by hand). */
  instanceId?: string;
  /**
   * The process's Slack side for posting exactly once (one auth.test, one channel cache, its claims
   * and the channel pacer), shared by the deliverer and the digest. Absent: each builds its own.
   */
  posting?: Posting;
  /** The clock, injectable so scheduler and date tests can move time. */
  now: () => Date;
  /**
   * The waits and retry policy of every Slack call outside delivery (mention answers, the digest):
   * tests drive them instead of sitting them out. Absent: the real sleep and the default policy.
   */
  slackRetry?: { sleep: Sleep; policy: RetryPolicy };
}

/**
 * Some services with the store narrowed to the roles a consumer uses, so its signature names what it
 * reads and writes (the composition root still hands over the whole store).
 */
export type ServicesWith<S, K extends Exclude<keyof Services, 'store'> = never> = Pick<Services, K> & {
  store: S;
};
