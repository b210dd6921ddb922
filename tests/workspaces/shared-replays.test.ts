/**
 * Replays across instances in many-workspace mode (issue 13.2 with 13.3): two OAuth-mode bots on one
 * real PostgreSQL database, as two instances behind a load balancer. A signed slash command answered
 * by one instance is refused by the other, and so is a Mailgun signature token; each instance still
 * answers a request it has not seen (a fresh signature of the same command), so the refusal is the
 * replay's. With each instance remembering only in memory, the replays were answered.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type Config, loadConfig } from '../../src/config.js';
import { slackSignatureHeaders } from '../../src/local/sign.js';
import { SlackStandIn } from '../../src/local/slack-stand-in.js';
import { slashCommandForm } from '../../src/local/to-bolt.js';
import { mailgunSignature } from '../../src/mail/mailgun-signature.js';
import { createWorkspacesBot, type WorkspacesBot } from '../../src/workspaces/bot.js';
import { quietLogger } from '../support/bot.js';
import { type PostgresServer, SKIP_POSTGRES, startPostgres } from '../support/postgres-server.js';
import { composeEml } from '../support/seed.js';

const SIGNING_SECRET = 'shared-replays-signing-secret';
const MAILGUN_KEY = 'key-shared-replays-0123456789';
const OAUTH_APP = { clientId: '3333.4444', clientSecret: 'client-secret-of-the-app' };
const TEAM = 'T0NEWSA';

const story = (n: number) => `---------- Forwarded message ---------

Subject: Shared replays story ${n} (Oct. 7, 2021)
To: briefings <briefings@example.org>

Peru cabinet reshuffle ${n}

Peruvian President Pedro Castillo named Mirtha Vasquez prime minister yesterday evening, a bid at political stability after ousting her controversial predecessor in the afternoon. (Reuters)
`;

let server: PostgresServer | null = null;
const running: Array<() => Promise<void>> = [];

beforeAll(async () => {
  if (!SKIP_POSTGRES) server = await startPostgres();
}, 60_000);
afterAll(async () => {
  await server?.stop();
});
afterEach(async () => {
  for (const stop of running.splice(0).reverse()) await stop();
});

async function startInstance(config: Config): Promise<{ bot: WorkspacesBot; url: string }> {
  const bot = await createWorkspacesBot(config, {
    logger: quietLogger(),
    minPostIntervalMs: 0,
    sleep: async () => {},
  });
  const { port } = await bot.start();
  running.push(() => bot.stop());
  return { bot, url: `http://127.0.0.1:${port}` };
}

/** The admin's install through the first instance: /slack/install, then the redirect with its cookie. */
async function install(url: string, standIn: SlackStandIn): Promise<void> {
  const page = await fetch(`${url}/slack/install`);
  const cookie = page.headers.get('set-cookie')?.split(';')[0] ?? '';
  const href = /<a href="([^"]+)"/.exec(await page.text())?.[1] ?? '';
  const state = new URL(href.replaceAll('&amp;', '&')).searchParams.get('state') ?? '';
  const code = standIn.oauth.grant();
  const done = await fetch(
    `${url}/slack/oauth_redirect?code=${encodeURIComponent(code)}&state=${encodeURIComponent(state)}`,
    { headers: { cookie }, redirect: 'manual' },
  );
  expect(done.status).toBe(200);
}

async function twoInstances() {
  const standIn = new SlackStandIn({
    rateLimit: null,
    oauth: OAUTH_APP,
    identity: {
      teamId: TEAM,
      teamName: 'Newsroom A',
      teamDomain: 'newsroom-a',
      botUserId: 'U0BOTA',
      botId: 'B0BOTA',
      appId: 'A0BRIEFING',
    },
  });
  await standIn.listen();
  running.push(() => standIn.close());
  const { config, problems } = loadConfig({
    SLACK_CLIENT_ID: OAUTH_APP.clientId,
    SLACK_CLIENT_SECRET: OAUTH_APP.clientSecret,
    SLACK_STATE_SECRET: 'state-secret-for-the-test',
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: standIn.apiUrl,
    BRIEFING_CHANNEL: 'briefings',
    MAILGUN_SIGNING_KEY: MAILGUN_KEY,
    DATABASE_URL: await server!.newDatabase(),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'error',
  });
  expect(problems).toEqual([]);
  expect(config.mode).toBe('oauth');
  const one = await startInstance({ ...config, port: 0 });
  const two = await startInstance({ ...config, port: 0 });
  await install(one.url, standIn);
  return { standIn, one, two };
}

describe.skipIf(SKIP_POSTGRES)('one-use keys shared by OAuth-mode instances on one database', () => {
  it('answers a signed slash command once, whichever instance the replay reaches', async () => {
    const { standIn, one, two } = await twoInstances();
    const channel = standIn.channel('briefings')!;
    const responseUrl = standIn.createResponseUrl({ channel: channel.id, user: 'U_LOCAL' });
    const form = slashCommandForm(
      { teamId: TEAM, teamDomain: 'newsroom-a', appId: 'A0BRIEFING' },
      {
        command: '/briefing',
        text: 'help',
        userId: 'U_LOCAL',
        userName: 'editor',
        channelId: channel.id,
        channelName: channel.name,
      },
      responseUrl,
    );
    const post = (url: string, headers: Record<string, string>) =>
      fetch(`${url}/slack/events`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
        body: form,
      });
    const signed = slackSignatureHeaders(SIGNING_SECRET, form);
    expect((await post(one.url, signed)).status).toBe(200);
    // The same bytes and signature to the other instance: a replay, refused before Bolt sees it.
    expect((await post(two.url, signed)).status).toBe(401);
    // That instance answers the workspace's commands: a fresh signature of the same body is taken.
    expect((await post(two.url, slackSignatureHeaders(SIGNING_SECRET, form, Date.now() + 1000))).status).toBe(
      200,
    );
  });

  it('takes a Mailgun signature token once, whichever instance the replay reaches', async () => {
    const { one, two } = await twoInstances();
    const timestamp = String(Math.floor(Date.now() / 1000));
    const token = 'shared-replays-token-0001';
    const fields = { timestamp, token, signature: mailgunSignature(MAILGUN_KEY, timestamp, token) };
    const mailgun = async (url: string, n: number) => {
      // A briefing of its own each time, so only the token can make the second a repeat.
      const eml = await composeEml({
        subject: `Fwd: Shared replays story ${n} (Oct. 7, 2021)`,
        messageId: `<shared-replays-${n}@mail.example.org>`,
        text: story(n),
      });
      const form = new FormData();
      form.set('body-mime', eml.toString('utf8'));
      for (const [name, value] of Object.entries(fields)) form.set(name, value);
      const response = await fetch(`${url}/mail/inbound/mime?team=${TEAM}`, { method: 'POST', body: form });
      return { status: response.status, json: (await response.json()) as Record<string, unknown> };
    };
    const first = await mailgun(one.url, 1);
    expect(first.json).toMatchObject({ status: 'accepted' });
    const replay = await mailgun(two.url, 2);
    expect(replay.status).toBeGreaterThanOrEqual(400);
    expect(replay.json.status).toBeUndefined();
    await (await one.bot.registry.get(TEAM))!.services.deliverer.idle();
  });
});
