/**
 * The day's digest with two instances on one PostgreSQL database (two stores, two publishers, one
 * Slack stand-in): asked at the same moment, one posts and the other is told another instance is on
 * it; a claimer that died after Slack took its digest leaves a claim that runs out, after which the
 * survivor finds the post by its marker and records it instead of posting a second.
 */
import { WebClient } from '@slack/web-api';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { createDigestPublisher, digestMark } from '../../src/digest/publish.js';
import { SlackStandIn } from '../../src/local/slack-stand-in.js';
import { postMarker } from '../../src/posting/marker.js';
import { slackClientOptions } from '../../src/slack/api/call.js';
import { openPostgresStore, type PostgresStore } from '../../src/store/postgres/index.js';
import { quietLogger } from '../support/bot.js';
import { type PostgresServer, SKIP_POSTGRES, startPostgres } from '../support/postgres-server.js';

const DATE = '2021-10-07';
const LEASE_MS = 500;

describe.skipIf(SKIP_POSTGRES)('the digest with two instances on one database', () => {
  let server: PostgresServer;
  let standIn: SlackStandIn;
  const stores: PostgresStore[] = [];
  beforeAll(async () => {
    server = await startPostgres();
  });
  afterAll(async () => {
    await server?.stop();
  });
  afterEach(async () => {
    for (const store of stores.splice(0)) await store.close();
    await standIn?.close();
  });

  async function instances() {
    standIn = new SlackStandIn({ rateLimit: null });
    await standIn.listen();
    const { config, problems } = loadConfig({
      SLACK_BOT_TOKEN: standIn.token,
      SLACK_SIGNING_SECRET: 'digest-instances-secret',
      SLACK_API_URL: standIn.apiUrl,
      BRIEFING_CHANNEL: 'briefings',
      NEWSROOM_TZ: 'UTC',
      DIGEST_SKIP_EMPTY: 'false',
      CLAIM_LEASE_MS: String(LEASE_MS),
    });
    expect(problems).toEqual([]);
    const url = await server.newDatabase();
    const client = new WebClient(standIn.token, slackClientOptions(standIn.apiUrl));
    const open = async (instanceId: string) => {
      const store = await openPostgresStore({ url, max: 3 });
      stores.push(store);
      const services = { config, store, client, logger: quietLogger(), now: () => new Date(), instanceId };
      return { store, publish: createDigestPublisher(services) };
    };
    return { a: await open('instance-a'), b: await open('instance-b'), client };
  }

  const digestPosts = () =>
    standIn
      .calls('chat.postMessage')
      .filter(
        (call) =>
          call.ok &&
          (call.args.metadata as { event_payload?: { digest_date?: string } } | undefined)?.event_payload
            ?.digest_date === DATE,
      );

  it('posts once when both instances publish the same day at the same moment', async () => {
    const { a, b } = await instances();
    const outcomes = await Promise.all([a.publish(DATE), b.publish(DATE)]);
    expect(outcomes.map((outcome) => outcome.status).sort()).toEqual(['claimed-elsewhere', 'posted']);
    expect(digestPosts()).toHaveLength(1);
    // Asked again, both see the one on record.
    expect((await a.publish(DATE)).status).toBe('already-posted');
    expect((await b.publish(DATE)).status).toBe('already-posted');
    expect(digestPosts()).toHaveLength(1);
  });

  it('adopts the digest a dead claimer posted once its claim runs out, and posts no second one', async () => {
    const { a, b, client } = await instances();
    // Instance A claimed the day, posted, and died before recording it (its lease is never renewed).
    expect((await a.store.claim('digest', DATE, 'instance-a/digest', LEASE_MS)).ok).toBe(true);
    const channel = standIn.channel('briefings')!.id;
    await client.chat.postMessage({
      channel,
      text: 'Daily digest',
      blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'digest' } }],
      metadata: postMarker(digestMark(DATE)),
    });

    const first = await b.publish(DATE);
    expect(first.status).toBe('claimed-elsewhere');
    if (first.status !== 'claimed-elsewhere') return;
    expect(first.retryInMs).toBeLessThanOrEqual(LEASE_MS + 200);
    await new Promise((resolve) => setTimeout(resolve, first.retryInMs));
    expect(await b.publish(DATE)).toMatchObject({ status: 'already-posted', channel });
    expect(digestPosts()).toHaveLength(1);
    expect((await b.store.getDigest(DATE))?.ts).toBe(
      digestPosts()[0] && standIn.messages('briefings')[0]?.ts,
    );
  });
});
