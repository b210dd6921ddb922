import { ConsoleLogger, LogLevel } from '@slack/logger';
import { WebClient } from '@slack/web-api';
import { afterEach, describe, expect, it } from 'vitest';
import type { Briefing } from '../../src/briefing/types.js';
import { createDeliverer, type DelivererOptions } from '../../src/delivery/deliverer.js';
import { DEFAULT_RETRY_POLICY, slackClientOptions } from '../../src/delivery/slack-call.js';
import { SlackStandIn, type StandInOptions } from '../../src/local/slack-stand-in.js';
import { openMemoryStore } from '../../src/store/index.js';
import type { Store } from '../../src/store/types.js';

const briefing: Briefing = {
  subject: 'Talks (Oct. 7, 2021)',
  title: 'Talks',
  publication: 'Daily',
  date: '2021-10-07',
  from: null,
  note: null,
  sections: ['Mexico', 'Peru', 'Haiti', 'Brazil', 'Chile'].map((title) => ({
    title,
    kind: 'section' as const,
    group: null,
    countries: [],
    items: [{ text: `${title} news.`, countries: [], sources: ['Reuters'], links: [] }],
  })),
};
const POSTS = 1 + briefing.sections.length;

const quiet = new ConsoleLogger();
quiet.setLevel(LogLevel.ERROR);

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()?.();
});

async function setup(standInOptions: StandInOptions = {}, channel = 'briefings') {
  const standIn = new SlackStandIn({ rateLimit: null, ...standInOptions });
  const client = new WebClient(standIn.token, slackClientOptions(await standIn.listen()));
  cleanups.push(() => standIn.close());
  const store = await openMemoryStore();
  const waits: number[] = [];
  const make = (extra: Partial<DelivererOptions> = {}) => {
    const deliverer = createDeliverer({
      store,
      client,
      logger: quiet,
      channel,
      layout: 'briefing',
      minPostIntervalMs: 0,
      sleep: async (ms) => void waits.push(ms),
      ...extra,
    });
    cleanups.push(() => deliverer.stop());
    return deliverer;
  };
  return { standIn, client, store, waits, make };
}

async function add(store: Store, key = 'C|m1') {
  const { briefing: stored } = await store.addBriefing({
    dedupeKey: key,
    channel: 'briefings',
    receivedAt: '2021-10-07T17:20:00.000Z',
    date: '2021-10-07',
    forwardedBy: 'molly@example.org',
    forwardedByName: 'Molly Molloy',
    messageId: 'm1',
    briefing,
  });
  return stored.id;
}

describe('createDeliverer', () => {
  it('posts the card, then each section as a reply in its thread, recording ts and permalink', async () => {
    const { standIn, client, store, make } = await setup();
    const id = await add(store);
    const deliverer = make();
    deliverer.kick(id);
    await deliverer.idle();

    const top = standIn.messages('briefings');
    expect(top).toHaveLength(1);
    const thread = standIn.thread('briefings', top[0]!.ts);
    expect(thread.map((m) => m.blocks?.[0])).toMatchObject([
      { type: 'header', text: { text: 'Talks' } },
      ...briefing.sections.map((s) => ({ type: 'header', text: { text: s.title } })),
    ]);
    expect(thread.every((m) => m.options?.unfurl_links === false && m.options?.unfurl_media === false)).toBe(
      true,
    );

    const delivery = store.getDelivery(id)!;
    expect(delivery.state).toBe('posted');
    expect(delivery.posts.map((p) => p.key)).toEqual(['card', 's0', 's1', 's2', 's3', 's4']);
    expect(delivery.posts.map((p) => p.ts)).toEqual(thread.map((m) => m.ts));
    expect(delivery.posts.slice(1).every((p) => p.threadTs === top[0]!.ts)).toBe(true);
    expect(standIn.callCount('chat.postMessage')).toBe(POSTS);
    // Permalinks are built from auth.test's workspace URL (asked once), exactly as Slack builds them.
    expect(standIn.callCount('chat.getPermalink')).toBe(0);
    expect(standIn.callCount('auth.test')).toBe(1);
    for (const post of delivery.posts) {
      const fromSlack = await client.chat.getPermalink({ channel: post.channel, message_ts: post.ts });
      expect(post.permalink).toBe(fromSlack.permalink);
    }
  });

  it('costs exactly its posts once warmed up, and asks Slack for permalinks when auth.test has no URL', async () => {
    const { standIn, store, make } = await setup();
    const deliverer = make();
    await deliverer.warmUp();
    const before = standIn.calls().length;
    const id = await add(store);
    deliverer.kick(id);
    await deliverer.idle();
    expect(
      standIn
        .calls()
        .slice(before)
        .map((c) => c.method),
    ).toEqual(Array(POSTS).fill('chat.postMessage'));

    const second = await setup();
    second.standIn.failNext(1, 'internal_error', 'auth.test');
    const fallback = second.make({ retryPolicy: { ...DEFAULT_RETRY_POLICY, transientRetries: 0 } });
    const id2 = await add(second.store);
    fallback.kick(id2);
    await fallback.idle();
    expect(second.standIn.callCount('chat.getPermalink')).toBe(POSTS);
    const posts = second.store.getDelivery(id2)!.posts;
    expect(posts.every((p) => p.permalink?.startsWith('https://'))).toBe(true);
  });

  it('posts each section top-level in the sections layout', async () => {
    const { standIn, store, make } = await setup();
    const id = await add(store);
    const deliverer = make({ layout: 'sections' });
    deliverer.kick(id);
    await deliverer.idle();
    expect(standIn.messages('briefings')).toHaveLength(POSTS);
    expect(store.getDelivery(id)!.posts.every((p) => p.threadTs === null)).toBe(true);
  });

  it('threads the continuation of a split section under its first part in the sections layout', async () => {
    const { standIn, store, make } = await setup();
    const long = Array.from({ length: 60 }, (_, i) => ({
      text: `Story ${i}: ${'a long sentence about the region. '.repeat(60)}`,
      countries: [],
      sources: [],
      links: [],
    }));
    const { briefing: stored } = await store.addBriefing({
      dedupeKey: 'C|long',
      channel: 'briefings',
      receivedAt: '2021-10-07T17:20:00.000Z',
      date: '2021-10-07',
      forwardedBy: null,
      forwardedByName: null,
      messageId: null,
      briefing: { ...briefing, sections: [{ ...briefing.sections[0]!, kind: 'list', items: long }] },
    });
    const deliverer = make({ layout: 'sections' });
    deliverer.kick(stored.id);
    await deliverer.idle();
    const posts = store.getDelivery(stored.id)!.posts;
    expect(posts.map((p) => p.key)).toEqual(['card', 's0', 's0.1']);
    expect(posts[1]!.threadTs).toBeNull();
    expect(posts[2]!.threadTs).toBe(posts[1]!.ts);
    expect(standIn.messages('briefings')).toHaveLength(2);
    expect(standIn.thread('briefings', posts[1]!.ts)).toHaveLength(2);
  });

  it('posts once when kicked repeatedly and concurrently', async () => {
    const { standIn, store, make } = await setup();
    const id = await add(store);
    const deliverer = make();
    for (let i = 0; i < 5; i++) deliverer.kick(id);
    deliverer.resumeAll();
    await deliverer.idle();
    deliverer.kick(id);
    await deliverer.idle();
    expect(standIn.callCount('chat.postMessage')).toBe(POSTS);
  });

  it('finds the channel by name and joins it when the bot is not a member', async () => {
    const { standIn, store, make } = await setup({ botInSeededChannels: false }, '#briefings');
    const id = await add(store);
    const deliverer = make();
    deliverer.kick(id);
    await deliverer.idle();
    expect(standIn.callCount('conversations.list')).toBe(1);
    expect(standIn.callCount('conversations.join')).toBe(1);
    expect(store.getDelivery(id)!.state).toBe('posted');
  });

  it('fails plainly when the channel is private and the bot was not invited', async () => {
    const { standIn, store, make } = await setup({}, 'secret-desk');
    standIn.addChannel({ name: 'secret-desk', isPrivate: true });
    const id = await add(store);
    const deliverer = make();
    deliverer.kick(id);
    await deliverer.idle();
    const delivery = store.getDelivery(id)!;
    expect(delivery.state).toBe('failed');
    expect(delivery.lastError).toMatch(/^channel_not_found: .*invite the bot/);
    expect(standIn.callCount('chat.postMessage')).toBe(0);
  });

  it('marks a permanent error failed, and a retry posts the rest once into the same thread', async () => {
    const { standIn, store, make } = await setup();
    const id = await add(store);
    const deliverer = make();
    standIn.failAfter(3, 'invalid_auth');
    deliverer.kick(id);
    await deliverer.idle();
    let delivery = store.getDelivery(id)!;
    expect(delivery).toMatchObject({ state: 'failed', lastError: 'invalid_auth' });
    expect(delivery.posts).toHaveLength(3);

    standIn.clearFaults();
    await deliverer.retry(id);
    delivery = store.getDelivery(id)!;
    expect(delivery.state).toBe('posted');
    const top = standIn.messages('briefings');
    expect(top).toHaveLength(1);
    expect(standIn.thread('briefings', top[0]!.ts)).toHaveLength(POSTS);
    expect(standIn.calls('chat.postMessage').filter((c) => c.ok)).toHaveLength(POSTS);
  });

  it('reschedules after transient faults outlast the retries; a restarted deliverer resumes in the same thread', async () => {
    const { standIn, store, waits, make } = await setup();
    const id = await add(store);
    const policy = { ...DEFAULT_RETRY_POLICY, transientRetries: 2 };
    const first = make({ retryPolicy: policy });
    standIn.failAfter(2, { status: 503 });
    first.kick(id);
    await first.idle();
    const delivery = store.getDelivery(id)!;
    expect(delivery).toMatchObject({ state: 'pending', attempts: 1, lastError: 'HTTP 503' });
    expect(delivery.nextAttemptAt).not.toBeNull();
    expect(waits).toEqual([1000, 2000]);
    await first.stop();

    standIn.clearFaults();
    // "Restart" a little after the scheduled attempt is due.
    const later = new Date(Date.parse(delivery.nextAttemptAt!) + 1000);
    const second = make({ now: () => later });
    second.resumeAll();
    await second.idle();
    expect(store.getDelivery(id)!.state).toBe('posted');
    const top = standIn.messages('briefings');
    expect(top).toHaveLength(1);
    expect(standIn.thread('briefings', top[0]!.ts)).toHaveLength(POSTS);
  });

  it('honours Retry-After on a 429 burst and still posts everything once', async () => {
    const { standIn, store, waits, make } = await setup();
    const id = await add(store);
    standIn.failNext(4, { status: 429, retryAfter: 2 }, 'chat.postMessage');
    const deliverer = make();
    deliverer.kick(id);
    await deliverer.idle();
    expect(waits).toEqual([2000, 2000, 2000, 2000]);
    expect(store.getDelivery(id)!.state).toBe('posted');
    expect(standIn.calls('chat.postMessage').filter((c) => c.ok)).toHaveLength(POSTS);
  });

  it('stop() cuts a long wait short and leaves the delivery to resume', async () => {
    const { standIn, store, make } = await setup();
    const id = await add(store);
    standIn.failNext(1, { status: 429, retryAfter: 60 }, 'chat.postMessage');
    let waiting!: () => void;
    const started = new Promise<void>((resolve) => {
      waiting = resolve;
    });
    const deliverer = make({
      sleep: (ms) => {
        waiting();
        return new Promise((resolve) => setTimeout(resolve, ms));
      },
    });
    deliverer.kick(id);
    await started;
    await deliverer.stop();
    expect(store.getDelivery(id)!.state).toBe('pending');
    expect(standIn.messages('briefings')).toHaveLength(0);
  });
});
