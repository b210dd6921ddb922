import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Config, loadConfig } from '../../src/config.js';
import {
  type LocalWorkspace,
  localBanner,
  startFailureMessage,
  startLocalWorkspace,
} from '../../src/local/index.js';
import { looksLikeMime, wrapAsEmail } from '../../src/local/mail-forward.js';
import { LOCAL_API_HEADER, toSlackText } from '../../src/local/routes.js';

const SEED = await readFile(new URL('../fixtures/seed-briefing.txt', import.meta.url), 'utf8');

// biome-ignore lint/suspicious/noExplicitAny: the tests read the API's JSON answers field by field.
type Json = any;

let dataDir: string;
let config: Config;
let local: LocalWorkspace;

async function get(path: string): Promise<{ status: number; body: Json; headers: Headers }> {
  const response = await fetch(new URL(path, local.url), { redirect: 'manual' });
  const text = await response.text();
  return {
    status: response.status,
    body: text.startsWith('{') ? JSON.parse(text) : text,
    headers: response.headers,
  };
}

async function post(
  path: string,
  body: unknown,
  contentType = 'application/json',
): Promise<{ status: number; body: Json }> {
  const response = await fetch(new URL(path, local.url), {
    method: 'POST',
    headers: { 'content-type': contentType, [LOCAL_API_HEADER]: '1' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: response.status, body: await response.json() };
}

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'briefing-local-api-'));
  const loaded = loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'error' });
  expect(loaded.problems).toEqual([]);
  config = { ...loaded.config, port: 0 };
  local = await startLocalWorkspace({ config });
});

afterAll(async () => {
  await local?.stop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe('local mode start-up', () => {
  it('runs the real bot on loopback with a generated signing secret and mail secret', async () => {
    expect(local.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(local.bot.services.config).toMatchObject({
      mode: 'local',
      slackBotToken: local.standIn.token,
      slackApiUrl: local.standIn.apiUrl,
      mailWebhookSecret: local.mailSecret,
    });
    expect(local.mailSecretGenerated).toBe(true);
    expect(local.signingSecret.length).toBeGreaterThanOrEqual(40);
    const banner = localBanner(local);
    expect(banner).toContain('NOT connected to Slack');
    expect(banner).toContain(local.url);
    expect(banner).toContain('Connect to Slack');
    expect(banner).not.toContain(local.mailSecret);
    expect(banner).not.toContain('WARNING');
    expect(localBanner({ ...local, url: 'http://192.168.1.20:3000/' })).toContain(
      'WARNING: HOST=192.168.1.20',
    );
  });

  it('serves the page with a strict content security policy and reports its state', async () => {
    const page = await get('/');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(page.body).toContain('not Slack');
    const state = await get('/local/api/state');
    expect(state.body).toMatchObject({ connected: false, briefings: 0, briefingChannel: 'briefings' });
  });

  it('refuses cross-site POSTs (no custom header) and foreign Host names (DNS rebinding)', async () => {
    const csrf = await fetch(new URL('/local/api/sample', local.url), {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
    });
    expect(csrf.status).toBe(403);
    expect((await csrf.json()).error).toContain(LOCAL_API_HEADER);
    const { request } = await import('node:http');
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(
        new URL('/local/api/state', local.url),
        { headers: { host: 'rebound.example:80' } },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      req.end();
    });
    expect(status).toBe(403);
    expect((await get('/local/api/state')).body.briefings).toBe(0);
  });

  it('has no digest to post before the first briefing', async () => {
    const state = await get('/local/api/state');
    expect(state.body).toMatchObject({
      digestChannel: 'digest',
      digest: { time: config.digestTime, timeZone: config.newsroomTz, latestDate: null },
    });
    const refused = await post('/local/api/digest', {});
    expect(refused.status).toBe(409);
    expect(refused.body.error).toContain('No briefings stored yet');
  });

  it('leaves the mail webhook locked: only the page, which holds the secret, gets through', async () => {
    const response = await fetch(new URL('/mail/inbound', local.url), {
      method: 'POST',
      headers: { 'content-type': 'message/rfc822' },
      body: wrapAsEmail(SEED),
    });
    expect(response.status).toBe(401);
    const bolt = await fetch(local.eventsUrl, { method: 'POST', body: 'command=/briefing' });
    expect(bolt.status).toBe(401);
  });
});

describe('the page API drives the production path', () => {
  let cardTs: string;

  it('takes pasted text through the real mail webhook and posts it', async () => {
    const accepted = await post('/local/api/mail', SEED, 'text/plain; charset=utf-8');
    expect(accepted.body.status).toBe(202);
    expect(accepted.body.body).toMatchObject({ status: 'accepted', sections: expect.any(Number) });
    await local.bot.services.deliverer.idle();
    const again = await post('/local/api/mail', SEED, 'text/plain; charset=utf-8');
    expect(again.body).toMatchObject({ status: 200, body: { status: 'duplicate' } });

    const messages = await get('/local/api/messages?channel=briefings');
    expect(messages.body.messages).toHaveLength(1);
    const [card] = messages.body.messages;
    expect(card).toMatchObject({
      user: 'U_BOT',
      user_name: 'briefing-bot',
      is_bot: true,
      thread_ts: card.ts,
    });
    expect(card.reply_count).toBeGreaterThanOrEqual(accepted.body.body.sections);
    cardTs = card.ts;
    const thread = await get(`/local/api/thread?ts=${cardTs}`);
    expect(thread.body.messages).toHaveLength(card.reply_count + 1);
    expect(thread.body.messages[0].ts).toBe(cardTs);
    expect((await get('/local/api/thread?ts=1.000001')).status).toBe(404);
  });

  it('runs a slash command and returns every answer', async () => {
    const result = await post('/local/api/command', { command: '/briefing', text: '2021-10-07' });
    expect(result.body.status).toBe(200);
    expect(result.body.responses.length).toBeGreaterThanOrEqual(1);
    expect(result.body.responses[0].response_type).toBe('ephemeral');
    expect(JSON.stringify(result.body.responses[0].blocks)).toContain('Peru cabinet reshuffle');
    const messages = await get('/local/api/messages?channel=briefings');
    expect(messages.body.ephemerals.at(-1)).toMatchObject({
      ephemeral: true,
      text: result.body.responses[0].text,
    });
    expect((await post('/local/api/command', { command: 'briefing' })).status).toBe(400);
  });

  it('refuses a slash command the app did not install, as Slack does, without asking the bot', async () => {
    const before = local.standIn.ephemerals('U_LOCAL').length;
    const refused = await post('/local/api/command', { command: '/weather', text: 'Lima' });
    expect(refused.status).toBe(400);
    expect(refused.body.error).toContain('/weather is not a valid command');
    expect(refused.body.error).toContain('/briefing, /country and /desk');
    expect(local.standIn.ephemerals('U_LOCAL')).toHaveLength(before);
    expect((await get('/local/api/state')).body.commands).toEqual(['/briefing', '/country', '/desk']);
  });

  it('refuses a pasted email without text through the real webhook, with its reason', async () => {
    const refused = await post('/local/api/mail', 'Subject: x\nFrom: a@b.c\n\n', 'text/plain');
    expect(refused.status).toBe(200);
    expect(refused.body).toMatchObject({ status: 400, body: { error: 'bad_request' } });
    expect(refused.body.body.detail).toMatch(/no text/);
    expect((await post('/local/api/mail', '  \n ', 'text/plain')).status).toBe(400);
  });

  it('delivers a thread reply with a mention as message + app_mention, and the bot answers in the thread', async () => {
    const reply = await post('/local/api/reply', {
      thread_ts: cardTs,
      text: '@briefing-bot sources <please>',
    });
    expect(reply.body.events).toEqual([
      { type: 'message', status: 200 },
      { type: 'app_mention', status: 200 },
    ]);
    const stored = local.standIn.workspace.findMessage('briefings', reply.body.ts);
    expect(stored?.text).toBe('<@U_BOT> sources &lt;please&gt;');
    await expect
      .poll(async () => (await get(`/local/api/thread?ts=${cardTs}`)).body.messages.at(-1)?.user, {
        timeout: 10_000,
      })
      .toBe('U_BOT');
  });

  it('clicks a button of an ephemeral answer', async () => {
    const answer = await post('/local/api/command', { command: '/country', text: 'Peru' });
    const ephemeral = local.standIn.ephemerals('U_LOCAL').at(-1)!;
    const button = JSON.stringify(ephemeral.blocks).match(/"action_id":"([^"]+)"/)?.[1];
    expect(button, JSON.stringify(answer.body)).toBeDefined();
    const before = local.standIn.messages('briefings').length;
    const click = await post('/local/api/action', { ephemeral_ts: ephemeral.ts, action_id: button });
    expect(click.body.status).toBe(200);
    expect(click.body.responses.length).toBeGreaterThanOrEqual(1);
    expect(
      local.standIn.messages('briefings').length + local.standIn.ephemerals('U_LOCAL').length,
    ).toBeGreaterThan(before);
    expect(
      (await post('/local/api/action', { message_ts: cardTs, action_id: 'no-such-button' })).status,
    ).toBe(404);
  });

  it('posts the digest on request, once per day, through the bot’s client (the CLI cannot while it runs)', async () => {
    expect((await get('/local/api/state')).body.digest.latestDate).toBe('2021-10-07');
    const first = await post('/local/api/digest', {});
    expect(first.status).toBe(200);
    expect(first.body.outcome).toMatchObject({
      status: 'posted',
      date: '2021-10-07',
      channel: local.standIn.channel('digest')?.id,
    });
    const [digest] = local.standIn.messages('digest');
    expect(digest?.ts).toBe(first.body.outcome.ts);
    expect(digest?.bot_id).toBe('B_BOT');
    expect(JSON.stringify(digest?.blocks)).toContain('Peru cabinet reshuffle');
    expect((await local.bot.services.store.getDigest('2021-10-07'))?.ts).toBe(digest?.ts);

    // A bare POST (curl -X POST, no body) asks for the same day.
    const bare = await fetch(new URL('/local/api/digest', local.url), {
      method: 'POST',
      headers: { [LOCAL_API_HEADER]: '1' },
    });
    expect((await bare.json()).outcome).toMatchObject({ status: 'already-posted', date: '2021-10-07' });
    const again = await post('/local/api/digest', { date: 'Oct 7, 2021' });
    expect(again.body.outcome).toMatchObject({ status: 'already-posted', ts: digest?.ts });
    const empty = await post('/local/api/digest', { date: '2021-10-06' });
    expect(empty.body.outcome).toEqual({ status: 'skipped-empty', date: '2021-10-06' });
    expect(local.standIn.messages('digest')).toHaveLength(1);
    expect((await post('/local/api/digest', { date: 'the day after never' })).status).toBe(400);
  });

  it('dismisses an "Only visible to you" answer for its user only', async () => {
    const [first] = local.standIn.ephemerals('U_LOCAL');
    const count = local.standIn.ephemerals('U_LOCAL').length;
    const version = (await get('/local/api/state')).body.version;
    expect((await post('/local/api/dismiss', { ephemeral_ts: first!.ts, user: 'U_BOT' })).status).toBe(404);
    expect((await post('/local/api/dismiss', { ephemeral_ts: first!.ts })).body).toEqual({ ok: true });
    expect(local.standIn.ephemerals('U_LOCAL')).toHaveLength(count - 1);
    expect(local.standIn.ephemerals('U_LOCAL').some((e) => e.ts === first!.ts)).toBe(false);
    expect((await get('/local/api/state')).body.version).toBeGreaterThan(version);
    expect((await post('/local/api/dismiss', { ephemeral_ts: first!.ts })).status).toBe(404);
  });

  it('redirects permalinks to the page with the thread open', async () => {
    const link = await local.bot.services.client.chat.getPermalink({
      channel: 'CBRIEFINGS',
      message_ts: cardTs,
    });
    expect(link.permalink?.startsWith(local.url)).toBe(true);
    const redirect = await get(new URL(link.permalink!).pathname);
    expect(redirect.status).toBe(302);
    expect(redirect.headers.get('location')).toBe(`/?channel=briefings&thread=${cardTs}`);
    // A reply's permalink opens its thread at the reply.
    const [, reply] = local.standIn.thread('briefings', cardTs);
    const replyLink = await local.bot.services.client.chat.getPermalink({
      channel: 'CBRIEFINGS',
      message_ts: reply!.ts,
    });
    const toReply = await get(new URL(replyLink.permalink!).pathname + new URL(replyLink.permalink!).search);
    expect(toReply.headers.get('location')).toBe(`/?channel=briefings&thread=${cardTs}&message=${reply!.ts}`);
  });

  it('keeps the workspace across a restart, next to the store', async () => {
    const before = (await get('/local/api/messages?channel=briefings')).body.messages;
    await local.stop();
    local = await startLocalWorkspace({ config });
    const after = await get('/local/api/messages?channel=briefings');
    expect(after.body.messages).toEqual(before);
    expect((await get('/local/api/state')).body.briefings).toBe(1);
    // New messages keep increasing timestamps after the restart.
    const posted = await local.bot.services.client.chat.postMessage({
      channel: 'briefings',
      text: 'after restart',
    });
    expect(Number(posted.ts)).toBeGreaterThan(Number(before.at(-1).ts));
  });
});

describe('a port already in use', () => {
  it('fails to start with a message that says what to do, and leaves nothing running', async () => {
    const busyPort = Number(new URL(local.url).port);
    const dir = await mkdtemp(join(tmpdir(), 'briefing-local-busy-'));
    const loaded = loadConfig({ DATA_DIR: dir, LOG_LEVEL: 'error', PORT: String(busyPort) });
    try {
      const error = await startLocalWorkspace({ config: loaded.config, persist: false }).then(
        () => null,
        (e: unknown) => e,
      );
      expect((error as { code?: string })?.code).toBe('EADDRINUSE');
      expect(startFailureMessage(error, loaded.config)).toBe(
        `Port ${busyPort} on 127.0.0.1 is already in use (another briefing-bot, or another app). ` +
          `Stop it, or start on a free port: PORT=${busyPort + 1} npm start`,
      );
      // The first bot still answers; the failed one let go of its store.
      expect((await get('/local/api/state')).status).toBe(200);
      const again = await startLocalWorkspace({ config: { ...loaded.config, port: 0 }, persist: false });
      await again.stop();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('settings shared with production', () => {
  it('creates the channels BRIEFING_CHANNEL and DIGEST_CHANNEL name, with the bot in them', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'briefing-local-channels-'));
    const loaded = loadConfig({
      DATA_DIR: dir,
      LOG_LEVEL: 'error',
      BRIEFING_CHANNEL: '#desk-latam',
      DIGEST_CHANNEL: 'desk-digest',
    });
    const other = await startLocalWorkspace({ config: { ...loaded.config, port: 0 }, persist: false });
    try {
      expect(other.standIn.channel('desk-latam')?.members.has('U_BOT')).toBe(true);
      expect(other.standIn.channel('desk-digest')?.members.has('U_BOT')).toBe(true);
      const state = await (await fetch(new URL('/local/api/state', other.url))).json();
      expect(state.briefingChannel).toBe('desk-latam');
    } finally {
      await other.stop();
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('what the page sends', () => {
  it('escapes typed text like Slack and turns @briefing-bot into a mention', () => {
    expect(
      toSlackText(
        '@briefing-bot what about <b>Peru</b> & Chile? email@briefing-bot.org',
        'briefing-bot',
        'U_BOT',
      ),
    ).toBe('<@U_BOT> what about &lt;b&gt;Peru&lt;/b&gt; &amp; Chile? email@briefing-bot.org');
  });

  it('wraps pasted text as an email, and leaves a real email alone', () => {
    expect(looksLikeMime(SEED)).toBe(false);
    const wrapped = wrapAsEmail('Peru cabinet reshuffle — día\nbody', new Date('2021-10-07T17:20:13Z'));
    expect(looksLikeMime(wrapped)).toBe(true);
    expect(wrapped).toContain('Subject: =?UTF-8?B?');
    expect(wrapped).toContain('Date: Thu, 07 Oct 2021 17:20:13 +0000');
    expect(wrapped.endsWith('\r\n\r\nPeru cabinet reshuffle — día\r\nbody')).toBe(true);
    expect(looksLikeMime('Subject: hi\nFrom: a@b.c\n\nbody')).toBe(true);
    expect(looksLikeMime('Note: this is a briefing\n\nbody')).toBe(false);
  });
});
