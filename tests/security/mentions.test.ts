/**
 * Issue 11 items 10 and 11: mention answers. A mention whose answer could not be posted is answered
 * when Slack delivers it again (it is marked seen only once answered), the waits and retries are the
 * injected ones, and work in flight is bounded (the queue drops what is past its cap, with a log line).
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Bot } from '../../src/app.js';
import { SlackStandIn } from '../../src/local/slack-stand-in.js';
import type { RetryPolicy } from '../../src/slack/api/call.js';
import { WorkQueue } from '../../src/slack/events/work-queue.js';
import { openMemoryStore } from '../../src/store/index.js';
import { recordingLogger, standInConfig, startBotOnLoopback, until } from '../support/bot.js';
import { ingestSeed } from '../support/seed.js';

const SECRET = 'mentions-security-secret';
const POLICY: RetryPolicy = {
  transientRetries: 2,
  baseDelayMs: 1000,
  maxDelayMs: 4000,
  rateLimitWaits: 2,
  maxRetryAfterMs: 5000,
};

let running: { bot: Bot; standIn: SlackStandIn } | null = null;
afterEach(async () => {
  await running?.bot.stop();
  await running?.standIn.close();
  running = null;
});

describe('11.11 a mention is marked seen when it is answered', () => {
  it('an answer that failed after its retries is given when Slack redelivers the event', async () => {
    const now = () => new Date('2021-10-07T14:00:00Z');
    const standIn = new SlackStandIn({ now: () => now().getTime() });
    const config = standInConfig(await standIn.listen(), standIn.token, { SLACK_SIGNING_SECRET: SECRET });
    const slept: number[] = [];
    const errors: string[] = [];
    const { bot, url } = await startBotOnLoopback(config, {
      store: await openMemoryStore({ now }),
      now,
      logger: recordingLogger((args) => errors.push(args.map(String).join(' '))),
      minPostIntervalMs: 0,
      sleep: async (ms) => {
        slept.push(ms);
      },
      retryPolicy: POLICY,
    });
    running = { bot, standIn };
    const { posts } = await ingestSeed(bot);
    const card = posts.find((post) => post.key === 'card')!;
    const boltUrl = `${url}/slack/events`;
    const mention = {
      type: 'app_mention',
      channel: card.channel,
      user: 'U_ANA',
      text: '<@U_BOT> sources 1',
      ts: '1633615300.000100',
      event_ts: '1633615300.000100',
      thread_ts: card.ts,
    };
    const answers = () =>
      standIn.workspace.thread(card.channel, card.ts).filter((m) => m.bot_id !== undefined);
    const before = answers().length;

    // Every try fails: the first post and its two retries, with the injected backoff in between.
    standIn.failNext(3, { status: 503 }, 'chat.postMessage');
    await standIn.sendEvent(boltUrl, SECRET, mention, { eventId: 'Ev0FAILED01' });
    await until(
      () => errors.some((line) => line.includes('mention Ev0FAILED01 failed')),
      'the failure',
      5000,
    );
    expect(slept).toEqual([1000, 2000]);
    expect(answers()).toHaveLength(before);

    await standIn.sendEvent(boltUrl, SECRET, mention, { eventId: 'Ev0FAILED01', retryNum: 1 });
    await until(() => answers().length > before, 'the answer', 5000);
    // And once answered, a further redelivery is not answered again.
    await standIn.sendEvent(boltUrl, SECRET, mention, { eventId: 'Ev0FAILED01', retryNum: 2 });
    await standIn.sendEvent(
      boltUrl,
      SECRET,
      { ...mention, text: '<@U_BOT> help' },
      { eventId: 'Ev0LATER001' },
    );
    await until(() => answers().length > before + 1, 'the later answer', 5000);
    const sourcesAnswers = answers().filter((m) => (m.text ?? '').startsWith('Sources and links'));
    expect(sourcesAnswers).toHaveLength(1);
  });
});

describe('11.10 bounded work in flight', () => {
  it('queues up to its capacity, drops the rest with a log line, and runs everything it accepted', async () => {
    const warnings: string[] = [];
    const queue = new WorkQueue({
      capacity: 3,
      concurrency: 1,
      logger: { warn: (line: string) => warnings.push(line), error: () => {} },
      name: 'mention',
    });
    const release: Array<() => void> = [];
    const done: string[] = [];
    const job = (label: string) => () =>
      new Promise<void>((resolve) => {
        release.push(() => {
          done.push(label);
          resolve();
        });
      });
    const accepted = ['a', 'b', 'c', 'd', 'e'].map((label) => queue.push(label, job(label)));
    expect(accepted).toEqual([true, true, true, false, false]);
    expect(queue.size).toBe(3);
    expect(queue.dropped).toBe(2);
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toMatch(/mention d dropped: 3 already waiting/);
    while (done.length < 3) {
      await until(() => release.length > 0, 'the next job', 5000);
      release.shift()!();
    }
    await queue.idle();
    expect(done).toEqual(['a', 'b', 'c']);
    expect(queue.push('f', async () => {})).toBe(true);
    await queue.idle();
  });
});
