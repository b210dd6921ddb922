/**
 * The whole bot on DATABASE_URL: the seed briefing mailed in, posted to the Slack stand-in exactly as
 * on lowdb, a redelivery answered as a duplicate, nothing posted again after a restart, and /healthz
 * reading its counts from PostgreSQL.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PostgresServer, SKIP_POSTGRES, startPostgres } from '../support/postgres-server.js';
import { channelView, composeEml, postMail, startHarness } from './harness.js';

const FIXTURE = new URL('../fixtures/seed-posts.json', import.meta.url);

describe.skipIf(SKIP_POSTGRES)('the bot on PostgreSQL', () => {
  let server: PostgresServer;
  beforeAll(async () => {
    server = await startPostgres();
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('posts the seed briefing once, as on lowdb, across a redelivery and a restart', async () => {
    const h = await startHarness({ DATABASE_URL: await server.newDatabase() });
    try {
      const eml = new Uint8Array(await composeEml());
      const reply = await postMail(h.url, eml, 'message/rfc822');
      expect(reply).toMatchObject({ status: 202, json: { status: 'accepted' } });
      await h.bot.services.deliverer.idle();
      const seen = () =>
        channelView(h.standIn).map((m) => ({
          reply: Boolean(m.thread_ts && m.thread_ts !== m.ts),
          text: m.text,
          blocks: m.blocks,
        }));
      expect(seen()).toEqual(JSON.parse(readFileSync(FIXTURE, 'utf8')));

      expect(await postMail(h.url, eml, 'message/rfc822')).toMatchObject({
        status: 200,
        json: { status: 'duplicate', id: reply.json.id },
      });
      await h.bot.stop();
      await h.restart();
      await h.bot.services.deliverer.idle();
      expect(seen()).toHaveLength(1 + Number(reply.json.sections));
      const delivery = await h.bot.services.store.getDelivery(String(reply.json.id));
      expect(delivery?.state).toBe('posted');
      const health = await (await fetch(`${h.url}/healthz`)).json();
      expect(health).toMatchObject({ pendingDeliveries: 0, failedDeliveries: 0 });
    } finally {
      await h.close();
    }
  });
});
