/**
 * What only the PostgreSQL store has: versioned migrations applied at open, once, however many
 * instances start together; a database from a newer bot is refused. Its Store behaviour is in
 * contract.test.ts.
 */
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/index.js';
import { openPostgresStore, redact } from '../../src/store/postgres/index.js';
import { MIGRATION_LOCK, MIGRATIONS, migrateSchema } from '../../src/store/postgres/schema.js';
import { type PostgresServer, SKIP_POSTGRES, startPostgres } from '../support/postgres-server.js';
import { newBriefing } from './helpers.js';

describe.skipIf(SKIP_POSTGRES)('PostgreSQL store', () => {
  let server: PostgresServer;
  beforeAll(async () => {
    server = await startPostgres();
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('migrates once when several instances open a new database together, and keeps data across opens', async () => {
    const url = await server.newDatabase();
    const stores = await Promise.all(Array.from({ length: 4 }, () => openPostgresStore({ url, max: 2 })));
    const sql = postgres(url, { max: 1 });
    try {
      const rows = await sql<{ version: number }[]>`select version from schema_migrations order by version`;
      expect(rows.map((row) => row.version)).toEqual(MIGRATIONS.map((migration) => migration.version));
      expect(await migrateSchema(sql)).toEqual([]);
      const { briefing } = await stores[0]!.addBriefing(newBriefing('2021-10-07'));
      for (const store of stores) await store.close();
      // DATABASE_URL through the one openStore every caller uses.
      const reopened = await openStore({ dataDir: '/nonexistent', databaseUrl: url });
      expect((await reopened.getBriefing(briefing.id))?.dedupeKey).toBe(briefing.dedupeKey);
      await reopened.close();
    } finally {
      await sql.end();
    }
  });

  it('lets several bots open one database at once (claims keep them exactly-once, claims.test.ts)', async () => {
    const url = await server.newDatabase();
    const first = await openStore({ dataDir: '/nonexistent', databaseUrl: url });
    const second = await openStore({ dataDir: '/nonexistent', databaseUrl: url });
    const { briefing } = await first.addBriefing(newBriefing('2021-10-07'));
    expect((await second.getBriefing(briefing.id))?.id).toBe(briefing.id);
    const reader = await openStore({ dataDir: '/nonexistent', databaseUrl: url, readOnly: true });
    await reader.close();
    await first.close();
    await second.close();
  });

  it("shows one instance's correction to another at once: no instance answers or posts from a stale copy", async () => {
    const url = await server.newDatabase();
    const first = await openStore({ dataDir: '/nonexistent', databaseUrl: url });
    const second = await openStore({ dataDir: '/nonexistent', databaseUrl: url });
    try {
      const { briefing } = await first.addBriefing(newBriefing('2021-10-07'));
      // The second instance reads it every way a command, the digest or a delivery does: now it keeps it.
      const reads = async () => [
        (await second.getBriefing(briefing.id))?.briefing.title,
        (await second.getBriefings([briefing.id])).get(briefing.id)?.briefing.title,
        (await second.briefingsOn('2021-10-07'))[0]?.briefing.title,
        (await second.briefingsFiledBetween({ from: '2021-10-01', to: '2021-10-31' }))[0]?.briefing.title,
        (await second.briefingsReceivedBetween('2021-10-07T00:00:00Z', '2021-10-08T00:00:00Z'))[0]?.briefing
          .title,
      ];
      expect(await reads()).toEqual(Array(5).fill('Briefing 2021-10-07'));
      const generation = second.searchGeneration();
      await first.reviseBriefing(briefing.id, {
        receivedAt: '2021-10-07T18:00:00.000Z',
        messageId: null,
        dedupeKey: 'C1|corrected',
        briefing: { ...briefing.briefing, title: 'Corrected briefing' },
      });
      // Right after the other instance's commit, without waiting for any notification: what a delivery
      // and the day and period summaries read.
      expect((await second.getBriefing(briefing.id))?.briefing.title).toBe('Corrected briefing');
      expect((await reads()).slice(2)).toEqual(Array(3).fill('Corrected briefing'));
      // The bulk read commands use, and the hit texts search keeps, once the notification arrives.
      await expect.poll(async () => (await reads())[1]).toBe('Corrected briefing');
      await expect.poll(() => second.searchGeneration()).not.toBe(generation);
    } finally {
      await first.close();
      await second.close();
    }
  });

  it('opens a current database with one read, not queued behind the migration lock another session holds', async () => {
    const url = await server.newDatabase();
    const sql = postgres(url, { max: 1, onnotice: () => {} });
    const holder = postgres(url, { max: 1 });
    try {
      await migrateSchema(sql);
      // A session holding migrateSchema's advisory lock (an instance migrating, or stuck doing so).
      await holder`select pg_advisory_lock(${MIGRATION_LOCK})`;
      // Taking the lock, this would wait until the holder lets go, which it does only afterwards.
      expect(await migrateSchema(sql)).toEqual([]);
      // A database lacking a migration still takes the locked path: a new one waits its turn.
      const next = { version: 99, name: 'next', sql: 'create table next_one (id int);' };
      const applying = migrateSchema(sql, [...MIGRATIONS, next]);
      await holder`select pg_advisory_unlock(${MIGRATION_LOCK})`;
      expect(await applying).toEqual([99]);
    } finally {
      await holder.end();
      await sql.end();
    }
  });

  it('applies a new migration in a transaction: a failing one leaves no trace', async () => {
    const url = await server.newDatabase();
    const sql = postgres(url, { max: 1, onnotice: () => {} });
    try {
      await migrateSchema(sql);
      const broken = {
        version: 99,
        name: 'broken',
        sql: 'create table half (id int); select * from missing_table;',
      };
      await expect(migrateSchema(sql, [...MIGRATIONS, broken])).rejects.toThrow(/missing_table/);
      const [row] = await sql<{ half: string | null }[]>`select to_regclass('half')::text as half`;
      expect(row?.half).toBeNull();
      expect((await sql`select 1 from schema_migrations where version = 99`).length).toBe(0);
    } finally {
      await sql.end();
    }
  });

  it("gives a database from before story search (migration 8) its stories' dates and words: a search finds old briefings", async () => {
    const url = await server.newDatabase();
    const sql = postgres(url, { max: 1, onnotice: () => {} });
    try {
      // The archive as a bot of migration 7 left it: stories without dates or words.
      await migrateSchema(
        sql,
        MIGRATIONS.filter((migration) => migration.version < 8),
      );
      const body = { ...newBriefing('2019-05-01', 'C1|old'), id: 'b_old0000001' };
      await sql`insert into briefings (id, dedupe_key, date, received_at, received_at_text, body)
                values (${body.id}, ${body.dedupeKey}, ${body.date}, ${new Date(body.receivedAt)}, ${body.receivedAt},
                        ${JSON.stringify(body)})`;
      await sql`insert into stories (briefing_id, position, section_index, item_index, countries)
                values (${body.id}, 0, 0, null, ${['MX', 'US']}), (${body.id}, 1, 1, null, ${['PE']})`;
      await sql`insert into deliveries (briefing_id, state, attempts, updated_at)
                values (${body.id}, 'posted', 1, ${body.receivedAt})`;
      const store = await openPostgresStore({ url, max: 2 });
      const [row] = await sql<{ dates: string[]; unindexed: number }[]>`
        select array_agg(date order by position) as dates, count(*) filter (where words is null)::integer as unindexed
        from stories`;
      expect(row).toEqual({ dates: ['2019-05-01', '2019-05-01'], unindexed: 2 });
      // The first search waits for the words, written once.
      const found = await store.searchStories('cabinet', { from: '0001-01-01', to: '9999-12-31' }, 0, 10);
      expect(found.hits.map((hit) => [hit.briefingId, hit.sectionIndex])).toEqual([[body.id, 1]]);
      const [after] = await sql<{ unindexed: number }[]>`
        select count(*)::integer as unindexed from stories where words is null`;
      expect(after?.unindexed).toBe(0);
      await store.close();
    } finally {
      await sql.end();
    }
  });

  it('refuses a database migrated by a newer bot, naming the version, and never shows the password', async () => {
    const url = await server.newDatabase();
    const sql = postgres(url, { max: 1, onnotice: () => {} });
    try {
      await migrateSchema(sql);
      await sql`insert into schema_migrations (version, name) values (1000, 'future')`;
    } finally {
      await sql.end();
    }
    await expect(openPostgresStore({ url })).rejects.toThrow(/schema version 1000, newer than this bot/);
    expect(redact('postgres://bot:s3cret@db:5432/x')).toBe('postgres://bot:***@db:5432/x');
  });
});
