/**
 * The bot under benchmark, in its own process so its start-up time and memory are its own: the real
 * bot (createBot: store, Bolt HTTP receiver, mail webhook, listeners, jobs) against the Slack stand-in
 * on loopback. It prints one JSON line when listening, then answers the parent over IPC.
 *
 *   argv: DATA_DIR   env: BENCH_SIGNING_SECRET, BENCH_MAIL_SECRET
 */
import type { Logger } from '@slack/bolt';
import { createBot } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { LOCAL_BOT_TOKEN, SlackStandIn } from '../src/local/slack-stand-in.js';
import { openStore } from '../src/store/index.js';

export interface ChildReady {
  port: number;
  /** Opening the store + createBot + start (auth.test, listen, resume deliveries), in ms. */
  startupMs: number;
  /** Of which opening the store. */
  storeOpenMs: number;
  storeBriefings: number;
  rssMb: number;
}

export type ChildRequest = { id: number; cmd: 'stats' | 'idle' | 'stop' };
export interface ChildStats {
  rssMb: number;
  heapMb: number;
  /** Web API calls the stand-in received, by method. */
  calls: Record<string, number>;
}

const dataDir = process.argv[2];
const signingSecret = process.env.BENCH_SIGNING_SECRET;
const mailSecret = process.env.BENCH_MAIL_SECRET;
if (!dataDir || !signingSecret || !mailSecret)
  throw new Error('usage: app-child DATA_DIR (with BENCH_* secrets)');

const quiet: Logger = {
  debug() {},
  info() {},
  warn() {},
  error: (...message: unknown[]) => process.stderr.write(`${message.map(String).join(' ')}\n`),
  setLevel() {},
  getLevel: () => 'error' as never,
  setName() {},
};

const mb = (bytes: number): number => Math.round((bytes / 1024 / 1024) * 10) / 10;

// Slack's rate limits are not what is measured here; the stand-in lets every call through.
const standIn = new SlackStandIn({ rateLimit: null });
const apiUrl = await standIn.listen(0);
const { config, problems } = loadConfig({
  SLACK_BOT_TOKEN: LOCAL_BOT_TOKEN,
  SLACK_SIGNING_SECRET: signingSecret,
  SLACK_API_URL: apiUrl,
  BRIEFING_CHANNEL: 'briefings',
  DIGEST_CHANNEL: 'digest',
  MAIL_WEBHOOK_SECRET: mailSecret,
  DATA_DIR: dataDir,
  HOST: '127.0.0.1',
  LOG_LEVEL: 'error',
});
if (problems.length) throw new Error(`bench config: ${problems.join('; ')}`);

const started = performance.now();
// Opened here (as createBot would) only to time it apart from the rest of the start.
const store = await openStore({ dataDir: config.dataDir, logger: quiet });
const storeOpenMs = performance.now() - started;
// Port 0: the system picks a free port. No pause between posts: pacing is Slack's concern, not measured.
const bot = await createBot({ ...config, port: 0 }, { logger: quiet, minPostIntervalMs: 0, store });
const { port } = await bot.start();
const ready: ChildReady = {
  port,
  startupMs: performance.now() - started,
  storeOpenMs,
  storeBriefings: await bot.services.store.briefingCount(),
  rssMb: mb(process.memoryUsage().rss),
};
process.stdout.write(`${JSON.stringify(ready)}\n`);

function stats(): ChildStats {
  const calls: Record<string, number> = {};
  for (const call of standIn.calls()) calls[call.method] = (calls[call.method] ?? 0) + 1;
  const memory = process.memoryUsage();
  return { rssMb: mb(memory.rss), heapMb: mb(memory.heapUsed), calls };
}

process.on('message', (message: ChildRequest) => {
  const reply = (value: unknown) => process.send?.({ id: message.id, value });
  if (message.cmd === 'stats') reply(stats());
  else if (message.cmd === 'idle') bot.services.deliverer.idle().then(() => reply(null));
  else if (message.cmd === 'stop') {
    bot
      .stop()
      .then(() => store.close())
      .then(() => standIn.close())
      .then(() => {
        reply(null);
        process.disconnect?.();
      });
  }
});
