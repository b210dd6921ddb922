/**
 * The bot's real Socket Mode path (Bolt's SocketModeReceiver and Slack's Socket Mode client) against a
 * local WebSocket server speaking Slack's protocol: apps.connections.open on the stand-in with the
 * app-level token, hello, envelopes acked by envelope_id, and a new connection after `disconnect`.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import type { Bot } from '../../src/app.js';
import { SlackStandIn, VIA_SOCKET_MODE } from '../../src/local/slack-stand-in.js';
import { openMemoryStore } from '../../src/store/index.js';
import { blockTexts, recordingLogger, standInConfig, startBotOnLoopback, until } from '../support/bot.js';
import { composeEml, ingestSeed } from '../support/seed.js';
import { SocketModeServer } from '../support/socket-mode-server.js';

/** Slack's client waits one client-ping timeout (5 s) before it reconnects; leave room on slow CI. */
const RECONNECT_TEST_TIMEOUT_MS = 40_000;

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()?.();
});

interface Harness {
  standIn: SlackStandIn;
  server: SocketModeServer;
  bot: Bot;
  errors: string[];
}

async function start(): Promise<Harness> {
  const now = () => new Date('2021-10-07T14:00:00Z');
  const standIn = new SlackStandIn({ now: () => now().getTime() });
  const apiUrl = await standIn.listen();
  cleanups.push(() => standIn.close());
  const server = new SocketModeServer(standIn);
  await server.listen();
  cleanups.push(() => server.close());
  // No signing secret: over Socket Mode nothing reaches the bot by HTTP from Slack.
  const config = standInConfig(apiUrl, standIn.token, { SLACK_APP_TOKEN: standIn.appToken });
  const store = await openMemoryStore({ now });
  cleanups.push(() => store.close());
  const errors: string[] = [];
  const { bot } = await startBotOnLoopback(config, {
    store,
    now,
    logger: recordingLogger((args) => errors.push(args.map(String).join(' '))),
    minPostIntervalMs: 0,
  });
  cleanups.push(() => bot.stop());
  return { standIn, server, bot, errors };
}

function textOf(payload: { text?: unknown; blocks?: unknown }): string {
  const texts = blockTexts(payload.blocks ?? []).map((t) => t.text);
  return texts.length ? texts.join('\n') : String(payload.text ?? '');
}

describe('Socket Mode, end to end', () => {
  it('connects with the app-level token and is greeted before it counts as started', async () => {
    const h = await start();
    const opens = h.standIn.calls('apps.connections.open');
    expect(opens.map((c) => c.ok)).toEqual([true]);
    expect(h.server.connectionsOpened).toBe(1);
    expect(h.server.openConnections).toBe(1);
  });

  it('answers a slash command sent as a slash_commands envelope and acks it by envelope_id', async () => {
    const h = await start();
    await ingestSeed(h.bot);
    const interaction = await h.standIn.sendSlashCommand(VIA_SOCKET_MODE, '', {
      command: '/briefing',
      text: '2021-10-07',
    });
    expect(interaction.status).toBe(200);
    const [answer] = await interaction.waitForResponses(1);
    expect(textOf(answer!)).toContain('Mexico - U.S. high-level security talks');

    const [sent] = h.server.sent();
    expect(sent).toMatchObject({ type: 'slash_commands', accepts_response_payload: true, retry_attempt: 0 });
    expect(sent?.payload).toMatchObject({ command: '/briefing', text: '2021-10-07' });
    expect(h.server.acks().map((a) => a.envelope_id)).toEqual([sent?.envelope_id]);
    expect(h.errors).toEqual([]);
  });

  it('answers `/briefing search` over Socket Mode from the archive, the matched word in bold', async () => {
    const h = await start();
    await ingestSeed(h.bot);
    const interaction = await h.standIn.sendSlashCommand(VIA_SOCKET_MODE, '', {
      command: '/briefing',
      text: 'search Castillo',
    });
    expect(interaction.status).toBe(200);
    const [answer] = await interaction.waitForResponses(1);
    const text = textOf(answer!);
    expect(text).toContain('Peru cabinet reshuffle');
    expect(text).toContain('*Castillo*');
    expect(h.errors).toEqual([]);
  });

  it('publishes the Home tab on app_home_opened sent as an events_api envelope', async () => {
    const h = await start();
    await ingestSeed(h.bot);
    const reply = await h.standIn.openHome(VIA_SOCKET_MODE, '', { user: 'U_LOCAL' });
    expect(reply.status).toBe(200);
    await until(() => h.standIn.homeView('U_LOCAL') !== undefined, 'views.publish', 10_000);
    const [publish] = h.standIn.calls('views.publish');
    expect(publish).toMatchObject({ ok: true, args: { user_id: 'U_LOCAL' } });
    expect(JSON.stringify(h.standIn.homeView('U_LOCAL')?.blocks)).toContain('Latin America Daily Briefing');
    expect(h.errors).toEqual([]);
  });

  it('posts an .eml with the "Post as briefing" shortcut sent as an interactive envelope', async () => {
    const h = await start();
    const shared = h.standIn.shareFile({
      channel: 'briefings',
      name: 'briefing.eml',
      mimetype: 'message/rfc822',
      content: await composeEml(),
    });
    const interaction = await h.standIn.sendMessageShortcut(VIA_SOCKET_MODE, '', {
      channel: 'briefings',
      messageTs: shared.ts,
      callbackId: 'post_as_briefing',
    });
    const [answer] = await interaction.waitForResponses(1, 10_000);
    expect(String(answer?.text)).toMatch(/^:white_check_mark: Accepted: briefing\.eml is briefing/);
    await h.bot.services.deliverer.idle();
    expect(h.standIn.messages('briefings').filter((m) => m.user === 'U_BOT')).toHaveLength(1);
    expect(h.errors).toEqual([]);
  });

  it('answers a mention in a briefing thread sent as events_api envelopes', async () => {
    const h = await start();
    const { posts } = await ingestSeed(h.bot);
    const card = posts.find((p) => p.key === 'card')!;
    const said = await h.standIn.userSays(VIA_SOCKET_MODE, '', {
      channel: card.channel,
      thread_ts: card.ts,
      text: '<@U_BOT> sources peru',
    });
    expect(said.replies.map((r) => [r.type, r.status])).toEqual([
      ['message', 200],
      ['app_mention', 200],
    ]);
    const answers = () =>
      h.standIn
        .thread(card.channel, card.ts)
        .filter((m) => m.bot_id && Number(m.ts) > Number(said.message.ts));
    await until(() => answers().length > 0, 'the answer in the thread', 5_000);
    expect(textOf(answers()[0]!)).toMatch(/Sources: .*Reuters/);

    const sent = h.server.sent();
    expect(sent.map((e) => [e.type, e.accepts_response_payload, e.payload.type])).toEqual([
      ['events_api', false, 'event_callback'],
      ['events_api', false, 'event_callback'],
    ]);
    expect(new Set(h.server.acks().map((a) => a.envelope_id))).toEqual(
      new Set(sent.map((e) => e.envelope_id)),
    );
  });

  it('opens a new connection after `disconnect` and answers on it', {
    timeout: RECONNECT_TEST_TIMEOUT_MS,
  }, async () => {
    const h = await start();
    await ingestSeed(h.bot);
    h.server.disconnect('refresh_requested');
    await h.server.waitForConnections(2, 30_000);
    // A ticket is single-use: the second connection needed a second apps.connections.open.
    expect(h.standIn.calls('apps.connections.open').map((c) => c.ok)).toEqual([true, true]);
    await until(() => h.server.openConnections === 1, 'the old connection to close', 5_000);

    const interaction = await h.standIn.sendSlashCommand(VIA_SOCKET_MODE, '', {
      command: '/country',
      text: 'Peru',
    });
    const [answer] = await interaction.waitForResponses(1);
    expect(textOf(answer!)).toContain('Peru');
    expect(h.server.acks().at(-1)?.connection).toBe(2);
  });
});

describe('apps.connections.open on the stand-in', () => {
  it('takes only the app-level token, as Slack does', async () => {
    const standIn = new SlackStandIn();
    const apiUrl = await standIn.listen();
    cleanups.push(() => standIn.close());
    const server = new SocketModeServer(standIn);
    await server.listen();
    cleanups.push(() => server.close());
    const open = async (token: string) =>
      (await fetch(`${apiUrl}apps.connections.open`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}` },
      }).then((r) => r.json())) as { ok: boolean; error?: string; url?: string };
    expect(await open(standIn.token)).toEqual({ ok: false, error: 'not_allowed_token_type' });
    expect(await open('xapp-1-someone-else')).toEqual({ ok: false, error: 'invalid_auth' });
    const opened = await open(standIn.appToken);
    expect(opened.url).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/link\/\?ticket=[\w-]+&app_id=A_LOCAL$/);
    // A ticket is spent by its first connection; a second one with it is refused at the upgrade.
    const connect = (url: string) =>
      new Promise<string>((resolve) => {
        const socket = new WebSocket(url);
        socket.on('message', (data) => {
          socket.close();
          resolve(String(data));
        });
        socket.on('unexpected-response', (_req, res) => resolve(`refused ${res.statusCode}`));
      });
    expect(JSON.parse(await connect(opened.url!))).toMatchObject({ type: 'hello', num_connections: 1 });
    expect(await connect(opened.url!)).toBe('refused 401');
    // The app token opens connections and nothing else.
    const post = await fetch(`${apiUrl}chat.postMessage`, {
      method: 'POST',
      headers: { authorization: `Bearer ${standIn.appToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ channel: 'briefings', text: 'hi' }),
    }).then((r) => r.json());
    expect(post).toEqual({ ok: false, error: 'not_allowed_token_type' });
  });
});
