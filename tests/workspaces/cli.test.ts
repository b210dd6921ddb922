/**
 * The operator commands with many workspaces (OAuth), in-process: `--team T…` picks the workspace
 * whose archive `ingest`, `deliveries` (and `--retry`) and the `digest` preview and `--post` read and
 * write, with that workspace's stored bot token; an unknown workspace, or none named with several,
 * is answered with the known ones. Two Slack stand-ins behind one API address, installations and
 * archives on disk as the bot keeps them.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { run as deliveries } from '../../src/cli/deliveries.js';
import { run as digest } from '../../src/cli/digest.js';
import { run as ingest } from '../../src/cli/ingest.js';
import { loadConfig } from '../../src/config.js';
import type { SlackStandIn } from '../../src/local/slack-stand-in.js';
import { createWorkspacesBot } from '../../src/workspaces/bot.js';
import { boltInstallationStore } from '../../src/workspaces/installation-store.js';
import { openJsonInstallations } from '../../src/workspaces/installations-json.js';
import { openPostgresInstallations } from '../../src/workspaces/installations-postgres.js';
import { createSealer } from '../../src/workspaces/seal.js';
import { openTeamStore } from '../../src/workspaces/team-store.js';
import { quietLogger } from '../support/bot.js';
import { captureOutput as capture } from '../support/cli-output.js';
import { freePort } from '../support/ports.js';
import { type PostgresServer, SKIP_POSTGRES, startPostgres } from '../support/postgres-server.js';
import { composeEml } from '../support/seed.js';
import { type SlackFront, startSlackFront } from '../support/slack-front.js';
import { OAUTH_APP, workspace } from './world.js';

let a: SlackStandIn;
let b: SlackStandIn;
let front: SlackFront;
let dir: string;
let eml: string;
const KEY = 'cd'.repeat(32);

const env = (dataDir: string) => ({
  SLACK_CLIENT_ID: OAUTH_APP.clientId,
  SLACK_CLIENT_SECRET: OAUTH_APP.clientSecret,
  SLACK_STATE_SECRET: 'state-secret-for-the-test',
  SLACK_SIGNING_SECRET: 'cli-signing-secret',
  SLACK_API_URL: front.apiUrl,
  BRIEFING_CHANNEL: 'briefings',
  DIGEST_CHANNEL: 'digest',
  INSTALLATION_KEY: KEY,
  DATA_DIR: dataDir,
  HOST: '127.0.0.1',
  LOG_LEVEL: 'error',
  NEWSROOM_TZ: 'America/New_York',
});

/** The installation the bot stores after an install in `standIn`'s workspace (DATABASE_URL's, or DATA_DIR's). */
async function installed(dataDir: string, standIn: SlackStandIn, databaseUrl?: string): Promise<void> {
  const records = databaseUrl
    ? await openPostgresInstallations(databaseUrl)
    : await openJsonInstallations(dataDir);
  const { teamId, teamName, botUserId, botId, appId } = standIn.workspace.identity;
  await boltInstallationStore(records, createSealer(Buffer.from(KEY, 'hex'))).storeInstallation({
    team: { id: teamId, name: teamName },
    enterprise: undefined,
    user: { id: 'U_LOCAL', token: undefined, scopes: undefined },
    bot: { token: standIn.token, userId: botUserId, id: botId, scopes: ['chat:write'] },
    tokenType: 'bot',
    isEnterpriseInstall: false,
    appId,
    authVersion: 'v2',
  });
  await records.close();
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'workspaces-cli-'));
  eml = join(dir, 'seed.eml');
  await writeFile(eml, await composeEml());
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

let dataDir = '';
beforeEach(async () => {
  // Fresh workspaces each test: their channels start empty.
  a = workspace('T0NEWSA', 'A');
  b = workspace('T0NEWSB', 'B');
  await a.listen();
  await b.listen();
  front = await startSlackFront([a, b]);
  dataDir = await mkdtemp(join(dir, 'data-'));
  for (const [name, value] of Object.entries(env(dataDir))) vi.stubEnv(name, value);
  vi.stubEnv('PORT', String(await freePort()));
  for (const name of ['SLACK_BOT_TOKEN', 'SLACK_APP_TOKEN', 'DEFAULT_TEAM_ID', 'DATABASE_URL'])
    vi.stubEnv(name, '');
  return async () => {
    vi.unstubAllEnvs();
    await front.close();
    await a.close();
    await b.close();
  };
});

describe('CLI --team with many workspaces', () => {
  it('ingests into the named workspace, lists and previews each workspace’s own archive', async () => {
    await installed(dataDir, a);
    await installed(dataDir, b);
    const taken = await capture(() => ingest(['--team', 'T0NEWSB', eml]));
    expect(taken.err).toBe('');
    expect(taken.code).toBe(0);
    expect(taken.out).toMatch(/"status":"accepted"/);
    expect(b.messages('briefings').length).toBeGreaterThan(0);
    expect(a.messages('briefings')).toEqual([]);
    const inB = await openTeamStore({ dataDir, databaseUrl: null, defaultTeamId: null }, 'T0NEWSB');
    const [delivery] = await inB.listDeliveries();
    await inB.close();
    expect(delivery?.state).toBe('posted');

    const listB = await capture(() => deliveries(['--team=t0newsb']));
    expect(listB.code).toBe(0);
    expect(listB.out).toContain(delivery!.briefingId);
    expect(listB.out).toContain('posted');
    const listA = await capture(() => deliveries(['--team', 'T0NEWSA']));
    expect(listA).toMatchObject({ code: 0, out: 'No deliveries yet.\n' });

    const previewB = await capture(() => digest(['--team', 'T0NEWSB', '2021-10-07']));
    expect(previewB.code).toBe(0);
    expect(previewB.out).toContain('Mexico - U.S. high-level security talks');
    const previewA = await capture(() => digest(['2021-10-07', '--team', 'T0NEWSA']));
    expect(previewA.code).toBe(0);
    expect(previewA.out).toMatch(
      /^No briefings received on Thu, Oct 7, 2021\. No briefing has been received yet\./,
    );

    // Posting commands use the workspace's own token: B's digest lands in B's #digest.
    const posted = await capture(() => digest(['--team', 'T0NEWSB', '2021-10-07', '--post']));
    expect(posted.code).toBe(0);
    expect(posted.out).toMatch(/^digest 2021-10-07: posted to /);
    expect(b.messages('digest')).toHaveLength(1);
    expect(a.messages('digest')).toEqual([]);
    const retried = await capture(() => deliveries(['--team', 'T0NEWSB', '--retry', delivery!.briefingId]));
    // Nothing is missing from a posted delivery: the retry posts nothing more in B (or in A).
    expect(retried).toMatchObject({
      code: 0,
      out: `delivery ${delivery!.briefingId}: posted, ${delivery!.posts.length} posts\n`,
    });
    expect(b.messages('briefings')).toHaveLength(1);
    // A's archive has no such delivery: the id is looked up in the named workspace only.
    const elsewhere = await capture(() => deliveries(['--team', 'T0NEWSA', '--retry', delivery!.briefingId]));
    expect(elsewhere).toMatchObject({ code: 1, err: `No delivery with id ${delivery!.briefingId}.\n` });
  });

  it('names the known workspaces when the one asked for is unknown or none is named', async () => {
    await installed(dataDir, a);
    await installed(dataDir, b);
    expect(await capture(() => deliveries(['--team', 'T0NOPE']))).toMatchObject({
      code: 1,
      err: 'No workspace T0NOPE here (known workspaces: T0NEWSA, T0NEWSB).\n',
    });
    expect(await capture(() => digest([]))).toMatchObject({
      code: 1,
      err: 'Which workspace? Add --team T… (known workspaces: T0NEWSA, T0NEWSB).\n',
    });
    expect(await capture(() => ingest(['--team', 'T0NOPE', eml]))).toMatchObject({ code: 1 });
    expect(await capture(() => deliveries(['--team']))).toMatchObject({ code: 2 });
    expect(a.messages('briefings')).toEqual([]);
    expect(b.messages('briefings')).toEqual([]);
  });

  it('uses DEFAULT_TEAM_ID, or the only installed workspace, when --team is left out', async () => {
    await installed(dataDir, a);
    expect((await capture(() => ingest([eml]))).code).toBe(0);
    expect(a.messages('briefings').length).toBeGreaterThan(0);
    // DEFAULT_TEAM_ID's archive is DATA_DIR's own, known before that workspace installs.
    vi.stubEnv('DEFAULT_TEAM_ID', 'T0NEWSB');
    expect(await capture(() => deliveries([]))).toMatchObject({ code: 0, out: 'No deliveries yet.\n' });
    expect(await capture(() => deliveries(['--team', 'T0NEWSA']))).toMatchObject({ code: 0 });
    // B has not installed: its archive can be read, but nothing can be posted as B (the CLI prints
    // the message and exits 1).
    await expect(capture(() => digest(['2021-10-07', '--post']))).rejects.toThrow(
      'Workspace T0NEWSB has no installation (its archive is kept): install the bot there again to post.',
    );
  });

  it('will not write beside a running bot for many workspaces (its /healthz is recognised)', async () => {
    await installed(dataDir, a);
    const { config, problems } = loadConfig(process.env);
    expect(problems).toEqual([]);
    const bot = await createWorkspacesBot(config, { logger: quietLogger() });
    await bot.start();
    try {
      const refused = await capture(() => ingest(['--team', 'T0NEWSA', eml]));
      expect(refused.code).toBe(1);
      expect(refused.err).toMatch(/^A briefing-bot is running on port \d+/);
      // Reading is fine beside it.
      expect(await capture(() => deliveries(['--team', 'T0NEWSA']))).toMatchObject({ code: 0 });
    } finally {
      await bot.stop();
    }
    expect(a.messages('briefings')).toEqual([]);
  });

  it('refuses --team with one workspace (SLACK_BOT_TOKEN)', async () => {
    for (const name of ['SLACK_CLIENT_ID', 'SLACK_CLIENT_SECRET', 'SLACK_STATE_SECRET']) vi.stubEnv(name, '');
    vi.stubEnv('SLACK_BOT_TOKEN', a.token);
    const refused = await capture(() => deliveries(['--team', 'T0NEWSA']));
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(/--team is for a bot serving many workspaces/);
    expect(await capture(() => deliveries([]))).toMatchObject({ code: 0, out: 'No deliveries yet.\n' });
  });
});

describe.skipIf(SKIP_POSTGRES)('CLI --team on PostgreSQL', () => {
  let server: PostgresServer;
  beforeAll(async () => {
    server = await startPostgres();
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('reads and writes the named workspace’s schema, with installations from the database', async () => {
    const databaseUrl = await server.newDatabase();
    vi.stubEnv('DATABASE_URL', databaseUrl);
    await installed(dataDir, a, databaseUrl);
    await installed(dataDir, b, databaseUrl);
    expect(await capture(() => deliveries(['--team', 'T0NOPE']))).toMatchObject({
      code: 1,
      err: 'No workspace T0NOPE here (known workspaces: T0NEWSA, T0NEWSB).\n',
    });
    const taken = await capture(() => ingest(['--team', 'T0NEWSA', eml]));
    expect(taken.code).toBe(0);
    const { id } = JSON.parse(taken.out.split('\n')[0]!) as { id: string };
    expect(a.messages('briefings')).toHaveLength(1);
    expect(b.messages('briefings')).toEqual([]);
    const listA = await capture(() => deliveries(['--team', 'T0NEWSA']));
    expect(listA.out.split('\n').find((line) => line.startsWith(id))).toMatch(/2021-10-07\s+posted/);
    expect(await capture(() => deliveries(['--team', 'T0NEWSB']))).toMatchObject({
      code: 0,
      out: 'No deliveries yet.\n',
    });
    const preview = await capture(() => digest(['--team', 'T0NEWSA', '2021-10-07']));
    expect(preview.out).toContain('Mexico - U.S. high-level security talks');
  });
});
