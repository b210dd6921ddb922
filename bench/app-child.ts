/**
 * The bot under benchmark, in its own process so its start-up time and memory are its own: the real
 * bot (createBot: store, Bolt HTTP receiver, mail webhook, listeners, jobs), compiled as in production
 * (see build.ts), against a Slack stand-in that the parent runs — the stand-in's own memory is not the
 * bot's. It prints one JSON line when listening, then answers the parent over IPC.
 *
 *   argv: DATA_DIR   env: BENCH_SLACK_API_URL, BENCH_SLACK_TOKEN, BENCH_SIGNING_SECRET, BENCH_MAIL_SECRET,
 *   and BENCH_DATABASE_URL for the PostgreSQL store (DATA_DIR is then unused)
 */
import type { Logger } from '@slack/bolt';
import { createBot } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { openStore } from '../src/store/index.js';
import { mb, serveParent } from './process-child.js';

export interface ChildReady {
  port: number;
  /** Opening the store + createBot + start (auth.test, listen, resume deliveries), in ms. */
  startupMs: number;
  /** Of which opening the store. */
  storeOpenMs: number;
  storeBriefings: number;
  rssMb: number;
}

const dataDir = process.argv[2];
const {
  BENCH_SLACK_API_URL,
  BENCH_SLACK_TOKEN,
  BENCH_SIGNING_SECRET,
  BENCH_MAIL_SECRET,
  BENCH_DATABASE_URL,
} = process.env;
if (!dataDir || !BENCH_SLACK_API_URL || !BENCH_SLACK_TOKEN || !BENCH_SIGNING_SECRET || !BENCH_MAIL_SECRET)
  throw new Error('usage: app-child DATA_DIR (with the BENCH_* environment)');

const quiet: Logger = {
  debug() {},
  info() {},
  warn() {},
  error: (...message: unknown[]) => process.stderr.write(`${message.map(String).join(' ')}\n`),
  setLevel() {},
  getLevel: () => 'error' as never,
  setName() {},
};

const { config, problems } = loadConfig({
  SLACK_BOT_TOKEN: BENCH_SLACK_TOKEN,
  SLACK_SIGNING_SECRET: BENCH_SIGNING_SECRET,
  SLACK_API_URL: BENCH_SLACK_API_URL,
  BRIEFING_CHANNEL: 'briefings',
  DIGEST_CHANNEL: 'digest',
  MAIL_WEBHOOK_SECRET: BENCH_MAIL_SECRET,
  DATA_DIR: dataDir,
  HOST: '127.0.0.1',
  LOG_LEVEL: 'error',
  ...(BENCH_DATABASE_URL ? { DATABASE_URL: BENCH_DATABASE_URL } : {}),
});
if (problems.length) throw new Error(`bench config: ${problems.join('; ')}`);

const started = performance.now();
// Opened here (as createBot would) only to time it apart from the rest of the start.
const store = await openStore({ dataDir: config.dataDir, databaseUrl: config.databaseUrl, logger: quiet });
const storeOpenMs = performance.now() - started;
// Bench bookkeeping, not the bot's start: asked before start(). Asked after it, a count read over the
// network (PostgreSQL) waited out the date warm-up step the loop was running by then, and that wait
// was counted in the process's start-up figure.
const storeBriefings = store.briefingCount();
// Port 0: the system picks a free port. No pause between posts: pacing is Slack's concern, not measured.
const bot = await createBot({ ...config, port: 0 }, { logger: quiet, minPostIntervalMs: 0, store });
const { port } = await bot.start();
const startupMs = performance.now() - started;
const ready: ChildReady = {
  port,
  startupMs,
  storeOpenMs,
  storeBriefings: await storeBriefings,
  rssMb: mb(process.memoryUsage().rss),
};
serveParent(ready, {
  idle: () => bot.services.deliverer.idle(),
  stop: async () => {
    await bot.stop();
    await store.close();
  },
});
