/**
 * The PostgreSQL store keeps the archive's latest date in memory between commands (archive-watch.ts):
 * two stores on one database stand for two instances. What one stores, the other answers with as soon
 * as the trigger's notification arrives; while it keeps a date it does not ask the database (a write
 * that bypasses the trigger shows it); a lost listening connection stops it keeping anything. The
 * waits are for a notification to travel, bounded well below MAX_AGE_MS, after which a kept date
 * expires anyway: a wait that passed only by expiry would fail.
 */
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ArchiveWatch, MAX_AGE_MS } from '../../src/store/postgres/archive-watch.js';
import { openPostgresStore, type PostgresStore } from '../../src/store/postgres/index.js';
import { type PostgresServer, SKIP_POSTGRES, startPostgres } from '../support/postgres-server.js';
import { newBriefing } from './helpers.js';

/** Well below MAX_AGE_MS: what passes within it was told, not timed out. */
const NOTIFIED_WITHIN = { timeout: MAX_AGE_MS / 2, interval: 20 };

let untold = 0;

/**
 * A briefing row, newer than any other, written past the trigger: a change this instance is never
 * told of. Returns its date.
 */
async function untoldInsert(sql: postgres.Sql): Promise<string> {
  untold += 1;
  const date = new Date(Date.UTC(2030, 0, untold)).toISOString().slice(0, 10);
  await sql.begin(async (tx) => {
    await tx`alter table briefings disable trigger briefing_dates_changed`;
    await tx`
      insert into briefings (id, dedupe_key, date, received_at, received_at_text, body)
      values (${`b_untold${untold}`}, ${`untold|${untold}`}, ${date}, now(), now()::text, '{}')`;
    await tx`alter table briefings enable trigger briefing_dates_changed`;
  });
  return date;
}

/** Waits until `store` keeps its latest date: a newer row no one is told of leaves its answer alone. */
async function kept(store: PostgresStore, sql: postgres.Sql): Promise<string | null> {
  let keeps: string | null = null;
  await vi.waitFor(async () => {
    keeps = await store.latestDate();
    await untoldInsert(sql);
    expect(await store.latestDate()).toBe(keeps);
  }, NOTIFIED_WITHIN);
  return keeps;
}

async function truth(sql: postgres.Sql): Promise<string | null> {
  return (await sql<{ date: string | null }[]>`select max(date) as date from briefings`)[0]?.date ?? null;
}

describe.skipIf(SKIP_POSTGRES)('the latest date kept across instances', () => {
  let server: PostgresServer;
  beforeAll(async () => {
    server = await startPostgres();
  });
  afterAll(async () => {
    await server?.stop();
  });

  it("follows another instance's ingest and any other writer's, and keeps the date between them", async () => {
    const url = await server.newDatabase();
    const a = await openPostgresStore({ url });
    const b = await openPostgresStore({ url });
    const psql = postgres(url, { max: 1 });
    try {
      expect(await b.latestDate()).toBeNull();
      await a.addBriefing(newBriefing('2021-10-07'));
      // The writer sees its own write at once.
      expect(await a.latestDate()).toBe('2021-10-07');
      await vi.waitFor(async () => expect(await b.latestDate()).toBe('2021-10-07'), NOTIFIED_WITHIN);

      // Kept, not asked for each time: newer rows no one was told of are not seen...
      const keeps = await kept(b, psql);
      expect(await truth(psql)).not.toBe(keeps);
      // ...until any writer through the trigger (psql here; an older bot, `migrate`) ends it.
      await psql`
        insert into briefings (id, dedupe_key, date, received_at, received_at_text, body)
        values ('b_psql', 'psql|1', '2021-10-09', now(), now()::text, '{}')`;
      const newest = await truth(psql);
      await vi.waitFor(async () => expect(await b.latestDate()).toBe(newest), NOTIFIED_WITHIN);

      // Another instance's ingest, kept date or not.
      await kept(b, psql);
      await a.addBriefing(newBriefing('2031-01-01'));
      await vi.waitFor(async () => expect(await b.latestDate()).toBe('2031-01-01'), NOTIFIED_WITHIN);
      // A deletion moves the latest date back; the kept one goes with it.
      await kept(b, psql);
      await psql`delete from briefings where date >= '2031-01-01'`;
      const back = await truth(psql);
      await vi.waitFor(async () => expect(await b.latestDate()).toBe(back), NOTIFIED_WITHIN);
    } finally {
      await psql.end();
      await a.close();
      await b.close();
    }
  });

  it("ignores another workspace's archive (another schema) and keeps nothing once its listener is gone", async () => {
    const url = await server.newDatabase();
    const ours = await openPostgresStore({ url, schema: 'team_t1' });
    const theirs = await openPostgresStore({ url, schema: 'team_t2' });
    const theirsToo = await openPostgresStore({ url, schema: 'team_t2' });
    const psql = postgres(url, { max: 1, connection: { search_path: 'team_t1' } });
    try {
      await ours.addBriefing(newBriefing('2021-10-07'));
      const keeps = await kept(ours, psql);
      expect(await theirsToo.latestDate()).toBeNull();
      await theirs.addBriefing(newBriefing('2021-12-01'));
      // Once the other workspace's instance has had the notification, ours has had it too...
      await vi.waitFor(async () => expect(await theirsToo.latestDate()).toBe('2021-12-01'), NOTIFIED_WITHIN);
      // ...and kept its date: the payload named team_t2.
      expect(await ours.latestDate()).toBe(keeps);

      // The listening connections die (a restart, a proxy cutting them): nothing kept is trusted since.
      await psql`
        select pg_terminate_backend(pid) from pg_stat_activity
        where query = 'listen briefing_dates' and datname = current_database()`;
      const newest = await truth(psql);
      await vi.waitFor(async () => expect(await ours.latestDate()).toBe(newest), NOTIFIED_WITHIN);
      // It listens again, and keeps dates again.
      await kept(ours, psql);
    } finally {
      await psql.end();
      await ours.close();
      await theirs.close();
      await theirsToo.close();
    }
  });

  it('lets a kept date go after MAX_AGE_MS even when no notification comes', async () => {
    const url = await server.newDatabase();
    const store = await openPostgresStore({ url });
    let now = 1_000_000;
    const watch = new ArchiveWatch(
      ({ closed }) => postgres(url, { max: 1, onclose: closed } as postgres.Options<Record<string, never>>),
      () => now,
    );
    try {
      await watch.start();
      const token = watch.before();
      expect(watch.fresh(token)).toBe(true);
      now += MAX_AGE_MS - 1;
      expect(watch.fresh(token)).toBe(true);
      now += 1;
      expect(watch.fresh(token)).toBe(false);
      // A change it is told of ends it at once.
      const next = watch.before();
      watch.changed();
      expect(watch.fresh(next)).toBe(false);
    } finally {
      await watch.close();
      await store.close();
    }
  });
});
