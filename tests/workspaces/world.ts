/**
 * The many-workspace world the e2e tests share: the real bot in OAuth mode (Bolt's HTTPReceiver with its
 * install pages, our installation store), two Slack stand-ins — two workspaces — behind one Web API
 * address (slack-front.ts), and what an admin and a user do there: install, mail, slash commands.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Logger } from '@slack/bolt';
import { expect } from 'vitest';
import { type Config, loadConfig } from '../../src/config.js';
import { type Interaction, SlackStandIn } from '../../src/local/slack-stand-in.js';
import {
  createWorkspacesBot,
  type WorkspacesBot,
  type WorkspacesOverrides,
} from '../../src/workspaces/bot.js';
import { textOf } from '../slack/commands/harness.js';
import { quietLogger } from '../support/bot.js';
import { composeEml } from '../support/seed.js';
import { type SlackFront, startSlackFront } from '../support/slack-front.js';

export const SIGNING_SECRET = 'many-workspaces-signing-secret';
export const MAIL_SECRET = 'many-workspaces-mail-secret';
export const OAUTH_APP = { clientId: '1111.2222', clientSecret: 'client-secret-of-the-app' };
// The seed briefing is dated Thursday, October 7, 2021; the bot's clock is that evening.
export const NOW = new Date('2021-10-07T22:00:00Z');

export interface World {
  a: SlackStandIn;
  b: SlackStandIn;
  front: SlackFront;
  dataDir: string;
  config: Config;
  bot: WorkspacesBot;
  url: string;
}

let world: World | null = null;

/** Stops the world the last startWorld made (each test file's afterEach). */
export async function closeWorld(): Promise<void> {
  if (!world) return;
  const w = world;
  world = null;
  await w.bot.stop();
  await w.front.close();
  await w.a.close();
  await w.b.close();
  await rm(w.dataDir, { recursive: true, force: true });
}

export interface WorldOptions {
  logger?: Logger;
  /** The stand-ins hand out expiring tokens (the object is read at each issue: a test may change it). */
  tokenRotation?: { expiresInSec: number };
  /** The stand-ins' clock for token expiry. */
  clock?: () => number;
  overrides?: WorkspacesOverrides;
}

export function workspace(teamId: string, letter: string, options: WorldOptions = {}): SlackStandIn {
  return new SlackStandIn({
    rateLimit: null,
    oauth: { ...OAUTH_APP, ...(options.tokenRotation ? { tokenRotation: options.tokenRotation } : {}) },
    ...(options.clock ? { clock: options.clock } : {}),
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

export async function startBot(
  config: Config,
  logger: Logger = quietLogger(),
  overrides: WorkspacesOverrides = {},
): Promise<{ bot: WorkspacesBot; url: string }> {
  const bot = await createWorkspacesBot(config, {
    ...overrides,
    logger,
    now: () => NOW,
    minPostIntervalMs: 0,
    sleep: async () => {},
  });
  const { port } = await bot.start();
  return { bot, url: `http://127.0.0.1:${port}` };
}

export async function startWorld(
  env: Record<string, string> = {},
  options: WorldOptions = {},
): Promise<World> {
  const a = workspace('T0NEWSA', 'A', options);
  const b = workspace('T0NEWSB', 'B', options);
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
  const started = await startBot({ ...config, port: 0 }, options.logger, options.overrides);
  world = { a, b, front, dataDir, config: { ...config, port: 0 }, ...started };
  return world;
}

/** What an admin does: open /slack/install, follow "Add to Slack", press Allow, land on the redirect. */
export async function install(
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

export async function mailTo(
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

export async function command(
  w: World,
  standIn: SlackStandIn,
  text: string,
  name = '/country',
): Promise<Interaction> {
  return standIn.sendSlashCommand(`${w.url}/slack/events`, SIGNING_SECRET, { command: name, text });
}

export async function answerText(interaction: Interaction): Promise<string> {
  expect(interaction.status).toBe(200);
  const [answer] = await interaction.waitForResponses(1);
  return textOf(answer!);
}

export const teams = async (w: World) =>
  (await w.bot.installations.list()).map((record) => record.teamId).sort();
