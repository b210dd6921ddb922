/**
 * Child process for crash-bot.test.ts: the real bot (createBot) on DATA_DIR, configured from the
 * environment like `npm start`, posting to the parent's Slack stand-in. Prints "port N" once listening;
 * the parent SIGKILLs it while mail is arriving and deliveries are posting, and stops the second one
 * with SIGTERM (a clean stop: the store's writes are flushed).
 */
import { createBot } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { quietLogger } from '../support/bot.js';

const { config, problems } = loadConfig(process.env);
if (problems.length) throw new Error(problems.join('\n'));
const bot = await createBot({ ...config, port: 0 }, { logger: quietLogger(), minPostIntervalMs: 0 });
const { port } = await bot.start();
process.stdout.write(`port ${port}\n`);
process.once('SIGTERM', () => {
  bot.stop().then(() => process.exit(0));
});
