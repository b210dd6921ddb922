/**
 * The deliverer with two instances on one PostgreSQL database (two stores, two deliverers, one Slack
 * stand-in): kicked together for the same briefing, each post is made once; and the fence — an
 * instance whose claim passed to another (its lease ran out while it could not renew) stops before
 * its next post, writes nothing, and the instance that holds the claim finishes the briefing.
 */
import { ConsoleLogger, LogLevel } from '@slack/logger';
import { WebClient } from '@slack/web-api';
import postgres from 'postgres';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createDeliverer } from '../../src/delivery/deliverer.js';
import { SlackStandIn } from '../../src/local/slack-stand-in.js';
import { createLeases } from '../../src/posting/leases.js';
import { slackClientOptions } from '../../src/slack/api/call.js';
import { openPostgresStore, type PostgresStore } from '../../src/store/postgres/index.js';
import type { Store } from '../../src/store/types.js';
import { newBriefing } from '../store/helpers.js';
import { type PostgresServer, SKIP_POSTGRES, startPostgres } from '../support/postgres-server.js';

const quiet = new ConsoleLogger();
quiet.setLevel(LogLevel.ERROR);

describe.skipIf(SKIP_POSTGRES)('deliveries with two instances on one database', () => {
  let server: PostgresServer;
  const cleanups: Array<() => Promise<unknown>> = [];
  beforeAll(async () => {
    server = await startPostgres();
  });
  afterAll(async () => {
    await server?.stop();
  });
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function setup() {
    const standIn = new SlackStandIn({ rateLimit: null });
    const client = new WebClient(standIn.token, slackClientOptions(await standIn.listen()));
    cleanups.push(() => standIn.close());
    const url = await server.newDatabase();
    const open = async () => {
      const store = await openPostgresStore({ url, max: 3 });
      cleanups.push(() => store.close());
      return store;
    };
    const deliverer = (store: Store, owner: string) => {
      const made = createDeliverer({
        store,
        client,
        logger: quiet,
        channel: 'briefings',
        layout: 'briefing',
        minPostIntervalMs: 0,
        leases: createLeases({ store, owner, leaseMs: 10_000 }),
      });
      cleanups.push(() => made.stop());
      return made;
    };
    const keysPosted = () =>
      standIn
        .calls('chat.postMessage')
        .filter((call) => call.ok)
        .map(
          (call) => (call.args.metadata as { event_payload: { post_key: string } }).event_payload.post_key,
        );
    return { standIn, url, open, deliverer, keysPosted };
  }

  it('posts each post once when both instances are kicked for the same briefing at once', async () => {
    const { open, deliverer, keysPosted } = await setup();
    const [a, b] = [await open(), await open()];
    const { briefing } = await a.addBriefing(newBriefing('2021-10-07'));
    const [one, two] = [deliverer(a, 'A'), deliverer(b, 'B')];
    one.kick(briefing.id);
    two.kick(briefing.id);
    // The refused one only schedules a look for when the holder's lease would end (idle() does not wait).
    await Promise.all([one.idle(), two.idle()]);
    expect((await a.getDelivery(briefing.id))?.state).toBe('posted');
    expect(keysPosted().sort()).toEqual(['card', 's0', 's1', 's2']);
  });

  it('stops an instance whose claim passed to another before its next post, and the holder finishes', async () => {
    const { url, open, deliverer, keysPosted } = await setup();
    const store: PostgresStore = await open();
    const { briefing } = await store.addBriefing(newBriefing('2021-10-07'));
    const sql = postgres(url, { max: 1, onnotice: () => {} });
    cleanups.push(() => sql.end());
    // Once the card is recorded, the claim is another instance's (as if A's lease had run out).
    let stolen = false;
    const hooked = new Proxy(store, {
      get(target, name) {
        const value = Reflect.get(target, name, target);
        if (name === 'recordPost') {
          return async (...args: Parameters<Store['recordPost']>) => {
            await target.recordPost(...args);
            if (stolen) return;
            stolen = true;
            await sql`update claims set owner = 'B' where kind = 'delivery' and name = ${briefing.id}`;
          };
        }
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    const first = deliverer(hooked, 'A');
    first.kick(briefing.id);
    await first.idle();
    // A stopped at the fence: the card only, and the delivery left as it was for the holder.
    expect(keysPosted()).toEqual(['card']);
    const left = await store.getDelivery(briefing.id);
    expect(left?.state).toBe('posting');
    expect(left?.posts.map((post) => post.key)).toEqual(['card']);
    await first.stop();

    // B holds the claim (its instance resumes it); it posts the rest under the recorded card.
    const second = deliverer(await open(), 'B');
    await second.resumeAll();
    await second.idle();
    expect(keysPosted()).toEqual(['card', 's0', 's1', 's2']);
    const done = await store.getDelivery(briefing.id);
    expect(done?.state).toBe('posted');
    const card = done!.posts.find((post) => post.key === 'card')!;
    expect(done!.posts.filter((post) => post.key !== 'card').every((post) => post.threadTs === card.ts)).toBe(
      true,
    );
  });
});
