/**
 * Child process of instances.ts (the two-instance test and bench): the real bot (createBot)
 * configured from the environment like `npm start`, on the parent's PostgreSQL database and Slack
 * stand-in. Prints "port N" once
 * listening; the parent runs two of these, SIGKILLs one mid-posting, starts it again, and stops them
 * with SIGTERM. TEST_POST_INTERVAL_MS scales Slack's one post per second down, so twenty briefings
 * post in seconds while the pacing under test stays the same.
 */
import { createBot } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { quietLogger } from './bot.js';

const { config, problems } = loadConfig(process.env);
if (problems.length) throw new Error(problems.join('\n'));
const interval = Number(process.env.TEST_POST_INTERVAL_MS ?? '1000');
const bot = await createBot({ ...config, port: 0 }, { logger: quietLogger(), minPostIntervalMs: interval });
const { port } = await bot.start();
process.stdout.write(`port ${port}\n`);
process.once('SIGTERM', () => {
  bot.stop().then(() => process.exit(0));
});
