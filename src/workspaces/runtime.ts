/**
 * One installed workspace, running: its own archive (team-store.ts), the bot's core (deliverer,
 * ingest, digest) with the installation's bot token, and a Bolt App with every listener registered —
 * what a single-token bot runs (minus the mail ways that serve every workspace: bot.ts), so a command in this workspace is answered from this
 * workspace's data by the same code. The App has no receiver of its own: the router (router.ts) hands it
 * the requests the shared HTTP receiver took for this workspace.
 */
import { App, type Logger, type Receiver } from '@slack/bolt';
import { type BotOverrides, createCore, registerListeners, STOP_GRACE_MS } from '../app.js';
import type { Config } from '../config.js';
import { startDigestScheduler } from '../digest/index.js';
import { newLogId, withLogContext } from '../log/index.js';
import type { ParsePool } from '../parse-worker/index.js';
import { warmUpInBackground } from '../query/warm-up.js';
import type { Services } from '../services.js';
import { slackClientOptions } from '../slack/api/call.js';
import { openTeamStore } from './team-store.js';

export interface WorkspaceRuntime {
  teamId: string;
  app: App;
  services: Services;
  stop(): Promise<void>;
}

/** Bolt wants a receiver per App; requests reach this one through the router, never by listening. */
const routedReceiver: Receiver = {
  init: () => {},
  start: () => Promise.resolve(),
  stop: () => Promise.resolve(),
};

export interface RuntimeDeps {
  config: Config;
  logger: Logger;
  parser: ParsePool;
  overrides?: Omit<BotOverrides, 'store' | 'parser' | 'logger' | 'routes'>;
}

export async function startWorkspace(
  deps: RuntimeDeps,
  teamId: string,
  botToken: string,
): Promise<WorkspaceRuntime> {
  const { config, logger, parser } = deps;
  const now = deps.overrides?.now;
  const store = await openTeamStore(config, teamId, { logger, ...(now ? { now } : {}) });
  const stops: Array<() => void | Promise<void>> = [];
  try {
    const core = await createCore(
      { ...config, slackBotToken: botToken },
      { ...deps.overrides, store, parser, logger },
    );
    stops.push(() => core.close());
    const { services } = core;
    const app = new App({
      token: botToken,
      receiver: routedReceiver,
      logger,
      clientOptions: { ...slackClientOptions(config.slackApiUrl), logger },
      deferInitialization: true,
    });
    app.use(({ next }) => withLogContext({ req: newLogId(), team: teamId }, next));
    const listeners = registerListeners(app, services);
    stops.unshift(() => waitAtMost(listeners.mentions.idle(), STOP_GRACE_MS));
    // auth.test with the installation's token: a revoked or wrong one fails here, named, not per request.
    await app.init();
    void services.deliverer.warmUp();
    // Date parsing and the country catalogue build their tables in the background (see warm-up.ts).
    warmUpInBackground(config.newsroomTz).catch((error: unknown) =>
      logger.warn(`Warm-up failed: ${error instanceof Error ? error.message : String(error)}`),
    );
    await services.deliverer.resumeAll();
    services.store.warmSearch();
    const digest = startDigestScheduler(services);
    stops.unshift(() => digest.stop());
    logger.info(`workspace ${teamId}: running`);
    return {
      teamId,
      app,
      services,
      async stop() {
        await runAll(stops);
        await store.close();
      },
    };
  } catch (error) {
    await runAll(stops).catch(() => {});
    await store.close().catch(() => {});
    throw error;
  }
}

async function runAll(stops: Array<() => void | Promise<void>>): Promise<void> {
  for (const stop of stops) await stop();
}

async function waitAtMost(work: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([work, new Promise((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
}
