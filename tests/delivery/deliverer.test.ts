import { ConsoleLogger, LogLevel } from '@slack/logger';
import { WebClient } from '@slack/web-api';
import { afterEach, describe, expect, it } from 'vitest';
import type { Briefing } from '../../src/briefing/types.js';
import { createDeliverer, type DelivererOptions } from '../../src/delivery/deliverer.js';
import { SlackStandIn, type StandInOptions } from '../../src/local/slack-stand-in.js';
import { DEFAULT_RETRY_POLICY, slackClientOptions } from '../../src/slack/api/call.js';
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

    const delivery = (await store.getDelivery(id))!;
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
    const posts = (await second.store.getDelivery(id2))!.posts;
    expect(posts.every((p) => p.permalink?.startsWith('https://'))).toBe(true);
  });

  it('posts each section top-level in the sections layout', async () => {
    const { standIn, store, make } = await setup();
    const id = await add(store);
    const deliverer = make({ layout: 'sections' });
    deliverer.kick(id);
    await deliverer.idle();
    expect(standIn.messages('briefings')).toHaveLength(POSTS);
    expect((await store.getDelivery(id))!.posts.every((p) => p.threadTs === null)).toBe(true);
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
    const posts = (await store.getDelivery(stored.id))!.posts;
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
    await deliverer.resumeAll();
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
    expect((await store.getDelivery(id))!.state).toBe('posted');
  });

  it('fails plainly when the channel is private and the bot was not invited', async () => {
    const { standIn, store, make } = await setup({}, 'secret-desk');
    standIn.addChannel({ name: 'secret-desk', isPrivate: true });
    const id = await add(store);
    const deliverer = make();
    deliverer.kick(id);
    await deliverer.idle();
    const delivery = (await store.getDelivery(id))!;
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
    let delivery = (await store.getDelivery(id))!;
    expect(delivery).toMatchObject({ state: 'failed', lastError: 'invalid_auth' });
    expect(delivery.posts).toHaveLength(3);

    standIn.clearFaults();
    await deliverer.retry(id);
    delivery = (await store.getDelivery(id))!;
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
    const delivery = (await store.getDelivery(id))!;
    expect(delivery).toMatchObject({ state: 'pending', attempts: 1, lastError: 'HTTP 503' });
    expect(delivery.nextAttemptAt).not.toBeNull();
    expect(waits).toEqual([1000, 2000]);
    await first.stop();

    standIn.clearFaults();
    // "Restart" a little after the scheduled attempt is due.
    const later = new Date(Date.parse(delivery.nextAttemptAt!) + 1000);
    const second = make({ now: () => later });
    await second.resumeAll();
    await second.idle();
    expect((await store.getDelivery(id))!.state).toBe('posted');
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
    expect((await store.getDelivery(id))!.state).toBe('posted');
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
    expect((await store.getDelivery(id))!.state).toBe('pending');
    expect(standIn.messages('briefings')).toHaveLength(0);
  });
});

/**
 * A store that fails the first write of post `key`'s ts, the way a process killed right after Slack
 * answered never writes it: Slack has the post, the store does not.
 */
function losingRecordOf(store: Store, key: string): Store {
  let lost = false;
  return new Proxy(store, {
    get(target, prop) {
      if (prop === 'recordPost') {
        return async (...args: Parameters<Store['recordPost']>) => {
          if (!lost && args[1].key === key) {
            lost = true;
            throw new Error('killed before the ts was written');
          }
          return target.recordPost(...args);
        };
      }
      const value = Reflect.get(target, prop, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

/** Section headers in a thread or channel, to see a repeated post at a glance. */
const headers = (messages: Array<{ blocks?: unknown[] }>) =>
  messages.map((m) => (m.blocks?.[0] as { text?: { text?: string } } | undefined)?.text?.text);

describe('a post Slack took but the store never recorded', () => {
  it('is found in the thread on resume and adopted, not posted again', async () => {
    const { standIn, store, make } = await setup();
    const id = await add(store);
    const first = make({ store: losingRecordOf(store, 's2') });
    first.kick(id);
    await first.idle();
    await first.stop();
    // What a process killed between Slack's answer and the write leaves: 'posting', three posts known.
    await store.updateDelivery(id, { state: 'posting' });
    expect((await store.getDelivery(id))!.posts.map((p) => p.key)).toEqual(['card', 's0', 's1']);
    const top = standIn.messages('briefings');
    const lostTs = standIn.thread('briefings', top[0]!.ts)[3]!.ts;
    expect(standIn.callCount('conversations.replies')).toBe(0);

    const second = make();
    await second.resumeAll();
    await second.idle();

    const delivery = (await store.getDelivery(id))!;
    expect(delivery.state).toBe('posted');
    expect(delivery.posts.map((p) => p.key)).toEqual(['card', 's0', 's1', 's2', 's3', 's4']);
    expect(delivery.posts.find((p) => p.key === 's2')).toMatchObject({ ts: lostTs, threadTs: top[0]!.ts });
    expect(standIn.messages('briefings')).toHaveLength(1);
    expect(headers(standIn.thread('briefings', top[0]!.ts))).toEqual([
      'Talks',
      ...briefing.sections.map((s) => s.title),
    ]);
    expect(standIn.calls('chat.postMessage').filter((c) => c.ok)).toHaveLength(POSTS);
    // One look, in the card's thread, after the last recorded post, asking for metadata.
    expect(standIn.calls('conversations.replies').map((c) => c.args)).toEqual([
      expect.objectContaining({
        channel: delivery.posts[0]!.channel,
        ts: top[0]!.ts,
        oldest: delivery.posts[2]!.ts,
        // Form-encoded, as the WebClient sends it.
        include_all_metadata: 'true',
      }),
    ]);
  });

  it('finds an unrecorded card in the channel history (sections layout) and threads nothing twice', async () => {
    const { standIn, store, make } = await setup();
    const id = await add(store);
    const first = make({ store: losingRecordOf(store, 'card'), layout: 'sections' });
    first.kick(id);
    await first.idle();
    await first.stop();
    await store.updateDelivery(id, { state: 'posting' });
    expect((await store.getDelivery(id))!.posts).toEqual([]);

    const second = make({ layout: 'sections' });
    await second.resumeAll();
    await second.idle();
    expect((await store.getDelivery(id))!.state).toBe('posted');
    expect(headers(standIn.messages('briefings'))).toEqual([
      'Talks',
      ...briefing.sections.map((s) => s.title),
    ]);
    expect((await store.getDelivery(id))!.posts[0]!.ts).toBe(standIn.messages('briefings')[0]!.ts);
    expect(standIn.callCount('conversations.history')).toBe(1);
  });

  it('is adopted on an operator’s retry after the store failed to record it', async () => {
    const { standIn, store, make } = await setup();
    const id = await add(store);
    const broken = make({ store: losingRecordOf(store, 'card') });
    broken.kick(id);
    await broken.idle();
    expect(await store.getDelivery(id)).toMatchObject({ state: 'failed', posts: [] });
    await broken.stop();

    await make().retry(id);
    expect((await store.getDelivery(id))!.state).toBe('posted');
    expect(standIn.messages('briefings')).toHaveLength(1);
    expect(standIn.thread('briefings', standIn.messages('briefings')[0]!.ts)).toHaveLength(POSTS);
  });

  it('is adopted when Slack posted but its answer was lost on the way back', async () => {
    const { standIn, client, store, make } = await setup();
    const id = await add(store);
    // The third post reaches Slack, but the connection drops before the answer arrives.
    const realPost = client.chat.postMessage.bind(client.chat);
    let calls = 0;
    client.chat.postMessage = (async (args: Parameters<typeof realPost>[0]) => {
      const result = await realPost(args);
      calls++;
      if (calls === 3) {
        const original = new Error('socket hang up');
        throw Object.assign(new Error(`A request error occurred: ${original.message}`), {
          code: 'slack_webapi_request_error',
          original,
        });
      }
      return result;
    }) as typeof client.chat.postMessage;
    const deliverer = make();
    deliverer.kick(id);
    await deliverer.idle();

    expect((await store.getDelivery(id))!.state).toBe('posted');
    const top = standIn.messages('briefings');
    expect(top).toHaveLength(1);
    expect(headers(standIn.thread('briefings', top[0]!.ts))).toEqual([
      'Talks',
      ...briefing.sections.map((s) => s.title),
    ]);
    expect(standIn.callCount('conversations.replies')).toBe(1);
  });

  it('costs nothing on a first attempt, and without history access it posts rather than loses a section', async () => {
    const { standIn, store, make } = await setup({
      scopes: ['chat:write', 'channels:read', 'channels:join', 'groups:read'],
    });
    const id = await add(store);
    const first = make({ store: losingRecordOf(store, 's0') });
    first.kick(id);
    await first.idle();
    await first.stop();
    expect(standIn.callCount('conversations.replies')).toBe(0);
    expect(standIn.callCount('conversations.history')).toBe(0);
    await store.updateDelivery(id, { state: 'posting' });

    const second = make();
    await second.resumeAll();
    await second.idle();
    expect(standIn.calls('conversations.replies').map((c) => c.error)).toEqual(['missing_scope']);
    expect((await store.getDelivery(id))!.state).toBe('posted');
    // Slack would not say whether s0 was there: it is posted again rather than risk losing it.
    expect(standIn.calls('chat.postMessage').filter((c) => c.ok)).toHaveLength(POSTS + 1);
  });
});

describe('message metadata in the stand-in (what the search above relies on)', () => {
  it('keeps a post’s metadata and lists it only with include_all_metadata, as Slack does', async () => {
    const { client } = await setup();
    const marker = {
      event_type: 'briefing_bot_post',
      event_payload: { briefing_id: 'b_1', post_key: 'card' },
    };
    const posted = await client.chat.postMessage({ channel: 'briefings', text: 'card', metadata: marker });
    const plain = await client.conversations.history({ channel: 'CBRIEFINGS' });
    expect(plain.messages?.[0]).not.toHaveProperty('metadata');
    const full = await client.conversations.history({ channel: 'CBRIEFINGS', include_all_metadata: true });
    expect(full.messages?.[0]).toMatchObject({ ts: posted.ts, metadata: marker });
    const thread = await client.conversations.replies({
      channel: 'CBRIEFINGS',
      ts: posted.ts!,
      include_all_metadata: true,
    });
    expect(thread.messages?.[0]?.metadata).toEqual(marker);
    await expect(
      client.chat.postMessage({
        channel: 'briefings',
        text: 'x',
        metadata: { event_type: '', event_payload: {} },
      }),
    ).rejects.toMatchObject({ data: { error: 'invalid_metadata_format' } });
  });
});
