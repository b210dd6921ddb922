/**
 * The yardstick for memory: the smallest Bolt app that does what a Slack bot does — one slash command,
 * the same Bolt version and HTTP receiver, auth.test at start against the same Slack stand-in as the bot.
 *
 *   env: BENCH_SLACK_API_URL, BENCH_SLACK_TOKEN, BENCH_SIGNING_SECRET
 */
import { App, LogLevel } from '@slack/bolt';
import { serveParent } from './process-child.js';

const started = performance.now();
const app = new App({
  token: process.env.BENCH_SLACK_TOKEN ?? '',
  signingSecret: process.env.BENCH_SIGNING_SECRET ?? '',
  clientOptions: { slackApiUrl: process.env.BENCH_SLACK_API_URL ?? '' },
  logLevel: LogLevel.ERROR,
});
app.command('/hello', async ({ ack }) => {
  await ack('hello');
});
const server = (await app.start({ port: 0, host: '127.0.0.1' })) as { address(): { port: number } };
serveParent(
  { port: server.address().port, startupMs: performance.now() - started },
  { idle: async () => {}, stop: () => app.stop() as Promise<void> },
);
