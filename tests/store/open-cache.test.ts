import { copyFile, cp, readdir, readFile, rename, rm, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '@slack/bolt';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../src/store/index.js';
import { OPEN_CACHE_FILE, OPEN_CACHE_VERSION } from '../../src/store/open-cache.js';
import { newBriefing, tempDir } from './helpers.js';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => {
  ({ dir, cleanup } = await tempDir());
});
afterEach(() => cleanup());

const cachePath = () => join(dir, OPEN_CACHE_FILE);

type CacheLine = Record<string, unknown> & { month?: string };
/** The cache file's lines: the header, then one entry per month. */
const cacheLines = (text: string): CacheLine[] =>
  text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as CacheLine);
const cacheText = (header: CacheLine, months: CacheLine[]): string =>
  `${[header, ...months].map((line) => JSON.stringify(line)).join('\n')}\n`;
const ALL = { from: '0001-01-01', to: '9999-12-31' };
const DATES = ['2021-09-30', '2021-10-07', '2021-10-08', '2021-11-01', '2021-11-02'];

function recording(): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const note = (...message: unknown[]) => lines.push(message.map(String).join(' '));
  const logger: Logger = {
    debug() {},
    info: note,
    warn: note,
    error: note,
    setLevel() {},
    getLevel: () => 'info' as never,
    setName() {},
  };
  return { logger, lines };
}

/** How many month files an open parsed (or, `read`, read at all), from its log line. */
function parsedCount(lines: string[], what: 'parsed' | 'read' = 'parsed'): number {
  const line = lines.find((text) => text.startsWith('store: opened'));
  const found = /\((\d+) parsed, (\d+) read/.exec(line ?? '');
  if (!found) throw new Error(`no open line in ${JSON.stringify(lines)}`);
  return Number(found[what === 'parsed' ? 1 : 2]);
}

/** Month files last written an hour ago: their stamps are settled, so the cache records them. */
async function settle(): Promise<void> {
  const then = new Date(Date.now() - 3_600_000);
  for (const name of await readdir(join(dir, 'briefings')))
    await utimes(join(dir, 'briefings', name), then, then);
}

const post = (key: string, ts: string) => ({
  key,
  sectionIndex: key === 'card' ? null : 0,
  channel: 'C1',
  ts,
  threadTs: key === 'card' ? null : '1633627273.000100',
  permalink: `https://example.slack.com/archives/C1/p${ts.replace('.', '')}`,
  postedAt: '2021-10-07T17:21:00.000Z',
});

/** Three months of briefings with everything hanging off them: posts, a reply, a digest, a correction. */
async function fill(): Promise<void> {
  const store = await openStore({ dataDir: dir });
  const ids: string[] = [];
  for (const date of DATES) ids.push((await store.addBriefing(newBriefing(date))).briefing.id);
  await store.recordPost(ids[1]!, post('card', '1633627273.000100'));
  await store.recordPost(ids[1]!, post('s0', '1633627274.000100'));
  await store.updateDelivery(ids[1]!, { state: 'posted', attempts: 1 });
  await store.updateDelivery(ids[2]!, { state: 'failed', lastError: 'channel_not_found' });
  await store.recordReply(
    { channel: 'C1', threadTs: '1633627273.000100', briefingId: ids[1]!, sectionIndex: null },
    '1633627300.000200',
    'U1',
    '2021-10-07T17:21:40.000Z',
  );
  await store.recordDigest({
    date: '2021-10-07',
    channel: 'C2',
    ts: '1633640000.000100',
    postedAt: '2021-10-07T21:00:00.000Z',
  });
  const corrected = newBriefing('2021-11-01', 'C1|<corrected@example.org>');
  corrected.briefing.sections[0]!.countries = ['HT'];
  await store.reviseBriefing(ids[3]!, {
    receivedAt: '2021-11-01T18:00:00.000Z',
    messageId: '<corrected@example.org>',
    dedupeKey: corrected.dedupeKey,
    briefing: corrected.briefing,
  });
  await store.close();
}

/** Everything a reader can ask, as one value, so two opens can be compared whole. */
async function answers(store: Store) {
  const countries = ['MX', 'US', 'PE', 'BR', 'CO', 'VE', 'HT'];
  const briefings = (await Promise.all(DATES.map((date) => store.briefingsOn(date)))).flat();
  return {
    count: await store.briefingCount(),
    latest: await store.latestDate(),
    lastReceivedAt: await store.lastReceivedAt(),
    nearest: await store.nearestDates('2021-10-20'),
    briefings,
    byKey: await Promise.all(
      [...briefings.map((b) => b.dedupeKey), 'C1|<corrected@example.org>'].map(
        async (key) => (await store.findByDedupeKey(key))?.id ?? null,
      ),
    ),
    about: await Promise.all(countries.map((code) => store.storiesAbout(code, ALL))),
    mentioning: await Promise.all(countries.map((code) => store.storiesMentioning(code, ALL))),
    deliveries: await store.listDeliveries(),
    unfinished: await store.unfinishedDeliveries(),
    counts: await store.deliveryCounts(),
    posts: await Promise.all(
      ['1633627273.000100', '1633627274.000100', '1633627275.000100'].map((ts) => store.findPost('C1', ts)),
    ),
    threads: await Promise.all(DATES.map((date) => store.threadsForDate(date))),
    discussed: await store.threadsWithRepliesBetween('2021-10-01T00:00:00Z', '2021-12-01T00:00:00Z'),
    digest: await store.getDigest('2021-10-07'),
    received: (await store.briefingsReceivedBetween('2021-10-01T00:00:00Z', '2021-12-01T00:00:00Z')).map(
      (b) => b.id,
    ),
  };
}

/** The answers of a store opened from the month files alone (the cache moved away, then put back). */
async function answersWithoutCache() {
  const saved = join(dir, 'cache.saved');
  await copyFile(cachePath(), saved);
  await rm(cachePath());
  const store = await openStore({ dataDir: dir, readOnly: true });
  const result = await answers(store);
  await store.close();
  await copyFile(saved, cachePath());
  await rm(saved);
  return result;
}

async function openRecorded(): Promise<{ store: Store; lines: string[] }> {
  const { logger, lines } = recording();
  return { store: await openStore({ dataDir: dir, logger }), lines };
}

describe('the open cache', () => {
  it('opens from the cache without parsing a month, answering as the month files do', async () => {
    await fill();
    const expected = await answersWithoutCache();
    const { store, lines } = await openRecorded();
    expect(parsedCount(lines)).toBe(0);
    expect(await answers(store)).toEqual(expected);
    // Bodies are read from the month file when first asked for.
    expect((await store.briefingsOn('2021-11-01'))[0]?.briefing.sections[0]?.countries).toEqual(['HT']);
    await store.close();
  });

  it('parses a month written after the cache (a crash between the two writes) and writes the cache again', async () => {
    await fill();
    const before = await readFile(cachePath());
    const store = await openStore({ dataDir: dir });
    const [briefing] = await store.briefingsOn('2021-10-08');
    await store.recordPost(briefing!.id, post('card', '1633627275.000100'));
    await store.addBriefing(newBriefing('2021-10-09'));
    await store.close();
    // Closing wrote the cache again for the month that changed.
    const { logger, lines } = recording();
    await (await openStore({ dataDir: dir, readOnly: true, logger })).close();
    expect(parsedCount(lines)).toBe(0);
    // As if the process died after writing the month and before the cache.
    await writeFile(cachePath(), before);

    const expected = await answersWithoutCache();
    const reopened = await openRecorded();
    expect(parsedCount(reopened.lines)).toBe(1);
    const got = await answers(reopened.store);
    expect(got).toEqual(expected);
    expect(got.posts[2]?.briefingId).toBe(briefing!.id);
    expect(await reopened.store.briefingsOn('2021-10-09')).toHaveLength(1);
    await reopened.store.close();

    const third = await openRecorded();
    expect(parsedCount(third.lines)).toBe(0);
    expect(await answers(third.store)).toEqual(expected);
    await third.store.close();
  });

  it('reads no month file it knows by its stamp, and notices one rewritten in place to the same length', async () => {
    await fill();
    await settle();
    await rm(cachePath());
    const first = await openRecorded();
    expect(parsedCount(first.lines)).toBe(3);
    await first.store.close();
    const second = await openRecorded();
    expect(parsedCount(second.lines)).toBe(0);
    expect(parsedCount(second.lines, 'read')).toBe(0);
    await second.store.close();

    // Copied files (as from a backup: new inodes, same bytes and times) are checked by their bytes,
    // not parsed, and the cache then learns their stamps.
    const original = join(dir, 'briefings');
    await cp(original, `${original}.copy`, { recursive: true, preserveTimestamps: true });
    await rm(original, { recursive: true });
    await rename(`${original}.copy`, original);
    const expected = await answersWithoutCache();
    const copied = await openRecorded();
    expect(parsedCount(copied.lines)).toBe(0);
    expect(parsedCount(copied.lines, 'read')).toBe(3);
    expect(await answers(copied.store)).toEqual(expected);
    await copied.store.close();
    const restarted = await openRecorded();
    expect(parsedCount(restarted.lines, 'read')).toBe(0);
    await restarted.store.close();

    const month = join(dir, 'briefings', '2021-10.json');
    const text = await readFile(month, 'utf8');
    const edited = text.replace('"channel_not_found"', '"channel_not_fou_d"');
    expect(edited.length).toBe(text.length);
    await writeFile(month, edited);
    const { store, lines } = await openRecorded();
    expect(parsedCount(lines)).toBe(1);
    expect(parsedCount(lines, 'read')).toBe(1);
    const failed = (await store.listDeliveries()).find((delivery) => delivery.state === 'failed');
    expect(failed?.lastError).toBe('channel_not_fou_d');
    await store.close();
  });

  it('ignores a corrupt cache, one of another version and a damaged entry, and writes it again', async () => {
    await fill();
    const expected = await answersWithoutCache();
    const [header = {}, ...months] = cacheLines(await readFile(cachePath(), 'utf8'));
    expect(header).toEqual({ version: OPEN_CACHE_VERSION });
    expect(months.map((entry) => entry.month)).toEqual(['2021-09', '2021-10', '2021-11']);
    const damaged = months.map((entry) =>
      entry.month === '2021-10'
        ? { ...entry, deliveries: 'not a list' }
        : entry.month === '2021-11'
          ? { ...entry, briefings: '[["b_x"]]' }
          : entry,
    );
    for (const [text, warned, parsed] of [
      ['{"version":1,"months":{"2021-10":', true, 3],
      [cacheText({ version: 999 }, months), true, 3],
      ['{"version":2', true, 3],
      [cacheText(header, damaged), false, 2],
      // A line cut short (a torn hand edit) is that month missing; the other months are used.
      [`${cacheText(header, months).slice(0, -40)}\n`, false, 1],
    ] as const) {
      await writeFile(cachePath(), text);
      const { store, lines } = await openRecorded();
      expect(parsedCount(lines)).toBe(parsed);
      expect(lines.some((line) => line.includes(`ignoring ${cachePath()}`))).toBe(warned);
      expect(await answers(store)).toEqual(expected);
      await store.close();
      const again = await openRecorded();
      expect(parsedCount(again.lines)).toBe(0);
      expect(await answers(again.store)).toEqual(expected);
      await again.store.close();
    }
  });

  it('reads a month whose line spans many reads, with characters cut between them', async () => {
    await fill();
    const writer = await openStore({ dataDir: dir });
    const [briefing] = await writer.briefingsOn('2021-10-08');
    // Two-byte characters over 64 KB reads: one is split at some boundary between them.
    const lastError = `ñ${'é'.repeat(150_000)}€`;
    await writer.updateDelivery(briefing!.id, { state: 'failed', lastError });
    await writer.close();
    expect((await readFile(cachePath())).byteLength).toBeGreaterThan(300_000);
    const expected = await answersWithoutCache();
    const { store, lines } = await openRecorded();
    expect(parsedCount(lines)).toBe(0);
    expect(await answers(store)).toEqual(expected);
    expect((await store.getDelivery(briefing!.id))?.lastError).toBe(lastError);
    await store.close();
  });

  it('reads a version-1 cache (one JSON object, as earlier releases wrote it) and writes version 2 next time', async () => {
    await fill();
    // Settled files, so the cache records their stamps and the opens below read no month file at all.
    await settle();
    await rm(cachePath());
    await (await openStore({ dataDir: dir })).close();
    const expected = await answersWithoutCache();
    const [, ...months] = cacheLines(await readFile(cachePath(), 'utf8'));
    const legacy = {
      version: 1,
      months: Object.fromEntries(months.map(({ month, ...entry }) => [month, entry])),
    };
    await writeFile(cachePath(), JSON.stringify(legacy));
    const { store, lines } = await openRecorded();
    expect(parsedCount(lines)).toBe(0);
    expect(parsedCount(lines, 'read')).toBe(0);
    expect(await answers(store)).toEqual(expected);
    // Nothing changed: the file stays as it was until a month is written.
    await store.close();
    expect(JSON.parse(await readFile(cachePath(), 'utf8'))).toEqual(legacy);

    const writer = await openStore({ dataDir: dir });
    await writer.addBriefing(newBriefing('2021-10-09'));
    await writer.close();
    const [header, ...rewritten] = cacheLines(await readFile(cachePath(), 'utf8'));
    expect(header).toEqual({ version: OPEN_CACHE_VERSION });
    expect(rewritten.map((entry) => entry.month)).toEqual(['2021-09', '2021-10', '2021-11']);
    const reopened = await openRecorded();
    expect(parsedCount(reopened.lines)).toBe(0);
    expect(await reopened.store.briefingCount()).toBe(DATES.length + 1);
    await reopened.store.close();
  });

  it('is read but never written by a read-only open', async () => {
    await fill();
    await rm(cachePath());
    const { logger, lines } = recording();
    const reader = await openStore({ dataDir: dir, readOnly: true, logger });
    expect(parsedCount(lines)).toBe(3);
    await reader.close();
    await expect(readFile(cachePath())).rejects.toThrow(/ENOENT/);
  });
});
