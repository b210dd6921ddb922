/**
 * End to end: mail in over real HTTP → the real Bolt app and mail route → store on disk → posts in the
 * Slack stand-in.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_RETRY_POLICY } from '../../src/slack/api/call.js';
import { until } from '../support/bot.js';
import {
  channelView,
  composeEml,
  type Harness,
  okPosts,
  postMail,
  renderedStrings,
  startHarness,
} from './harness.js';

const FIXTURE = new URL('../fixtures/seed-posts.json', import.meta.url);

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

/** What the desk sees, in channel order: each post's fallback, blocks and whether it is a reply. */
function seen(h: Harness) {
  return channelView(h.standIn).map((m) => ({
    reply: Boolean(m.thread_ts && m.thread_ts !== m.ts),
    text: m.text,
    blocks: m.blocks,
  }));
}

async function deliverSeed(h: Harness, body: BodyInit, type: string | null) {
  const reply = await postMail(h.url, body, type);
  await h.bot.services.deliverer.idle();
  return reply;
}

function multipart(fields: Record<string, string | Buffer>): FormData {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) {
    if (typeof value === 'string') form.append(name, value);
    else form.append(name, new Blob([new Uint8Array(value)]), 'message.eml');
  }
  return form;
}

describe('the seed briefing, end to end', () => {
  it('posts a card and one threaded reply per section, with exactly the expected text', async () => {
    harness = await startHarness();
    const eml = await composeEml();
    const reply = await deliverSeed(harness, new Uint8Array(eml), 'message/rfc822');
    expect(reply.status).toBe(202);
    expect(reply.json).toMatchObject({ status: 'accepted' });

    const posts = seen(harness);
    // Regenerate after a deliberate parser or renderer change with UPDATE_FIXTURES=1, then review the diff.
    if (process.env.UPDATE_FIXTURES === '1') {
      writeFileSync(FIXTURE, `${JSON.stringify(posts, null, 2)}\n`);
    }
    const expected = JSON.parse(readFileSync(FIXTURE, 'utf8'));
    expect(posts).toEqual(expected);
    expect(posts).toHaveLength(1 + Number(reply.json.sections));
    expect(posts[0]?.reply).toBe(false);
    expect(posts.slice(1).every((p) => p.reply)).toBe(true);

    const id = String(reply.json.id);
    const delivery = (await harness.bot.services.store.getDelivery(id))!;
    expect(delivery.state).toBe('posted');
    expect(delivery.posts.every((p) => p.permalink !== null)).toBe(true);
    expect(
      harness.standIn
        .calls('chat.postMessage')
        .every((c) => c.args.unfurl_links === false || c.args.unfurl_links === 'false'),
    ).toBe(true);
  });

  const providers: Array<[string, (eml: Buffer) => { body: BodyInit; type: string | null }]> = [
    [
      'SendGrid raw mode',
      (eml) => ({ body: multipart({ email: eml, to: 'briefings@inbound.example.org' }), type: null }),
    ],
    [
      'Mailgun body-mime',
      (eml) => ({
        body: multipart({ 'body-mime': eml, recipient: 'briefings@inbound.example.org' }),
        type: null,
      }),
    ],
    [
      'Postmark RawEmail',
      (eml) => ({
        body: JSON.stringify({
          RawEmail: eml.toString('utf8'),
          Subject: 'ignored',
          TextBody: 'ignored',
          MessageID: 'pm-1',
        }),
        type: 'application/json',
      }),
    ],
  ];
  for (const [name, encode] of providers) {
    it(`posts the same thing when it arrives as ${name}`, async () => {
      harness = await startHarness();
      const { body, type } = encode(await composeEml());
      const reply = await deliverSeed(harness, body, type);
      // Mailgun and Postmark stop retrying only on 200 (src/mail/answers.ts).
      expect(reply.status).toBe(/Mailgun|Postmark/.test(name) ? 200 : 202);
      expect(seen(harness)).toEqual(JSON.parse(readFileSync(FIXTURE, 'utf8')));
    });
  }

  it('posts each section top-level with THREAD_LAYOUT=sections', async () => {
    harness = await startHarness({ THREAD_LAYOUT: 'sections' });
    const reply = await deliverSeed(harness, new Uint8Array(await composeEml()), 'message/rfc822');
    const top = harness.standIn.messages('briefings');
    expect(top).toHaveLength(1 + Number(reply.json.sections));
    expect(top.every((m) => !m.thread_ts)).toBe(true);
  });
});

describe('exactly once', () => {
  it('posts once for a redelivery and for five concurrent deliveries', async () => {
    harness = await startHarness();
    const eml = new Uint8Array(await composeEml());
    const first = await deliverSeed(harness, eml, 'message/rfc822');
    const again = await deliverSeed(harness, eml, 'message/rfc822');
    expect(again).toMatchObject({ status: 200, json: { status: 'duplicate', id: first.json.id } });

    // A second editor's forward of the same issue is a different email (its own Message-ID) but the
    // same briefing: the inline forward quotes no id of the original, so the text decides.
    const secondForward = new Uint8Array(await composeEml({ messageId: '<second-copy@mail.example.org>' }));
    const forwardedAgain = await deliverSeed(harness, secondForward, 'message/rfc822');
    expect(forwardedAgain).toMatchObject({ status: 200, json: { status: 'duplicate', id: first.json.id } });

    const other = new Uint8Array(readFileSync(new URL('../fixtures/gmail-chile.eml', import.meta.url)));
    const replies = await Promise.all(
      Array.from({ length: 5 }, () => postMail(harness!.url, other, 'message/rfc822')),
    );
    await harness.bot.services.deliverer.idle();
    expect(replies.map((r) => r.status).sort()).toEqual([200, 200, 200, 200, 202]);
    const chileId = replies.find((r) => r.status === 202)!.json.id;
    expect(replies.every((r) => r.json.id === chileId)).toBe(true);

    const posts = (reply: { json: Record<string, unknown> }) => 1 + Number(reply.json.sections);
    expect(harness.standIn.messages('briefings')).toHaveLength(2);
    expect(okPosts(harness.standIn)).toHaveLength(
      posts(first) + posts(replies.find((r) => r.status === 202)!),
    );
  });

  it('resumes after Slack fails mid-briefing and the app restarts: the rest, once, in the same thread', async () => {
    harness = await startHarness({}, { retryPolicy: { ...DEFAULT_RETRY_POLICY, transientRetries: 1 } });
    harness.standIn.failAfter(3, { status: 503 });
    const reply = await deliverSeed(harness, new Uint8Array(await composeEml()), 'message/rfc822');
    expect(reply.status).toBe(202);
    const id = String(reply.json.id);
    expect(await harness.bot.services.store.getDelivery(id)).toMatchObject({
      state: 'pending',
      lastError: 'HTTP 503',
    });
    expect(harness.standIn.messages('briefings')).toHaveLength(1);
    await harness.bot.stop();

    harness.standIn.clearFaults();
    // The new process starts after the scheduled re-attempt is due.
    await harness.restart({ now: () => new Date(Date.now() + 60 * 60_000) });
    await harness.bot.services.deliverer.idle();
    const delivery = (await harness.bot.services.store.getDelivery(id))!;
    expect(delivery.state).toBe('posted');
    const top = harness.standIn.messages('briefings');
    expect(top).toHaveLength(1);
    const thread = harness.standIn.thread('briefings', top[0]!.ts);
    expect(thread).toHaveLength(1 + Number(reply.json.sections));
    expect(seen(harness)).toEqual(JSON.parse(readFileSync(FIXTURE, 'utf8')));
  });

  it('rides out a 429 burst, honouring Retry-After, and posts everything', async () => {
    const waits: number[] = [];
    harness = await startHarness(
      {},
      {
        sleep: (ms) => {
          waits.push(ms);
          // Sleeping a little longer than the stand-in's window clears it; the window is wide enough that
          // even a loaded machine posts 4 messages inside it, so the burst always meets a 429.
          return new Promise((resolve) => setTimeout(resolve, 1600));
        },
      },
    );
    harness.standIn.setRateLimit({ max: 3, windowMs: 1500, retryAfterSec: 2 });
    const reply = await deliverSeed(harness, new Uint8Array(await composeEml()), 'message/rfc822');
    expect(harness.standIn.calls('chat.postMessage').some((c) => c.status === 429)).toBe(true);
    expect(waits.length).toBeGreaterThan(0);
    expect(waits.every((ms) => ms === 2000)).toBe(true);
    expect(okPosts(harness.standIn)).toHaveLength(1 + Number(reply.json.sections));
    expect((await harness.bot.services.store.getDelivery(String(reply.json.id)))?.state).toBe('posted');
  });
});

describe('hostile mail', () => {
  it('cannot make any post mention anyone, link anywhere unvetted, or break entities', async () => {
    harness = await startHarness();
    const nasty = [
      '---------- Forwarded message ---------',
      'From: Evil <evil@example.org>',
      'Subject: <!channel> wake up & <@U123>',
      '',
      'Hello <!channel> and <!here> and <!everyone>. Ask <@U123> or <@W999|boss> in <#C0123|general>.',
      '',
      'Click <https://evil.example/phish|click> or <mailto:x@y.z|mail> & enjoy <b>bold</b> &amp; more.',
      '',
      'Peru <!subteam^S123|@team> news',
      '',
      '  • <!channel> bullet one <https://evil|click>',
      '  • Tom & Jerry > Itchy < Scratchy',
    ].join('\n');
    const reply = await deliverSeed(
      harness,
      new Uint8Array(
        await composeEml({ text: nasty, subject: 'Fwd: <!here> briefing & more', messageId: '<nasty@x>' }),
      ),
      'message/rfc822',
    );
    expect(reply.status).toBe(202);
    const posts = channelView(harness.standIn);
    expect(posts.length).toBeGreaterThan(1);
    for (const post of posts) {
      const { mrkdwn, plain } = renderedStrings(post);
      for (const text of mrkdwn) {
        expect(text).not.toMatch(/<[!@#]/);
        expect(text).not.toMatch(/<mailto:/);
        // The only markup left is vetted http(s) links: without them, no < or > remains.
        expect(text.replace(/<https?:\/\/[^|<>\s]+\|[^<>]*>/g, '')).not.toMatch(/[<>]/);
        // Every & is the start of one of the three entities.
        expect(text.replace(/&(amp|lt|gt);/g, '')).not.toContain('&');
      }
      // Headers: Slack shows plain_text literally and parses nothing in it; no angle brackets either.
      for (const text of plain) expect(text).not.toMatch(/[<>]/);
    }
    for (const post of posts)
      for (const link of renderedStrings(post).links) expect(link.url).toMatch(/^https?:\/\//);
    // Shown as typed, the brackets as look-alikes: literal text, no mention.
    const all = posts.flatMap((post) => renderedStrings(post).plain).join('\n');
    expect(all).toContain('‹!channel›');
    expect(all).toContain('‹@U123›');
    expect(all).toContain('Tom & Jerry');
  });
});

describe('GET /healthz', () => {
  it('reports Slack reachable and deliveries settled, then 503 once a delivery failed', async () => {
    harness = await startHarness();
    // The channel is looked up in the background at start; wait for that rather than race it.
    const h = harness;
    await until(() => h.bot.services.deliverer.channelStatus() === 'ok', 'the channel look-up', 10_000);
    let response = await fetch(`${harness.url}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      ok: true,
      slack: 'ok',
      channel: 'ok',
      pendingDeliveries: 0,
      failedDeliveries: 0,
      lastBriefingAt: null,
      store: 'ok',
    });

    harness.standIn.failAfter(1, 'channel_not_found');
    const reply = await deliverSeed(harness, new Uint8Array(await composeEml()), 'message/rfc822');
    expect(await harness.bot.services.store.getDelivery(String(reply.json.id))).toMatchObject({
      state: 'failed',
      lastError: 'channel_not_found',
    });
    response = await fetch(`${harness.url}/healthz`);
    expect(response.status).toBe(503);
    const body = (await response.json()) as Record<string, unknown>;
    expect(body).toMatchObject({
      ok: false,
      slack: 'ok',
      channel: 'error: channel_not_found',
      pendingDeliveries: 0,
      failedDeliveries: 1,
    });
    expect(typeof body.lastBriefingAt).toBe('string');

    harness.standIn.clearFaults();
    await harness.bot.services.deliverer.retry(String(reply.json.id));
    expect(channelView(harness.standIn)).toHaveLength(1 + Number(reply.json.sections));
  });

  it('says why Slack is unreachable', async () => {
    harness = await startHarness();
    await harness.standIn.down('503');
    const response = await fetch(`${harness.url}/healthz`);
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({ ok: false, slack: 'error: HTTP 503' });
    await harness.standIn.up();
  });
});
