/**
 * One Slack side per process (src/posting/posting.ts): the deliverer and the digest publisher built on
 * the same `posting` ask auth.test once between them and look their shared channel up once, and the
 * marker each posts under names its own kind of post, so neither can adopt the other's.
 */
import { ConsoleLogger, LogLevel } from '@slack/logger';
import { WebClient } from '@slack/web-api';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { createDeliverer } from '../../src/delivery/deliverer.js';
import { createDigestPublisher } from '../../src/digest/publish.js';
import { SlackStandIn } from '../../src/local/slack-stand-in.js';
import { carriesMarker, inPlace, postMarker } from '../../src/posting/marker.js';
import { createPosting } from '../../src/posting/posting.js';
import { slackClientOptions } from '../../src/slack/api/call.js';
import { openMemoryStore } from '../../src/store/index.js';
import { addBriefing, briefing, prose } from '../query/archive.js';

const quiet = new ConsoleLogger();
quiet.setLevel(LogLevel.ERROR);

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()?.();
});

describe('one Slack side shared by the deliverer and the digest', () => {
  it('asks auth.test once and looks the channel up once for both', async () => {
    const standIn = new SlackStandIn({ rateLimit: null });
    const client = new WebClient(standIn.token, slackClientOptions(await standIn.listen()));
    cleanups.push(() => standIn.close());
    const store = await openMemoryStore();
    const { config, problems } = loadConfig({
      SLACK_BOT_TOKEN: standIn.token,
      SLACK_SIGNING_SECRET: 'posting-secret',
      BRIEFING_CHANNEL: 'briefings',
      NEWSROOM_TZ: 'UTC',
    });
    expect(problems).toEqual([]);
    const posting = createPosting({ client, store, logger: quiet, owner: 'test/post', minPostIntervalMs: 0 });
    cleanups.push(async () => posting.stop());
    const deliverer = createDeliverer({
      store,
      client,
      logger: quiet,
      channel: 'briefings',
      layout: 'briefing',
      posting,
      sleep: async () => {},
    });
    cleanups.push(() => deliverer.stop());
    const publish = createDigestPublisher(
      { config, store, client, logger: quiet, now: () => new Date('2021-10-07T22:00:00Z'), posting },
      async () => {},
    );

    const { id } = await addBriefing(
      store,
      briefing('Andes today', '2021-10-07', [prose('Peru', ['PE'], 'News.')]),
      { posted: false },
    );
    deliverer.kick(id);
    await deliverer.idle();
    expect((await store.getDelivery(id))?.state).toBe('posted');
    expect(await publish('2021-10-07')).toMatchObject({ status: 'posted' });

    expect(standIn.callCount('auth.test')).toBe(1);
    expect(standIn.callCount('conversations.list') + standIn.callCount('conversations.info')).toBe(1);
  });
});

describe('the post marker', () => {
  const bot = { userId: 'U_BOT', botId: 'B_BOT' };
  const message = (payload: Record<string, string>, extra: Record<string, string> = {}) => ({
    ts: '2.000000',
    user: 'U_BOT',
    bot_id: 'B_BOT',
    metadata: postMarker(payload),
    ...extra,
  });

  it('is matched on every field it names, so a digest and a briefing post never stand in for each other', () => {
    const card = { briefing_id: 'b1', post_key: 'card' };
    expect(carriesMarker(message(card), card, bot)).toBe(true);
    expect(carriesMarker(message(card), { digest_date: '2021-10-07' }, bot)).toBe(false);
    expect(carriesMarker(message({ digest_date: '2021-10-07' }), card, bot)).toBe(false);
    expect(carriesMarker(message({ ...card, post_key: 's0' }), card, bot)).toBe(false);
    expect(carriesMarker(message(card), { ...card, briefing_id: 'b2' }, bot)).toBe(false);
  });

  it('is ours only when this bot posted it; with no identity, only an app’s message counts', () => {
    const day = { digest_date: '2021-10-07' };
    expect(carriesMarker(message(day, { user: 'U_OTHER', bot_id: 'B_OTHER' }), day, bot)).toBe(false);
    const unknown = { userId: null, botId: null };
    expect(carriesMarker(message(day, { user: 'U_OTHER', bot_id: 'B_OTHER' }), day, unknown)).toBe(true);
    const { bot_id: _, ...byPerson } = message(day, { user: 'U_PERSON' });
    expect(carriesMarker(byPerson, day, unknown)).toBe(false);
  });

  it('places a post in its thread, or at top level', () => {
    expect(inPlace({ ts: '2.0', thread_ts: '1.0' }, '1.0')).toBe(true);
    expect(inPlace({ ts: '1.0', thread_ts: '1.0' }, '1.0')).toBe(false);
    expect(inPlace({ ts: '1.0' }, null)).toBe(true);
    expect(inPlace({ ts: '1.0', thread_ts: '1.0' }, null)).toBe(true);
    expect(inPlace({ ts: '2.0', thread_ts: '1.0' }, null)).toBe(false);
  });
});
