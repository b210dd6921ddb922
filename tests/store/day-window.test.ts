/**
 * The store's answers for a time window (a newsroom day): briefings received in it, whatever their
 * date, and threads with replies posted in it, whatever their briefing's date — in the memory store
 * and in the on-disk store, after adds and after a reopen (the indexes are rebuilt at open).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openMemoryStore, openStore } from '../../src/store/index.js';
import type { Store } from '../../src/store/types.js';
import { newBriefing, tempDir } from './helpers.js';

let dir: string;
let cleanup: () => Promise<void>;
const open: Store[] = [];

beforeEach(async () => {
  ({ dir, cleanup } = await tempDir());
});

afterEach(async () => {
  await Promise.all(open.splice(0).map((store) => store.close()));
  await cleanup();
});

async function openDisk(): Promise<Store> {
  const store = await openStore({ dataDir: dir });
  open.push(store);
  return store;
}

/** Oct 7, 2021 in New York (EDT, UTC-4). */
const DAY = { from: '2021-10-07T04:00:00.000Z', to: '2021-10-08T04:00:00.000Z' };

/** Briefings around the day: ids by name. */
async function seed(store: Store): Promise<Record<string, string>> {
  const add = async (date: string, name: string, receivedAt: string) =>
    (await store.addBriefing(newBriefing(date, `C1|${name}`, receivedAt))).briefing.id;
  return {
    // Added out of receive order on purpose: the index keeps receive order.
    evening: await add('2021-10-07', 'evening', '2021-10-07T22:00:00.000Z'),
    morning: await add('2021-10-07', 'morning', '2021-10-07T12:00:00.000Z'),
    // Dated the day before, forwarded today.
    late: await add('2021-10-06', 'late', '2021-10-07T13:30:00Z'),
    // Dated the day before, received the day before (just before New York midnight).
    yesterday: await add('2021-10-06', 'yesterday', '2021-10-07T03:59:59.999Z'),
    // Exactly the next midnight: the window is half-open.
    nextMidnight: await add('2021-10-08', 'next-midnight', '2021-10-08T04:00:00.000Z'),
    // Exactly this midnight: inside.
    midnight: await add('2021-09-30', 'midnight', '2021-10-07T04:00:00.000Z'),
  };
}

describe.each([
  ['memory', () => openMemoryStore()],
  ['disk', () => openDisk()],
])('briefingsReceivedBetween (%s store)', (_name, openIt) => {
  it('answers the briefings received in the window, oldest received first, whatever their date', async () => {
    const store = await openIt();
    const ids = await seed(store);
    const expected = [ids.midnight, ids.morning, ids.late, ids.evening];
    expect((await store.briefingsReceivedBetween(DAY.from, DAY.to)).map((b) => b.id)).toEqual(expected);
    expect(await store.briefingsReceivedBetween(DAY.from, DAY.from)).toEqual([]);
    expect(await store.briefingsReceivedBetween(DAY.to, DAY.from)).toEqual([]);
    // Bounds in another ISO form are the same instants.
    expect(
      (await store.briefingsReceivedBetween('2021-10-07T00:00:00-04:00', '2021-10-08T00:00:00-04:00')).map(
        (b) => b.id,
      ),
    ).toEqual(expected);
    expect(await store.briefingsReceivedBetween('2021-10-08T04:00:00Z', '2021-10-08T04:00:00.001Z')).toEqual([
      expect.objectContaining({ id: ids.nextMidnight, date: '2021-10-08' }),
    ]);
  });
});

describe('briefingsReceivedBetween after a reopen', () => {
  it('is rebuilt from the month files at open', async () => {
    const first = await openDisk();
    const ids = await seed(first);
    await first.close();
    open.splice(0);
    const store = await openDisk();
    expect((await store.briefingsReceivedBetween(DAY.from, DAY.to)).map((b) => b.id)).toEqual([
      ids.midnight,
      ids.morning,
      ids.late,
      ids.evening,
    ]);
  });
});

describe('threadsWithRepliesBetween', () => {
  const thread = (briefingId: string, threadTs: string) => ({
    channel: 'C1',
    threadTs,
    briefingId,
    sectionIndex: null,
  });
  // Slack ts of instants around Oct 7, 2021 in New York.
  const ts = (iso: string, micro = '000100') => `${Date.parse(iso) / 1000}.${micro}`;

  async function discuss(store: Store) {
    const old = (await store.addBriefing(newBriefing('2021-09-20', 'C1|old'))).briefing.id;
    const today = (await store.addBriefing(newBriefing('2021-10-07', 'C1|today'))).briefing.id;
    const oldThread = thread(old, ts('2021-09-20T17:21:00Z'));
    const todayThread = thread(today, ts('2021-10-07T17:21:00Z'));
    const quietThread = thread(today, ts('2021-10-07T17:22:00Z'));
    // The old briefing's thread: discussed back then, and again today.
    await store.recordReply(oldThread, ts('2021-09-20T18:00:00Z'), 'U9', '2021-09-20T18:00:00.000Z');
    await store.recordReply(oldThread, ts('2021-10-07T15:00:00Z'), 'U1', '2021-10-07T15:00:00.000Z');
    await store.recordReply(
      oldThread,
      ts('2021-10-07T04:00:00Z', '000000'),
      'U2',
      '2021-10-07T04:00:00.000Z',
    );
    // Today's thread: two replies today, one just after midnight (tomorrow's).
    await store.recordReply(todayThread, ts('2021-10-07T18:00:00Z'), 'U1', '2021-10-07T18:00:00.000Z');
    await store.recordReply(todayThread, ts('2021-10-07T18:05:00Z'), 'U1', '2021-10-07T18:05:00.000Z');
    await store.recordReply(
      todayThread,
      ts('2021-10-08T04:00:00Z', '000000'),
      'U3',
      '2021-10-08T04:00:00.000Z',
    );
    // A thread whose only reply today was deleted.
    await store.recordReply(quietThread, ts('2021-10-07T19:00:00Z'), 'U4', '2021-10-07T19:00:00.000Z');
    await store.removeReply('C1', quietThread.threadTs, ts('2021-10-07T19:00:00Z'));
    return { old, today, oldThread, todayThread };
  }

  async function expectDay(
    store: Store,
    { old, today, oldThread, todayThread }: Awaited<ReturnType<typeof discuss>>,
  ) {
    expect(await store.threadsWithRepliesBetween(DAY.from, DAY.to)).toEqual([
      {
        ...oldThread,
        briefingId: old,
        replies: { [ts('2021-10-07T04:00:00Z', '000000')]: 'U2', [ts('2021-10-07T15:00:00Z')]: 'U1' },
        lastReplyAt: '2021-10-07T15:00:00.000Z',
      },
      {
        ...todayThread,
        briefingId: today,
        replies: { [ts('2021-10-07T18:00:00Z')]: 'U1', [ts('2021-10-07T18:05:00Z')]: 'U1' },
        lastReplyAt: '2021-10-07T18:05:00.000Z',
      },
    ]);
    // The whole thread is still there for other readers.
    expect(Object.keys((await store.threadActivity('C1', oldThread.threadTs))?.replies ?? {})).toHaveLength(
      3,
    );
    expect(await store.threadsWithRepliesBetween('2021-10-08T04:00:00Z', '2021-10-09T04:00:00Z')).toEqual([
      expect.objectContaining({
        threadTs: todayThread.threadTs,
        replies: { [ts('2021-10-08T04:00:00Z', '000000')]: 'U3' },
      }),
    ]);
    expect(await store.threadsWithRepliesBetween('2021-10-10T04:00:00Z', '2021-10-11T04:00:00Z')).toEqual([]);
  }

  it('answers the threads with replies posted in the window, with only those replies (memory store)', async () => {
    const store = await openMemoryStore();
    await expectDay(store, await discuss(store));
  });

  it('answers the same from disk, before and after a reopen', async () => {
    const first = await openDisk();
    const seeded = await discuss(first);
    await expectDay(first, seeded);
    await first.close();
    open.splice(0);
    const store = await openDisk();
    await expectDay(store, seeded);
    // Replies recorded after the reopen join the rebuilt index.
    await store.recordReply(seeded.todayThread, ts('2021-10-07T20:00:00Z'), 'U5', '2021-10-07T20:00:00.000Z');
    const [, todays] = await store.threadsWithRepliesBetween(DAY.from, DAY.to);
    expect(todays?.replies).toEqual({
      [ts('2021-10-07T18:00:00Z')]: 'U1',
      [ts('2021-10-07T18:05:00Z')]: 'U1',
      [ts('2021-10-07T20:00:00Z')]: 'U5',
    });
  });

  it('leaves out replies whose ts carries no time, and refuses bounds that are not instants', async () => {
    const store = await openMemoryStore();
    const id = (await store.addBriefing(newBriefing('2021-10-07'))).briefing.id;
    await store.recordReply(thread(id, '1.1'), 'not-a-ts', 'U1', '2021-10-07T18:00:00.000Z');
    expect(await store.threadsWithRepliesBetween(DAY.from, DAY.to)).toEqual([]);
    await expect(store.threadsWithRepliesBetween('yesterday', DAY.to)).rejects.toThrow(/ISO instants/);
  });
});
