/**
 * The installation store on both backends (lowdb's DATA_DIR, a real PostgreSQL), through Bolt's
 * InstallationStore interface as Bolt's OAuth flow calls it, with and without INSTALLATION_KEY.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { boltInstallationStore, type TeamInstallation } from '../../src/workspaces/installation-store.js';
import { INSTALLATIONS_FILE, openJsonInstallations } from '../../src/workspaces/installations-json.js';
import { openPostgresInstallations } from '../../src/workspaces/installations-postgres.js';
import type { InstallationRecords } from '../../src/workspaces/records.js';
import { createSealer, parseInstallationKey } from '../../src/workspaces/seal.js';
import { type PostgresServer, SKIP_POSTGRES, startPostgres } from '../support/postgres-server.js';

const installation = (teamId: string, token: string): TeamInstallation => ({
  team: { id: teamId, name: `Team ${teamId}` },
  enterprise: undefined,
  user: { id: 'U_ADMIN', token: undefined, scopes: undefined },
  bot: { id: 'B1', userId: 'U_BOT', token, scopes: ['chat:write', 'commands'] },
  tokenType: 'bot',
  isEnterpriseInstall: false,
  appId: 'A1',
  authVersion: 'v2',
});

let server: PostgresServer | null = null;
const dirs: string[] = [];

interface Backend {
  name: string;
  skip: boolean;
  open(): Promise<{ records: InstallationRecords; raw(): Promise<string> }>;
}

const backends: Backend[] = [
  {
    name: 'lowdb (DATA_DIR/installations.json)',
    skip: false,
    async open() {
      const dir = await mkdtemp(join(tmpdir(), 'briefing-installs-'));
      dirs.push(dir);
      return {
        records: await openJsonInstallations(dir),
        raw: () => readFile(join(dir, INSTALLATIONS_FILE), 'utf8'),
      };
    },
  },
  {
    name: 'PostgreSQL',
    skip: SKIP_POSTGRES,
    async open() {
      server ??= await startPostgres();
      const url = await server.newDatabase();
      return {
        records: await openPostgresInstallations(url),
        async raw() {
          const sql = postgres(url, { max: 1 });
          const rows = await sql<{ data: string }[]>`select data from slack_installations`;
          await sql.end();
          return rows.map((row) => row.data).join('\n');
        },
      };
    },
  },
];

afterAll(async () => {
  await server?.stop();
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

const KEY = parseInstallationKey(randomBytes(32).toString('base64'))!;

for (const backend of backends) {
  describe.skipIf(backend.skip)(`installation store: ${backend.name}`, () => {
    let records: InstallationRecords;
    let raw: () => Promise<string>;
    beforeAll(async () => {
      ({ records, raw } = await backend.open());
      return () => records.close();
    });

    it('stores, fetches, lists, replaces and deletes per workspace', async () => {
      const store = boltInstallationStore(records, createSealer(KEY));
      await store.storeInstallation(installation('T0AAA', 'xoxb-aaa-1'));
      await store.storeInstallation(installation('T0BBB', 'xoxb-bbb-1'));
      const a = await store.fetchInstallation({
        teamId: 'T0AAA',
        isEnterpriseInstall: false,
        enterpriseId: undefined,
      });
      expect(a.bot?.token).toBe('xoxb-aaa-1');
      expect(
        (
          await store.fetchInstallation({
            teamId: 'T0BBB',
            isEnterpriseInstall: false,
            enterpriseId: undefined,
          })
        ).bot?.token,
      ).toBe('xoxb-bbb-1');
      // A reinstall replaces the token, it does not add a second record.
      await store.storeInstallation(installation('T0AAA', 'xoxb-aaa-2'));
      expect((await store.fetchTeam('T0AAA'))?.bot?.token).toBe('xoxb-aaa-2');
      expect((await records.list()).map((record) => record.teamId).sort()).toEqual(['T0AAA', 'T0BBB']);

      await store.deleteInstallation?.({
        teamId: 'T0AAA',
        isEnterpriseInstall: false,
        enterpriseId: undefined,
      });
      await expect(
        store.fetchInstallation({ teamId: 'T0AAA', isEnterpriseInstall: false, enterpriseId: undefined }),
      ).rejects.toThrow(/No installation for workspace T0AAA/);
      expect(await store.fetchTeam('T0BBB')).not.toBeNull();
      expect(await records.remove('T0AAA')).toBe(false);
    });

    it('keeps no token in the clear when INSTALLATION_KEY is set, and a wrong key cannot read it', async () => {
      const store = boltInstallationStore(records, createSealer(KEY));
      await store.storeInstallation(installation('T0SEALED', 'xoxb-sealed-secret'));
      expect(await raw()).not.toContain('xoxb-sealed-secret');
      const other = boltInstallationStore(records, createSealer(parseInstallationKey('ab'.repeat(32))));
      await expect(other.fetchTeam('T0SEALED')).rejects.toThrow(/not the key it was stored with/);
      const keyless = boltInstallationStore(records, createSealer(null));
      await expect(keyless.fetchTeam('T0SEALED')).rejects.toThrow(/set INSTALLATION_KEY/);
    });

    it('without a key stores plain JSON, still readable once a key is set', async () => {
      await boltInstallationStore(records, createSealer(null)).storeInstallation(
        installation('T0PLAIN', 'xoxb-plain-1'),
      );
      expect(await raw()).toContain('xoxb-plain-1');
      expect((await boltInstallationStore(records, createSealer(KEY)).fetchTeam('T0PLAIN'))?.bot?.token).toBe(
        'xoxb-plain-1',
      );
    });

    it('keeps an org-wide install by its enterprise id, apart from the workspaces', async () => {
      const store = boltInstallationStore(records, createSealer(KEY), { orgWide: true });
      const org = {
        ...installation('T0UNUSED', 'xoxb-org-secret'),
        team: undefined,
        enterprise: { id: 'E0ORG', name: 'Org' },
        isEnterpriseInstall: true,
        enterpriseUrl: 'https://org.enterprise.slack.com/',
      } as never;
      await store.storeInstallation(org);
      await store.storeInstallation(installation('T0BESIDE', 'xoxb-beside'));
      // Bolt asks for a workspace of the organisation with its enterprise id and isEnterpriseInstall.
      const found = await store.fetchInstallation({
        teamId: 'T0INORG',
        enterpriseId: 'E0ORG',
        isEnterpriseInstall: true,
      });
      expect(found).toMatchObject({ isEnterpriseInstall: true, enterprise: { id: 'E0ORG' } });
      expect(found.bot?.token).toBe('xoxb-org-secret');
      expect((await store.fetchOrg('E0ORG'))?.bot?.token).toBe('xoxb-org-secret');
      expect(await raw()).not.toContain('xoxb-org-secret');
      // Not a workspace: never listed to start, never found as one.
      expect((await records.list()).map((record) => record.teamId)).not.toContain('E0ORG');
      expect(await store.fetchTeam('E0ORG')).toBeNull();
      await expect(
        store.fetchInstallation({ teamId: 'T0INORG', enterpriseId: 'E0ORG', isEnterpriseInstall: false }),
      ).rejects.toThrow(/No installation for workspace T0INORG/);
      // A reinstall replaces it; an uninstall deletes it and leaves the workspace beside it.
      await store.storeInstallation({
        ...(org as object),
        bot: { ...installation('T0', 'xoxb-org-2').bot },
      } as never);
      expect((await store.fetchOrg('E0ORG'))?.bot?.token).toBe('xoxb-org-2');
      await store.deleteInstallation?.({
        teamId: undefined,
        enterpriseId: 'E0ORG',
        isEnterpriseInstall: true,
      });
      await expect(
        store.fetchInstallation({ teamId: 'T0INORG', enterpriseId: 'E0ORG', isEnterpriseInstall: true }),
      ).rejects.toThrow(/No org-wide installation for E0ORG/);
      expect(await records.removeOrg('E0ORG')).toBe(false);
      expect(await store.fetchTeam('T0BESIDE')).not.toBeNull();
      await expect(
        store.storeInstallation({ ...(org as object), enterprise: { id: '../x' } } as never),
      ).rejects.toThrow(/Not an Enterprise Grid organisation id/);
    });

    it('refuses org-wide installs and ids that are not workspace ids', async () => {
      const store = boltInstallationStore(records, createSealer(null));
      await expect(
        store.storeInstallation({
          ...installation('T0ORG', 'xoxb-org'),
          team: undefined,
          enterprise: { id: 'E0ORG' },
          isEnterpriseInstall: true,
        } as never),
      ).rejects.toThrow(/Org-wide installs are not supported/);
      await expect(store.storeInstallation(installation('../etc', 'xoxb-x'))).rejects.toThrow(
        /Not a Slack workspace id/,
      );
      expect((await records.list()).map((record) => record.teamId)).not.toContain('T0ORG');
    });
  });
}

describe('INSTALLATION_KEY', () => {
  it('takes 64 hex digits or base64 of 32 bytes, nothing shorter', () => {
    expect(parseInstallationKey('00'.repeat(32))?.length).toBe(32);
    expect(parseInstallationKey(randomBytes(32).toString('base64'))?.length).toBe(32);
    expect(parseInstallationKey('short')).toBeNull();
    expect(parseInstallationKey(randomBytes(16).toString('base64'))).toBeNull();
  });

  it('a tampered ciphertext does not open', () => {
    const sealer = createSealer(KEY);
    const sealed = sealer.seal('{"token":"xoxb-1"}');
    const bytes = Buffer.from(sealed.slice(3), 'base64');
    bytes.writeUInt8(bytes.readUInt8(bytes.length - 1) ^ 1, bytes.length - 1);
    expect(() => sealer.open(`v1:${bytes.toString('base64')}`)).toThrow(/could not be decrypted/);
    expect(sealer.open(sealed)).toBe('{"token":"xoxb-1"}');
  });
});
