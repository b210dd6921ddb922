/**
 * One contract, every backend: the lowdb store (in memory and on disk) and the PostgreSQL store (a real
 * server in a temp directory) must answer every Store method alike. Backend-specific matters (files,
 * locks, migrations of either) have their own suites.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Section } from '../../src/briefing/types.js';
import { ALL_TIME } from '../../src/query/period.js';
import type { SearchPage } from '../../src/search/types.js';
import { openMemoryStore, openStore } from '../../src/store/index.js';
import { openPostgresStore } from '../../src/store/postgres/index.js';
import type { PostRecord, Store } from '../../src/store/types.js';
import { briefing as archiveBriefing, list, prose } from '../query/archive.js';
import { type PostgresServer, SKIP_POSTGRES, startPostgres } from '../support/postgres-server.js';
import { newBriefing, sampleBriefing } from './helpers.js';

interface Backend {
  name: string;
  skip: boolean;
  open(now: () => Date): Promise<Store>;
  setUp?(): Promise<void>;
  tearDown?(): Promise<void>;
}

const dirs: string[] = [];
let server: PostgresServer | null = null;

const backends: Backend[] = [
  { name: 'lowdb in memory', skip: false, open: (now) => openMemoryStore({ now }) },
  {
    name: 'lowdb on disk',
    skip: false,
    async open(now) {
      const dir = await mkdtemp(join(tmpdir(), 'briefing-contract-'));
      dirs.push(dir);
      return openStore({ dataDir: dir, now });
    },
    async tearDown() {
      for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
    },
  },
  {
    name: 'PostgreSQL',
    skip: SKIP_POSTGRES,
    async setUp() {
      server = await startPostgres();
    },
    async open(now) {
      if (!server) throw new Error('no PostgreSQL server');
      return openPostgresStore({ url: await server.newDatabase(), now, max: 4 });
    },
    async tearDown() {
      await server?.stop();
      server = null;
    },
  },
];

const post = (key: string, ts: string, extra: Partial<PostRecord> = {}): PostRecord => ({
  key,
  sectionIndex: key === 'card' ? null : Number(key.slice(1)),
  channel: 'C1',
  ts,
  threadTs: key === 'card' ? null : '1633627273.000100',
  permalink: `https://x.slack.com/p${ts.replace('.', '')}`,
  postedAt: '2021-10-07T17:21:00.000Z',
  ...extra,
});

for (const backend of backends) {
  describe.skipIf(backend.skip)(`Store contract: ${backend.name}`, () => {
    const open: Store[] = [];
    let clock = new Date('2021-10-07T17:00:00.000Z');
    const now = () => clock;
    const fresh = async (): Promise<Store> => {
      const store = await backend.open(now);
      open.push(store);
      return store;
    };

    beforeAll(async () => {
      await backend.setUp?.();
    });
    afterEach(async () => {
      for (const store of open.splice(0)) await store.close();
      clock = new Date('2021-10-07T17:00:00.000Z');
    });
    afterAll(async () => {
      await backend.tearDown?.();
    });

    it('stores a briefing once per dedupe key, with a pending delivery, even when adds race', async () => {
      const store = await fresh();
      const adds = await Promise.all(
        Array.from({ length: 12 }, (_, i) => store.addBriefing(newBriefing('2021-10-07', `C1|k${i % 3}`))),
      );
      expect(adds.filter((add) => add.created)).toHaveLength(3);
      for (const add of adds) {
        expect(add.briefing.dedupeKey).toMatch(/^C1\|k[012]$/);
        expect((await store.findByDedupeKey(add.briefing.dedupeKey))?.id).toBe(add.briefing.id);
      }
      expect(await store.briefingCount()).toBe(3);
      const [first] = adds;
      expect(await store.getBriefing(first!.briefing.id)).toEqual({
        ...newBriefing('2021-10-07', first!.briefing.dedupeKey),
        id: first!.briefing.id,
      });
      expect(first!.briefing.id).toMatch(/^b_[\w-]{10}$/);
      expect(await store.getDelivery(first!.briefing.id)).toEqual({
        briefingId: first!.briefing.id,
        state: 'pending',
        attempts: 0,
        lastError: null,
        nextAttemptAt: null,
        updatedAt: '2021-10-07T17:00:00.000Z',
        posts: [],
      });
      expect(await store.getBriefing('b_missing')).toBeUndefined();
      expect(await store.findByDedupeKey('nope')).toBeUndefined();
      await expect(store.addBriefing(newBriefing('7 Oct 2021', 'C1|bad'))).rejects.toThrow(/YYYY-MM-DD/);
    });

    it('answers dates: per day by receipt, nearest, latest, last received, received between', async () => {
      const store = await fresh();
      expect(await store.latestDate()).toBeNull();
      expect(await store.lastReceivedAt()).toBeNull();
      expect(await store.nearestDates('2021-10-07')).toEqual({ before: null, after: null });
      const late = await store.addBriefing(newBriefing('2021-10-07', 'C1|late', '2021-10-07T20:00:00.000Z'));
      const early = await store.addBriefing(
        newBriefing('2021-10-07', 'C1|early', '2021-10-07T08:00:00.000Z'),
      );
      const old = await store.addBriefing(newBriefing('2021-10-01', 'C1|old', '2021-10-07T12:00:00.000Z'));
      await store.addBriefing(newBriefing('2021-10-12', 'C1|next', '2021-10-12T09:00:00.000Z'));
      expect((await store.briefingsOn('2021-10-07')).map((b) => b.id)).toEqual([
        early.briefing.id,
        late.briefing.id,
      ]);
      expect(await store.briefingsOn('2021-10-08')).toEqual([]);
      expect(await store.nearestDates('2021-10-07')).toEqual({ before: '2021-10-01', after: '2021-10-12' });
      expect(await store.nearestDates('2021-10-09')).toEqual({ before: '2021-10-07', after: '2021-10-12' });
      expect(await store.latestDate()).toBe('2021-10-12');
      expect(await store.lastReceivedAt()).toBe('2021-10-12T09:00:00.000Z');
      const day = await store.briefingsReceivedBetween('2021-10-07T04:00:00Z', '2021-10-08T04:00:00.000Z');
      expect(day.map((b) => b.id)).toEqual([early.briefing.id, old.briefing.id, late.briefing.id]);
      expect(await store.briefingsReceivedBetween('2021-10-08T04:00:00Z', '2021-10-07T04:00:00Z')).toEqual(
        [],
      );
    });

    it('lists stories about a country newest first, document order within a briefing, any case', async () => {
      const store = await fresh();
      const a = await store.addBriefing(newBriefing('2021-10-05', 'C1|a'));
      const b = await store.addBriefing(newBriefing('2021-10-07', 'C1|b'));
      await store.addBriefing({
        ...newBriefing('2021-10-06', 'C1|c'),
        briefing: { ...sampleBriefing('x'), sections: [] },
      });
      const mx = await store.storiesAbout('mx', { from: '2021-10-01', to: '2021-10-31' });
      expect(mx).toEqual([
        {
          briefingId: b.briefing.id,
          date: '2021-10-07',
          sectionIndex: 0,
          itemIndex: null,
          countries: ['MX', 'US'],
        },
        { briefingId: b.briefing.id, date: '2021-10-07', sectionIndex: 2, itemIndex: 1, countries: ['MX'] },
        {
          briefingId: a.briefing.id,
          date: '2021-10-05',
          sectionIndex: 0,
          itemIndex: null,
          countries: ['MX', 'US'],
        },
        { briefingId: a.briefing.id, date: '2021-10-05', sectionIndex: 2, itemIndex: 1, countries: ['MX'] },
      ]);
      expect(Object.isFrozen(mx[0])).toBe(true);
      expect(await store.storiesAbout('VE', { from: '2021-10-06', to: '2021-10-07' })).toEqual([
        {
          briefingId: b.briefing.id,
          date: '2021-10-07',
          sectionIndex: 2,
          itemIndex: 2,
          countries: ['CO', 'VE'],
        },
      ]);
      expect(await store.storiesAbout('PE', { from: '2021-10-08', to: '2021-10-01' })).toEqual([]);
      expect(await store.storiesAbout('ZZ', { from: '2021-01-01', to: '2021-12-31' })).toEqual([]);
    });

    it('pages the stories of a country as storiesAbout and storiesMentioning order them, with their total', async () => {
      const store = await fresh();
      const briefing = sampleBriefing('2021-10-07');
      const [lead, ...rest] = briefing.sections;
      const withMention = { ...briefing, sections: [{ ...lead!, mentions: ['HT'] }, ...rest] };
      for (const [index, date] of ['2021-10-05', '2021-10-07', '2021-10-06', '2021-10-07'].entries()) {
        await store.addBriefing({
          ...newBriefing(date, `C1|p${index}`, `${date}T0${index}:00:00.000Z`),
          briefing: withMention,
        });
      }
      // The refs and their count (posts a store may add are checked beside postsOf, below).
      const refsOf = async (...args: Parameters<typeof store.storiesPage>) => {
        const { posts: _posts, ...refs } = await store.storiesPage(...args);
        return refs;
      };
      const range = { from: '2021-10-01', to: '2021-10-31' };
      const all = await store.storiesAbout('MX', range);
      expect(all).toHaveLength(8);
      for (const [offset, limit] of [
        [0, 3],
        [3, 3],
        [6, 3],
        [0, 8],
        [7, 1],
      ] as const) {
        expect(await refsOf('about', 'mx', range, offset, limit)).toEqual({
          total: 8,
          stories: all.slice(offset, offset + limit),
        });
      }
      // Past the end, or no room: the total alone.
      expect(await refsOf('about', 'MX', range, 8, 10)).toEqual({ total: 8, stories: [] });
      expect(await refsOf('about', 'MX', range, 0, 0)).toEqual({ total: 8, stories: [] });
      const page = await store.storiesPage('about', 'MX', range, 0, 1);
      expect(Object.isFrozen(page.stories[0])).toBe(true);
      const mentions = await store.storiesMentioning('HT', range);
      expect(mentions.map((ref) => ref.date)).toEqual([
        '2021-10-07',
        '2021-10-07',
        '2021-10-06',
        '2021-10-05',
      ]);
      expect(await refsOf('mentioning', 'ht', range, 1, 2)).toEqual({
        total: 4,
        stories: mentions.slice(1, 3),
      });
      expect(await refsOf('about', 'MX', { from: '2021-10-06', to: '2021-10-06' }, 0, 10)).toEqual({
        total: 2,
        stories: all.filter((ref) => ref.date === '2021-10-06'),
      });
      expect(await refsOf('about', 'MX', { from: '2021-10-08', to: '2021-10-01' }, 0, 10)).toEqual({
        total: 0,
        stories: [],
      });
      expect(await refsOf('mentioning', 'ZZ', range, 0, 10)).toEqual({ total: 0, stories: [] });

      // A /country page's two lists in one read: each as storiesPage gives it, posts covering both.
      const posted = (await store.storiesAbout('MX', range))[0]!.briefingId;
      await store.recordPost(posted, post('card', '9.000100'));
      for (const [code, window, period] of [
        ['MX', { offset: 0, limit: 3, mentionsLimit: 5 }, range],
        ['MX', { offset: 3, limit: 3, mentionsLimit: 0 }, range],
        ['ht', { offset: 0, limit: 10, mentionsLimit: 2 }, range],
        ['HT', { offset: 20, limit: 10, mentionsLimit: 5 }, range],
        ['MX', { offset: 0, limit: 10, mentionsLimit: 5 }, { from: '2021-10-06', to: '2021-10-06' }],
        ['MX', { offset: 0, limit: 10, mentionsLimit: 5 }, { from: '2021-10-08', to: '2021-10-01' }],
        ['ZZ', { offset: 0, limit: 10, mentionsLimit: 5 }, range],
      ] as const) {
        const pages = await store.countryPages(code, period, window);
        const { posts: aboutPosts, ...about } = pages.about;
        const { posts: mentionPosts, ...mentioning } = pages.mentioning;
        expect(about).toEqual(await refsOf('about', code, period, window.offset, window.limit));
        expect(mentioning).toEqual(await refsOf('mentioning', code, period, 0, window.mentionsLimit));
        expect(Object.isFrozen(pages.about.stories[0] ?? Object.freeze({}))).toBe(true);
        const named = [...new Set([...about.stories, ...mentioning.stories].map((ref) => ref.briefingId))];
        for (const read of [aboutPosts, mentionPosts])
          if (read) expect(read).toEqual(await store.postsOf(named));
      }
      // The posted briefing is named by both lists of the first page (its lead mentions HT).
      const posts = (await store.countryPages('HT', range, { offset: 0, limit: 10, mentionsLimit: 5 }))
        .mentioning;
      expect(posts.stories.map((ref) => ref.briefingId)).toContain(posted);
      if (posts.posts) expect([...posts.posts.keys()]).toEqual([posted]);
    });

    it('reads several briefings, their posts and a period of filed dates in one call each', async () => {
      const store = await fresh();
      const a = await store.addBriefing(newBriefing('2021-10-07', 'C1|a', '2021-10-07T20:00:00.000Z'));
      const b = await store.addBriefing(newBriefing('2021-10-07', 'C1|b', '2021-10-07T08:00:00.000Z'));
      const c = await store.addBriefing(newBriefing('2021-10-03', 'C1|c', '2021-10-09T08:00:00.000Z'));
      await store.addBriefing(newBriefing('2021-10-12', 'C1|d'));
      const found = await store.getBriefings([a.briefing.id, 'b_missing', c.briefing.id, a.briefing.id]);
      expect([...found.keys()].sort()).toEqual([a.briefing.id, c.briefing.id].sort());
      expect(found.get(a.briefing.id)).toEqual(await store.getBriefing(a.briefing.id));
      expect(await store.getBriefings([])).toEqual(new Map());

      await store.recordPost(a.briefing.id, post('card', '1.000100'));
      await store.recordPost(a.briefing.id, post('s0', '1.000200'));
      await store.recordPost(c.briefing.id, post('card', '2.000100'));
      await store.recordPost(a.briefing.id, post('s1', '1.000300'));
      const posts = await store.postsOf([a.briefing.id, b.briefing.id, c.briefing.id, 'b_missing']);
      expect([...posts.keys()].sort()).toEqual([a.briefing.id, c.briefing.id].sort());
      expect(posts.get(a.briefing.id)).toEqual((await store.getDelivery(a.briefing.id))?.posts);
      expect(posts.get(a.briefing.id)?.map((one) => one.key)).toEqual(['card', 's0', 's1']);
      expect(posts.get(c.briefing.id)?.map((one) => one.ts)).toEqual(['2.000100']);
      expect(await store.postsOf([])).toEqual(new Map());
      // A day's briefings with their posts: briefingsOn's list, and postsOf's posts for it.
      for (const date of ['2021-10-07', '2021-10-03', '2021-10-12', '2021-10-20']) {
        const day = await store.filedDay(date);
        const filedOn = await store.briefingsOn(date);
        expect(day.briefings).toEqual(filedOn);
        expect(day.posts).toEqual(await store.postsOf(filedOn.map((one) => one.id)));
      }
      expect((await store.filedDay('2021-10-07')).posts).toEqual(
        new Map([[a.briefing.id, posts.get(a.briefing.id)]]),
      );
      expect((await store.filedDay('2021-10-12')).briefings).toHaveLength(1);
      expect(await store.filedDay('2021-10-20')).toEqual({ briefings: [], posts: new Map() });
      // Posts a store reads with a page of stories are postsOf's for the page's briefings.
      const page = await store.storiesPage('about', 'PE', { from: '2021-10-01', to: '2021-10-12' }, 0, 50);
      const pageIds = [...new Set(page.stories.map((ref) => ref.briefingId))];
      expect(pageIds.length).toBeGreaterThan(1);
      if (page.posts) expect(page.posts).toEqual(await store.postsOf(pageIds));

      const filed = await store.briefingsFiledBetween({ from: '2021-10-01', to: '2021-10-07' });
      expect(filed.map((one) => one.id)).toEqual([c.briefing.id, b.briefing.id, a.briefing.id]);
      expect(filed[0]).toEqual(await store.getBriefing(c.briefing.id));
      expect(
        (await store.briefingsFiledBetween({ from: '2021-10-04', to: '2021-10-12' })).map((one) => one.date),
      ).toEqual(['2021-10-07', '2021-10-07', '2021-10-12']);
      expect(await store.briefingsFiledBetween({ from: '2021-10-08', to: '2021-10-11' })).toEqual([]);
      expect(await store.briefingsFiledBetween({ from: '2021-10-12', to: '2021-10-01' })).toEqual([]);
    });

    it('searches stories: every word, the last also as a prefix, folded, by period, paged, newest first among equals', async () => {
      const store = await fresh();
      store.warmSearch();
      let keys = 0;
      const add = async (date: string, sections: Section[]) => {
        keys += 1;
        const input = {
          ...newBriefing(date, `C1|search${keys}`),
          briefing: archiveBriefing(`B${keys}`, date, sections),
        };
        return (await store.addBriefing(input)).briefing;
      };
      const before = store.searchGeneration();
      const bolivia = await add('2019-05-01', [prose('Bolivia vote', ['BO'], 'Evo Morales runs again.')]);
      expect(store.searchGeneration()).not.toBe(before);
      const peru = await add('2021-10-07', [
        prose('Peru cabinet', ['PE'], 'Castillo and Morales met in Lima. Castillo named Vásquez.'),
        list('News Briefs', [
          { text: 'Protests in Quito over fuel prices.', countries: ['EC'] },
          { text: 'Pedro Castillo named a new cabinet.', countries: ['PE'] },
        ]),
      ]);
      const places = (page: SearchPage) =>
        page.hits
          .map(
            (hit) =>
              `${hit.briefingId === peru.id ? 'peru' : 'bolivia'}/${hit.sectionIndex}/${hit.itemIndex}`,
          )
          .sort();
      const all = ALL_TIME;
      expect(places(await store.searchStories('morales', all, 0, 10))).toEqual([
        'bolivia/0/null',
        'peru/0/null',
      ]);
      expect(places(await store.searchStories('castil', all, 0, 10))).toEqual(['peru/0/null', 'peru/1/1']);
      expect((await store.searchStories('castil', all, 0, 10)).hits.map((hit) => hit.terms)).toEqual([
        ['castillo'],
        ['castillo'],
      ]);
      // Only the last word is a prefix, and only from three letters.
      expect(places(await store.searchStories('cabinet castil', all, 0, 10))).toEqual([
        'peru/0/null',
        'peru/1/1',
      ]);
      expect((await store.searchStories('castil cabinet', all, 0, 10)).total).toBe(0);
      expect((await store.searchStories('li', all, 0, 10)).total).toBe(0);
      expect(places(await store.searchStories('lim', all, 0, 10))).toEqual(['peru/0/null']);
      // Accents folded both ways, country names found, stop words and case ignored.
      expect(places(await store.searchStories('VASQUEZ', all, 0, 10))).toEqual(['peru/0/null']);
      expect(places(await store.searchStories('Perú', all, 0, 10))).toEqual(['peru/0/null', 'peru/1/1']);
      expect(places(await store.searchStories('ecuador', all, 0, 10))).toEqual(['peru/1/0']);
      expect(places(await store.searchStories('the morales', all, 0, 10))).toHaveLength(2);
      for (const nothing of ['', 'the', 'xyzzy', 'morales xyzzy']) {
        expect(await store.searchStories(nothing, all, 0, 10)).toEqual({ total: 0, hits: [] });
      }
      // Within a period; a page of the total; past the end.
      const y2019 = await store.searchStories('morales', { from: '2019-01-01', to: '2019-12-31' }, 0, 10);
      expect(y2019.hits.map((hit) => [hit.briefingId, hit.date])).toEqual([[bolivia.id, '2019-05-01']]);
      expect((await store.searchStories('morales', all, 1, 1)).hits).toHaveLength(1);
      expect((await store.searchStories('morales', all, 1, 1)).total).toBe(2);
      expect(await store.searchStories('morales', all, 5, 10)).toEqual({ total: 2, hits: [] });
      expect(
        (await store.searchStories('morales', { from: '2021-10-08', to: '2019-01-01' }, 0, 10)).total,
      ).toBe(0);
      // The same words on two days: the newer first.
      const early = await add('2020-01-01', [prose('Chiapas', ['MX'], 'Zapatistas marched.')]);
      const late = await add('2020-02-01', [prose('Chiapas', ['MX'], 'Zapatistas marched.')]);
      expect((await store.searchStories('zapatistas', all, 0, 10)).hits.map((hit) => hit.briefingId)).toEqual(
        [late.id, early.id],
      );
      // A revision is searched in its new words only.
      const generation = store.searchGeneration();
      await store.reviseBriefing(bolivia.id, {
        receivedAt: '2021-10-07T18:00:00.000Z',
        messageId: null,
        dedupeKey: 'C1|search-corrected',
        briefing: archiveBriefing('B1', '2019-05-01', [
          prose('Bolivia vote', ['BO'], 'Evo Morales withdraws.'),
        ]),
      });
      expect(store.searchGeneration()).not.toBe(generation);
      expect((await store.searchStories('withdraws', all, 0, 10)).total).toBe(1);
      expect((await store.searchStories('runs', all, 0, 10)).total).toBe(0);
    });

    it('lists the stories that only mention a country apart from those about it', async () => {
      const store = await fresh();
      const briefing = sampleBriefing('2021-10-07');
      const [lead, peru, briefs] = briefing.sections;
      const tagged = {
        ...briefing,
        sections: [
          // A prose section mentions by its own `mentions`; a list's briefs by theirs.
          { ...lead!, mentions: ['HT', 'MX'] },
          { ...peru!, mentions: ['CL'] },
          {
            ...briefs!,
            items: briefs!.items.map((item, index) => ({ ...item, mentions: index === 1 ? ['HT'] : [] })),
          },
        ],
      };
      const added = await store.addBriefing({ ...newBriefing('2021-10-07', 'C1|m'), briefing: tagged });
      const range = { from: '2021-10-01', to: '2021-10-31' };
      expect(await store.storiesMentioning('ht', range)).toEqual([
        {
          briefingId: added.briefing.id,
          date: '2021-10-07',
          sectionIndex: 0,
          itemIndex: null,
          countries: ['MX', 'US'],
        },
        {
          briefingId: added.briefing.id,
          date: '2021-10-07',
          sectionIndex: 2,
          itemIndex: 1,
          countries: ['MX'],
        },
      ]);
      // A mention of what the story is about is no mention; nor is a story about it listed again.
      expect(await store.storiesMentioning('MX', range)).toEqual([]);
      expect((await store.storiesMentioning('CL', range)).map((ref) => ref.sectionIndex)).toEqual([1]);
      expect(await store.storiesAbout('CL', range)).toEqual([]);
      expect(await store.storiesMentioning('HT', { from: '2021-10-08', to: '2021-10-31' })).toEqual([]);
      // Briefings stored before mentions existed have none.
      await store.addBriefing(newBriefing('2021-10-08', 'C1|old'));
      expect(await store.storiesMentioning('PE', { from: '2021-10-01', to: '2021-10-31' })).toEqual([]);
    });

    it('records posts (replacing by key), finds them by ts, and moves delivery state', async () => {
      const store = await fresh();
      const { briefing } = await store.addBriefing(newBriefing('2021-10-07'));
      await store.recordPost(briefing.id, post('card', '1633627273.000100'));
      await store.recordPost(briefing.id, post('s0', '1633627274.000100'));
      await store.recordPost(briefing.id, post('s0', '1633627275.000100'));
      const delivery = await store.getDelivery(briefing.id);
      expect(delivery?.posts.map((p) => [p.key, p.ts])).toEqual([
        ['card', '1633627273.000100'],
        ['s0', '1633627275.000100'],
      ]);
      expect(await store.findPost('C1', '1633627275.000100')).toEqual({
        briefingId: briefing.id,
        post: post('s0', '1633627275.000100'),
      });
      expect(await store.findPost('C1', '1633627274.000100')).toBeUndefined();
      expect(await store.findPost('C2', '1633627273.000100')).toBeUndefined();

      clock = new Date('2021-10-07T17:05:00.000Z');
      expect(await store.deliveryCounts()).toEqual({ unfinished: 1, failed: 0 });
      const posting = await store.updateDelivery(briefing.id, { state: 'posting', attempts: 1 });
      expect(posting).toMatchObject({
        state: 'posting',
        attempts: 1,
        lastError: null,
        updatedAt: clock.toISOString(),
      });
      expect(posting.posts).toHaveLength(2);
      await store.updateDelivery(briefing.id, { state: 'failed', lastError: 'channel_not_found' });
      expect(await store.deliveryCounts()).toEqual({ unfinished: 0, failed: 1 });
      expect(await store.unfinishedDeliveries()).toEqual([]);
      await store.updateDelivery(briefing.id, {
        state: 'pending',
        lastError: null,
        nextAttemptAt: '2021-10-07T18:00:00.000Z',
      });
      const [unfinished] = await store.unfinishedDeliveries();
      expect(unfinished).toMatchObject({
        briefingId: briefing.id,
        state: 'pending',
        attempts: 1,
        lastError: null,
      });
      expect(unfinished?.nextAttemptAt).toBe('2021-10-07T18:00:00.000Z');
      expect((await store.listDeliveries()).map((d) => d.briefingId)).toEqual([briefing.id]);
      await expect(store.updateDelivery('b_missing', { state: 'posted' })).rejects.toThrow(/No delivery/);
      await expect(store.recordPost('b_missing', post('card', '1.2'))).rejects.toThrow(/No delivery/);
    });

    it('revises a briefing: versions kept, the key of the copy finds it, stories re-indexed, delivery pending again', async () => {
      const store = await fresh();
      const { briefing: original } = await store.addBriefing(newBriefing('2021-10-07', 'C1|first'));
      await store.recordPost(original.id, post('card', '1633627273.000100'));
      await store.recordPost(original.id, post('s1', '1633627274.000100'));
      await store.recordPost(original.id, post('s2', '1633627275.000100'));
      await store.updateDelivery(original.id, { state: 'posted' });

      const corrected = sampleBriefing('2021-10-07');
      const list = corrected.sections[2]!;
      corrected.sections = [
        corrected.sections[0]!,
        { ...list, items: list.items.map((item, i) => (i === 0 ? { ...item, countries: ['HT'] } : item)) },
      ];
      clock = new Date('2021-10-07T18:00:00.000Z');
      const version = {
        receivedAt: '2021-10-07T18:00:00.000Z',
        messageId: 'second@example.org',
        dedupeKey: 'C1|second',
        briefing: corrected,
      };
      const [once, twice] = await Promise.all([
        store.reviseBriefing(original.id, version),
        store.reviseBriefing(original.id, version),
      ]);
      expect([once.created, twice.created].sort()).toEqual([false, true]);
      const revised = await store.getBriefing(original.id);
      expect(revised?.briefing).toEqual(corrected);
      expect(revised?.receivedAt).toBe(original.receivedAt);
      expect(revised?.dedupeKey).toBe('C1|first');
      expect(revised?.versions?.map((v) => [v.dedupeKey, v.receivedAt, v.briefing.sections.length])).toEqual([
        ['C1|first', original.receivedAt, 3],
        ['C1|second', '2021-10-07T18:00:00.000Z', 2],
      ]);
      expect((await store.findByDedupeKey('C1|second'))?.id).toBe(original.id);
      expect((await store.findByDedupeKey('C1|first'))?.id).toBe(original.id);
      expect(await store.briefingCount()).toBe(1);
      // Peru's section is gone from the current version; Haiti is now in the list section.
      const range = { from: '2021-10-01', to: '2021-10-31' };
      expect(await store.storiesAbout('PE', range)).toEqual([]);
      expect((await store.storiesAbout('HT', range)).map((s) => [s.sectionIndex, s.itemIndex])).toEqual([
        [1, 0],
      ]);
      expect((await store.storiesAbout('BR', range)).map((s) => [s.sectionIndex, s.itemIndex])).toEqual([]);
      const delivery = await store.getDelivery(original.id);
      expect(delivery).toMatchObject({ state: 'pending', attempts: 0, lastError: null });
      expect((await store.unfinishedDeliveries()).map((d) => d.briefingId)).toEqual([original.id]);

      // The deliverer renumbers the posts to the new sections and marks the edits done.
      const rekeyed = await store.rekeyPosts(
        original.id,
        [
          post('card', '1633627273.000100'),
          post('gone0:s1', '1633627274.000100', { sectionIndex: null }),
          post('s1', '1633627275.000100', { sectionIndex: 1 }),
        ],
        1,
      );
      expect(rekeyed.revision).toBe(1);
      expect(rekeyed.posts.map((p) => p.key)).toEqual(['card', 'gone0:s1', 's1']);
      expect((await store.findPost('C1', '1633627275.000100'))?.post.key).toBe('s1');
      expect((await store.findPost('C1', '1633627274.000100'))?.post.key).toBe('gone0:s1');
      const done = await store.updateDelivery(original.id, { state: 'posted', updatedRevision: 1 });
      expect(done).toMatchObject({ revision: 1, updatedRevision: 1, state: 'posted' });
      await expect(store.reviseBriefing('b_missing', { ...version, dedupeKey: 'C1|third' })).rejects.toThrow(
        /no briefing/,
      );
    });

    it('lists deliveries in the order their briefings were stored', async () => {
      const store = await fresh();
      const ids: string[] = [];
      for (const date of ['2021-11-02', '2021-10-07', '2021-12-01']) {
        ids.push((await store.addBriefing(newBriefing(date))).briefing.id);
      }
      expect((await store.unfinishedDeliveries()).map((d) => d.briefingId)).toEqual(ids);
      expect((await store.listDeliveries()).map((d) => d.briefingId)).toEqual(ids);
    });

    it('counts replies once, uncounts removals, and answers threads by date and by reply time', async () => {
      const store = await fresh();
      const { briefing } = await store.addBriefing(newBriefing('2021-10-07'));
      const thread = {
        channel: 'C1',
        threadTs: '1633627273.000100',
        briefingId: briefing.id,
        sectionIndex: null,
      };
      expect(await store.recordReply(thread, '1633630000.000100', 'U1', '2021-10-07T18:06:40.000Z')).toBe(
        true,
      );
      expect(await store.recordReply(thread, '1633630000.000100', 'U1', '2021-10-07T18:06:40.000Z')).toBe(
        false,
      );
      expect(await store.recordReply(thread, '1633640000.000100', 'U2', '2021-10-07T20:53:20.000Z')).toBe(
        true,
      );
      expect(await store.recordReply(thread, '__proto__', 'U3', '2021-10-07T19:00:00.000Z')).toBe(true);
      const activity = await store.threadActivity('C1', thread.threadTs);
      expect(activity).toEqual({
        ...thread,
        replies: { '1633630000.000100': 'U1', '1633640000.000100': 'U2', ['__proto__']: 'U3' },
        lastReplyAt: '2021-10-07T20:53:20.000Z',
      });
      expect(Object.keys(activity!.replies).sort()).toEqual([
        '1633630000.000100',
        '1633640000.000100',
        '__proto__',
      ]);
      expect(await store.threadsForDate('2021-10-07')).toEqual([activity]);
      expect(await store.threadsForDate('2021-10-08')).toEqual([]);

      const window = await store.threadsWithRepliesBetween('2021-10-07T18:00:00Z', '2021-10-07T19:00:00Z');
      expect(window).toEqual([
        { ...thread, replies: { '1633630000.000100': 'U1' }, lastReplyAt: '2021-10-07T18:06:40.000Z' },
      ]);
      await expect(store.threadsWithRepliesBetween('yesterday', '2021-10-07T19:00:00Z')).rejects.toThrow(
        /ISO instants/,
      );

      expect(await store.removeReply('C1', thread.threadTs, '__proto__')).toBe(true);
      expect(await store.removeReply('C1', thread.threadTs, '1633640000.000100')).toBe(true);
      expect(await store.removeReply('C1', thread.threadTs, '1633640000.000100')).toBe(false);
      expect(await store.threadActivity('C1', thread.threadTs)).toEqual({
        ...thread,
        replies: { '1633630000.000100': 'U1' },
        lastReplyAt: new Date(1633630000000.1).toISOString(),
      });
      expect(await store.threadActivity('C1', 'nope')).toBeUndefined();
      await expect(
        store.recordReply({ ...thread, briefingId: 'b_missing' }, '1.1', 'U1', '2021-10-07T18:00:00.000Z'),
      ).rejects.toThrow(/No briefing/);
    });

    it('keeps one digest per date', async () => {
      const store = await fresh();
      expect(await store.getDigest('2021-10-07')).toBeUndefined();
      const record = {
        date: '2021-10-07',
        channel: 'C0DIGEST',
        ts: '1633640000.000100',
        postedAt: '2021-10-07T21:00:00.000Z',
      };
      await store.recordDigest(record);
      await store.recordDigest({ ...record, ts: '1633640001.000100' });
      expect(await store.getDigest('2021-10-07')).toEqual({ ...record, ts: '1633640001.000100' });
    });

    it('sees an event id once within a day, and again after it', async () => {
      const store = await fresh();
      expect(await store.markEventSeen('Ev1')).toBe(true);
      expect(await store.markEventSeen('Ev1')).toBe(false);
      expect(await store.markEventSeen('Ev2')).toBe(true);
      clock = new Date(clock.getTime() + 25 * 60 * 60 * 1000);
      expect(await store.markEventSeen('Ev1')).toBe(true);
      expect(await store.markEventSeen('Ev1')).toBe(false);
    });

    it('keeps desks and follows: countries in the order added, muted followers left out until they follow again', async () => {
      const store = await fresh();
      expect(await store.listDesks()).toEqual([]);
      await store.addDeskCountries('CANDES000', ['PE', 'BO'], 'U1');
      expect(await store.addDeskCountries('candes000', ['BO', 'EC'], 'U2')).toMatchObject({
        channel: 'CANDES000',
        countries: ['PE', 'BO', 'EC'],
        addedBy: 'U1',
      });
      await store.addDeskCountries('CCARIB000', ['HT'], null);
      expect((await store.listDesks()).map((desk) => desk.channel)).toEqual(['CANDES000', 'CCARIB000']);
      expect(await store.removeDeskCountries('CANDES000', ['BO'])).toMatchObject({ countries: ['PE', 'EC'] });
      expect(await store.removeDeskCountries('CCARIB000', [])).toBeNull();
      expect(await store.removeDeskCountries('CNOWHERE0', [])).toBeNull();
      expect((await store.listDesks()).map((desk) => desk.channel)).toEqual(['CANDES000']);

      expect(await store.follow('U1', 'PE')).toBe(true);
      expect(await store.follow('U1', 'PE')).toBe(false);
      await store.follow('U2', 'HT');
      await store.follow('U2', 'PE');
      expect(await store.followsOf('U2')).toEqual(['HT', 'PE']);
      expect(await store.followersOf(['PE', 'HT'])).toEqual(
        new Map([
          ['U1', ['PE']],
          ['U2', ['HT', 'PE']],
        ]),
      );
      await store.muteFollower('U1', 'user_disabled');
      expect(await store.mutedFollower('U1')).toMatchObject({ user: 'U1', reason: 'user_disabled' });
      expect([...(await store.followersOf(['PE'])).keys()]).toEqual(['U2']);
      await store.follow('U1', 'BR');
      expect(await store.mutedFollower('U1')).toBeNull();
      expect(await store.unfollow('U2', 'HT')).toBe(true);
      expect(await store.unfollow('U2', 'HT')).toBe(false);
    });

    it('keeps one cursor per watched mailbox, replaced on each save', async () => {
      const store = await fresh();
      expect(await store.mailboxCursor('desk@mail.example/INBOX')).toBeNull();
      await store.saveMailboxCursor('desk@mail.example/INBOX', { uidValidity: '4294967295', lastUid: 7 });
      await store.saveMailboxCursor('desk@mail.example/Other', { uidValidity: '1', lastUid: 1 });
      clock = new Date('2021-10-07T18:00:00.000Z');
      await store.saveMailboxCursor('desk@mail.example/INBOX', { uidValidity: '4294967295', lastUid: 9 });
      expect(await store.mailboxCursor('desk@mail.example/INBOX')).toEqual({
        uidValidity: '4294967295',
        lastUid: 9,
        updatedAt: '2021-10-07T18:00:00.000Z',
      });
      expect((await store.mailboxCursor('desk@mail.example/Other'))?.lastUid).toBe(1);
    });

    it('refuses writes once closed', async () => {
      const store = await fresh();
      open.pop();
      await store.close();
      await expect(store.addBriefing(newBriefing('2021-10-07'))).rejects.toThrow(/closed/);
    });
  });
}
