/**
 * Many workspaces end to end: the real bot in OAuth mode (Bolt's HTTPReceiver with its install pages,
 * our installation store on disk), two Slack stand-ins — two workspaces — behind one Web API address,
 * real signed HTTP requests. Installs through /slack/install and /slack/oauth_redirect (state cookie,
 * code exchanged at the stand-in's oauth.v2.access), mail routed by ?team=, a command in each
 * workspace answered from its own archive only, and uninstall ending the installation.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type Config, loadConfig } from '../../src/config.js';
import { type Interaction, SlackStandIn } from '../../src/local/slack-stand-in.js';
import { createWorkspacesBot, type WorkspacesBot } from '../../src/workspaces/bot.js';
import { NOT_INSTALLED } from '../../src/workspaces/router.js';
import { textOf } from '../slack/commands/harness.js';
import { quietLogger } from '../support/bot.js';
import { composeEml } from '../support/seed.js';
import { type SlackFront, startSlackFront } from '../support/slack-front.js';

const SIGNING_SECRET = 'many-workspaces-signing-secret';
const MAIL_SECRET = 'many-workspaces-mail-secret';
const OAUTH_APP = { clientId: '1111.2222', clientSecret: 'client-secret-of-the-app' };
// The seed briefing is dated Thursday, October 7, 2021; the bot's clock is that evening.
const NOW = new Date('2021-10-07T22:00:00Z');

interface World {
  a: SlackStandIn;
  b: SlackStandIn;
  front: SlackFront;
  dataDir: string;
  config: Config;
  bot: WorkspacesBot;
  url: string;
}

let world: World | null = null;

afterEach(async () => {
  if (!world) return;
  await world.bot.stop();
  await world.front.close();
  await world.a.close();
  await world.b.close();
  await rm(world.dataDir, { recursive: true, force: true });
  world = null;
});

function workspace(teamId: string, letter: string): SlackStandIn {
  return new SlackStandIn({
    rateLimit: null,
    oauth: OAUTH_APP,
    identity: {
      teamId,
      teamName: `Newsroom ${letter}`,
      teamDomain: `newsroom-${letter.toLowerCase()}`,
      botUserId: `U0BOT${letter}`,
      botId: `B0BOT${letter}`,
      appId: 'A0BRIEFING',
    },
  });
}

async function startBot(config: Config): Promise<{ bot: WorkspacesBot; url: string }> {
  const bot = await createWorkspacesBot(config, {
    logger: quietLogger(),
    now: () => NOW,
    minPostIntervalMs: 0,
    sleep: async () => {},
  });
  const { port } = await bot.start();
  return { bot, url: `http://127.0.0.1:${port}` };
}

async function startWorld(env: Record<string, string> = {}): Promise<World> {
  const a = workspace('T0NEWSA', 'A');
  const b = workspace('T0NEWSB', 'B');
  await a.listen();
  await b.listen();
  const front = await startSlackFront([a, b]);
  const dataDir = await mkdtemp(join(tmpdir(), 'briefing-workspaces-'));
  const { config, problems } = loadConfig({
    SLACK_CLIENT_ID: OAUTH_APP.clientId,
    SLACK_CLIENT_SECRET: OAUTH_APP.clientSecret,
    SLACK_STATE_SECRET: 'state-secret-for-the-test',
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: front.apiUrl,
    BRIEFING_CHANNEL: 'briefings',
    DIGEST_CHANNEL: 'digest',
    MAIL_WEBHOOK_SECRET: MAIL_SECRET,
    DATA_DIR: dataDir,
    HOST: '127.0.0.1',
    LOG_LEVEL: 'error',
    ...env,
  });
  expect(problems).toEqual([]);
  expect(config.mode).toBe('oauth');
  const started = await startBot({ ...config, port: 0 });
  world = { a, b, front, dataDir, config: { ...config, port: 0 }, ...started };
  return world;
}

/** What an admin does: open /slack/install, follow "Add to Slack", press Allow, land on the redirect. */
async function install(
  w: World,
  standIn: SlackStandIn,
  tamper: { code?: string; state?: string; cookie?: string | null } = {},
): Promise<{ status: number; html: string; authorize: URL }> {
  const page = await fetch(`${w.url}/slack/install`);
  expect(page.status).toBe(200);
  const cookie = page.headers.get('set-cookie')?.split(';')[0] ?? '';
  expect(cookie).toMatch(/^slack-app-oauth-state=./);
  const href = /<a href="([^"]+)"/.exec(await page.text())?.[1] ?? '';
  const authorize = new URL(href.replaceAll('&amp;', '&'));
  const state = tamper.state ?? authorize.searchParams.get('state') ?? '';
  const code = tamper.code ?? standIn.oauth.grant();
  const headers: Record<string, string> = {};
  const sentCookie = tamper.cookie === undefined ? cookie : tamper.cookie;
  if (sentCookie) headers.cookie = sentCookie;
  const done = await fetch(
    `${w.url}/slack/oauth_redirect?code=${encodeURIComponent(code)}&state=${encodeURIComponent(state)}`,
    { headers, redirect: 'manual' },
  );
  const html = await done.text();
  return { status: done.status, html, authorize };
}

async function mailTo(
  w: World,
  team: string | null,
): Promise<{ status: number; json: Record<string, unknown> }> {
  const query = team ? `?team=${team}` : '';
  const response = await fetch(`${w.url}/mail/inbound${query}`, {
    method: 'POST',
    body: new Uint8Array(await composeEml()),
    headers: { authorization: `Bearer ${MAIL_SECRET}`, 'content-type': 'message/rfc822' },
  });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

async function command(
  w: World,
  standIn: SlackStandIn,
  text: string,
  name = '/country',
): Promise<Interaction> {
  return standIn.sendSlashCommand(`${w.url}/slack/events`, SIGNING_SECRET, { command: name, text });
}

async function answerText(interaction: Interaction): Promise<string> {
  expect(interaction.status).toBe(200);
  const [answer] = await interaction.waitForResponses(1);
  return textOf(answer!);
}

const teams = async (w: World) => (await w.bot.installations.list()).map((record) => record.teamId).sort();

describe('many workspaces (OAuth)', () => {
  it('installs in two workspaces, keeps their archives apart, and forgets one that uninstalls', async () => {
    const w = await startWorld();
    const first = await install(w, w.a);
    expect(first.status).toBe(200);
    expect(first.html).toContain('Thank you!');
    // The "Add to Slack" link asks for the manifest's scopes with our client id.
    expect(first.authorize.searchParams.get('client_id')).toBe(OAUTH_APP.clientId);
    expect(first.authorize.searchParams.get('scope')?.split(',')).toContain('chat:write');
    expect((await install(w, w.b)).status).toBe(200);
    expect(await teams(w)).toEqual(['T0NEWSA', 'T0NEWSB']);
    // Each code was exchanged by the workspace that granted it (the other one does not know it).
    expect(w.a.calls('oauth.v2.access').filter((call) => call.ok)).toHaveLength(1);
    expect(w.b.calls('oauth.v2.access').filter((call) => call.ok)).toHaveLength(1);

    // The seed briefing goes to workspace A only: A's channel gets its thread, B's gets nothing.
    const mail = await mailTo(w, 'T0NEWSA');
    expect(mail.status).toBe(202);
    await (await w.bot.registry.get('T0NEWSA'))!.services.deliverer.idle();
    expect(w.a.messages('briefings').length).toBeGreaterThan(0);
    expect(w.b.messages('briefings')).toEqual([]);

    // /country Peru: A lists the Peru story from its archive; B, asked the same, has none of A's.
    const inA = await answerText(await command(w, w.a, 'Peru'));
    expect(inA).toContain('Peru cabinet reshuffle');
    const inB = await answerText(await command(w, w.b, 'Peru'));
    expect(inB).not.toContain('Peru cabinet reshuffle');
    expect(inB).not.toContain('newsroom-a');
    const dayInB = await answerText(await command(w, w.b, '2021-10-07', '/briefing'));
    expect(dayInB).not.toContain('Mexico - U.S. high-level security talks');
    expect(await answerText(await command(w, w.a, '2021-10-07', '/briefing'))).toContain(
      'Mexico - U.S. high-level security talks',
    );

    // A follow in B is B's: A's follower list does not have it.
    await answerText(await command(w, w.b, 'follow Peru'));
    expect(await (await w.bot.registry.get('T0NEWSB'))!.services.store.followsOf('U_LOCAL')).toEqual(['PE']);
    expect(await (await w.bot.registry.get('T0NEWSA'))!.services.store.followsOf('U_LOCAL')).toEqual([]);

    // A removes the app: Slack's events end the installation; A's commands are no longer answered.
    const replies = await w.a.uninstall(`${w.url}/slack/events`, SIGNING_SECRET);
    expect(replies.map((reply) => reply.status)).toEqual([200, 200]);
    expect(await teams(w)).toEqual(['T0NEWSB']);
    expect(w.bot.registry.running().map((runtime) => runtime.teamId)).toEqual(['T0NEWSB']);
    const after = await command(w, w.a, 'Peru');
    expect(after.ack).toMatchObject({ text: NOT_INSTALLED });
    expect(await answerText(await command(w, w.b, 'following'))).toContain('Peru');

    // Mail for the removed workspace is refused, not posted somewhere else.
    expect((await mailTo(w, 'T0NEWSA')).status).toBe(403);
    expect((await mailTo(w, null)).status).toBe(403);
  });

  it('keeps installations across a restart and reinstalls into the same archive', async () => {
    const w = await startWorld();
    expect((await install(w, w.a)).status).toBe(200);
    expect((await mailTo(w, 'T0NEWSA')).status).toBe(202);
    await (await w.bot.registry.get('T0NEWSA'))!.services.deliverer.idle();
    await w.bot.stop();

    const again = await startBot(w.config);
    w.bot = again.bot;
    w.url = again.url;
    expect(w.bot.registry.running().map((runtime) => runtime.teamId)).toEqual(['T0NEWSA']);
    expect(await answerText(await command(w, w.a, 'Peru'))).toContain('Peru cabinet reshuffle');
    // The same email again is a duplicate in A's archive, not a second thread.
    expect((await mailTo(w, 'T0NEWSA')).json).toMatchObject({ status: 'duplicate' });
  });

  it('refuses an install whose state is missing, forged or from another browser, and a bad code', async () => {
    const w = await startWorld();
    const noCookie = await install(w, w.a, { cookie: null });
    expect(noCookie.status).toBe(400);
    const forged = await install(w, w.a, {
      state: 'forged-state',
      cookie: 'slack-app-oauth-state=forged-state',
    });
    expect(forged.status).toBe(400);
    // The exchange itself fails: a code the workspace never granted.
    const badCode = await install(w, w.a, { code: '123.456.not-a-code' });
    expect(badCode.status).toBe(500);
    expect(w.a.calls('oauth.v2.access').map((call) => call.error)).toEqual(['invalid_code']);
    expect(w.b.calls('oauth.v2.access').map((call) => call.error)).toEqual(['invalid_code']);
    // A code is good once.
    const code = w.a.oauth.grant();
    expect((await install(w, w.a, { code })).status).toBe(200);
    expect((await install(w, w.a, { code })).status).toBe(500);
    expect(w.a.calls('oauth.v2.access').at(-1)?.error).toBe('code_already_used');
    expect(await teams(w)).toEqual(['T0NEWSA']);
  });

  it('encrypts installations at rest when INSTALLATION_KEY is set', async () => {
    const w = await startWorld({ INSTALLATION_KEY: 'ab'.repeat(32) });
    expect((await install(w, w.a)).status).toBe(200);
    const { readFile } = await import('node:fs/promises');
    const file = await readFile(join(w.dataDir, 'installations.json'), 'utf8');
    expect(file).toContain('T0NEWSA');
    expect(file).not.toContain(w.a.token);
  });
});
