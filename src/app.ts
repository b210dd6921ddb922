/**
 * Wiring only: builds the services, the Bolt app (HTTP mode, or Socket Mode with SLACK_APP_TOKEN) with
 * the mail webhook and /healthz as custom routes on the same server, and starts/stops them together.
 *
 * Local mode (no SLACK_BOT_TOKEN) starts its Slack stand-in first and calls `createBot` with a config
 * whose token, signing secret and `slackApiUrl` point at it — nothing here knows the difference.
 */
import type { AddressInfo } from 'node:net';
import {
  App,
  type CustomRoute,
  HTTPReceiver,
  type Logger,
  type Receiver,
  SocketModeReceiver,
} from '@slack/bolt';
import { WebClient } from '@slack/web-api';
import type { Config } from './config.js';
import { createDeliverer } from './delivery/deliverer.js';
import { startDigestScheduler } from './digest/index.js';
import { createSlackStatus, healthRoute } from './health.js';
import { createConfirmationNotifier } from './ingest/confirmation.js';
import { createIngest } from './ingest/ingest.js';
import { loggerFor, newLogId, withLogContext, withRequestId } from './log/index.js';
import { type MailboxWatcher, mailboxWatcher } from './mail/imap/index.js';
import { mailWebhookRoute, snsRoute } from './mail/index.js';
import { storeReplayTokens } from './mail/mailgun-signature.js';
import { startSmtp } from './mail/smtp/index.js';
import { createParsePool, type ParsePool } from './parse-worker/index.js';
import { newInstanceId } from './posting/leases.js';
import { createPosting } from './posting/posting.js';
import { directoryWritable, livezRoute, readyzRoute } from './probes.js';
import { previousStories } from './query/previously.js';
import { warmUpInBackground } from './query/warm-up.js';
import type { Services } from './services.js';
import {
  classifySlackError,
  DEFAULT_RETRY_POLICY,
  type RetryPolicy,
  realSleep,
  type Sleep,
  slackClientOptions,
} from './slack/api/call.js';
import { registerCommands } from './slack/commands/index.js';
import { registerEvents } from './slack/events/index.js';
import type { WorkQueue } from './slack/events/work-queue.js';
import { registerHome } from './slack/home/index.js';
import {
  type GuardOptions,
  guardSlackRequests,
  type SeenRequests,
  storeSeenRequests,
} from './slack/request-guard.js';
import { registerShortcuts } from './slack/shortcuts/index.js';
import { openStore } from './store/index.js';
import type { Store } from './store/types.js';
import { planFollowOns } from './subscriptions/follow-ons.js';

export interface BotOverrides {
  /** A store the caller owns (and closes); otherwise one is opened under DATA_DIR and closed on stop. */
  store?: Store;
  now?: () => Date;
  logger?: Logger;
  /** Delivery waits (backoff, Retry-After, pacing): tests observe them instead of sitting them out. */
  sleep?: Sleep;
  retryPolicy?: RetryPolicy;
  /** Pause between posts to one channel; 0 in tests that are not about pacing. */
  minPostIntervalMs?: number;
  /** First wait before re-attempting a delivery after a Slack outage (tests compress hours into ms). */
  redeliveryBaseDelayMs?: number;
  /** Signed Slack requests already answered (shared between instances when several run). */
  seenRequests?: SeenRequests;
  /** More routes on the same server, built from the services (local mode serves its page this way). */
  routes?: (services: Services) => CustomRoute[];
  /** A parse worker the caller owns (many workspaces share one); otherwise the core starts its own. */
  parser?: ParsePool;
}

export interface Bot {
  app: App;
  services: Services;
  /** Verifies the token (auth.test), listens, resumes unfinished deliveries. */
  start(): Promise<{ port: number }>;
  /** Stops listening, lets the current post finish, closes the store if the bot opened it. */
  stop(): Promise<void>;
}

/**
 * Listeners: one line per area. Commands: `registerCommands(app, services)` from
 * ./slack/commands/index.js; events and thread replies: `registerEvents(app, services)` from
 * ./slack/events/index.js; App Home: `registerHome(app, services)` from ./slack/home/index.js; shortcuts: `registerShortcuts`
 * from ./slack/shortcuts/index.js. Add yours here.
 */
export function registerListeners(app: App, services: Services): { mentions: WorkQueue } {
  registerCommands(app, services);
  registerHome(app, services);
  registerShortcuts(app, services);
  return { mentions: registerEvents(app, services) };
}

/** How long stopping waits for queued mention answers before closing the store under them. */
export const STOP_GRACE_MS = 5000;

/** HTTP routes served next to Bolt's own (/slack/events). Add a route here. */
function customRoutes(services: Services, mailbox: MailboxWatcher | null): CustomRoute[] {
  const { config, ingest, logger, store, client, now, deliverer } = services;
  const slackStatus = createSlackStatus(client, now);
  return [
    // Tokens in the store: on a shared database a replay to another instance is refused as well.
    mailWebhookRoute({ config, ingest, logger, now, replays: storeReplayTokens(store) }),
    snsRoute({ config, ingest, logger, now }),
    healthRoute({
      store,
      client,
      deliverer,
      now,
      slackStatus,
      ...(mailbox ? { mailboxStatus: () => mailbox.status() } : {}),
    }),
    livezRoute(),
    readyzRoute({
      // The JSON store's writes are files under DATA_DIR; with PostgreSQL a query proves the connection.
      storeWritable: config.databaseUrl
        ? async () => {
            await store.deliveryCounts();
          }
        : () => directoryWritable(config.dataDir),
      slackStatus,
      channelStatus: () => deliverer.channelStatus(),
      checkChannel: () => deliverer.warmUp(),
    }),
  ];
}

/**
 * Jobs that run beside the listeners, started after the server listens and stopped before the store
 * closes; each returns its stop function. The digest: `startDigestScheduler(services)` from
 * ./digest/index.js. Add yours here.
 */
async function startJobs(
  services: Services,
  mailbox: MailboxWatcher | null,
): Promise<Array<() => void | Promise<void>>> {
  // Archive search's index builds in the background from here (closing the store stops it).
  services.store.warmSearch();
  const digest = startDigestScheduler(services);
  const smtp = await startSmtp(services);
  mailbox?.start();
  return [() => digest.stop(), ...(smtp ? [smtp] : []), ...(mailbox ? [() => mailbox.stop()] : [])];
}

/** The bot minus Bolt: what the CLI commands need to ingest and deliver without serving HTTP. */
export interface Core {
  services: Services;
  /** Stops delivering and closes the store if `createCore` opened it. */
  close(): Promise<void>;
}

export async function createCore(config: Config, overrides: BotOverrides = {}): Promise<Core> {
  if (!config.slackBotToken) {
    throw new Error(
      'The bot needs a Slack bot token: local mode must start its stand-in and pass its token.',
    );
  }
  const logger = overrides.logger ?? loggerFor(config);
  const now = overrides.now ?? (() => new Date());
  const ownsStore = !overrides.store;
  const store =
    overrides.store ??
    (await openStore({ dataDir: config.dataDir, databaseUrl: config.databaseUrl, logger, now }));

  // The same options as Bolt's own client (see createBot): one retry policy (ours), one API base URL.
  const client = new WebClient(config.slackBotToken, { ...slackClientOptions(config.slackApiUrl), logger });
  // Names this process in the store's claims: a restarted bot is a new owner, so what a killed one
  // held waits for its lease to run out rather than being taken as its own.
  const instanceId = newInstanceId();
  // One Slack side for everything that posts exactly once: the deliverer and the digest share its one
  // auth.test, its channel look-ups, this process's claims and the channel pacer.
  const posting = createPosting({
    client,
    store,
    logger,
    owner: `${instanceId}/post`,
    leaseMs: config.claimLeaseMs,
    ...(overrides.minPostIntervalMs !== undefined ? { minPostIntervalMs: overrides.minPostIntervalMs } : {}),
    ...(overrides.sleep ? { sleep: overrides.sleep } : {}),
  });
  const deliverer = createDeliverer({
    store,
    client,
    logger,
    channel: config.briefingChannel,
    layout: config.threadLayout,
    now,
    timeZone: config.newsroomTz,
    followOns: planFollowOns({ fixedDesks: config.desks, store }),
    previously: (stored) => previousStories(store, stored, config.previouslyDays),
    muteFollower: (user, reason) => store.muteFollower(user, reason),
    posting,
    // On a shared database another instance may take mail in and die before posting it: look for such
    // deliveries once per lease. One process (lowdb) saw everything it took in, so only at start.
    sweepMs: config.databaseUrl ? config.claimLeaseMs : null,
    ...(overrides.sleep ? { sleep: overrides.sleep } : {}),
    ...(overrides.retryPolicy ? { retryPolicy: overrides.retryPolicy } : {}),
    ...(overrides.redeliveryBaseDelayMs !== undefined
      ? {
          redeliveryBaseDelayMs: overrides.redeliveryBaseDelayMs,
          maxRedeliveryDelayMs: overrides.redeliveryBaseDelayMs * 8,
        }
      : {}),
  });
  // Every email is parsed in a worker thread: a hostile one cannot hold this thread's event loop.
  const ownsParser = !overrides.parser;
  const parser =
    overrides.parser ??
    createParsePool({
      onError: (error) => logger.error(`Parse worker restarted: ${error.message}`),
    });
  const ingest = createIngest({
    config,
    store,
    deliverer,
    logger,
    now,
    parse: (input) => parser.parse(input.kind === 'raw' ? { kind: 'raw', raw: input.raw } : input),
    notifyConfirmation: createConfirmationNotifier({
      store,
      client,
      channel: config.briefingChannel,
      logger,
      channels: posting.channels,
      ...(overrides.sleep ? { sleep: overrides.sleep } : {}),
      ...(overrides.retryPolicy ? { retryPolicy: overrides.retryPolicy } : {}),
    }),
  });
  return {
    services: {
      config,
      store,
      logger,
      client,
      ingest,
      deliverer,
      parser,
      now,
      instanceId,
      posting,
      ...(overrides.sleep || overrides.retryPolicy
        ? {
            slackRetry: {
              sleep: overrides.sleep ?? realSleep,
              policy: overrides.retryPolicy ?? DEFAULT_RETRY_POLICY,
            },
          }
        : {}),
    },
    async close() {
      await deliverer.stop();
      posting.stop();
      if (ownsParser) await parser.stop();
      if (ownsStore) await store.close();
    },
  };
}

/** Bolt's receiver with the request guard in front of its endpoint (see request-guard.ts). */
function guarded(receiver: HTTPReceiver, options: GuardOptions): HTTPReceiver {
  guardSlackRequests(receiver, options);
  return receiver;
}

export async function createBot(config: Config, overrides: BotOverrides = {}): Promise<Bot> {
  const core = await createCore(config, overrides);
  const { services } = core;
  const { logger, deliverer } = services;
  const clientOptions = { ...slackClientOptions(config.slackApiUrl), logger };

  const mailbox = await mailboxWatcher(services);
  const routes = [...customRoutes(services, mailbox), ...(overrides.routes?.(services) ?? [])].map(
    withRequestId,
  );
  const receiver: Receiver = config.slackAppToken
    ? new SocketModeReceiver({
        appToken: config.slackAppToken,
        customRoutes: routes,
        // Only the API base URL: the Socket Mode client keeps its own reconnect and retry behaviour.
        installerOptions: { port: config.port, clientOptions: { slackApiUrl: config.slackApiUrl } },
        logger,
      })
    : guarded(
        new HTTPReceiver({
          signingSecret: config.slackSigningSecret ?? '',
          customRoutes: routes,
          logger,
        }),
        {
          signingSecret: config.slackSigningSecret ?? '',
          // Answered requests in the store: each signed request is answered once by the whole deployment.
          seen: overrides.seenRequests ?? storeSeenRequests(services.store),
          logger,
        },
      );
  const app = new App({
    token: services.client.token,
    receiver,
    logger,
    clientOptions,
    // auth.test runs in start(), where a bad token becomes a clear error instead of an unhandled rejection.
    deferInitialization: true,
  });
  // Every Slack request (event, command, action) gets an id that each of its log lines carries.
  app.use(({ next }) => withLogContext({ req: newLogId() }, next));
  const listeners = registerListeners(app, services);

  let jobs: Array<() => void | Promise<void>> = [];
  let started = false;

  return {
    app,
    services,
    async start() {
      try {
        await app.init();
      } catch (error) {
        const failure = classifySlackError(error);
        // A refusal needs a new token; an unreachable Slack only needs another try (or the right URL).
        throw new Error(
          failure.kind === 'permanent'
            ? `Slack refused the bot token (auth.test: ${failure.reason}); check SLACK_BOT_TOKEN and SLACK_API_URL.`
            : `Slack did not answer at ${config.slackApiUrl} (auth.test: ${failure.reason}); check SLACK_API_URL and the network, then start again.`,
        );
      }
      let port = config.port;
      if (receiver instanceof HTTPReceiver) {
        const server = await receiver.start({ port: config.port, host: config.host });
        port = (server.address() as AddressInfo).port;
      } else {
        try {
          await app.start();
        } catch (error) {
          // The receiver's HTTP server (mail webhook, /healthz) is already listening: close it, or the
          // process lingers half-started with /healthz answering "ok".
          await app.stop().catch(() => {});
          throw new Error(
            `Socket Mode did not start (${classifySlackError(error).reason}); check SLACK_APP_TOKEN (an app-level xapp- token with connections:write) and SLACK_API_URL.`,
          );
        }
      }
      started = true;
      // Not awaited: a slow or unreachable Slack must not hold up the mail webhook and /healthz.
      void deliverer.warmUp();
      await deliverer.resumeAll();
      jobs = await startJobs(services, mailbox);
      // Date parsing and the country catalogue build their tables now that requests can be answered.
      // Started last: each step holds the loop for up to a few hundred ms, and a store that answers
      // over the network (PostgreSQL) would wait out those steps between the queries of resumeAll.
      warmUpInBackground(config.newsroomTz).catch((error: unknown) =>
        logger.warn(`Warm-up failed: ${error instanceof Error ? error.message : String(error)}`),
      );
      return { port };
    },
    async stop() {
      for (const stopJob of jobs) await stopJob();
      if (started) await app.stop();
      started = false;
      let grace: NodeJS.Timeout | undefined;
      await Promise.race([
        listeners.mentions.idle(),
        new Promise((resolve) => {
          grace = setTimeout(resolve, STOP_GRACE_MS);
        }),
      ]);
      clearTimeout(grace);
      await core.close();
    },
  };
}
