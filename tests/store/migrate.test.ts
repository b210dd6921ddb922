import { access, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/index.js';
import type { Delivery, StoredBriefing, ThreadActivity } from '../../src/store/types.js';
import { newBriefing, tempDir } from './helpers.js';

let dir: string;
let cleanup: () => Promise<void>;

beforeEach(async () => {
  ({ dir, cleanup } = await tempDir());
});
afterEach(() => cleanup());

const exists = (path: string) =>
  access(join(dir, path)).then(
    () => true,
    () => false,
  );

function legacyDb() {
  const briefings: StoredBriefing[] = [
    { id: 'b_oct7aaaaaa', ...newBriefing('2021-10-07') },
    { id: 'b_nov2bbbbbb', ...newBriefing('2021-11-02') },
  ];
  const deliveries: Record<string, Delivery> = {
    b_oct7aaaaaa: {
      briefingId: 'b_oct7aaaaaa',
      state: 'posted',
      attempts: 1,
      lastError: null,
      nextAttemptAt: null,
      updatedAt: '2021-10-07T17:22:00.000Z',
      posts: [
        {
          key: 'card',
          sectionIndex: null,
          channel: 'C1',
          ts: '100.1',
          threadTs: null,
          permalink: null,
          postedAt: '2021-10-07T17:21:00.000Z',
        },
      ],
    },
    b_nov2bbbbbb: {
      briefingId: 'b_nov2bbbbbb',
      state: 'pending',
      attempts: 0,
      lastError: null,
      nextAttemptAt: null,
      updatedAt: '2021-11-02T17:20:13.000Z',
      posts: [],
    },
  };
  const threads: ThreadActivity[] = [
    {
      channel: 'C1',
      threadTs: '100.1',
      briefingId: 'b_oct7aaaaaa',
      sectionIndex: null,
      replies: { '100.5': 'U1' },
      lastReplyAt: '2021-10-07T18:00:00.000Z',
    },
  ];
  return {
    briefings,
    deliveries,
    threads,
    digests: [{ date: '2021-10-07', channel: 'C2', ts: '200.1', postedAt: '2021-10-07T21:00:00.000Z' }],
    events: [{ id: 'Ev1', at: Date.parse('2021-11-02T12:00:00.000Z') }],
  };
}

describe('migration from the single-file layout', () => {
  it('moves db.json into month files and the index, keeping the old file renamed', async () => {
    const original = JSON.stringify(legacyDb());
    await writeFile(join(dir, 'db.json'), original);
    const now = () => new Date('2021-11-02T13:00:00.000Z');

    const store = await openStore({ dataDir: dir, now });
    expect(await store.briefingCount()).toBe(2);
    expect((await store.getBriefing('b_oct7aaaaaa'))?.briefing.title).toBe('Briefing 2021-10-07');
    expect((await store.findByDedupeKey('C1|<2021-11-02@example.org>'))?.id).toBe('b_nov2bbbbbb');
    expect((await store.findPost('C1', '100.1'))?.briefingId).toBe('b_oct7aaaaaa');
    expect((await store.unfinishedDeliveries()).map((d) => d.briefingId)).toEqual(['b_nov2bbbbbb']);
    expect((await store.threadsForDate('2021-10-07'))[0]?.replies).toEqual({ '100.5': 'U1' });
    expect((await store.getDigest('2021-10-07'))?.ts).toBe('200.1');
    expect(await store.storiesAbout('PE', { from: '2021-01-01', to: '2021-12-31' })).toHaveLength(2);
    expect(await store.markEventSeen('Ev1')).toBe(false);
    await store.close();

    expect(await exists('db.json')).toBe(false);
    expect(await readFile(join(dir, 'db.json.migrated'), 'utf8')).toBe(original);
    expect((await readdir(join(dir, 'briefings'))).sort()).toEqual(['2021-10.json', '2021-11.json']);
    const october = JSON.parse(await readFile(join(dir, 'briefings', '2021-10.json'), 'utf8'));
    expect(october.briefings.map((b: StoredBriefing) => b.id)).toEqual(['b_oct7aaaaaa']);
    expect(october.threads).toHaveLength(1);

    // A second start finds the partitioned layout and migrates nothing again.
    const again = await openStore({ dataDir: dir, now });
    expect(await again.briefingCount()).toBe(2);
    await again.close();
  });

  it('finishes a migration that crashed after writing the index', async () => {
    await writeFile(join(dir, 'db.json'), JSON.stringify(legacyDb()));
    await (await openStore({ dataDir: dir })).close();
    // As if the rename had not happened: db.json back next to a migrated index.
    await writeFile(join(dir, 'db.json'), JSON.stringify(legacyDb()));
    const store = await openStore({ dataDir: dir });
    expect(await store.briefingCount()).toBe(2);
    expect(await exists('db.json')).toBe(false);
    await store.close();
  });

  it('refuses a db.json next to a store that was never migrated, naming both', async () => {
    await (await openStore({ dataDir: dir })).close();
    await writeFile(join(dir, 'db.json'), JSON.stringify(legacyDb()));
    await expect(openStore({ dataDir: dir })).rejects.toThrow(/db\.json and .*index\.json exist/);
    expect(await exists('db.json')).toBe(true);
  });

  it('names a corrupt db.json and leaves it in place', async () => {
    await writeFile(join(dir, 'db.json'), '{"briefings": [');
    await expect(openStore({ dataDir: dir })).rejects.toThrow(join(dir, 'db.json'));
    expect(await readFile(join(dir, 'db.json'), 'utf8')).toBe('{"briefings": [');
    expect(await exists('index.json')).toBe(false);
  });
});
