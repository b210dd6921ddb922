/**
 * `briefing-bot migrate --to URL`: a lowdb archive on disk copied into a real PostgreSQL server, every
 * id, post, reply and digest kept; a second run copies nothing and says so; the PostgreSQL store then
 * answers as the lowdb store did.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { run as migrate } from '../../src/cli/migrate.js';
import { openStore } from '../../src/store/index.js';
import { openPostgresStore } from '../../src/store/postgres/index.js';
import type { Store } from '../../src/store/types.js';
import { type PostgresServer, SKIP_POSTGRES, startPostgres } from '../support/postgres-server.js';
import { newBriefing } from './helpers.js';

async function captured(command: () => Promise<number>): Promise<{ code: number; out: string }> {
  let out = '';
  const stdout = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    out += String(chunk);
    return true;
  });
  try {
    return { code: await command(), out };
  } finally {
    stdout.mockRestore();
  }
}

async function answers(store: Store, ids: string[]) {
  return {
    briefings: await Promise.all(ids.map((id) => store.getBriefing(id))),
    deliveries: await store.listDeliveries(),
    peru: await store.storiesAbout('PE', { from: '2021-01-01', to: '2021-12-31' }),
    threads: await store.threadsForDate('2021-10-07'),
    window: await store.threadsWithRepliesBetween('2021-10-07T00:00:00Z', '2021-10-08T00:00:00Z'),
    digest: await store.getDigest('2021-10-07'),
    post: await store.findPost('C1', '1633627273.000100'),
    latest: await store.latestDate(),
    count: await store.briefingCount(),
  };
}

describe.skipIf(SKIP_POSTGRES)('migrate --to postgres://…', () => {
  let server: PostgresServer;
  let dir: string;
  beforeAll(async () => {
    server = await startPostgres();
    dir = await mkdtemp(join(tmpdir(), 'briefing-migrate-'));
  });
  afterAll(async () => {
    vi.unstubAllEnvs();
    await server?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('copies every month with its ids, posts, replies and digests, and a second run copies nothing', async () => {
    const lowdb = await openStore({ dataDir: dir });
    const ids: string[] = [];
    for (const date of ['2021-09-30', '2021-10-07', '2021-10-08']) {
      ids.push((await lowdb.addBriefing(newBriefing(date))).briefing.id);
    }
    const card = {
      key: 'card',
      sectionIndex: null,
      channel: 'C1',
      ts: '1633627273.000100',
      threadTs: null,
      permalink: 'https://x.slack.com/p1',
      postedAt: '2021-10-07T17:21:00.000Z',
    };
    await lowdb.recordPost(ids[1]!, card);
    await lowdb.updateDelivery(ids[1]!, { state: 'posted', attempts: 1 });
    await lowdb.updateDelivery(ids[0]!, { state: 'failed', lastError: 'channel_not_found' });
    const thread = { channel: 'C1', threadTs: card.ts, briefingId: ids[1]!, sectionIndex: null };
    await lowdb.recordReply(thread, '1633630000.000100', 'U1', '2021-10-07T18:06:40.000Z');
    await lowdb.recordReply(thread, '1633631000.000100', 'U2', '2021-10-07T18:23:20.000Z');
    await lowdb.recordDigest({
      date: '2021-10-07',
      channel: 'C0DIGEST',
      ts: '1633640000.000100',
      postedAt: '2021-10-07T21:00:00.000Z',
    });
    await lowdb.addDeskCountries('andes', ['PE', 'BO'], 'U_EDITOR');
    await lowdb.follow('U_REPORTER', 'HT');
    await lowdb.follow('U_REPORTER', 'CU');
    await lowdb.follow('U_GONE', 'VE');
    await lowdb.muteFollower('U_GONE', 'user_not_found');
    await lowdb.saveMailboxCursor('bot@mail.example.org/INBOX', { uidValidity: '1700000000', lastUid: 42 });
    const before = await answers(lowdb, ids);
    await lowdb.close();

    const url = await server.newDatabase();
    vi.stubEnv('DATA_DIR', dir);
    const first = await captured(() => migrate(['--to', url]));
    expect(first.code).toBe(0);
    expect(first.out).toContain('2021-09: copied 1 briefings, 1 deliveries, 0 posts, 0 replies, 0 digests');
    expect(first.out).toContain(
      'Done: 2 months. Copied 3 briefings, 3 deliveries, 1 posts, 2 replies, 1 digests. Already there 0 briefings, 0 deliveries, 0 posts, 0 replies, 0 digests.',
    );
    expect(first.out).toContain(
      'Settings: copied 1 desks, 3 follows, 1 muted followers, 1 mailbox cursors. Already there 0 desks, 0 follows, 0 muted followers, 0 mailbox cursors.',
    );
    const again = await captured(() => migrate(['--to', url]));
    expect(again.out).toContain('Settings: copied 0 desks, 0 follows, 0 muted followers, 0 mailbox cursors.');
    expect(again.out).toContain(
      'Copied 0 briefings, 0 deliveries, 0 posts, 0 replies, 0 digests. Already there 3 briefings, 3 deliveries, 1 posts, 2 replies, 1 digests.',
    );

    const pg = await openPostgresStore({ url });
    try {
      // The copy ends with VACUUM (ANALYZE): a bot started right after plans with statistics, not guesses.
      const analyzed = await pg.sql<{ relname: string }[]>`
        select relname from pg_stat_user_tables where last_analyze is not null and last_vacuum is not null`;
      expect(analyzed.map((row) => row.relname)).toEqual(
        expect.arrayContaining(['briefings', 'stories', 'story_countries', 'story_mentions', 'posts']),
      );
      expect(await answers(pg, ids)).toEqual(before);
      expect(await pg.deliveryCounts()).toEqual({ unfinished: 1, failed: 1 });
      expect((await pg.listDesks()).map((desk) => [desk.channel, desk.countries, desk.addedBy])).toEqual([
        ['andes', ['PE', 'BO'], 'U_EDITOR'],
      ]);
      expect(await pg.followsOf('U_REPORTER')).toEqual(['HT', 'CU']);
      expect((await pg.mutedFollower('U_GONE'))?.reason).toBe('user_not_found');
      expect(await pg.followersOf(['VE'])).toEqual(new Map());
      expect(await pg.mailboxCursor('bot@mail.example.org/INBOX')).toMatchObject({
        uidValidity: '1700000000',
        lastUid: 42,
      });
    } finally {
      await pg.close();
    }
    expect((await captured(() => migrate(['--to', 'mysql://x']))).code).toBe(2);
  });
});
