import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { ALL_TIME } from '../../src/query/period.js';
import { openStore } from '../../src/store/index.js';
import { addBriefing, briefing, prose } from '../query/archive.js';

let dataDir = '';
afterEach(async () => {
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

it('the lowdb store searches what it holds: built from the month files at open, kept current on add', async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'store-search-'));
  const first = await openStore({ dataDir });
  // Searching before warmSearch builds the index first.
  await addBriefing(
    first,
    briefing('Old', '2019-05-01', [prose('Bolivia vote', ['BO'], 'Evo Morales runs again.')]),
  );
  expect((await first.searchStories('morales', ALL_TIME, 0, 10)).total).toBe(1);
  await first.close();

  // Built in the search worker from the month files (a failed worker would warn and build here).
  const warnings: string[] = [];
  const logger = {
    debug() {},
    info() {},
    warn: (...message: unknown[]) => warnings.push(message.map(String).join(' ')),
    error: (...message: unknown[]) => warnings.push(message.map(String).join(' ')),
    setLevel() {},
    getLevel: () => 'warn' as never,
    setName() {},
  };
  const store = await openStore({ dataDir, monthCacheSize: 1, logger, searchWorkerMinMonths: 1 });
  store.warmSearch();
  await addBriefing(
    store,
    briefing('New', '2021-10-07', [prose('Peru', ['PE'], 'Castillo and Morales met.')]),
  );
  const found = await store.searchStories('morales', ALL_TIME, 0, 10);
  expect(found.total).toBe(2);
  expect(found.hits.map((hit) => hit.date).sort()).toEqual(['2019-05-01', '2021-10-07']);
  expect((await store.searchStories('castillo', { from: '2019-01-01', to: '2019-12-31' }, 0, 10)).total).toBe(
    0,
  );
  expect(warnings).toEqual([]);
  await store.close();
});

it('shows a revised story in its corrected words: the texts kept for repeat searches go with the index', async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'store-search-'));
  const store = await openStore({ dataDir });
  const { searchArchive } = await import('../../src/query/search.js');
  const stored = await addBriefing(
    store,
    briefing('Peru', '2021-10-07', [prose('Peru cabinet', ['PE'], 'Castillo named Vásquez on Tuesday.')]),
  );
  expect((await searchArchive(store, 'castillo', ALL_TIME, 1)).results[0]?.line).toContain('Tuesday');
  const corrected = briefing('Peru', '2021-10-07', [
    prose('Peru cabinet', ['PE'], 'Castillo named Vásquez on Wednesday.'),
  ]);
  await store.reviseBriefing(stored.id, {
    receivedAt: '2021-10-07T18:00:00.000Z',
    messageId: null,
    dedupeKey: 'C1|corrected',
    briefing: corrected,
  });
  expect((await searchArchive(store, 'castillo', ALL_TIME, 1)).results[0]?.line).toContain('Wednesday');
  await store.close();
});
