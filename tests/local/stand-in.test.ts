import { readFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { App, HTTPReceiver, LogLevel } from '@slack/bolt';
import { ErrorCode, type KnownBlock, WebClient } from '@slack/web-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { signSlackRequest } from '../../src/local/sign.js';
import { SlackStandIn } from '../../src/local/slack-stand-in.js';
import { DEFAULT_SCOPES, INSTALLED_COMMANDS, INSTALLED_SHORTCUTS } from '../../src/local/workspace.js';

let standIn: SlackStandIn;
let apiUrl: string;

function client(options: { token?: string; reject429?: boolean; retries?: number } = {}): WebClient {
  return new WebClient(options.token ?? standIn.token, {
    slackApiUrl: apiUrl,
    rejectRateLimitedCalls: options.reject429 ?? false,
    retryConfig: { retries: options.retries ?? 0 },
    logLevel: LogLevel.ERROR,
  });
}

async function slackError(
  promise: Promise<unknown>,
): Promise<{ code?: string; data?: { error?: string }; retryAfter?: number; statusCode?: number }> {
  try {
    await promise;
  } catch (error) {
    return error as { code?: string; data?: { error?: string } };
  }
  throw new Error('expected the call to fail');
}

function section(text: string): KnownBlock {
  return { type: 'section', text: { type: 'mrkdwn', text } };
}

beforeEach(async () => {
  standIn = new SlackStandIn();
  apiUrl = await standIn.listen();
});

afterEach(async () => {
  await standIn.close();
});

describe('auth', () => {
  it('answers auth.test for the bot token with the bot identity', async () => {
    const result = await client().auth.test();
    expect(apiUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/$/);
    expect(result).toMatchObject({ ok: true, user_id: 'U_BOT', bot_id: 'B_BOT', team_id: 'T_LOCAL' });
  });

  it('refuses a missing token with not_authed and a wrong one with invalid_auth', async () => {
    const none = await slackError(
      new WebClient(undefined, { slackApiUrl: apiUrl, retryConfig: { retries: 0 } }).auth.test(),
    );
    expect(none.code).toBe(ErrorCode.PlatformError);
    expect(none.data?.error).toBe('not_authed');
    const wrong = await slackError(
      client({ token: 'xoxb-somebody-else' }).chat.postMessage({ channel: 'briefings', text: 'x' }),
    );
    expect(wrong.data?.error).toBe('invalid_auth');
    expect(standIn.messages('briefings')).toHaveLength(0);
  });

  it('reads JSON bodies with the token in the header only, like Slack', async () => {
    const post = (headers: Record<string, string>, body: unknown) =>
      fetch(`${apiUrl}chat.postMessage`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify(body),
      }).then((r) => r.json());
    expect(await post({}, { token: standIn.token, channel: 'briefings', text: 'hi' })).toMatchObject({
      ok: false,
      error: 'not_authed',
    });
    const ok = await post(
      { authorization: `Bearer ${standIn.token}` },
      { channel: 'briefings', text: 'hi', blocks: [section('*hi*')] },
    );
    expect(ok).toMatchObject({ ok: true, channel: 'CBRIEFINGS' });
    expect(standIn.messages('#briefings')[0]?.blocks).toEqual([section('*hi*')]);
  });
});

describe('chat.postMessage and threads', () => {
  it('stores blocks, text, bot identity and unique increasing timestamps', async () => {
    const web = client();
    const first = await web.chat.postMessage({
      channel: '#briefings',
      text: 'card',
      blocks: [section('*Card*')],
      unfurl_links: false,
    });
    const second = await web.chat.postMessage({ channel: 'CBRIEFINGS', text: 'second' });
    expect(first.channel).toBe('CBRIEFINGS');
    expect(first.ts).toMatch(/^\d{10}\.\d{6}$/);
    expect(Number(second.ts)).toBeGreaterThan(Number(first.ts));
    const [card] = standIn.messages('briefings');
    expect(card).toMatchObject({ text: 'card', user: 'U_BOT', bot_id: 'B_BOT', blocks: [section('*Card*')] });
    expect(card?.options).toEqual({ unfurl_links: false });
    expect(standIn.callCount('chat.postMessage')).toBe(2);
    expect(standIn.calls('chat.postMessage')[0]?.args.blocks).toEqual([section('*Card*')]);
  });

  it('threads replies under the parent with reply_count and reply_users, and serves conversations.replies', async () => {
    const web = client();
    const parent = await web.chat.postMessage({ channel: 'briefings', text: 'parent' });
    await web.chat.postMessage({ channel: 'briefings', text: 'one', thread_ts: parent.ts });
    const two = await web.chat.postMessage({ channel: 'briefings', text: 'two', thread_ts: parent.ts });
    // Replying to a reply lands in the same thread.
    await web.chat.postMessage({ channel: 'briefings', text: 'three', thread_ts: two.ts });
    const top = standIn.messages('briefings');
    expect(top).toHaveLength(1);
    expect(top[0]).toMatchObject({ reply_count: 3, reply_users: ['U_BOT'], thread_ts: parent.ts });
    const replies = await web.conversations.replies({ channel: 'CBRIEFINGS', ts: parent.ts! });
    expect(replies.messages?.map((m) => m.text)).toEqual(['parent', 'one', 'two', 'three']);
    expect(standIn.thread('briefings', parent.ts!).map((m) => m.thread_ts)).toEqual(Array(4).fill(parent.ts));
    const missing = await slackError(
      web.chat.postMessage({ channel: 'briefings', text: 'x', thread_ts: '1.000001' }),
    );
    expect(missing.data?.error).toBe('thread_not_found');
    expect(
      (await slackError(web.conversations.replies({ channel: 'CBRIEFINGS', ts: '1.000001' }))).data?.error,
    ).toBe('thread_not_found');
  });

  it('refuses what Slack refuses: block and text limits, no text', async () => {
    const web = client();
    const tooMany = Array.from({ length: 51 }, (_, i) => section(`s${i}`));
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ blocks: tooMany, text: 'x' }, 'invalid_blocks'],
      [{ blocks: [section('a'.repeat(3001))], text: 'x' }, 'invalid_blocks'],
      [
        { blocks: [{ type: 'header', text: { type: 'plain_text', text: 'h'.repeat(151) } }], text: 'x' },
        'invalid_blocks',
      ],
      [{ text: 'x'.repeat(40_001) }, 'msg_too_long'],
      [{}, 'no_text'],
      [{ text: '' }, 'no_text'],
    ];
    for (const [args, error] of cases) {
      const failure = await slackError(web.chat.postMessage({ channel: 'briefings', ...args } as never));
      expect(failure.data?.error, JSON.stringify(args).slice(0, 80)).toBe(error);
    }
    const detail = await slackError(
      web.chat.postMessage({ channel: 'briefings', text: 'x', blocks: [section('a'.repeat(3001))] }),
    );
    expect(JSON.stringify(detail.data)).toContain('[json-pointer:/blocks/0/text/text]');
    // The limits themselves are allowed.
    await web.chat.postMessage({
      channel: 'briefings',
      text: 'x'.repeat(40_000),
      blocks: [
        { type: 'header', text: { type: 'plain_text', text: 'h'.repeat(150) } },
        ...Array.from({ length: 49 }, () => section('a'.repeat(3000))),
      ],
    });
    expect(standIn.messages('briefings')).toHaveLength(1);
  });

  it('knows channel membership: channel_not_found, not_in_channel, join, chat:write.public', async () => {
    const web = client();
    expect((await slackError(web.chat.postMessage({ channel: 'nowhere', text: 'x' }))).data?.error).toBe(
      'channel_not_found',
    );
    const secret = standIn.addChannel({ name: 'desk-private', isPrivate: true });
    // A private channel the bot was not invited to is invisible to it, and cannot be joined.
    expect((await slackError(web.chat.postMessage({ channel: secret.id, text: 'x' }))).data?.error).toBe(
      'channel_not_found',
    );
    expect((await slackError(web.conversations.join({ channel: secret.id }))).data?.error).toBe(
      'method_not_supported_for_channel_type',
    );
    // The manifest's scopes have no chat:write.public: a public channel needs a join first.
    const open = standIn.addChannel({ name: 'desk-open' });
    expect((await slackError(web.chat.postMessage({ channel: open.id, text: 'x' }))).data?.error).toBe(
      'not_in_channel',
    );
    expect((await slackError(web.conversations.history({ channel: open.id }))).data?.error).toBe(
      'not_in_channel',
    );
    const joined = await web.conversations.join({ channel: open.id });
    expect(joined.channel?.is_member).toBe(true);
    expect((await web.conversations.join({ channel: open.id })).warning).toBe('already_in_channel');
    await web.chat.postMessage({ channel: open.id, text: 'after join' });
    expect(standIn.messages('desk-open').map((m) => m.text)).toEqual(['after join']);
    const narrow = new SlackStandIn({ scopes: DEFAULT_SCOPES.filter((scope) => scope !== 'users:read') });
    const narrowWeb = new WebClient(narrow.token, {
      slackApiUrl: await narrow.listen(),
      retryConfig: { retries: 0 },
    });
    expect((await slackError(narrowWeb.users.info({ user: 'U_LOCAL' }))).data?.error).toBe('missing_scope');
    await narrow.close();

    const publicPoster = new SlackStandIn({ scopes: [...DEFAULT_SCOPES, 'chat:write.public'] });
    const publicUrl = await publicPoster.listen();
    try {
      const publicWeb = new WebClient(publicPoster.token, {
        slackApiUrl: publicUrl,
        retryConfig: { retries: 0 },
      });
      const other = publicPoster.addChannel({ name: 'elsewhere' });
      // chat:write.public: posting without joining works, reading does not.
      await publicWeb.chat.postMessage({ channel: other.id, text: 'no join needed' });
      expect(publicPoster.messages('elsewhere').map((m) => m.text)).toEqual(['no join needed']);
      expect(
        (await slackError(publicWeb.conversations.replies({ channel: other.id, ts: '1.0' }))).data?.error,
      ).toBe('not_in_channel');
    } finally {
      await publicPoster.close();
    }
  });

  it('grants exactly the bot scopes, slash commands and shortcuts of manifest.yml', async () => {
    const manifest = parse(await readFile(new URL('../../manifest.yml', import.meta.url), 'utf8'));
    expect([...DEFAULT_SCOPES].sort()).toEqual([...manifest.oauth_config.scopes.bot].sort());
    expect(INSTALLED_COMMANDS).toEqual(
      manifest.features.slash_commands.map((c: { command: string }) => c.command),
    );
    expect(INSTALLED_SHORTCUTS).toEqual(
      manifest.features.shortcuts.map((s: { callback_id: string; name: string }) => ({
        callback_id: s.callback_id,
        name: s.name,
      })),
    );
  });
});

describe('other methods', () => {
  it('updates, deletes and links the bot\u2019s messages', async () => {
    const web = client();
    const parent = await web.chat.postMessage({ channel: 'briefings', text: 'old' });
    const reply = await web.chat.postMessage({ channel: 'briefings', text: 'reply', thread_ts: parent.ts });
    await web.chat.update({ channel: 'CBRIEFINGS', ts: parent.ts!, text: 'new', blocks: [section('new')] });
    expect(standIn.messages('briefings')[0]).toMatchObject({
      text: 'new',
      blocks: [section('new')],
      reply_count: 1,
    });
    const link = await web.chat.getPermalink({ channel: 'CBRIEFINGS', message_ts: reply.ts! });
    expect(link.permalink).toBe(
      `https://newsroom-local.slack.com/archives/CBRIEFINGS/p${reply.ts!.replace('.', '')}?thread_ts=${parent.ts}&cid=CBRIEFINGS`,
    );
    await web.chat.delete({ channel: 'CBRIEFINGS', ts: reply.ts! });
    expect(standIn.messages('briefings')[0]?.reply_count).toBe(0);
    expect(
      (await slackError(web.chat.update({ channel: 'CBRIEFINGS', ts: reply.ts!, text: 'x' }))).data?.error,
    ).toBe('message_not_found');
  });

  it('lists channels with cursors, reads history newest first, and knows users', async () => {
    const web = client();
    standIn.addChannel({ name: 'third' });
    const page1 = await web.conversations.list({ limit: 2 });
    expect(page1.channels?.map((c) => c.name)).toEqual(['briefings', 'digest']);
    const page2 = await web.conversations.list({ limit: 2, cursor: page1.response_metadata?.next_cursor });
    expect(page2.channels?.map((c) => c.name)).toEqual(['third']);
    expect(page2.response_metadata?.next_cursor).toBe('');
    standIn.archiveChannel('third');
    const live = await web.conversations.list({ exclude_archived: true });
    expect(live.channels?.map((c) => c.name)).toEqual(['briefings', 'digest']);
    expect((await slackError(web.chat.postMessage({ channel: 'third', text: 'x' }))).data?.error).toBe(
      'is_archived',
    );
    const info = await web.conversations.info({ channel: 'CDIGEST00' });
    expect(info.channel).toMatchObject({ name: 'digest', is_member: true, is_private: false });
    await web.chat.postMessage({ channel: 'digest', text: 'a' });
    await web.chat.postMessage({ channel: 'digest', text: 'b' });
    const history = await web.conversations.history({ channel: 'CDIGEST00' });
    expect(history.messages?.map((m) => m.text)).toEqual(['b', 'a']);
    standIn.workspace.scopes.add('users:read');
    const user = await web.users.info({ user: 'U_LOCAL' });
    expect(user.user?.real_name).toBe('newsroom editor');
    expect((await slackError(web.users.info({ user: 'U_NOBODY' }))).data?.error).toBe('user_not_found');
    await web.chat.postEphemeral({ channel: 'briefings', user: 'U_LOCAL', text: 'psst' });
    expect(standIn.ephemerals('U_LOCAL')).toMatchObject([{ text: 'psst', source: 'chat.postEphemeral' }]);
  });

  it('pages history and replies with cursors and has_more, like Slack', async () => {
    const web = client();
    const parent = await web.chat.postMessage({ channel: 'digest', text: 'a' });
    await web.chat.postMessage({ channel: 'digest', text: 'b' });
    await web.chat.postMessage({ channel: 'digest', text: 'c' });
    const first = await web.conversations.history({ channel: 'CDIGEST00', limit: 2 });
    expect(first.messages?.map((m) => m.text)).toEqual(['c', 'b']);
    expect(first.has_more).toBe(true);
    const rest = await web.conversations.history({
      channel: 'CDIGEST00',
      limit: 2,
      cursor: first.response_metadata?.next_cursor,
    });
    expect(rest.messages?.map((m) => m.text)).toEqual(['a']);
    expect(rest).toMatchObject({ has_more: false, response_metadata: { next_cursor: '' } });

    for (const text of ['r1', 'r2']) {
      await web.chat.postMessage({ channel: 'digest', text, thread_ts: parent.ts! });
    }
    const thread = await web.conversations.replies({ channel: 'CDIGEST00', ts: parent.ts!, limit: 2 });
    expect(thread.messages?.map((m) => m.text)).toEqual(['a', 'r1']);
    expect(thread.has_more).toBe(true);
    const end = await web.conversations.replies({
      channel: 'CDIGEST00',
      ts: parent.ts!,
      limit: 2,
      cursor: thread.response_metadata?.next_cursor,
    });
    expect(end.messages?.map((m) => m.text)).toEqual(['r2']);
    expect(end).toMatchObject({ has_more: false, response_metadata: { next_cursor: '' } });
  });
});

describe('rate limits and faults', () => {
  it('answers a burst with 429 + Retry-After: WebClient rejects or waits and retries', async () => {
    standIn.setRateLimit({ max: 2, windowMs: 60_000, retryAfterSec: 7 });
    const strict = client({ reject429: true });
    await strict.chat.postMessage({ channel: 'briefings', text: '1' });
    await strict.chat.postMessage({ channel: 'briefings', text: '2' });
    const limited = await slackError(strict.chat.postMessage({ channel: 'briefings', text: '3' }));
    expect(limited.code).toBe(ErrorCode.RateLimitedError);
    expect(limited.retryAfter).toBe(7);
    // Another channel has its own budget.
    await strict.chat.postMessage({ channel: 'digest', text: 'other channel' });
    expect(standIn.messages('briefings')).toHaveLength(2);

    standIn.setRateLimit({ max: 1, windowMs: 500, retryAfterSec: 1 });
    const patient = client({ retries: 2 });
    await patient.chat.postMessage({ channel: 'briefings', text: 'a' });
    await patient.chat.postMessage({ channel: 'briefings', text: 'b' });
    expect(standIn.messages('briefings').map((m) => m.text)).toEqual(['1', '2', 'a', 'b']);
    expect(standIn.calls('chat.postMessage').filter((c) => c.status === 429).length).toBeGreaterThanOrEqual(
      2,
    );
  });

  it('injects Slack errors, HTTP errors, and 429s on demand', async () => {
    const web = client();
    standIn.failNext(1, 'channel_not_found', 'chat.postMessage');
    expect((await slackError(web.chat.postMessage({ channel: 'briefings', text: 'x' }))).data?.error).toBe(
      'channel_not_found',
    );
    standIn.failNext(1, { status: 503 });
    const http = await slackError(web.auth.test());
    expect(http.code).toBe(ErrorCode.HTTPError);
    expect(http.statusCode).toBe(503);
    standIn.failNext(1, { status: 429, retryAfter: 3 });
    expect((await slackError(client({ reject429: true }).auth.test())).retryAfter).toBe(3);
    await web.auth.test();

    standIn.failAfter(2, 'internal_error');
    await web.chat.postMessage({ channel: 'briefings', text: '1' });
    await web.chat.postMessage({ channel: 'briefings', text: '2' });
    expect((await slackError(web.chat.postMessage({ channel: 'briefings', text: '3' }))).data?.error).toBe(
      'internal_error',
    );
    expect((await slackError(web.chat.postMessage({ channel: 'briefings', text: '4' }))).data?.error).toBe(
      'internal_error',
    );
    standIn.clearFaults();
    await web.chat.postMessage({ channel: 'briefings', text: '5' });
    expect(standIn.messages('briefings').map((m) => m.text)).toEqual(['1', '2', '5']);
  });

  it('goes down (connection refused, or 503) and comes back on the same address', async () => {
    const web = client();
    await standIn.down();
    expect((await slackError(web.auth.test())).code).toBe(ErrorCode.RequestError);
    await standIn.up();
    await web.auth.test();
    expect(standIn.apiUrl).toBe(apiUrl);
    await standIn.down('503');
    expect((await slackError(web.auth.test())).statusCode).toBe(503);
    await standIn.up();
    await web.auth.test();
  });
});

describe('acting as Slack towards a Bolt app', () => {
  const signingSecret = 'test-signing-secret';
  let app: App;
  let eventsUrl: string;

  beforeEach(async () => {
    const receiver = new HTTPReceiver({ signingSecret, logLevel: LogLevel.ERROR });
    app = new App({
      token: standIn.token,
      receiver,
      clientOptions: { slackApiUrl: apiUrl },
      logLevel: LogLevel.ERROR,
    });
    app.command('/echo', async ({ command, ack, respond }) => {
      await ack();
      await respond({ text: `you said ${command.text}` });
      await respond({ response_type: 'in_channel', text: `for everyone: ${command.text}` });
    });
    app.command('/quick', async ({ ack }) => {
      await ack({ text: 'acked with a body' });
    });
    app.event('app_mention', async ({ event, client: web }) => {
      await web.chat.postMessage({
        channel: event.channel,
        thread_ts: event.thread_ts ?? event.ts,
        text: `hello <@${event.user}>`,
      });
    });
    app.action('pick', async ({ ack, respond }) => {
      await ack();
      await respond({ replace_original: true, text: 'picked' });
    });
    const server = await receiver.start({ port: 0, host: '127.0.0.1' });
    eventsUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`;
  });

  afterEach(async () => {
    await app.stop();
  });

  it('signs like Slack', () => {
    // Slack's documented example (https://api.slack.com/authentication/verifying-requests-from-slack).
    const body =
      'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c';
    expect(signSlackRequest('8f742231b10e8888abcd99yyyzzz85a5', body, 1531420618)).toBe(
      'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503',
    );
  });

  it('delivers a slash command and records each respond() where Slack would show it', async () => {
    const result = await standIn.sendSlashCommand(eventsUrl, signingSecret, {
      command: '/echo',
      text: 'Peru',
    });
    expect(result.status).toBe(200);
    const responses = await result.waitForResponses(2);
    expect(responses.map((r) => r.text)).toEqual(['you said Peru', 'for everyone: Peru']);
    expect(standIn.ephemerals('U_LOCAL')).toMatchObject([
      { text: 'you said Peru', source: 'response_url', channel: 'CBRIEFINGS' },
    ]);
    expect(standIn.messages('briefings')).toMatchObject([{ text: 'for everyone: Peru', bot_id: 'B_BOT' }]);

    const quick = await standIn.sendSlashCommand(eventsUrl, signingSecret, { command: '/quick' });
    expect(quick.ack).toEqual({ text: 'acked with a body' });
    expect(standIn.ephemerals('U_LOCAL').at(-1)).toMatchObject({ text: 'acked with a body', source: 'ack' });
  });

  it('is refused by Bolt when the signature is wrong', async () => {
    const result = await standIn.sendSlashCommand(eventsUrl, 'not-the-secret', {
      command: '/echo',
      text: 'x',
    });
    expect(result.status).toBe(401);
    await expect(result.waitForResponses(1, 300)).rejects.toThrow('0 of 1');
  });

  it('turns a user mention in a thread into message + app_mention events the app answers', async () => {
    const web = client();
    const parent = await web.chat.postMessage({ channel: 'briefings', text: 'a briefing' });
    const delivery = await standIn.userSays(eventsUrl, signingSecret, {
      channel: 'briefings',
      thread_ts: parent.ts,
      text: '<@U_BOT> what about Peru?',
    });
    expect(delivery.replies.map((r) => [r.type, r.status])).toEqual([
      ['message', 200],
      ['app_mention', 200],
    ]);
    await expect
      .poll(() => standIn.thread('briefings', parent.ts!).map((m) => m.text), { timeout: 10_000 })
      .toEqual(['a briefing', '<@U_BOT> what about Peru?', 'hello <@U_LOCAL>']);
    expect(standIn.messages('briefings')[0]).toMatchObject({
      reply_count: 2,
      reply_users: ['U_LOCAL', 'U_BOT'],
    });
  });

  it("sends Slack's retry headers and event ids, so Bolt sees a retry as one", async () => {
    const seen: Array<{ id: string; retryNum?: number; retryReason?: string }> = [];
    app.event('reaction_added', async ({ body, context }) => {
      seen.push({ id: String(body.event_id), retryNum: context.retryNum, retryReason: context.retryReason });
    });
    const event = {
      type: 'reaction_added',
      user: 'U_LOCAL',
      reaction: 'eyes',
      item: { type: 'message', channel: 'CBRIEFINGS', ts: '1.000001' },
      event_ts: '1.000002',
    };
    const first = await standIn.sendEvent(eventsUrl, signingSecret, event);
    const retry = await standIn.sendEvent(eventsUrl, signingSecret, event, {
      eventId: first.eventId,
      retryNum: 1,
    });
    expect([first.status, retry.status]).toEqual([200, 200]);
    await expect.poll(() => seen.length, { timeout: 10_000 }).toBe(2);
    expect(seen).toEqual([
      { id: first.eventId, retryNum: undefined, retryReason: undefined },
      { id: first.eventId, retryNum: 1, retryReason: 'http_timeout' },
    ]);
  });

  it('clicks a button and applies replace_original', async () => {
    const web = client();
    const posted = await web.chat.postMessage({
      channel: 'briefings',
      text: 'choose',
      blocks: [
        {
          type: 'actions',
          block_id: 'b1',
          elements: [
            { type: 'button', action_id: 'pick', text: { type: 'plain_text', text: 'Pick' }, value: 'v' },
          ],
        },
      ],
    });
    const click = await standIn.sendBlockAction(eventsUrl, signingSecret, {
      channel: 'briefings',
      messageTs: posted.ts!,
      actionId: 'pick',
    });
    expect(click.status).toBe(200);
    await click.waitForResponses(1);
    expect(standIn.messages('briefings')[0]).toMatchObject({ text: 'picked' });
    expect(standIn.messages('briefings')[0]?.blocks).toBeUndefined();
  });
});
