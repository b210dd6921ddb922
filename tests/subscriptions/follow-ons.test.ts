/**
 * Desk posts and follow notices through the deliverer's exactly-once machinery: a post Slack took but
 * the store never recorded (the process died in between) is found and adopted on resume, in the desk
 * channel or the direct message, and both are paced like every other post.
 */
import { ConsoleLogger, LogLevel } from '@slack/logger';
import { WebClient } from '@slack/web-api';
import { afterEach, describe, expect, it } from 'vitest';
import { createDeliverer, type DelivererOptions } from '../../src/delivery/deliverer.js';
import { SlackStandIn } from '../../src/local/slack-stand-in.js';
import { slackClientOptions } from '../../src/slack/api/call.js';
import { openMemoryStore } from '../../src/store/index.js';
import type { Store } from '../../src/store/types.js';
import { planFollowOns } from '../../src/subscriptions/follow-ons.js';
import { addBriefing, briefing, prose } from '../query/archive.js';

const quiet = new ConsoleLogger();
quiet.setLevel(LogLevel.ERROR);

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()?.();
});

const peru = () =>
  briefing('Andes today', '2021-10-07', [
    prose('Peru cabinet', ['PE'], 'Castillo named a new cabinet.'),
    prose('Brazil', ['BR'], 'Lula spoke.'),
  ]);

async function setup() {
  const standIn = new SlackStandIn({ rateLimit: null });
  const client = new WebClient(standIn.token, slackClientOptions(await standIn.listen()));
  cleanups.push(() => standIn.close());
  standIn.addChannel({ name: 'andes', members: ['U_LOCAL', 'U_BOT'] });
  standIn.workspace.addUser({
    id: 'U_REPORTER',
    name: 'reporter',
    realName: 'Reporter',
    isBot: false,
    tz: 'UTC',
  });
  const store = await openMemoryStore();
  await store.follow('U_REPORTER', 'PE');
  const waits: number[] = [];
  const make = (extra: Partial<DelivererOptions> = {}) => {
    const deliverer = createDeliverer({
      store,
      client,
      logger: quiet,
      channel: 'briefings',
      layout: 'briefing',
      minPostIntervalMs: 0,
      sleep: async (ms) => void waits.push(ms),
      followOns: planFollowOns({ fixedDesks: [{ channel: 'andes', countries: ['PE'] }], store }),
      muteFollower: (user, reason) => store.muteFollower(user, reason),
      ...extra,
    });
    cleanups.push(() => deliverer.stop());
    return deliverer;
  };
  return { standIn, store, waits, make };
}

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

describe('desk posts and follow notices, exactly once', () => {
  for (const key of ['desk:andes', 'dm:U_REPORTER']) {
    it(`adopts an unrecorded ${key} post on resume instead of posting it twice`, async () => {
      const { standIn, store, make } = await setup();
      const stored = await addBriefing(store, peru(), { posted: false });
      const first = make({ store: losingRecordOf(store, key) });
      first.kick(stored.id);
      await first.idle();
      await first.stop();
      // What a process killed between Slack's answer and the write leaves.
      await store.updateDelivery(stored.id, { state: 'posting' });
      expect((await store.getDelivery(stored.id))!.posts.map((post) => post.key)).not.toContain(key);

      const second = make();
      await second.resumeAll();
      await second.idle();
      expect((await store.getDelivery(stored.id))!.state).toBe('posted');
      expect((await store.getDelivery(stored.id))!.posts.map((post) => post.key)).toEqual([
        'card',
        's0',
        's1',
        'desk:andes',
        'dm:U_REPORTER',
      ]);
      expect(standIn.messages('andes')).toHaveLength(1);
      expect(standIn.messages('dm-reporter')).toHaveLength(1);
      const recorded = (await store.getDelivery(stored.id))!.posts.find((post) => post.key === key)!;
      const channel = key.startsWith('desk') ? 'andes' : 'dm-reporter';
      expect(recorded.ts).toBe(standIn.messages(channel)[0]!.ts);
    });
  }

  it('paces desk posts and notices like every other post: one wait per post after the first to a channel', async () => {
    const { standIn, store, waits, make } = await setup();
    // Far longer than the test takes, so every post after a channel's first must wait, however loaded the machine.
    const deliverer = make({ minPostIntervalMs: 600_000 });
    for (const day of ['2021-10-07', '2021-10-08']) {
      const stored = await addBriefing(store, { ...peru(), date: day }, { posted: false });
      deliverer.kick(stored.id);
    }
    await deliverer.idle();
    expect(standIn.messages('andes')).toHaveLength(2);
    expect(standIn.messages('dm-reporter')).toHaveLength(2);
    // briefings: 6 posts → 5 waits; andes: 2 → 1; the DM: 2 → 1.
    expect(waits).toHaveLength(7);
    for (const wait of waits) expect(wait).toBeGreaterThan(0);
  });

  it('mutes a follower Slack does not know (user_not_found) and still delivers', async () => {
    const { standIn, store, make } = await setup();
    await store.follow('U_GONE', 'PE');
    const stored = await addBriefing(store, peru(), { posted: false });
    const deliverer = make();
    deliverer.kick(stored.id);
    await deliverer.idle();
    expect((await store.getDelivery(stored.id))!.state).toBe('posted');
    expect(await store.mutedFollower('U_GONE')).toMatchObject({ reason: 'user_not_found' });
    expect([...(await store.followersOf(['PE'])).keys()]).toEqual(['U_REPORTER']);
    expect(standIn.messages('dm-reporter')).toHaveLength(1);
    // Following again resumes the notices.
    await store.follow('U_GONE', 'PE');
    expect(await store.mutedFollower('U_GONE')).toBeNull();
  });
});
