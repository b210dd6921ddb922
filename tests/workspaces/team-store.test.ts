/**
 * Each workspace's archive on its own, on both backends: a directory per workspace under
 * DATA_DIR/workspaces with lowdb, a schema per workspace with PostgreSQL (a real server). What one
 * workspace stores, another never reads; DEFAULT_TEAM_ID's workspace keeps the single-token archive.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/index.js';
import { openTeamStore } from '../../src/workspaces/team-store.js';
import { newBriefing } from '../store/helpers.js';
import { type PostgresServer, SKIP_POSTGRES, startPostgres } from '../support/postgres-server.js';

let server: PostgresServer | null = null;
const dirs: string[] = [];
afterAll(async () => {
  await server?.stop();
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

const backends = [
  { name: 'lowdb', skip: false, url: async () => null },
  {
    name: 'PostgreSQL',
    skip: SKIP_POSTGRES,
    url: async () => {
      server ??= await startPostgres();
      return server.newDatabase();
    },
  },
];

for (const backend of backends) {
  describe.skipIf(backend.skip)(`workspace archives: ${backend.name}`, () => {
    it('keeps two workspaces apart and gives DEFAULT_TEAM_ID the single-token archive', async () => {
      const dataDir = await mkdtemp(join(tmpdir(), 'briefing-teams-'));
      dirs.push(dataDir);
      const config = { dataDir, databaseUrl: await backend.url(), defaultTeamId: 'T0OLD' };
      // The archive a single-token bot built, before OAuth.
      const legacy = await openStore({ dataDir, databaseUrl: config.databaseUrl });
      await legacy.addBriefing(newBriefing('2021-10-06', 'legacy'));
      await legacy.follow('U1', 'PE');
      await legacy.close();

      const a = await openTeamStore(config, 'T0NEWSA');
      const b = await openTeamStore(config, 'T0NEWSB');
      const old = await openTeamStore(config, 'T0OLD');
      try {
        await a.addBriefing(newBriefing('2021-10-07', 'a'));
        await a.follow('U1', 'MX');
        expect(await a.briefingCount()).toBe(1);
        expect(await b.briefingCount()).toBe(0);
        expect(await b.briefingsOn('2021-10-07')).toEqual([]);
        expect(await b.followsOf('U1')).toEqual([]);
        expect(await a.followsOf('U1')).toEqual(['MX']);
        // Unchanged for the workspace the old archive belongs to.
        expect(await old.briefingCount()).toBe(1);
        expect(await old.followsOf('U1')).toEqual(['PE']);
      } finally {
        await a.close();
        await b.close();
        await old.close();
      }
    });

    it('refuses an id that is not a workspace id before it names a directory or schema', async () => {
      const config = { dataDir: tmpdir(), databaseUrl: await backend.url(), defaultTeamId: null };
      await expect(openTeamStore(config, '../../etc')).rejects.toThrow(/Not a Slack workspace id/);
      await expect(openTeamStore(config, 'T0"; drop table briefings; --')).rejects.toThrow(
        /Not a Slack workspace id/,
      );
    });
  });
}
