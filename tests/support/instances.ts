/**
 * The two-instance run (issue 13.2/13.5), shared by tests/app/instances.e2e.test.ts (which asserts on
 * it) and the bench (which reports it): two bot processes on one PostgreSQL database and one Slack
 * stand-in, briefings mailed to both by both ways in (the authenticated webhook and Mailgun's signed
 * form), one instance SIGKILLed while it holds a delivery and started again. Everything is counted
 * from outside: the stand-in's call log (what Slack was asked to post, and when) and the database.
 */
import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import postgres from 'postgres';
import { type CallRecord, SlackStandIn } from '../../src/local/slack-stand-in.js';
import { mailgunSignature } from '../../src/mail/mailgun-signature.js';
import { openPostgresStore } from '../../src/store/postgres/index.js';
import { spawnBotProcess } from './bot-process.js';
import { composeEml } from './seed.js';

const BOT = fileURLToPath(new URL('./instance-bot.ts', import.meta.url));
const SECRET = 'instances-webhook-secret';
const MAILGUN_KEY = 'key-instances-0123456789abcdef';

export interface TwoInstanceOptions {
  /** A fresh postgres:// database. */
  databaseUrl: string;
  briefings: number;
  /** The pacing between posts to one channel (Slack's is 1000 ms; tests scale it down). */
  intervalMs: number;
  /** CLAIM_LEASE_MS: how long the killed instance's claims hold. */
  leaseMs: number;
  /** The kill comes once this many posts are in Slack and the victim holds a delivery. */
  killAfterPosts: number;
  /** Gives up (throws) if the deliveries are not all posted by then. */
  settleMs: number;
}

export interface TwoInstanceResult {
  /** Briefings accepted (a webhook 202, or Mailgun's 200), by their number. */
  acked: Map<number, string>;
  /** Accepted briefings not posted in full (their delivery not 'posted', or posts missing). */
  lost: number;
  /** Post keys (briefing|key) Slack was asked to post more than once, with how often. */
  duplicates: [string, number][];
  /** chat.postMessage calls Slack took for briefing posts, and the distinct keys among them. */
  posts: number;
  keys: number;
  /** Recorded post keys that have no post in Slack, or whose post Slack took more than once. */
  unmatched: string[];
  /** The closest two accepted posts to the briefing channel, by the stand-in's clock (ms). */
  minGapMs: number;
  /** Digests for today Slack took, and whether the store has today's on record. */
  digests: number;
  digestRecorded: boolean;
  /** The Mailgun token replayed to the other instance: its HTTP status and whether it was taken. */
  replay: { status: number; accepted: boolean };
  /** The killed instance held a delivery claim when it was killed, and deliveries were left unfinished. */
  heldAtKill: boolean;
  unfinishedAfterKill: number;
  /** From the first mail to the last delivery posted (ms). */
  durationMs: number;
}

interface Instance {
  child: ChildProcess;
  url: string;
}

const body = (n: number) => `---------- Forwarded message ---------

Subject: Instances story ${n} (Oct. 7, 2021)
To: briefings <briefings@example.org>

Peru cabinet reshuffle ${n}

Peruvian President Pedro Castillo named Mirtha Vasquez prime minister yesterday evening, a bid at political stability after ousting her controversial predecessor in the afternoon. (Reuters)

Chile pension reform ${n}

Chilean lawmakers approved a fourth withdrawal from private pension funds yesterday, against the advice of the central bank, which warned of inflation. (La Tercera)
`;

function signedFields(nowMs: number, token = `tok-${Math.random().toString(36).slice(2)}`) {
  const timestamp = String(Math.floor(nowMs / 1000));
  return { timestamp, token, signature: mailgunSignature(MAILGUN_KEY, timestamp, token) };
}

function multipart(parts: { name: string; value: Buffer | string }[]): { body: Buffer; type: string } {
  const boundary = '----briefingbotinstances';
  const chunks: Buffer[] = [];
  for (const part of parts) {
    chunks.push(
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${part.name}"\r\n\r\n`),
      Buffer.from(part.value),
      Buffer.from('\r\n'),
    );
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(chunks), type: `multipart/form-data; boundary=${boundary}` };
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** One bot process on the shared database and the stand-in, configured as `npm start` would be. */
function startInstance(
  standIn: SlackStandIn,
  options: Pick<TwoInstanceOptions, 'databaseUrl' | 'intervalMs' | 'leaseMs'>,
  children: ChildProcess[],
): Promise<Instance> {
  return spawnBotProcess(
    BOT,
    {
      SLACK_BOT_TOKEN: standIn.token,
      SLACK_SIGNING_SECRET: 'instances-signing-secret',
      SLACK_API_URL: standIn.apiUrl,
      BRIEFING_CHANNEL: 'briefings',
      MAIL_WEBHOOK_SECRET: SECRET,
      MAILGUN_SIGNING_KEY: MAILGUN_KEY,
      DATABASE_URL: options.databaseUrl,
      CLAIM_LEASE_MS: String(options.leaseMs),
      TEST_POST_INTERVAL_MS: String(options.intervalMs),
      // Due at once: both instances try today's digest as they start (the catch-up), at the same time.
      NEWSROOM_TZ: 'UTC',
      DIGEST_TIME: '00:00',
      DIGEST_SKIP_EMPTY: 'false',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'error',
    },
    children,
  );
}

/** The marker payload a post or message carries (posting/marker.ts), if any. */
function markOf(posted: Record<string, unknown>): Record<string, unknown> | undefined {
  const metadata = posted.metadata as
    | { event_type?: string; event_payload?: Record<string, unknown> }
    | undefined;
  return metadata?.event_type === 'briefing_bot_post' ? metadata.event_payload : undefined;
}

/** True when a chat.postMessage call (or a stored message) is the digest for `date`, by its marker. */
export function isDigestCall(posted: Record<string, unknown>, date: string): boolean {
  return markOf(posted)?.digest_date === date;
}

export async function runTwoInstances(options: TwoInstanceOptions): Promise<TwoInstanceResult> {
  const standIn = new SlackStandIn({ rateLimit: null });
  await standIn.listen();
  const sql = postgres(options.databaseUrl, { max: 1, onnotice: () => {} });
  const children: ChildProcess[] = [];

  const start = (): Promise<Instance> => startInstance(standIn, options, children);

  /** One briefing into an instance: raw MIME with the webhook secret, or Mailgun's signed form. */
  async function mail(instance: Instance, n: number, fields = signedFields(Date.now())) {
    const eml = await composeEml({
      subject: `Fwd: Instances story ${n} (Oct. 7, 2021)`,
      messageId: `<instances-${n}@mail.example.org>`,
      text: body(n),
    });
    const raw = n % 4 < 2;
    const form = multipart([
      { name: 'body-mime', value: eml },
      { name: 'timestamp', value: fields.timestamp },
      { name: 'token', value: fields.token },
      { name: 'signature', value: fields.signature },
    ]);
    const response = await fetch(`${instance.url}/mail/inbound${raw ? '' : '/mime'}`, {
      method: 'POST',
      body: new Uint8Array(raw ? eml : form.body),
      headers: raw
        ? { 'content-type': 'message/rfc822', authorization: `Bearer ${SECRET}` }
        : { 'content-type': form.type },
    });
    return { status: response.status, json: (await response.json()) as Record<string, unknown> };
  }

  const okPosts = (): CallRecord[] => standIn.calls('chat.postMessage').filter((call) => call.ok);
  const stop = async (instance: Instance) => {
    instance.child.kill('SIGTERM');
    await new Promise((resolve) => instance.child.once('exit', resolve));
  };

  try {
    const startedAt = performance.now();
    // Started together: both reach for today's digest at once.
    const [a, b] = (await Promise.all([start(), start()])) as [Instance, Instance];
    const acked = new Map<number, string>();
    // A few at a time, as a provider sends: the unauthenticated (Mailgun) budget refuses a flood.
    let next = 0;
    const sender = async () => {
      while (next < options.briefings) {
        const n = next++;
        const reply = await mail(n % 2 ? b : a, n);
        // 202 on the webhook, 200 to Mailgun (which retries anything else).
        if (reply.json.status !== 'accepted')
          throw new Error(`briefing ${n}: ${reply.status} ${JSON.stringify(reply.json)}`);
        acked.set(n, String(reply.json.id));
      }
    };
    await Promise.all([sender(), sender()]);
    // A Mailgun token taken by one instance is a replay at the other.
    const fields = signedFields(Date.now());
    const replayed = options.briefings + 1;
    const first = await mail(a, replayed + 2, fields);
    if (first.json.status !== 'accepted') throw new Error(`the token's first use: ${first.status}`);
    acked.set(replayed + 2, String(first.json.id));
    const again = await mail(b, replayed + 6, fields);
    const replay = { status: again.status, accepted: again.json.status === 'accepted' };
    if (replay.accepted) acked.set(replayed + 6, String(again.json.id));

    // SIGKILL the first instance while it holds a delivery, part-way through the posting.
    const deadline = Date.now() + options.settleMs;
    let heldAtKill = false;
    for (;;) {
      const held = await sql`
        select 1 from claims where kind = 'delivery' and owner like ${`%:${a.child.pid}:%`}`;
      heldAtKill = held.length > 0;
      const posts = okPosts().length;
      // Later regardless (the caller asserts heldAtKill last, so a run without claims fails on what it
      // posted instead).
      if ((heldAtKill && posts >= options.killAfterPosts) || posts >= 2 * options.killAfterPosts) break;
      if (Date.now() > deadline) throw new Error('the posting never got under way');
      await pause(5);
    }
    a.child.kill('SIGKILL');
    await new Promise((resolve) => a.child.once('exit', resolve));
    const [left] = await sql<{ n: string }[]>`select count(*) as n from deliveries where state <> 'posted'`;
    const restarted = await start();

    for (;;) {
      const [row] = await sql<{ posted: string; all: string }[]>`
        select count(*) filter (where state = 'posted') as posted, count(*) as all from deliveries`;
      if (Number(row?.all) === acked.size && Number(row?.posted) === acked.size) break;
      if (Date.now() > deadline) throw new Error(`deliveries not all posted: ${JSON.stringify(row)}`);
      await pause(100);
    }
    const durationMs = performance.now() - startedAt;
    await stop(b);
    await stop(restarted);

    const store = await openPostgresStore({ url: options.databaseUrl, max: 2 });
    try {
      const made = new Map<string, number>();
      for (const call of okPosts()) {
        const mark = markOf(call.args);
        // Briefing posts only: the digest carries the same kind of marker, naming its day instead.
        if (typeof mark?.briefing_id !== 'string') continue;
        const key = `${mark.briefing_id}|${mark.post_key}`;
        made.set(key, (made.get(key) ?? 0) + 1);
      }
      let lost = 0;
      const unmatched: string[] = [];
      for (const id of acked.values()) {
        const delivery = await store.getDelivery(id);
        const keys = delivery?.posts.map((post) => post.key).sort() ?? [];
        if (delivery?.state !== 'posted' || keys.join() !== 'card,s0,s1') lost += 1;
        for (const key of keys) if (made.get(`${id}|${key}`) !== 1) unmatched.push(`${id}|${key}`);
      }
      const channel = standIn.channel('briefings')?.id;
      const times = okPosts()
        .filter((call) => call.args.channel === channel)
        .map((call) => call.at)
        .sort((x, y) => x - y);
      const gaps = times.slice(1).map((at, i) => at - times[i]!);
      const today = new Date().toISOString().slice(0, 10);
      const digests = okPosts().filter((call) => isDigestCall(call.args, today)).length;
      return {
        acked,
        lost,
        duplicates: [...made].filter(([, count]) => count > 1),
        posts: [...made.values()].reduce((sum, count) => sum + count, 0),
        keys: made.size,
        unmatched,
        minGapMs: Math.min(...gaps),
        digests,
        digestRecorded: (await store.getDigest(today)) !== undefined,
        replay,
        heldAtKill,
        unfinishedAfterKill: Number(left?.n ?? 0),
        durationMs,
      };
    } finally {
      await store.close();
    }
  } finally {
    for (const child of children)
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await sql.end();
    await standIn.close();
  }
}

export interface DigestTakeoverResult {
  /** The instance holding the day's digest claim when its post was taken and left unanswered. */
  heldAtKill: boolean;
  /** Today's digests in the channel, as a reader sees them, and how often Slack was asked to post one. */
  inChannel: number;
  postCalls: number;
  /** The store's record of today's digest names the one in the channel. */
  recordedTs: string | null;
  channelTs: string | null;
}

/**
 * Two instances start together and both reach for today's digest. Slack takes the claim holder's post
 * and never answers (the stand-in's takeWithoutAnswer), and the holder is SIGKILLed while it waits:
 * the post is in the channel, nothing is on record, and the dead instance's lease still names it. The
 * other instance must take the claim over once the lease runs out, find the post by its marker, and
 * record it rather than post a second digest.
 */
export async function runDigestTakeover(
  options: Pick<TwoInstanceOptions, 'databaseUrl' | 'leaseMs' | 'settleMs'>,
): Promise<DigestTakeoverResult> {
  const standIn = new SlackStandIn({ rateLimit: null });
  await standIn.listen();
  const sql = postgres(options.databaseUrl, { max: 1, onnotice: () => {} });
  const children: ChildProcess[] = [];
  const today = new Date().toISOString().slice(0, 10);
  const isDigest = (method: string, args: Record<string, unknown>) =>
    method === 'chat.postMessage' && isDigestCall(args, today);
  try {
    const taken = standIn.takeWithoutAnswer(isDigest);
    const settings = { ...options, intervalMs: 0 };
    const instances = await Promise.all([
      startInstance(standIn, settings, children),
      startInstance(standIn, settings, children),
    ]);
    await Promise.race([
      taken,
      pause(options.settleMs).then(() => {
        throw new Error('no instance posted the digest');
      }),
    ]);
    const claims = await sql<{ owner: string }[]>`select owner from claims where kind = 'digest'`;
    const holder = instances.find((instance) =>
      claims.some((claim) => claim.owner.includes(`:${instance.child.pid}:`)),
    );
    const victim = holder ?? instances[0];
    victim.child.kill('SIGKILL');
    await new Promise((resolve) => victim.child.once('exit', resolve));

    const deadline = Date.now() + options.settleMs;
    let recorded: { ts: string } | undefined;
    while (!recorded) {
      [recorded] = await sql<{ ts: string }[]>`select ts from digests where date = ${today}`;
      if (recorded) break;
      if (Date.now() > deadline) throw new Error('the surviving instance never recorded the digest');
      await pause(100);
    }
    const survivor = instances.find((instance) => instance !== victim);
    if (survivor) {
      survivor.child.kill('SIGTERM');
      await new Promise((resolve) => survivor.child.once('exit', resolve));
    }
    const channel = standIn.channel('briefings')?.id ?? '';
    const inChannel = standIn
      .messages(channel)
      .filter((message) => isDigestCall(message as unknown as Record<string, unknown>, today));
    return {
      heldAtKill: holder !== undefined,
      inChannel: inChannel.length,
      postCalls: standIn.calls('chat.postMessage').filter((call) => isDigest(call.method, call.args)).length,
      recordedTs: recorded.ts,
      channelTs: inChannel[0]?.ts ?? null,
    };
  } finally {
    for (const child of children)
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await sql.end();
    await standIn.close();
  }
}
