/**
 * Two bot processes on one PostgreSQL database and one Slack stand-in (issue 13.2/13.5): twenty
 * briefings mailed to both, by both ways in (the authenticated webhook and Mailgun's signed form),
 * one instance SIGKILLed while it holds a delivery and started again. Then, from the stand-in's own
 * call log: every briefing posted (0 lost), every post made once (0 duplicates, counted per briefing
 * and post key from chat.postMessage's metadata), the channel's posts never closer together than the
 * pacing allows, whichever instance made them, and exactly one digest for the day.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import postgres from 'postgres';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { digestMarker } from '../../src/digest/publish.js';
import { type CallRecord, SlackStandIn } from '../../src/local/slack-stand-in.js';
import { openPostgresStore } from '../../src/store/postgres/index.js';
import { MAILGUN_KEY, multipart, signedMailgunFields } from '../mail/helpers.js';
import { type PostgresServer, SKIP_POSTGRES, startPostgres } from '../support/postgres-server.js';
import { composeEml, postMail } from './harness.js';

const BOT = fileURLToPath(new URL('./instance-bot.ts', import.meta.url));
const SECRET = 'instances-webhook-secret';
const BRIEFINGS = 20;
/** Slack's one post per second per channel, scaled down so the test posts sixty in seconds. */
const INTERVAL_MS = 250;
/** A killed instance's claims hold this long before the others take over. */
const LEASE_MS = 2_000;
/** The kill comes once this many posts are in Slack and the victim holds a delivery. */
const KILL_AFTER_POSTS = 12;
const SETTLE_MS = 90_000;

const body = (n: number) => `---------- Forwarded message ---------

Subject: Instances story ${n} (Oct. 7, 2021)
To: briefings <briefings@example.org>

Peru cabinet reshuffle ${n}

Peruvian President Pedro Castillo named Mirtha Vasquez prime minister yesterday evening, a bid at political stability after ousting her controversial predecessor in the afternoon. (Reuters)

Chile pension reform ${n}

Chilean lawmakers approved a fourth withdrawal from private pension funds yesterday, against the advice of the central bank, which warned of inflation. (La Tercera)
`;

interface Instance {
  child: ChildProcess;
  url: string;
}

describe.skipIf(SKIP_POSTGRES)('two bot instances on one PostgreSQL database', () => {
  let server: PostgresServer;
  let standIn: SlackStandIn;
  const children: ChildProcess[] = [];
  beforeAll(async () => {
    server = await startPostgres();
  });
  afterAll(async () => {
    await server?.stop();
  });
  afterEach(async () => {
    for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
    await standIn?.close();
  });

  async function start(databaseUrl: string): Promise<Instance> {
    const child = spawn(process.execPath, ['--import', 'tsx', BOT], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        SLACK_BOT_TOKEN: standIn.token,
        SLACK_SIGNING_SECRET: 'instances-signing-secret',
        SLACK_API_URL: standIn.apiUrl,
        BRIEFING_CHANNEL: 'briefings',
        MAIL_WEBHOOK_SECRET: SECRET,
        MAILGUN_SIGNING_KEY: MAILGUN_KEY,
        DATABASE_URL: databaseUrl,
        CLAIM_LEASE_MS: String(LEASE_MS),
        TEST_POST_INTERVAL_MS: String(INTERVAL_MS),
        // Due at once: both instances try today's digest as they start (the catch-up), at the same time.
        NEWSROOM_TZ: 'UTC',
        DIGEST_TIME: '00:00',
        DIGEST_SKIP_EMPTY: 'false',
        HOST: '127.0.0.1',
        LOG_LEVEL: 'error',
      },
    });
    children.push(child);
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const port = await new Promise<number>((resolve, reject) => {
      child.stdout?.on('data', (chunk: Buffer) => {
        const match = /port (\d+)/.exec(chunk.toString());
        if (match) resolve(Number(match[1]));
      });
      child.once('exit', (code) => reject(new Error(`bot exited (${code}): ${stderr}`)));
    });
    return { child, url: `http://127.0.0.1:${port}` };
  }

  /** One briefing into an instance: raw MIME with the webhook secret, or Mailgun's signed form. */
  async function mail(instance: Instance, n: number, fields = signedMailgunFields(Date.now())) {
    const eml = await composeEml({
      subject: `Fwd: Instances story ${n} (Oct. 7, 2021)`,
      messageId: `<instances-${n}@mail.example.org>`,
      text: body(n),
    });
    if (n % 4 < 2) return postMail(instance.url, new Uint8Array(eml), 'message/rfc822', SECRET);
    const form = multipart([
      { name: 'body-mime', value: eml },
      { name: 'timestamp', value: fields.timestamp },
      { name: 'token', value: fields.token },
      { name: 'signature', value: fields.signature },
    ]);
    const response = await fetch(`${instance.url}/mail/inbound/mime`, {
      method: 'POST',
      body: new Uint8Array(form.body),
      headers: { 'content-type': form.contentType },
    });
    return { status: response.status, json: (await response.json()) as Record<string, unknown> };
  }

  const okPosts = (): CallRecord[] => standIn.calls('chat.postMessage').filter((call) => call.ok);

  it('posts every briefing once, paced per channel, with one digest, across a SIGKILL and restart', {
    timeout: 180_000,
  }, async () => {
    standIn = new SlackStandIn({ rateLimit: null });
    await standIn.listen();
    const databaseUrl = await server.newDatabase();
    const sql = postgres(databaseUrl, { max: 1, onnotice: () => {} });
    try {
      // Started together: both reach for today's digest at once.
      const [a, b] = await Promise.all([start(databaseUrl), start(databaseUrl)]);
      const instances = [a!, b!];

      const acked = new Map<number, string>();
      // A few at a time, as a provider sends: the unauthenticated (Mailgun) budget refuses a flood.
      let next = 0;
      const sender = async () => {
        while (next < BRIEFINGS) {
          const n = next++;
          const reply = await mail(instances[n % 2]!, n);
          // 202 on the webhook, 200 to Mailgun (which retries anything else).
          expect(reply.json.status, `briefing ${n}: ${reply.status} ${JSON.stringify(reply.json)}`).toBe(
            'accepted',
          );
          acked.set(n, String(reply.json.id));
        }
      };
      await Promise.all([sender(), sender()]);
      // A Mailgun token taken by one instance is a replay at the other.
      const fields = signedMailgunFields(Date.now());
      expect((await mail(a!, 102, fields)).json.status).toBe('accepted');
      const replay = await mail(b!, 106, fields);
      expect(replay.status).toBeGreaterThanOrEqual(400);
      expect(replay.json.status).toBeUndefined();

      // SIGKILL the first instance while it holds a delivery, part-way through the posting.
      const victim = a!.child;
      const deadline = Date.now() + SETTLE_MS;
      let heldAtKill = false;
      for (;;) {
        const held = await sql`
          select 1 from claims where kind = 'delivery' and owner like ${`%:${victim.pid}:%`}`;
        heldAtKill = held.length > 0;
        const posts = okPosts().length;
        // Later regardless (asserted last, so a run without claims fails on what it posted instead).
        if ((heldAtKill && posts >= KILL_AFTER_POSTS) || posts >= 2 * KILL_AFTER_POSTS) break;
        if (Date.now() > deadline) throw new Error('the posting never got under way');
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      victim.kill('SIGKILL');
      await new Promise((resolve) => victim.once('exit', resolve));
      const [left] = await sql<{ n: string }[]>`select count(*) as n from deliveries where state <> 'posted'`;
      expect(Number(left?.n)).toBeGreaterThan(0);
      const restarted = await start(databaseUrl);

      for (;;) {
        const [row] = await sql<{ posted: string; all: string }[]>`
          select count(*) filter (where state = 'posted') as posted, count(*) as all from deliveries`;
        if (Number(row?.posted) === BRIEFINGS + 1 && Number(row?.all) === BRIEFINGS + 1) break;
        if (Date.now() > deadline) throw new Error(`deliveries not all posted: ${JSON.stringify(row)}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      for (const instance of [b!, restarted]) {
        instance.child.kill('SIGTERM');
        await new Promise((resolve) => instance.child.once('exit', resolve));
      }

      const store = await openPostgresStore({ url: databaseUrl, max: 2 });
      try {
        // 0 lost: every acknowledged briefing is stored and every one of its posts recorded.
        const recorded = new Set<string>();
        for (const [n, id] of acked) {
          const delivery = await store.getDelivery(id);
          expect(delivery?.state, `briefing ${n}`).toBe('posted');
          expect(delivery?.posts.map((post) => post.key).sort(), `briefing ${n}`).toEqual([
            'card',
            's0',
            's1',
          ]);
          for (const post of delivery!.posts) recorded.add(`${id}|${post.key}`);
        }

        // 0 duplicates: each post key of each briefing went to Slack once, whichever instance posted it.
        const made = new Map<string, number>();
        for (const call of okPosts()) {
          const metadata = call.args.metadata as
            | { event_type?: string; event_payload?: { briefing_id?: string; post_key?: string } }
            | undefined;
          if (metadata?.event_type !== 'briefing_bot_post') continue;
          const key = `${metadata.event_payload?.briefing_id}|${metadata.event_payload?.post_key}`;
          made.set(key, (made.get(key) ?? 0) + 1);
        }
        const twice = [...made].filter(([, count]) => count > 1);
        expect(twice, 'posts made more than once').toEqual([]);
        for (const key of recorded) expect(made.get(key), key).toBe(1);

        // Pacing across instances: the channel's accepted posts, by Slack's clock, never too close.
        const channel = standIn.channel('briefings')!.id;
        const times = okPosts()
          .filter((call) => call.args.channel === channel)
          .map((call) => call.at)
          .sort((x, y) => x - y);
        const gaps = times.slice(1).map((at, i) => at - times[i]!);
        expect(Math.min(...gaps)).toBeGreaterThanOrEqual(INTERVAL_MS - 1);

        // One digest for the day, the one on record.
        const today = new Date().toISOString().slice(0, 10);
        const digests = okPosts().filter(
          (call) =>
            (call.args.blocks as { block_id?: string }[] | undefined)?.[0]?.block_id === digestMarker(today),
        );
        expect(digests).toHaveLength(1);
        expect((await store.getDigest(today))?.ts).toBeDefined();
        expect(heldAtKill, 'the killed instance held a delivery').toBe(true);
        process.stdout.write(
          `two instances: ${acked.size} briefings, ${made.size} posts, 0 lost, ${twice.length} duplicates, ` +
            `closest posts ${Math.min(...gaps)} ms apart (interval ${INTERVAL_MS}), ${digests.length} digest\n`,
        );
      } finally {
        await store.close();
      }
    } finally {
      await sql.end();
    }
  });
});
