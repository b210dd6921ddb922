/**
 * The digest's window: "received" and "replies" run from the end of the previous digest's window (its
 * postedAt) to when the digest is built, so what arrives after one day's digest is in the next day's.
 */
import type { WebClient } from '@slack/web-api';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { collectDigest, digestWindow } from '../../src/digest/collect.js';
import { digestAsText } from '../../src/digest/render.js';
import { digestInstant } from '../../src/digest/schedule.js';
import { startDigestScheduler } from '../../src/digest/scheduler.js';
import { openMemoryStore } from '../../src/store/index.js';
import type { Store } from '../../src/store/types.js';
import { cardThread, permalinkOf, postBriefing } from '../slack/events/posted-briefing.js';
import { seedBriefing } from '../slack/events/seed-briefing.js';
import { readerText, recordingLogger } from '../support/bot.js';

const CHANNEL = 'C0BRIEFING';
const NY = 'America/New_York';

afterEach(() => {
  vi.useRealTimers();
});

async function add(store: Store, title: string, date: string, receivedAt: string, sections = [1]) {
  const briefing = seedBriefing();
  briefing.subject = `${title} (${date})`;
  briefing.title = title;
  briefing.sections = sections.map((index) => briefing.sections[index]!);
  return postBriefing(store, briefing, {
    channel: CHANNEL,
    date,
    receivedAt,
    baseTs: Date.parse(receivedAt) / 1000,
  });
}

async function digestOn(store: Store, date: string, postedAt: string): Promise<void> {
  await store.recordDigest({
    date,
    channel: 'C0DIGEST',
    ts: `${Date.parse(postedAt) / 1000}.000001`,
    postedAt,
  });
}

async function lateOnes(store: Store, date: string, now: string) {
  return (await collectDigest(store, date, NY, new Date(now))).briefings.map((b) => [
    b.title,
    b.datedOn,
    b.receivedAt,
  ]);
}

describe('the digest posted by the scheduler', () => {
  interface Posted {
    at: string;
    text: string;
    blocks: Array<{ block_id?: string; text?: { text: string } }>;
  }

  /** Answers like Slack for what the publisher calls; records the posts. */
  function recordingClient(posts: Posted[]): WebClient {
    return {
      auth: { test: async () => ({ ok: true, user_id: 'U0BOT', bot_id: 'B0BOT' }) },
      conversations: {
        list: async () => ({ ok: true, channels: [{ id: 'C0DIGEST', name: 'digest', is_member: true }] }),
        history: async () => ({ ok: true, messages: [], response_metadata: { next_cursor: '' } }),
      },
      chat: {
        postMessage: async (args: { text: string; blocks: Posted['blocks'] }) => {
          posts.push({ at: new Date().toISOString(), text: args.text, blocks: args.blocks });
          return { ok: true, channel: 'C0DIGEST', ts: `${Math.floor(Date.now() / 1000)}.${posts.length}` };
        },
      },
    } as unknown as WebClient;
  }

  it('puts a briefing dated D that arrives after D’s digest, and replies posted after it, in D+1’s digest, once', async () => {
    vi.useFakeTimers({ now: new Date('2021-10-07T14:00:00Z') }); // Thu 10:00 EDT
    const store = await openMemoryStore({ now: () => new Date() });
    const morning = await add(store, 'Morning', '2021-10-07', '2021-10-07T13:00:00.000Z', [0]);
    const thread = cardThread(morning, CHANNEL);
    const reply = (iso: string, user: string) =>
      store.recordReply(thread, `${Date.parse(iso) / 1000}.000300`, user, iso);
    await reply('2021-10-07T20:00:00.000Z', 'U1'); // 16:00 EDT: Thursday's

    const posts: Posted[] = [];
    const { config, problems } = loadConfig({
      BRIEFING_CHANNEL: 'briefings',
      DIGEST_CHANNEL: 'digest',
      NEWSROOM_TZ: NY,
      DIGEST_TIME: '17:00',
    });
    expect(problems).toEqual([]);
    const scheduler = startDigestScheduler({
      config,
      store,
      client: recordingClient(posts),
      logger: recordingLogger(() => undefined),
      now: () => new Date(),
    });
    await scheduler.caughtUp;

    await vi.advanceTimersByTimeAsync(Date.parse('2021-10-07T22:00:00Z') - Date.now()); // 18:00 EDT
    expect(posts.map((post) => [post.at, post.text])).toEqual([
      [
        '2021-10-07T21:00:00.000Z',
        'Daily digest · Thu, Oct 7, 2021: 1 briefing, 1 section, 2 countries. Morning',
      ],
    ]);
    expect((await store.getDigest('2021-10-07'))?.postedAt).toBe('2021-10-07T21:00:00.000Z');
    expect(readerText(posts[0]!.blocks)).toContain('Morning>: 1 reply from 1 person');

    // After Thursday's digest: a reply at 18:00 and Thursday's evening briefing at 19:00 EDT.
    await reply('2021-10-07T22:00:00.000Z', 'U2');
    await vi.advanceTimersByTimeAsync(60 * 60_000);
    const evening = await add(store, 'Evening', '2021-10-07', new Date().toISOString());
    expect(evening.stored.receivedAt).toBe('2021-10-07T23:00:00.000Z');

    await vi.advanceTimersByTimeAsync(Date.parse('2021-10-08T21:00:01Z') - Date.now()); // Fri 17:00 EDT
    await scheduler.stop();
    expect(posts).toHaveLength(2);
    const friday = posts[1]!;
    expect(friday.at).toBe('2021-10-08T21:00:00.000Z');
    expect(friday.text).toBe('Daily digest · Fri, Oct 8, 2021: 1 briefing, 1 section, 1 country. Evening');
    expect(readerText(friday.blocks.slice(1, 3))).toBe(
      `*<${permalinkOf(CHANNEL, evening.cardTs)}|Evening>* — Latin America Daily Briefing\n` +
        `1. <${permalinkOf(CHANNEL, evening.sectionTs[0]!, evening.cardTs)}|Peru cabinet reshuffle> — ` +
        'Peruvian President Pedro Castillo named Mirtha Vásquez prime minister yesterday evening, a bid at political stability after ousting her controversial predecessor Guido Bellido in the afternoon.\n' +
        '_(dated Thu, Oct 7, 2021, received <!date^1633647600^{date_short_pretty} at {time}|Oct 7, 2021 at 7:00 PM EDT>)_',
    );
    const fridayJson = readerText(friday.blocks);
    // Listed once: not filed under Friday, so only as the late one.
    expect(fridayJson.split('|Evening>').length - 1).toBe(1);
    // Thursday's 18:00 reply is Friday's discussion; the 16:00 one was Thursday's.
    expect(fridayJson).toContain(
      `• <${permalinkOf(CHANNEL, morning.cardTs)}|Morning (Oct 7, 2021)>: 1 reply from 1 person`,
    );
    expect((await collectDigest(store, '2021-10-08', NY, new Date('2021-10-08T21:00:00Z'))).window).toEqual({
      from: '2021-10-07T21:00:00.000Z',
      to: '2021-10-08T21:00:00.000Z',
    });
  });
});

describe('digestWindow and what falls in it', () => {
  it('starts at local midnight when no digest was recorded, and ends when the digest is built', async () => {
    const store = await openMemoryStore();
    await add(store, 'Wednesday evening', '2021-10-06', '2021-10-06T23:00:00.000Z'); // 19:00 EDT Wed
    await add(store, 'Thursday night', '2021-10-06', '2021-10-07T04:30:00.000Z'); // 00:30 EDT Thu
    await add(store, 'Thursday late', '2021-10-06', '2021-10-07T22:00:00.000Z'); // 18:00 EDT Thu
    expect(await digestWindow(store, '2021-10-07', NY, new Date('2021-10-07T21:00:00Z'))).toEqual({
      from: '2021-10-07T04:00:00.000Z',
      to: '2021-10-07T21:00:00.000Z',
    });
    expect(await lateOnes(store, '2021-10-07', '2021-10-07T21:00:00Z')).toEqual([
      ['Thursday night', '2021-10-06', '2021-10-07T04:30:00.000Z'],
    ]);
    // Asked for later (`digest 2021-10-07` on the command line): still Thursday, to its last instant.
    expect(await digestWindow(store, '2021-10-07', NY, new Date('2026-01-01T00:00:00Z'))).toEqual({
      from: '2021-10-07T04:00:00.000Z',
      to: '2021-10-08T04:00:00.000Z',
    });
    expect((await lateOnes(store, '2021-10-07', '2026-01-01T00:00:00Z')).map(([title]) => title)).toEqual([
      'Thursday night',
      'Thursday late',
    ]);
    // A day that has not begun has an empty window.
    expect(await digestWindow(store, '2021-10-09', NY, new Date('2021-10-07T21:00:00Z'))).toEqual({
      from: '2021-10-09T04:00:00.000Z',
      to: '2021-10-09T04:00:00.000Z',
    });
  });

  it('starts at the previous digest’s postedAt, looking back past skipped days up to a week', async () => {
    const store = await openMemoryStore();
    await add(store, 'Before Tuesday’s digest', '2021-10-05', '2021-10-05T20:59:59.000Z');
    await add(store, 'After Tuesday’s digest', '2021-10-05', '2021-10-05T21:00:00.000Z');
    await add(store, 'Wednesday', '2021-10-05', '2021-10-06T15:00:00.000Z');
    await digestOn(store, '2021-10-05', '2021-10-05T21:00:00.000Z');
    // Wednesday had no digest (skipped, or the bot was down): Thursday's window starts at Tuesday's.
    expect(await digestWindow(store, '2021-10-07', NY, new Date('2021-10-07T21:00:00Z'))).toEqual({
      from: '2021-10-05T21:00:00.000Z',
      to: '2021-10-07T21:00:00.000Z',
    });
    expect((await lateOnes(store, '2021-10-07', '2021-10-07T21:00:00Z')).map(([title]) => title)).toEqual([
      'After Tuesday’s digest',
      'Wednesday',
    ]);
    // Seven days back is the limit: a digest eight days before is not looked for.
    expect((await digestWindow(store, '2021-10-12', NY, new Date('2021-10-12T21:00:00Z'))).from).toBe(
      '2021-10-05T21:00:00.000Z',
    );
    expect((await digestWindow(store, '2021-10-13', NY, new Date('2021-10-13T21:00:00Z'))).from).toBe(
      '2021-10-13T04:00:00.000Z',
    );
  });

  it('starts at the end of the previous digest’s day when that digest was posted after its day', async () => {
    const store = await openMemoryStore();
    await digestOn(store, '2021-10-06', '2021-10-09T12:00:00.000Z'); // `digest 2021-10-06 --post`, late
    expect(await digestWindow(store, '2021-10-07', NY, new Date('2026-01-01T00:00:00Z'))).toEqual({
      from: '2021-10-07T04:00:00.000Z',
      to: '2021-10-08T04:00:00.000Z',
    });
  });

  it('keeps the day’s own briefings whenever received, and lists each briefing once', async () => {
    const store = await openMemoryStore();
    await add(store, 'Early', '2021-10-07', '2021-10-06T12:00:00.000Z'); // before the window
    await add(store, 'Own', '2021-10-07', '2021-10-07T12:00:00.000Z'); // in it, filed under the day
    await add(store, 'Late', '2021-10-06', '2021-10-07T12:30:00.000Z');
    await add(store, 'Tomorrow', '2021-10-08', '2021-10-07T13:00:00.000Z'); // Friday's digest files it
    await digestOn(store, '2021-10-06', '2021-10-06T21:00:00.000Z');
    expect(await lateOnes(store, '2021-10-07', '2021-10-07T21:00:00Z')).toEqual([
      ['Early', null, '2021-10-06T12:00:00.000Z'],
      ['Own', null, '2021-10-07T12:00:00.000Z'],
      ['Late', '2021-10-06', '2021-10-07T12:30:00.000Z'],
    ]);
  });

  it('runs from one 17:00 to the next across both New York DST changes (25 and 23 hours)', async () => {
    const store = await openMemoryStore();
    // Fall back, Sun Nov 7, 2021: Saturday's digest at 17:00 EDT, Sunday's at 17:00 EST.
    const saturday = digestInstant('2021-11-06', '17:00', NY).toISOString();
    const sunday = digestInstant('2021-11-07', '17:00', NY);
    expect([saturday, sunday.toISOString()]).toEqual([
      '2021-11-06T21:00:00.000Z',
      '2021-11-07T22:00:00.000Z',
    ]);
    await digestOn(store, '2021-11-06', saturday);
    await add(store, 'Saturday before', '2021-11-06', '2021-11-06T20:59:00.000Z');
    const first = await add(store, 'Saturday after', '2021-11-06', '2021-11-06T21:30:00.000Z');
    await add(store, 'Sunday 16:59 EST', '2021-11-06', '2021-11-07T21:59:00.000Z');
    await add(store, 'Sunday 17:30 EST', '2021-11-06', '2021-11-07T22:30:00.000Z');
    const thread = cardThread(first, CHANNEL);
    // 01:30 happens twice on Nov 7 (05:30Z EDT, 06:30Z EST): both in Sunday's window; 17:30 EST is Monday's.
    await store.recordReply(thread, '1636263000.000100', 'U1', '2021-11-07T05:30:00.000Z');
    await store.recordReply(thread, '1636266600.000100', 'U2', '2021-11-07T06:30:00.000Z');
    await store.recordReply(thread, '1636306200.000100', 'U3', '2021-11-07T17:30:00.000Z');
    await store.recordReply(thread, '1636324200.000100', 'U4', '2021-11-07T22:30:00.000Z');

    const sundayDigest = await collectDigest(store, '2021-11-07', NY, sunday);
    expect(sundayDigest.window).toEqual({ from: '2021-11-06T21:00:00.000Z', to: '2021-11-07T22:00:00.000Z' });
    expect(sundayDigest.briefings.map((b) => b.title)).toEqual(['Saturday after', 'Sunday 16:59 EST']);
    expect(sundayDigest.threads.map((t) => [t.briefingTitle, t.replies, t.participants])).toEqual([
      ['Saturday after', 3, 3],
    ]);
    expect(digestAsText(sundayDigest)).toContain(
      'Saturday after — Latin America Daily Briefing (https://briefing-newsroom.slack.com/archives/C0BRIEFING/p1636234200000100) (dated Sat, Nov 6, 2021, received Nov 6, 2021 at 5:30 PM EDT)',
    );

    await digestOn(store, '2021-11-07', sunday.toISOString());
    const monday = await collectDigest(store, '2021-11-08', NY, digestInstant('2021-11-08', '17:00', NY));
    expect(monday.window).toEqual({ from: '2021-11-07T22:00:00.000Z', to: '2021-11-08T22:00:00.000Z' });
    expect(monday.briefings.map((b) => [b.title, b.datedOn])).toEqual([['Sunday 17:30 EST', '2021-11-06']]);
    expect(monday.threads.map((t) => [t.briefingTitle, t.replies])).toEqual([['Saturday after', 1]]);

    // Spring forward, Sun Mar 14, 2021: Saturday's digest at 17:00 EST, Sunday's at 17:00 EDT.
    await digestOn(store, '2021-03-13', digestInstant('2021-03-13', '17:00', NY).toISOString());
    expect(await digestWindow(store, '2021-03-14', NY, digestInstant('2021-03-14', '17:00', NY))).toEqual({
      from: '2021-03-13T22:00:00.000Z',
      to: '2021-03-14T21:00:00.000Z',
    });
  });
});
