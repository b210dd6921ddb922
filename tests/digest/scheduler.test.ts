/**
 * The digest job under fake timers: croner's own timers and Date are moved, so the job fires exactly
 * where it would in production. Channels and posts are recorded by a Web API double that answers like
 * chat.postMessage.
 */
import type { WebClient } from '@slack/web-api';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { createDigestPublisher, digestMark } from '../../src/digest/publish.js';
import { startDigestScheduler } from '../../src/digest/scheduler.js';
import { postMarker } from '../../src/posting/marker.js';
import { openMemoryStore } from '../../src/store/index.js';
import type { Store } from '../../src/store/types.js';
import { postBriefing } from '../slack/events/posted-briefing.js';
import { seedBriefing } from '../slack/events/seed-briefing.js';
import { recordingLogger } from '../support/bot.js';

interface Posted {
  at: string;
  channel: string;
  text: string;
  ts: string;
  blocks: Array<{ block_id?: string }>;
  metadata?: { event_type: string; event_payload: Record<string, string> };
}

const errors: string[] = [];
const logger = recordingLogger((args) => errors.push(args.join(' ')));

/** Fails like the WebClient does: a platform error carrying Slack's error code. */
function slackError(error: string): Error {
  return Object.assign(new Error(`An API error occurred: ${error}`), {
    code: 'slack_webapi_platform_error',
    data: { ok: false, error },
  });
}

/** A lost answer: the request timed out on the way back, after Slack took the post. */
function requestError(): Error {
  return Object.assign(new Error('A request error occurred: ETIMEDOUT'), {
    code: 'slack_webapi_request_error',
    original: new Error('ETIMEDOUT'),
  });
}

const BOT = { user_id: 'U0BOT', bot_id: 'B0BOT' };

/**
 * `failures` are Slack error codes thrown instead of posting; 'lost-answer' posts, then throws a
 * request error as if the answer never arrived. History lists `posts` (shared between clients, like
 * Slack's channel outlives a process) newest first, as the bot's messages.
 */
function recordingClient(posts: Posted[], failures: string[] = []): WebClient {
  let seq = posts.length;
  return {
    auth: { test: async () => ({ ok: true, ...BOT }) },
    conversations: {
      list: async () => ({ ok: true, channels: [{ id: 'C0DIGEST', name: 'digest', is_member: true }] }),
      history: async (args: { channel: string; oldest?: string }) => ({
        ok: true,
        messages: posts
          .filter((post) => post.channel === args.channel && Number(post.ts) > Number(args.oldest ?? 0))
          .reverse()
          .map((post) => ({
            ts: post.ts,
            user: BOT.user_id,
            bot_id: BOT.bot_id,
            blocks: post.blocks,
            ...(post.metadata ? { metadata: post.metadata } : {}),
          })),
        response_metadata: { next_cursor: '' },
      }),
    },
    chat: {
      postMessage: async (args: Pick<Posted, 'channel' | 'text' | 'blocks' | 'metadata'>) => {
        const failure = failures.shift();
        if (failure && failure !== 'lost-answer') throw slackError(failure);
        seq += 1;
        const ts = `${Math.floor(Date.now() / 1000)}.${String(seq).padStart(6, '0')}`;
        posts.push({
          at: new Date().toISOString(),
          channel: args.channel,
          text: args.text,
          ts,
          blocks: args.blocks,
          ...(args.metadata ? { metadata: args.metadata } : {}),
        });
        if (failure === 'lost-answer') throw requestError();
        return { ok: true, channel: args.channel, ts };
      },
    },
  } as unknown as WebClient;
}

function servicesFor(store: Store, client: WebClient, env: Record<string, string>) {
  const { config, problems } = loadConfig({
    BRIEFING_CHANNEL: 'briefings',
    DIGEST_CHANNEL: 'digest',
    ...env,
  });
  expect(problems).toEqual([]);
  return { config, store, client, logger, now: () => new Date() };
}

async function advanceTo(iso: string): Promise<void> {
  await vi.advanceTimersByTimeAsync(new Date(iso).getTime() - Date.now());
}

beforeEach(() => {
  errors.length = 0;
});

afterEach(() => {
  vi.useRealTimers();
});

/** Runs the job from `start` through `end` and returns when each digest was posted. */
async function postTimes(zone: string, digestTime: string, start: string, end: string): Promise<string[]> {
  vi.useFakeTimers({ now: new Date(start) });
  const store = await openMemoryStore({ now: () => new Date() });
  const posts: Posted[] = [];
  const scheduler = startDigestScheduler(
    servicesFor(store, recordingClient(posts), {
      NEWSROOM_TZ: zone,
      DIGEST_TIME: digestTime,
      DIGEST_SKIP_EMPTY: 'false',
    }),
  );
  await scheduler.caughtUp;
  await advanceTo(end);
  await scheduler.stop();
  return posts.map((post) => post.at);
}

describe('digest scheduler across DST', () => {
  it('posts at 17:00 New York time on both sides of spring forward', async () => {
    expect(
      await postTimes('America/New_York', '17:00', '2026-03-07T12:00:00Z', '2026-03-09T12:00:00Z'),
    ).toEqual([
      '2026-03-07T22:00:00.000Z', // EST, UTC−5
      '2026-03-08T21:00:00.000Z', // EDT, UTC−4
    ]);
  });

  it('posts at 17:00 New York time on both sides of fall back', async () => {
    expect(
      await postTimes('America/New_York', '17:00', '2026-10-31T12:00:00Z', '2026-11-02T12:00:00Z'),
    ).toEqual(['2026-10-31T21:00:00.000Z', '2026-11-01T22:00:00.000Z']);
  });

  it('posts once on the night a time happens twice, and at the end of the gap when it does not exist', async () => {
    // 01:30 on Nov 1, 2026 happens twice in New York; once is enough. Started at 00:00 EDT that night.
    expect(
      await postTimes('America/New_York', '01:30', '2026-11-01T04:00:00Z', '2026-11-02T12:00:00Z'),
    ).toEqual(['2026-11-01T05:30:00.000Z', '2026-11-02T06:30:00.000Z']);
    // 02:30 on Mar 8, 2026 does not exist in New York: the digest goes out at 03:00 EDT.
    expect(
      await postTimes('America/New_York', '02:30', '2026-03-08T05:00:00Z', '2026-03-09T12:00:00Z'),
    ).toEqual(['2026-03-08T07:00:00.000Z', '2026-03-09T06:30:00.000Z']);
  });

  it('follows Santiago, which changes at midnight, in April and September', async () => {
    expect(
      await postTimes('America/Santiago', '17:00', '2026-04-04T12:00:00Z', '2026-04-06T12:00:00Z'),
    ).toEqual([
      '2026-04-04T20:00:00.000Z', // UTC−3
      '2026-04-05T21:00:00.000Z', // UTC−4
    ]);
    expect(
      await postTimes('America/Santiago', '17:00', '2026-09-05T12:00:00Z', '2026-09-07T12:00:00Z'),
    ).toEqual(['2026-09-05T21:00:00.000Z', '2026-09-06T20:00:00.000Z']);
    // A midnight digest on the day midnight does not exist (Sep 6) goes out at 01:00, still Sep 6.
    // Started at noon, the bot first catches up on Sep 5's midnight digest.
    expect(
      await postTimes('America/Santiago', '00:00', '2026-09-05T12:00:00Z', '2026-09-07T12:00:00Z'),
    ).toEqual(['2026-09-05T12:00:00.000Z', '2026-09-06T04:00:00.000Z', '2026-09-07T03:00:00.000Z']);
  });

  it('stays at 23:00 UTC in Mexico City, which has no DST, on the days its neighbours change', async () => {
    expect(
      await postTimes('America/Mexico_City', '17:00', '2026-03-07T12:00:00Z', '2026-03-09T12:00:00Z'),
    ).toEqual(['2026-03-07T23:00:00.000Z', '2026-03-08T23:00:00.000Z']);
    expect(
      await postTimes('America/Mexico_City', '17:00', '2026-10-31T12:00:00Z', '2026-11-02T12:00:00Z'),
    ).toEqual(['2026-10-31T23:00:00.000Z', '2026-11-01T23:00:00.000Z']);
  });
});

describe('exactly one digest per day', () => {
  const env = { NEWSROOM_TZ: 'America/New_York', DIGEST_TIME: '17:00' };

  async function storeWithBriefing(): Promise<Store> {
    const store = await openMemoryStore({ now: () => new Date() });
    const briefing = seedBriefing();
    briefing.date = '2026-03-09';
    await postBriefing(store, briefing, {
      channel: 'C0BRIEFING',
      date: '2026-03-09',
      receivedAt: '2026-03-09T13:00:00.000Z',
      baseTs: 1773061200,
    });
    return store;
  }

  it('catches up once after a restart past the digest time, and posts nothing on later restarts', async () => {
    vi.useFakeTimers({ now: new Date('2026-03-09T22:30:00Z') }); // 18:30 EDT, digest time passed
    const store = await storeWithBriefing();
    const posts: Posted[] = [];
    const client = recordingClient(posts);

    const first = startDigestScheduler(servicesFor(store, client, env));
    expect(await first.caughtUp).toMatchObject({ status: 'posted', date: '2026-03-09', channel: 'C0DIGEST' });
    await first.stop();
    expect(posts).toHaveLength(1);
    expect(posts[0]).toMatchObject({ channel: 'C0DIGEST', at: '2026-03-09T22:30:00.000Z' });
    expect(posts[0]?.text).toContain('Daily digest · Mon, Mar 9, 2026: 1 briefing, 4 sections');
    expect(await store.getDigest('2026-03-09')).toMatchObject({ channel: 'C0DIGEST' });

    await vi.advanceTimersByTimeAsync(10 * 60_000);
    const second = startDigestScheduler(servicesFor(store, client, env));
    expect(await second.caughtUp).toMatchObject({ status: 'already-posted', date: '2026-03-09' });
    // The live job of the restarted bot does not post today's digest again either.
    await advanceTo('2026-03-10T03:59:00Z');
    expect(posts).toHaveLength(1);
    // Tomorrow's digest is a new day (empty: skipped by default).
    await advanceTo('2026-03-10T21:00:01Z');
    await second.stop();
    expect(posts).toHaveLength(1);
  });

  it('does not catch up before the digest time, nor a previous day after midnight', async () => {
    const posts: Posted[] = [];
    vi.useFakeTimers({ now: new Date('2026-03-09T20:59:00Z') }); // 16:59 EDT
    const store = await storeWithBriefing();
    const early = startDigestScheduler(servicesFor(store, recordingClient(posts), env));
    expect(await early.caughtUp).toBeNull();
    await early.stop();

    await advanceTo('2026-03-10T04:30:00Z'); // 00:30 EDT the next day: the 9th's digest was missed
    const late = startDigestScheduler(servicesFor(store, recordingClient(posts), env));
    expect(await late.caughtUp).toBeNull();
    await late.stop();
    expect(posts).toEqual([]);
  });

  it('serialises concurrent runs for the same day into one post', async () => {
    vi.useFakeTimers({ now: new Date('2026-03-09T22:30:00Z') });
    const store = await storeWithBriefing();
    const posts: Posted[] = [];
    const publish = createDigestPublisher(servicesFor(store, recordingClient(posts), env));
    const outcomes = await Promise.all([publish('2026-03-09'), publish('2026-03-09'), publish('2026-03-09')]);
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['posted', 'already-posted', 'already-posted']);
    expect(posts).toHaveLength(1);
  });

  it('skips an empty day by default, and says so in one line with DIGEST_SKIP_EMPTY=false', async () => {
    vi.useFakeTimers({ now: new Date('2026-03-10T22:30:00Z') });
    const store = await storeWithBriefing();
    const posts: Posted[] = [];
    const skip = createDigestPublisher(servicesFor(store, recordingClient(posts), env));
    expect(await skip('2026-03-10')).toEqual({ status: 'skipped-empty', date: '2026-03-10' });
    expect(posts).toEqual([]);

    const say = createDigestPublisher(
      servicesFor(store, recordingClient(posts), { ...env, DIGEST_SKIP_EMPTY: 'false' }),
    );
    expect(await say('2026-03-10')).toMatchObject({ status: 'posted' });
    expect(posts[0]?.text).toBe(
      'No briefings received today (Tue, Mar 10, 2026). Last briefing received <!date^1773061200^{date_short_pretty} at {time}|Mar 9, 2026 at 9:00 AM EDT>.',
    );
  });

  it('rides out a transient Slack fault with the bot’s retry policy', async () => {
    vi.useFakeTimers({ now: new Date('2026-03-09T22:30:00Z') });
    const store = await storeWithBriefing();
    const posts: Posted[] = [];
    const scheduler = startDigestScheduler(
      servicesFor(store, recordingClient(posts, ['service_unavailable']), env),
    );
    await vi.advanceTimersByTimeAsync(1000); // the first backoff
    expect(await scheduler.caughtUp).toMatchObject({ status: 'posted' });
    await scheduler.stop();
    expect(posts.map((post) => post.at)).toEqual(['2026-03-09T22:30:01.000Z']);
    // Recorded as of when its content was collected: the next day's window starts there, so a briefing
    // received while the post was being retried is in tomorrow's digest rather than in neither.
    expect((await store.getDigest('2026-03-09'))?.postedAt).toBe('2026-03-09T22:30:00.000Z');
  });

  it('adopts a digest Slack took but the store never recorded (the process died in between)', async () => {
    vi.useFakeTimers({ now: new Date('2026-03-09T22:30:00Z') });
    const posts: Posted[] = [];
    // The first process posts, then dies before its record reaches the disk: a second process starts
    // on a store without the record, against the same channel.
    await createDigestPublisher(servicesFor(await storeWithBriefing(), recordingClient(posts), env))(
      '2026-03-09',
    );
    expect(posts).toHaveLength(1);
    expect(posts[0]?.metadata).toEqual(postMarker(digestMark('2026-03-09')));

    const store = await storeWithBriefing();
    const restarted = startDigestScheduler(servicesFor(store, recordingClient(posts), env));
    expect(await restarted.caughtUp).toEqual({
      status: 'already-posted',
      date: '2026-03-09',
      channel: 'C0DIGEST',
      ts: posts[0]!.ts,
    });
    await restarted.stop();
    expect(posts).toHaveLength(1);
    expect(await store.getDigest('2026-03-09')).toMatchObject({ channel: 'C0DIGEST', ts: posts[0]!.ts });
  });

  it('a retry after a lost answer finds the digest Slack took instead of posting it twice', async () => {
    vi.useFakeTimers({ now: new Date('2026-03-09T22:30:00Z') });
    const store = await storeWithBriefing();
    const posts: Posted[] = [];
    const scheduler = startDigestScheduler(servicesFor(store, recordingClient(posts, ['lost-answer']), env));
    await vi.advanceTimersByTimeAsync(1000); // the first backoff
    expect(await scheduler.caughtUp).toMatchObject({ status: 'already-posted', ts: posts[0]?.ts });
    await scheduler.stop();
    expect(posts).toHaveLength(1);
    expect((await store.getDigest('2026-03-09'))?.ts).toBe(posts[0]!.ts);
  });

  it('a marked digest of another date is not taken for this one', async () => {
    vi.useFakeTimers({ now: new Date('2026-03-09T22:30:00Z') });
    const posts: Posted[] = [
      {
        at: '2026-03-09T12:00:00.000Z',
        channel: 'C0DIGEST',
        text: 'yesterday’s, posted late',
        ts: '1773057600.000001', // 2026-03-09T12:00Z
        blocks: [],
        metadata: postMarker(digestMark('2026-03-08')),
      },
    ];
    const store = await storeWithBriefing();
    const outcome = await createDigestPublisher(servicesFor(store, recordingClient(posts), env))(
      '2026-03-09',
    );
    expect(outcome).toMatchObject({ status: 'posted' });
    expect(posts).toHaveLength(2);
  });

  it('logs a post Slack refuses, records nothing, and the next start-up posts it', async () => {
    vi.useFakeTimers({ now: new Date('2026-03-09T22:30:00Z') });
    const store = await storeWithBriefing();
    const posts: Posted[] = [];
    const failing = startDigestScheduler(servicesFor(store, recordingClient(posts, ['not_in_channel']), env));
    expect(await failing.caughtUp).toBeNull();
    await failing.stop();
    expect(errors.join('\n')).toContain('digest 2026-03-09: not posted: not_in_channel');
    expect(await store.getDigest('2026-03-09')).toBeUndefined();

    const restarted = startDigestScheduler(servicesFor(store, recordingClient(posts), env));
    expect(await restarted.caughtUp).toMatchObject({ status: 'posted', channel: 'C0DIGEST' });
    await restarted.stop();
    expect(posts).toHaveLength(1);
  });
});
