/** How createBot chooses its receiver and how start-up reports a bad token. */
import { HTTPReceiver, SocketModeReceiver } from '@slack/bolt';
import { afterEach, describe, expect, it } from 'vitest';
import { type Bot, createBot } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { SlackStandIn } from '../../src/local/slack-stand-in.js';
import { openMemoryStore } from '../../src/store/index.js';
import { quietLogger } from '../support/bot.js';

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()?.();
});

async function build(env: Record<string, string>): Promise<Bot> {
  const standIn = new SlackStandIn();
  const apiUrl = await standIn.listen();
  cleanups.push(() => standIn.close());
  const { config, problems } = loadConfig({
    SLACK_BOT_TOKEN: standIn.token,
    SLACK_API_URL: apiUrl,
    BRIEFING_CHANNEL: 'briefings',
    HOST: '127.0.0.1',
    ...env,
  });
  expect(problems).toEqual([]);
  const store = await openMemoryStore();
  const bot = await createBot({ ...config, port: 0 }, { store, logger: quietLogger() });
  cleanups.push(() => store.close());
  cleanups.push(() => bot.stop());
  return bot;
}

function receiverOf(bot: Bot): unknown {
  return (bot.app as unknown as { receiver: unknown }).receiver;
}

describe('createBot', () => {
  it('serves HTTP with the signing secret when there is no app token', async () => {
    const bot = await build({ SLACK_SIGNING_SECRET: 'secret' });
    expect(receiverOf(bot)).toBeInstanceOf(HTTPReceiver);
    const { port } = await bot.start();
    expect(port).toBeGreaterThan(0);
    // Bolt verifies Slack's signature on its own endpoint: an unsigned event is refused.
    const response = await fetch(`http://127.0.0.1:${port}/slack/events`, { method: 'POST', body: '{}' });
    expect(response.status).toBe(401);
  });

  it('uses Socket Mode when SLACK_APP_TOKEN is set', async () => {
    const bot = await build({ SLACK_APP_TOKEN: 'xapp-1-A1-1-abc' });
    expect(receiverOf(bot)).toBeInstanceOf(SocketModeReceiver);
  });

  it('stops listening and says why when Socket Mode cannot start (it used to linger, /healthz "ok")', async () => {
    const bot = await build({ SLACK_APP_TOKEN: 'xapp-1-A1-1-not-this-workspace' });
    const receiver = receiverOf(bot) as { httpServer: { listening: boolean } };
    await expect(bot.start()).rejects.toThrow(
      'Socket Mode did not start (invalid_auth); check SLACK_APP_TOKEN (an app-level xapp- token with connections:write) and SLACK_API_URL.',
    );
    expect(receiver.httpServer.listening).toBe(false);
  });

  it('reports a token Slack refuses as one clear start-up error', async () => {
    const bot = await build({ SLACK_SIGNING_SECRET: 'secret', SLACK_BOT_TOKEN: 'xoxb-not-the-right-one' });
    await expect(bot.start()).rejects.toThrow(
      'Slack refused the bot token (auth.test: invalid_auth); check SLACK_BOT_TOKEN and SLACK_API_URL.',
    );
  });

  it('says Slack did not answer, not that it refused the token, when SLACK_API_URL is unreachable', async () => {
    const closed = new SlackStandIn();
    const unreachable = await closed.listen();
    await closed.close();
    const bot = await build({ SLACK_SIGNING_SECRET: 'secret', SLACK_API_URL: unreachable });
    await expect(bot.start()).rejects.toThrow(
      new RegExp(
        `^Slack did not answer at ${unreachable.replace(/[.]/g, '\\.')} \\(auth\\.test: network: .+\\); check SLACK_API_URL and the network, then start again\\.$`,
      ),
    );
  });
});
