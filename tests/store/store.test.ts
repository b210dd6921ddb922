import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type IndexData, type MonthData, stringifyMonth } from '../../src/store/files.js';
import { openMemoryStore, openStore } from '../../src/store/index.js';
import type { Delivery, PostRecord, Store, StoredBriefing } from '../../src/store/types.js';
import { newBriefing, tempDir } from './helpers.js';

let dir: string;
let cleanup: () => Promise<void>;
const open: Store[] = [];

async function openAt(options: Partial<Parameters<typeof openStore>[0]> = {}): Promise<Store> {
  const store = await openStore({ dataDir: dir, ...options });
  open.push(store);
  return store;
}

/** A store file as written: month files and the index share nothing, so one loose type reads both. */
async function readJson(path: string): Promise<MonthData & IndexData> {
  return JSON.parse(await readFile(join(dir, path), 'utf8'));
}

beforeEach(async () => {
  ({ dir, cleanup } = await tempDir());
});

afterEach(async () => {
  await Promise.all(open.splice(0).map((store) => store.close()));
  await cleanup();
});

function post(key: string, ts: string, threadTs: string | null = null): PostRecord {
  return {
    key,
    sectionIndex: key === 'card' ? null : 0,
    channel: 'C1',
    ts,
    threadTs,
    permalink: null,
    postedAt: '2021-10-07T17:21:00.000Z',
  };
}

describe('persistence', () => {
  it('writes the briefing and its pending delivery to the month file before addBriefing resolves', async () => {
    const store = await openAt();
    const { briefing, created } = await store.addBriefing(newBriefing('2021-10-07'));
    expect(created).toBe(true);
    expect(briefing.id).toMatch(/^b_[A-Za-z0-9_-]{10}$/);

    const month = await readJson('briefings/2021-10.json');
    expect(month.briefings).toHaveLength(1);
    expect(month.briefings[0]?.id).toBe(briefing.id);
    expect(month.briefings[0]?.briefing.sections[0]?.title).toBe('Mexico - U.S. high-level security talks');
    expect(month.deliveries).toEqual([
      expect.objectContaining({ briefingId: briefing.id, state: 'pending', posts: [] }),
    ]);
    // steno writes a temp file and renames it: nothing half-written is left behind.
    expect((await readdir(join(dir, 'briefings'))).sort()).toEqual(['2021-10.json']);
    expect((await readJson('index.json')).schemaVersion).toBe(2);
  });

  it('finds everything again after a reopen, each month in its own file', async () => {
    const store = await openAt();
    const a = await store.addBriefing(newBriefing('2021-10-07'));
    const b = await store.addBriefing(newBriefing('2021-10-08'));
    const c = await store.addBriefing(newBriefing('2021-11-01'));
    await store.recordPost(a.briefing.id, post('card', '1633627273.000100'));
    await store.updateDelivery(a.briefing.id, { state: 'posted', attempts: 1 });
    await store.recordReply(
      { channel: 'C1', threadTs: '1633627273.000100', briefingId: a.briefing.id, sectionIndex: null },
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
    await store.close();
    open.pop();

    expect((await readdir(join(dir, 'briefings'))).sort()).toEqual(['2021-10.json', '2021-11.json']);
    const reopened = await openAt();
    expect(await reopened.briefingCount()).toBe(3);
    expect(await reopened.getBriefing(a.briefing.id)).toEqual(a.briefing);
    expect((await reopened.findByDedupeKey(c.briefing.dedupeKey))?.id).toBe(c.briefing.id);
    expect((await reopened.briefingsOn('2021-10-08')).map((x) => x.id)).toEqual([b.briefing.id]);
    expect(await reopened.getDelivery(a.briefing.id)).toMatchObject({ state: 'posted', attempts: 1 });
    expect(await reopened.findPost('C1', '1633627273.000100')).toEqual({
      briefingId: a.briefing.id,
      post: post('card', '1633627273.000100'),
    });
    expect((await reopened.threadActivity('C1', '1633627273.000100'))?.replies).toEqual({
      '1633627300.000200': 'U1',
    });
    expect((await reopened.getDigest('2021-10-07'))?.ts).toBe('1633640000.000100');
    expect((await reopened.unfinishedDeliveries()).map((d) => d.briefingId).sort()).toEqual(
      [b.briefing.id, c.briefing.id].sort(),
    );
    expect(await reopened.latestDate()).toBe('2021-11-01');
    expect(await reopened.lastReceivedAt()).toBe('2021-11-01T17:20:13.000Z');
  });

  it('records a post on disk as soon as recordPost resolves and replaces a post with the same key', async () => {
    const store = await openAt();
    const { briefing } = await store.addBriefing(newBriefing('2021-10-07'));
    await store.recordPost(briefing.id, post('card', '100.1'));
    expect((await readJson('briefings/2021-10.json')).deliveries[0]?.posts).toEqual([post('card', '100.1')]);

    await store.recordPost(briefing.id, post('card', '100.2'));
    expect((await store.getDelivery(briefing.id))?.posts.map((p) => p.ts)).toEqual(['100.2']);
    expect(await store.findPost('C1', '100.1')).toBeUndefined();
    expect((await store.findPost('C1', '100.2'))?.briefingId).toBe(briefing.id);
    await expect(store.recordPost('b_missing000', post('card', '1.1'))).rejects.toThrow(/b_missing000/);
  });

  it('hands out copies, so a caller cannot change the store behind its back', async () => {
    const store = await openAt();
    const { briefing } = await store.addBriefing(newBriefing('2021-10-07'));
    (await store.getDelivery(briefing.id))!.state = 'failed';
    (await store.getDelivery(briefing.id))!.posts.push(post('card', '1.1'));
    expect(await store.getDelivery(briefing.id)).toMatchObject({ state: 'pending', posts: [] });
  });

  it('refuses a date that is not YYYY-MM-DD (it names a file)', async () => {
    const store = await openAt();
    await expect(store.addBriefing({ ...newBriefing('2021-10-07'), date: '../../etc' })).rejects.toThrow(
      /YYYY-MM-DD/,
    );
    expect(await store.briefingCount()).toBe(0);
  });
});

describe('month file text', () => {
  it('is exactly JSON.stringify of the month, before and after its briefings’ JSON is cached', () => {
    const tricky = newBriefing('2021-10-07');
    tricky.briefing.sections[0]!.items[0]!.text = 'Quotes " and \\ and “curly”, <tags> & emoji 🇲🇽\n\u2028';
    const data: MonthData = {
      briefings: [
        { id: 'b_aaaaaaaaaa', ...tricky },
        { id: 'b_bbbbbbbbbb', ...newBriefing('2021-10-08'), forwardedBy: null },
      ],
      deliveries: [
        {
          briefingId: 'b_aaaaaaaaaa',
          state: 'posted',
          attempts: 1,
          lastError: null,
          nextAttemptAt: null,
          updatedAt: '2021-10-07T17:22:00.000Z',
          posts: [post('card', '1.1')],
        },
      ],
      threads: [],
      digests: [{ date: '2021-10-07', channel: 'C2', ts: '2.2', postedAt: '2021-10-07T21:00:00.000Z' }],
    };
    expect(stringifyMonth(data)).toBe(JSON.stringify(data));
    data.deliveries[0]!.state = 'failed';
    data.threads.push({
      channel: 'C1',
      threadTs: '1.1',
      briefingId: 'b_aaaaaaaaaa',
      sectionIndex: null,
      replies: { '1.2': 'U1' },
      lastReplyAt: null,
    });
    expect(stringifyMonth(data)).toBe(JSON.stringify(data));
    expect(JSON.parse(stringifyMonth(data))).toEqual(data);
  });
});

describe('exactly once', () => {
  it('stores 5 briefings from 20 concurrent adds of 5 keys, each caller getting its key’s briefing', async () => {
    const store = await openAt();
    const keys = ['a', 'b', 'c', 'd', 'e'];
    const inputs = Array.from({ length: 20 }, (_, i) =>
      newBriefing(`2021-10-0${(i % 5) + 1}`, `C1|${keys[i % 5]}`),
    );
    const results = await Promise.all(inputs.map((input) => store.addBriefing(input)));

    expect(results.filter((r) => r.created)).toHaveLength(5);
    for (const key of keys) {
      const ids = new Set(
        results.filter((r) => r.briefing.dedupeKey === `C1|${key}`).map((r) => r.briefing.id),
      );
      expect(ids.size).toBe(1);
    }
    expect(await store.briefingCount()).toBe(5);
    expect(await store.listDeliveries()).toHaveLength(5);
    expect((await readJson('briefings/2021-10.json')).briefings).toHaveLength(5);

    await store.close();
    open.pop();
    expect(await (await openAt()).briefingCount()).toBe(5);
  });

  it('answers a redelivery with the stored briefing', async () => {
    const store = await openAt();
    const first = await store.addBriefing(newBriefing('2021-10-07'));
    const again = await store.addBriefing({
      ...newBriefing('2021-10-07'),
      receivedAt: '2021-10-07T18:00:00.000Z',
    });
    expect(again).toEqual({ briefing: first.briefing, created: false });
  });
});

describe('a failed write', () => {
  it('rejects the add and forgets the briefing, so the provider’s retry stores it', async () => {
    const store = await openAt();
    // A directory where steno writes its temp file makes the write fail (permissions do not stop root).
    const blocker = join(dir, 'briefings', '.2021-10.json.tmp');
    await mkdir(blocker, { recursive: true });
    await expect(store.addBriefing(newBriefing('2021-10-07'))).rejects.toThrow();
    expect(await store.briefingCount()).toBe(0);
    expect(await store.findByDedupeKey('C1|<2021-10-07@example.org>')).toBeUndefined();
    expect(await store.listDeliveries()).toEqual([]);
    expect(await store.storiesAbout('PE', { from: '2021-01-01', to: '2021-12-31' })).toEqual([]);

    await rm(blocker, { recursive: true });
    const retried = await store.addBriefing(newBriefing('2021-10-07'));
    expect(retried.created).toBe(true);
    expect((await readJson('briefings/2021-10.json')).briefings.map((b) => b.id)).toEqual([
      retried.briefing.id,
    ]);
  });
});

describe('delivery counts', () => {
  it('keeps unfinished and failed counts in step with every state change, a failed add and a reopen', async () => {
    const store = await openAt();
    const ids: string[] = [];
    for (const date of ['2021-10-07', '2021-10-08', '2021-11-01', '2021-11-02']) {
      ids.push((await store.addBriefing(newBriefing(date))).briefing.id);
    }
    expect(await store.deliveryCounts()).toEqual({ unfinished: 4, failed: 0 });
    await store.updateDelivery(ids[0]!, { state: 'posting', attempts: 1 });
    await store.updateDelivery(ids[1]!, { state: 'posted' });
    await store.updateDelivery(ids[2]!, { state: 'failed', lastError: 'not_in_channel' });
    // A patch without a state leaves the counts alone.
    await store.updateDelivery(ids[2]!, { attempts: 3 });
    expect(await store.deliveryCounts()).toEqual({ unfinished: 2, failed: 1 });
    expect((await store.unfinishedDeliveries()).map((d) => d.briefingId)).toEqual([ids[0], ids[3]]);

    // A retried failure goes back to unfinished; a posted one leaves both.
    await store.updateDelivery(ids[2]!, { state: 'pending' });
    await store.updateDelivery(ids[3]!, { state: 'posted' });
    expect(await store.deliveryCounts()).toEqual({ unfinished: 2, failed: 0 });
    await store.updateDelivery(ids[2]!, { state: 'failed' });

    // An add whose write fails is taken back, counts included.
    const blocker = join(dir, 'briefings', '.2021-12.json.tmp');
    await mkdir(blocker, { recursive: true });
    await expect(store.addBriefing(newBriefing('2021-12-01'))).rejects.toThrow();
    expect(await store.deliveryCounts()).toEqual({ unfinished: 1, failed: 1 });
    await rm(blocker, { recursive: true });

    await store.close();
    open.pop();
    const reopened = await openAt();
    expect(await reopened.deliveryCounts()).toEqual({ unfinished: 1, failed: 1 });
    expect((await reopened.unfinishedDeliveries()).map((d) => d.briefingId)).toEqual([ids[0]]);
    // The counts agree with a full listing.
    const states = (await reopened.listDeliveries()).map((d) => d.state);
    expect(states.filter((state) => state === 'failed')).toHaveLength(1);
    expect(states.filter((state) => state === 'pending' || state === 'posting')).toHaveLength(1);
  });
});

describe('corrupt files', () => {
  it('stops opening with a message naming a corrupt month file, and leaves it untouched', async () => {
    const store = await openAt();
    await store.addBriefing(newBriefing('2021-10-07'));
    await store.close();
    open.pop();
    const path = join(dir, 'briefings', '2021-10.json');
    const broken = (await readFile(path, 'utf8')).slice(0, 200);
    await writeFile(path, broken);

    await expect(openStore({ dataDir: dir })).rejects.toThrow(path);
    expect(await readFile(path, 'utf8')).toBe(broken);
  });

  it('names a corrupt index file', async () => {
    await (await openAt()).close();
    open.pop();
    const path = join(dir, 'index.json');
    await writeFile(path, '{"schemaVersion": 2, "events": [');
    await expect(openStore({ dataDir: dir })).rejects.toThrow(`${path} is not valid JSON`);
    expect(await readFile(path, 'utf8')).toBe('{"schemaVersion": 2, "events": [');
  });

  it('refuses valid JSON of the wrong shape, naming the file', async () => {
    const path = join(dir, 'briefings', '2021-10.json');
    await (await openAt()).close();
    open.pop();
    await writeFile(path, '{"briefings": {}}');
    await expect(openStore({ dataDir: dir })).rejects.toThrow(`${path} is not a briefing-bot store file`);
  });

  it('names the file and the damaged record when a record lacks what indexing reads', async () => {
    const store = await openAt();
    const { briefing } = await store.addBriefing(newBriefing('2021-10-07'));
    await store.recordPost(briefing.id, post('card', '1633627273.000100'));
    await store.close();
    open.pop();
    const path = join(dir, 'briefings', '2021-10.json');
    const good = await readJson('briefings/2021-10.json');
    // Each of these used to stop start-up with a bare TypeError ("Cannot read properties of null").
    const damaged: Array<[(month: MonthData) => void, string]> = [
      [(m) => ((m.briefings as unknown[])[0] = null), 'briefings[0] is not an object'],
      [
        (m) => delete (m.briefings[0] as Partial<StoredBriefing>).dedupeKey,
        'briefings[0]: "dedupeKey" is not a string',
      ],
      [
        (m) => ((m.briefings[0]!.briefing as { sections: unknown }).sections = null),
        'briefings[0]: "briefing.sections" is not a list',
      ],
      [(m) => delete (m.deliveries[0] as Partial<Delivery>).posts, 'deliveries[0]: "posts" is not a list'],
      [(m) => ((m.deliveries[0]!.posts as unknown[])[0] = 7), 'deliveries[0].posts[0] is not an object'],
      [
        (m) => delete (m.deliveries[0]!.posts[0] as Partial<PostRecord>).ts,
        'deliveries[0].posts[0]: "ts" is not a string',
      ],
      [(m) => (m.threads as unknown[]).push(null), 'threads[0] is not an object'],
      [(m) => (m.digests as unknown[]).push({ date: '2021-10-07' }), 'digests[0]: "channel" is not a string'],
    ];
    for (const [damage, problem] of damaged) {
      const month = structuredClone(good);
      damage(month);
      const text = JSON.stringify(month);
      await writeFile(path, text);
      await expect(openStore({ dataDir: dir })).rejects.toThrow(
        `Store file ${path} is not a briefing-bot store file (${problem}); it was left untouched.`,
      );
      expect(await readFile(path, 'utf8')).toBe(text);
    }
    // Deeper damage than the shape check looks at still names the file.
    const month = structuredClone(good);
    (month.briefings[0]!.briefing.sections as unknown[])[0] = null;
    await writeFile(path, JSON.stringify(month));
    await expect(openStore({ dataDir: dir })).rejects.toThrow(`Store file ${path} could not be loaded (`);
    expect(await readFile(path, 'utf8')).toBe(JSON.stringify(month));
  });
});

describe('indexes', () => {
  it('lists stories about a country newest first, within the range, in document order per briefing', async () => {
    const store = await openAt();
    const oct7 = await store.addBriefing(newBriefing('2021-10-07'));
    const oct9 = await store.addBriefing(newBriefing('2021-10-09'));
    await store.addBriefing(newBriefing('2021-11-02'));
    // Filed under an earlier date but received later: the date decides the order.
    const oct8 = await store.addBriefing(newBriefing('2021-10-08', 'C1|late', '2021-11-03T10:00:00.000Z'));

    const mx = await store.storiesAbout('mx', { from: '2021-10-01', to: '2021-10-31' });
    expect(mx.map((s) => [s.briefingId, s.sectionIndex, s.itemIndex])).toEqual([
      [oct9.briefing.id, 0, null],
      [oct9.briefing.id, 2, 1],
      [oct8.briefing.id, 0, null],
      [oct8.briefing.id, 2, 1],
      [oct7.briefing.id, 0, null],
      [oct7.briefing.id, 2, 1],
    ]);
    expect(mx[0]).toEqual({
      briefingId: oct9.briefing.id,
      date: '2021-10-09',
      sectionIndex: 0,
      itemIndex: null,
      countries: ['MX', 'US'],
    });
    // A list item tagged with two countries is a story about each.
    expect(await store.storiesAbout('VE', { from: '2021-10-08', to: '2021-10-08' })).toEqual([
      {
        briefingId: oct8.briefing.id,
        date: '2021-10-08',
        sectionIndex: 2,
        itemIndex: 2,
        countries: ['CO', 'VE'],
      },
    ]);
    expect(await store.storiesAbout('PE', { from: '2021-11-01', to: '2021-12-31' })).toHaveLength(1);
    expect(await store.storiesAbout('AR', { from: '2000-01-01', to: '2100-01-01' })).toEqual([]);
    expect(await store.storiesAbout('MX', { from: '2021-10-10', to: '2021-10-01' })).toEqual([]);
  });

  it('finds the nearest dates on either side', async () => {
    const store = await openAt();
    expect(await store.nearestDates('2021-10-07')).toEqual({ before: null, after: null });
    expect(await store.latestDate()).toBeNull();
    for (const date of ['2021-10-04', '2021-10-07', '2021-10-11']) await store.addBriefing(newBriefing(date));
    expect(await store.nearestDates('2021-10-07')).toEqual({ before: '2021-10-04', after: '2021-10-11' });
    expect(await store.nearestDates('2021-10-05')).toEqual({ before: '2021-10-04', after: '2021-10-07' });
    expect(await store.nearestDates('2021-10-01')).toEqual({ before: null, after: '2021-10-04' });
    expect(await store.nearestDates('2021-12-01')).toEqual({ before: '2021-10-11', after: null });
    expect(await store.latestDate()).toBe('2021-10-11');
  });

  it('orders briefings of one date by receipt', async () => {
    const store = await openAt();
    const late = await store.addBriefing(newBriefing('2021-10-07', 'C1|late', '2021-10-07T20:00:00.000Z'));
    const early = await store.addBriefing(newBriefing('2021-10-07', 'C1|early', '2021-10-07T08:00:00.000Z'));
    expect((await store.briefingsOn('2021-10-07')).map((b) => b.id)).toEqual([
      early.briefing.id,
      late.briefing.id,
    ]);
    expect(await store.briefingsOn('2021-10-08')).toEqual([]);
  });
});

describe('threads', () => {
  const thread = (briefingId: string) => ({
    channel: 'C1',
    threadTs: '1633627273.000100',
    briefingId,
    sectionIndex: 1,
  });

  it('counts a reply once, uncounts it on removal, and keeps it across reopen', async () => {
    const store = await openAt();
    const { briefing } = await store.addBriefing(newBriefing('2021-10-07'));
    expect(
      await store.recordReply(thread(briefing.id), '1633627300.000200', 'U1', '2021-10-07T17:21:40.000Z'),
    ).toBe(true);
    expect(
      await store.recordReply(thread(briefing.id), '1633627300.000200', 'U1', '2021-10-07T17:21:40.000Z'),
    ).toBe(false);
    expect(
      await store.recordReply(thread(briefing.id), '1633627400.000300', 'U2', '2021-10-07T17:23:20.000Z'),
    ).toBe(true);
    expect(await store.threadActivity('C1', '1633627273.000100')).toEqual({
      ...thread(briefing.id),
      replies: { '1633627300.000200': 'U1', '1633627400.000300': 'U2' },
      lastReplyAt: '2021-10-07T17:23:20.000Z',
    });
    expect(await store.threadsForDate('2021-10-07')).toHaveLength(1);
    expect(await store.threadsForDate('2021-10-08')).toEqual([]);

    expect(await store.removeReply('C1', '1633627273.000100', '1633627400.000300')).toBe(true);
    expect(await store.removeReply('C1', '1633627273.000100', '1633627400.000300')).toBe(false);
    expect(await store.removeReply('C1', '9.9', '1633627400.000300')).toBe(false);
    expect(await store.threadActivity('C1', '1633627273.000100')).toMatchObject({
      replies: { '1633627300.000200': 'U1' },
      lastReplyAt: '2021-10-07T17:21:40.000Z',
    });
    await store.close();
    open.pop();
    const reopened = await openAt();
    expect((await reopened.threadActivity('C1', '1633627273.000100'))?.replies).toEqual({
      '1633627300.000200': 'U1',
    });
    expect(
      await reopened.recordReply(thread(briefing.id), '1633627300.000200', 'U1', '2021-10-07T17:21:40.000Z'),
    ).toBe(false);
  });

  it('keeps a reply ts of "__proto__" as a plain key', async () => {
    const store = await openAt();
    const { briefing } = await store.addBriefing(newBriefing('2021-10-07'));
    expect(await store.recordReply(thread(briefing.id), '__proto__', 'U1', '2021-10-07T17:21:40.000Z')).toBe(
      true,
    );
    expect(Object.keys((await store.threadActivity('C1', '1633627273.000100'))!.replies)).toEqual([
      '__proto__',
    ]);
    expect(({} as Record<string, unknown>).U1).toBeUndefined();
  });
});

describe('seen events', () => {
  it('answers true once per event id, across a reopen, and forgets ids after a day', async () => {
    let now = new Date('2021-10-07T12:00:00.000Z');
    const clock = () => now;
    const store = await openAt({ now: clock });
    expect(await store.markEventSeen('Ev1')).toBe(true);
    expect(await store.markEventSeen('Ev1')).toBe(false);
    expect(await store.markEventSeen('Ev2')).toBe(true);
    await store.close();
    open.pop();

    const reopened = await openAt({ now: clock });
    expect(await reopened.markEventSeen('Ev1')).toBe(false);
    now = new Date('2021-10-08T12:00:01.000Z');
    expect(await reopened.markEventSeen('Ev1')).toBe(true);
    expect((await readJson('index.json')).events.map((e: { id: string }) => e.id)).toEqual(['Ev1']);
  });
});

describe('digests', () => {
  it('keeps one digest per date', async () => {
    const store = await openAt();
    await store.recordDigest({
      date: '2021-10-07',
      channel: 'C2',
      ts: '1.1',
      postedAt: '2021-10-07T21:00:00.000Z',
    });
    await store.recordDigest({
      date: '2021-10-07',
      channel: 'C2',
      ts: '1.2',
      postedAt: '2021-10-07T21:05:00.000Z',
    });
    expect((await store.getDigest('2021-10-07'))?.ts).toBe('1.2');
    expect((await readJson('briefings/2021-10.json')).digests).toHaveLength(1);
    expect(await store.getDigest('2021-10-08')).toBeUndefined();
  });
});

describe('month cache', () => {
  it('reloads evicted months on demand and still writes them whole', async () => {
    const store = await openAt({ monthCacheSize: 2 });
    const ids: string[] = [];
    for (const month of ['01', '02', '03', '04', '05']) {
      ids.push((await store.addBriefing(newBriefing(`2021-${month}-15`))).briefing.id);
    }
    await store.close();
    open.pop();

    const reopened = await openAt({ monthCacheSize: 2 });
    // January was evicted at open; reading it reloads it, a write to it keeps its briefing.
    expect((await reopened.getBriefing(ids[0]!))?.date).toBe('2021-01-15');
    await reopened.addBriefing(newBriefing('2021-01-16'));
    await reopened.recordPost(ids[1]!, post('card', '5.5'));
    const january = await readJson('briefings/2021-01.json');
    expect(january.briefings.map((b: { date: string }) => b.date)).toEqual(['2021-01-15', '2021-01-16']);
    expect((await readJson('briefings/2021-02.json')).briefings).toHaveLength(1);
    expect(await reopened.briefingsOn('2021-03-15')).toHaveLength(1);
    expect(await reopened.storiesAbout('BR', { from: '2021-01-01', to: '2021-12-31' })).toHaveLength(6);
  });
});

describe('memory store', () => {
  it('behaves like the file store without touching disk', async () => {
    const store = await openMemoryStore();
    const results = await Promise.all([1, 2, 3].map(() => store.addBriefing(newBriefing('2021-10-07'))));
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(await store.briefingsOn('2021-10-07')).toHaveLength(1);
    expect(await store.markEventSeen('Ev1')).toBe(true);
    expect(await store.markEventSeen('Ev1')).toBe(false);
    await store.close();
    await expect(store.addBriefing(newBriefing('2021-10-08'))).rejects.toThrow(/closed/);
  });
});
