/**
 * The local workspace's page and JSON API, served as Bolt custom routes next to /slack/events and
 * /mail/inbound. Everything the page does goes through the production path: slash commands, replies,
 * mentions and clicks are signed HTTP requests to Bolt (via the stand-in), email goes to the real
 * mail webhook with the run's secret.
 *
 *   GET  /                         the page (a Slack-like channel view)
 *   GET  /local/api/state          workspace, channels, users, store size, change counter, clock
 *   GET  /local/api/messages?channel=briefings[&ephemerals_after=TS]   top-level messages (+ the local
 *                                  user's ephemerals; only those issued after TS: the page passes the
 *                                  clock it read when it loaded, so a reload forgets them as Slack does)
 *   GET  /local/api/thread?ts=TS[&channel=…][&ephemerals_after=TS]      a thread, parent first
 *   POST /local/api/command        {command, text, user?, channel?} → {status, responses}
 *   POST /local/api/reply          {text, thread_ts?, user?, channel?} → {ok, ts, events}
 *   POST /local/api/action         {action_id, message_ts | ephemeral_ts, channel?, user?} → {status, responses}
 *   POST /local/api/dismiss        {ephemeral_ts, user?} → {ok}: "Dismiss message" under an ephemeral
 *   POST /local/api/mail           a raw email (or pasted text) → the webhook's answer
 *   POST /local/api/sample         ingests the bundled sample briefing → the webhook's answer
 *   POST /local/api/digest         {date?} → posts that day's digest now (newest briefing's day by default)
 *   GET  /local/api/home[?user=U]  {view}: the Home tab the bot last published for the user (or null)
 *   POST /local/api/home           {user?} → opens the Home tab (app_home_opened) → {status, view}
 *   POST /local/api/home/action    {action_id, value?, user?} → a Home tab button → {status, view}
 *   POST /local/api/file?channel=…&name=…[&text=…]   the file's bytes (Content-Type: its type) → the
 *                                  local user shares it in the channel → {ok, ts}
 *   POST /local/api/shortcut       {callback_id, message_ts, channel?, user?} → a message shortcut →
 *                                  {status, responses}
 */
import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CustomRoute } from '@slack/bolt';
import { createDigestPublisher, type PublishDigest } from '../digest/index.js';
import { parseDateExpression, resolveDateQuery } from '../query/date-expression.js';
import type { Services } from '../services.js';
import { escapeMrkdwn } from '../slack/escape.js';
import { readBody, sendJson } from './http.js';
import { looksLikeMime, wrapAsEmail } from './mail-forward.js';
import type { Interaction, ResponsePayload, SlackStandIn } from './slack-stand-in.js';
import {
  type EphemeralMessage,
  INSTALLED_COMMANDS,
  INSTALLED_SHORTCUTS,
  LOCAL_USER,
  type StoredMessage,
} from './workspace.js';

/** JSON bodies of the local API are small commands; 64 KiB is far above any real one. */
const API_BODY_LIMIT = 64 * 1024;
/**
 * How long /local/api/command and /action wait for the first respond() after Bolt's ack. Slack itself
 * gives an app 3 s to ack and 30 min to respond; the page keeps polling, so later answers still show.
 */
const FIRST_RESPONSE_WAIT_MS = 3_000;
/** Enough of an upload to see its header block (looksLikeMime reads at most 40 lines). */
const MIME_SNIFF_BYTES = 16 * 1024;
/**
 * Browsers send a cross-site POST with a simple content type without asking first; a custom header
 * makes them ask (CORS preflight), which this server never grants. So only the page itself, or a
 * script that sets the header on purpose, can drive the bot from the outside.
 */
export const LOCAL_API_HEADER = 'x-briefing-bot-local';
/**
 * Files shared from the page: Slack takes far larger ones; twice MAIL_MAX_BYTES (at least 1 MiB) lets a
 * file over the bot's own bound through, so the shortcut's refusal can be seen.
 */
const fileLimit = (mailMaxBytes: number): number => Math.max(2 * mailMaxBytes, 1024 * 1024);
/** How often /local/api/home looks whether the bot published the tab yet. */
const HOME_POLL_MS = 20;
/** After a response, how long to wait for another before answering (listeners often respond twice). */
const RESPONSE_SETTLE_MS = 300;

export const SAMPLE_EML = new URL('./sample/latin-america-daily-briefing-2021-10-07.eml', import.meta.url);
const PAGE_DIR = new URL('./page/', import.meta.url);
const STATIC_FILES: Record<string, { file: string; type: string }> = {
  '/': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/local/page.js': { file: 'page.js', type: 'text/javascript; charset=utf-8' },
  '/local/mrkdwn.js': { file: 'mrkdwn.js', type: 'text/javascript; charset=utf-8' },
  '/local/page.css': { file: 'page.css', type: 'text/css; charset=utf-8' },
};
/**
 * The page builds every message with DOM APIs (never innerHTML); this policy is the second lock:
 * no inline script, no foreign origin, so even a rendering bug cannot run or load anything.
 */
const CONTENT_SECURITY_POLICY =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
  "base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

export interface LocalRouteDeps {
  standIn: SlackStandIn;
  services: Services;
  signingSecret: string;
  mailSecret: string;
  /** Where this server reaches itself, e.g. http://127.0.0.1:3000 (known once it listens). */
  selfUrl(): string;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export interface MessageView {
  ts: string;
  thread_ts: string | null;
  user: string | null;
  user_name: string;
  is_bot: boolean;
  text: string;
  blocks: unknown[] | null;
  reply_count: number;
  reply_users: string[];
  edited: boolean;
  deleted: boolean;
  /** Files shared with the message: name, type and size (the bytes stay in the stand-in). */
  files: Array<{ id: string; name: string; mimetype: string; size: number }>;
}

export interface EphemeralView {
  ts: string;
  thread_ts: string | null;
  text: string;
  blocks: unknown[] | null;
  /** Always true: the page labels these "Only visible to you". */
  ephemeral: true;
}

export function localRoutes(deps: LocalRouteDeps): CustomRoute[] {
  const { standIn } = deps;
  const workspace = standIn.workspace;
  let version = 0;
  standIn.onChange(() => {
    version += 1;
  });

  const userName = (id: string | undefined): string => {
    const user = id ? workspace.user(id) : undefined;
    return user ? (user.isBot ? user.name : user.realName) : (id ?? 'unknown');
  };
  const messageView = (m: StoredMessage): MessageView => ({
    ts: m.ts,
    thread_ts: m.thread_ts ?? null,
    user: m.user ?? null,
    user_name: userName(m.user),
    is_bot: Boolean(m.bot_id),
    text: m.text,
    blocks: m.blocks ?? null,
    reply_count: m.reply_count ?? 0,
    reply_users: m.reply_users ?? [],
    edited: Boolean(m.edited),
    deleted: m.subtype === 'tombstone',
    files: (m.files ?? []).map((f) => ({
      id: String(f.id),
      name: String(f.name),
      mimetype: String(f.mimetype),
      size: Number(f.size),
    })),
  });
  const ephemeralView = (e: EphemeralMessage): EphemeralView => ({
    ts: e.ts,
    thread_ts: e.thread_ts ?? null,
    text: e.text,
    blocks: e.blocks ?? null,
    ephemeral: true,
  });

  const channelOf = (ref: string | null | undefined) => {
    const channel =
      workspace.channel(ref || deps.services.config.briefingChannel) ?? workspace.channel('briefings');
    if (!channel) throw new HttpError(404, `no channel "${ref}"`);
    return channel;
  };
  const userOf = (id: unknown): string => {
    const user = typeof id === 'string' && id ? id : LOCAL_USER.id;
    if (!workspace.user(user)) throw new HttpError(400, `no user "${user}"`);
    return user;
  };
  const eventsUrl = () => `${deps.selfUrl()}/slack/events`;
  /** One publisher for the page: it serialises its posts, so two quick clicks post one digest. */
  let publishDigest: PublishDigest | undefined;

  /** Waits (up to FIRST_RESPONSE_WAIT_MS) for the bot to publish a Home tab other than `hash`. */
  const nextHome = async (user: string, hash: string | undefined) => {
    const deadline = Date.now() + FIRST_RESPONSE_WAIT_MS;
    while (workspace.homeView(user)?.hash === hash && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, HOME_POLL_MS));
    }
    return workspace.homeView(user) ?? null;
  };

  const api: Record<string, (req: IncomingMessage, url: URL) => Promise<unknown>> = {
    'GET /local/api/state': async () => ({
      team: workspace.identity.teamName,
      bot: { id: workspace.identity.botUserId, name: workspace.identity.botName },
      user: { id: LOCAL_USER.id, name: LOCAL_USER.realName },
      channels: workspace
        .allChannels()
        .filter((c) => c.members.has(LOCAL_USER.id))
        .map((c) => ({ id: c.id, name: c.name, is_private: c.isPrivate, is_im: Boolean(c.imUser) })),
      users: Object.fromEntries(
        [LOCAL_USER.id, workspace.identity.botUserId].map((id) => [id, userName(id)]),
      ),
      briefings: await deps.services.store.briefingCount(),
      briefingChannel: channelOf(null).name,
      commands: INSTALLED_COMMANDS,
      shortcuts: INSTALLED_SHORTCUTS,
      digestChannel: workspace.channel(deps.services.config.digestChannel)?.name ?? null,
      digest: {
        time: deps.services.config.digestTime,
        timeZone: deps.services.config.newsroomTz,
        latestDate: await deps.services.store.latestDate(),
      },
      connected: false,
      version,
      clock: workspace.clockTs(),
    }),

    'GET /local/api/messages': async (_req, url) => {
      const channel = channelOf(url.searchParams.get('channel'));
      const user = userOf(url.searchParams.get('user'));
      return {
        channel: { id: channel.id, name: channel.name },
        version,
        messages: standIn.messages(channel.id).map(messageView),
        ephemerals: workspace
          .ephemerals(user)
          .filter((e) => e.channel === channel.id && !e.thread_ts && issuedAfter(e, url))
          .map(ephemeralView),
      };
    },

    'GET /local/api/thread': async (_req, url) => {
      const ts = url.searchParams.get('ts') ?? '';
      const ref = url.searchParams.get('channel');
      const channels = ref ? [channelOf(ref)] : workspace.allChannels();
      for (const channel of channels) {
        const thread = standIn.thread(channel.id, ts);
        if (thread.length === 0) continue;
        const root = thread[0]?.ts;
        const user = userOf(url.searchParams.get('user'));
        return {
          channel: { id: channel.id, name: channel.name },
          version,
          messages: thread.map(messageView),
          ephemerals: workspace
            .ephemerals(user)
            .filter((e) => e.channel === channel.id && e.thread_ts === root && issuedAfter(e, url))
            .map(ephemeralView),
        };
      }
      throw new HttpError(404, `no message ${ts}`);
    },

    'POST /local/api/command': async (req) => {
      const body = await readJson(req);
      const command = stringField(body, 'command');
      if (!/^\/[a-z0-9_-]+$/i.test(command)) throw new HttpError(400, 'command must look like "/briefing"');
      // Slack's client answers an unknown command itself; the app never sees it (and Bolt would wait
      // 3 s for an ack nobody registered).
      if (!INSTALLED_COMMANDS.includes(command.toLowerCase())) {
        throw new HttpError(
          400,
          `${command} is not a valid command. The app installs ${INSTALLED_COMMANDS.slice(0, -1).join(', ')} and ${INSTALLED_COMMANDS.at(-1)}; ` +
            'a message starting with "/" is read as a command.',
        );
      }
      const interaction = await standIn.sendSlashCommand(eventsUrl(), deps.signingSecret, {
        command,
        text: optionalString(body, 'text') ?? '',
        user: userOf(body.user),
        channel: channelOf(optionalString(body, 'channel')).id,
      });
      return { status: interaction.status, responses: await collectResponses(interaction) };
    },

    'POST /local/api/reply': async (req) => {
      const body = await readJson(req);
      const text = stringField(body, 'text');
      const threadTs = optionalString(body, 'thread_ts');
      const channel =
        threadTs && !body.channel ? channelOfThread(threadTs) : channelOf(optionalString(body, 'channel'));
      const delivered = await standIn.userSays(eventsUrl(), deps.signingSecret, {
        channel: channel.id,
        text: toSlackText(text, workspace.identity.botName, workspace.identity.botUserId),
        user: userOf(body.user),
        ...(threadTs ? { thread_ts: threadTs } : {}),
      });
      return {
        ok: true,
        ts: delivered.message.ts,
        thread_ts: delivered.message.thread_ts ?? null,
        events: delivered.replies.map((r) => ({ type: r.type, status: r.status })),
      };
    },

    'POST /local/api/action': async (req) => {
      const body = await readJson(req);
      const actionId = stringField(body, 'action_id');
      const messageTs = optionalString(body, 'message_ts');
      const ephemeralTs = optionalString(body, 'ephemeral_ts');
      if (!messageTs && !ephemeralTs) throw new HttpError(400, 'message_ts or ephemeral_ts is required');
      const channel =
        messageTs && !body.channel ? channelOfThread(messageTs) : channelOf(optionalString(body, 'channel'));
      let interaction: Interaction;
      try {
        interaction = await standIn.sendBlockAction(eventsUrl(), deps.signingSecret, {
          channel: channel.id,
          actionId,
          user: userOf(body.user),
          ...(ephemeralTs ? { ephemeralTs } : { messageTs }),
        });
      } catch (error) {
        throw new HttpError(404, (error as Error).message);
      }
      return { status: interaction.status, responses: await collectResponses(interaction) };
    },

    'GET /local/api/home': async (_req, url) => ({
      version,
      view: workspace.homeView(userOf(url.searchParams.get('user'))) ?? null,
    }),

    /** The user opens the app's Home tab: Bolt gets app_home_opened and publishes it (views.publish). */
    'POST /local/api/home': async (req) => {
      const body = await readJson(req, { emptyIs: {} });
      const user = userOf(body.user);
      const hash = workspace.homeView(user)?.hash;
      const reply = await standIn.openHome(eventsUrl(), deps.signingSecret, { user });
      return { status: reply.status, view: await nextHome(user, hash) };
    },

    'POST /local/api/home/action': async (req) => {
      const body = await readJson(req);
      const user = userOf(body.user);
      const hash = workspace.homeView(user)?.hash;
      let reply: { status: number };
      try {
        reply = await standIn.clickHomeButton(eventsUrl(), deps.signingSecret, {
          user,
          actionId: stringField(body, 'action_id'),
          ...(optionalString(body, 'value') ? { value: optionalString(body, 'value') } : {}),
        });
      } catch (error) {
        throw new HttpError(404, (error as Error).message);
      }
      return { status: reply.status, view: await nextHome(user, hash) };
    },

    /** The local user shares a file in a channel, as Slack's client uploads one. */
    'POST /local/api/file': async (req, url) => {
      const limit = fileLimit(deps.services.config.mailMaxBytes);
      const content = await readBody(req, limit);
      if (content === null) throw new HttpError(413, `file over ${limit} bytes`);
      const name = url.searchParams.get('name')?.trim();
      if (!name) throw new HttpError(400, '"name" is required');
      const message = standIn.shareFile({
        channel: channelOf(url.searchParams.get('channel')).id,
        name,
        mimetype: (req.headers['content-type'] ?? '').split(';')[0]?.trim() || 'application/octet-stream',
        content,
        text: toSlackText(
          url.searchParams.get('text') ?? '',
          workspace.identity.botName,
          workspace.identity.botUserId,
        ),
      });
      return { ok: true, ts: message.ts };
    },

    /** A message shortcut from a message's ⋯ menu: Slack's message_action payload, signed, to Bolt. */
    'POST /local/api/shortcut': async (req) => {
      const body = await readJson(req);
      const callbackId = stringField(body, 'callback_id');
      if (!INSTALLED_SHORTCUTS.some((s) => s.callback_id === callbackId)) {
        throw new HttpError(400, `the app has no message shortcut "${callbackId}"`);
      }
      const messageTs = stringField(body, 'message_ts');
      const channel = body.channel ? channelOf(optionalString(body, 'channel')) : channelOfThread(messageTs);
      let interaction: Interaction;
      try {
        interaction = await standIn.sendMessageShortcut(eventsUrl(), deps.signingSecret, {
          channel: channel.id,
          messageTs,
          callbackId,
          user: userOf(body.user),
        });
      } catch (error) {
        throw new HttpError(404, (error as Error).message);
      }
      return { status: interaction.status, responses: await collectResponses(interaction) };
    },

    'POST /local/api/dismiss': async (req) => {
      const body = await readJson(req);
      const ts = stringField(body, 'ephemeral_ts');
      if (!standIn.dismissEphemeral(ts, userOf(body.user))) {
        throw new HttpError(404, `no "Only visible to you" message ${ts}`);
      }
      return { ok: true };
    },

    'POST /local/api/mail': async (req) => {
      const raw = await readBody(req, deps.services.config.mailMaxBytes);
      if (raw === null)
        throw new HttpError(413, `email over MAIL_MAX_BYTES (${deps.services.config.mailMaxBytes})`);
      if ((req.headers['content-type'] ?? '').startsWith('application/json')) {
        const email = stringField(parseJson(raw.toString('utf8')), 'email');
        return forwardToWebhook(looksLikeMime(email) ? email : wrapAsEmail(email, deps.services.now()));
      }
      if (raw.toString('utf8').trim() === '') throw new HttpError(400, 'the email is empty');
      // A real email goes byte for byte: its parts may be in charsets other than UTF-8.
      const head = raw.subarray(0, MIME_SNIFF_BYTES).toString('latin1');
      return forwardToWebhook(
        looksLikeMime(head) ? raw : wrapAsEmail(raw.toString('utf8'), deps.services.now()),
      );
    },

    'POST /local/api/sample': async (req) => {
      await readBody(req, API_BODY_LIMIT);
      return forwardToWebhook(await readFile(SAMPLE_EML, 'utf8'));
    },

    /**
     * `briefing-bot digest --post` for local mode, where the CLI cannot share the running bot's store:
     * the bot's own exactly-once publisher posts through its Web API client, as the scheduler does at
     * DIGEST_TIME. A day whose digest was posted answers `already-posted`.
     */
    'POST /local/api/digest': async (req) => {
      // Like /sample, a bare `curl -X POST` (no body) is fine: it means the newest briefing's day.
      const body = await readJson(req, { emptyIs: {} });
      const { config, store, now } = deps.services;
      const typed = optionalString(body, 'date')?.trim();
      let date: string | null = await store.latestDate();
      if (typed) {
        const parsed = parseDateExpression(typed, {
          now: now(),
          timeZone: config.newsroomTz,
          dateOrder: config.dateOrder,
        });
        if (!parsed.ok) throw new HttpError(400, parsed.error);
        date = resolveDateQuery(parsed.value, await store.latestDate());
      }
      if (!date) throw new HttpError(409, 'No briefings stored yet: a digest needs a day to sum up.');
      publishDigest ??= createDigestPublisher(deps.services);
      try {
        return { outcome: await publishDigest(date) };
      } catch (error) {
        throw new HttpError(502, `The digest for ${date} was not posted: ${(error as Error).message}`);
      }
    },
  };

  function channelOfThread(ts: string) {
    for (const channel of workspace.allChannels()) {
      if (workspace.findMessage(channel.id, ts)) return channel;
    }
    throw new HttpError(404, `no message ${ts}`);
  }

  /** The real webhook, over HTTP, with this run's secret: the page takes no shortcut. */
  async function forwardToWebhook(email: string | Buffer): Promise<{ status: number; body: unknown }> {
    const response = await fetch(`${deps.selfUrl()}/mail/inbound`, {
      method: 'POST',
      headers: { 'content-type': 'message/rfc822', authorization: `Bearer ${deps.mailSecret}` },
      body: typeof email === 'string' ? email : new Uint8Array(email),
    });
    const text = await response.text();
    return { status: response.status, body: parseJson(text, text) };
  }

  const apiRoutes: CustomRoute[] = Object.entries(api).map(([key, handler]) => {
    const [method, path] = key.split(' ') as [string, string];
    return {
      path,
      method,
      handler: (req, res) => {
        const url = new URL(req.url ?? '/', 'http://local.invalid');
        const refusal = refuse(req, method);
        if (refusal) {
          void readBody(req, API_BODY_LIMIT).finally(() => sendJson(res, 403, { error: refusal }));
          return;
        }
        handler(req, url).then(
          (result) => sendJson(res, 200, result),
          (error: unknown) => {
            if (error instanceof HttpError) sendJson(res, error.status, { error: error.message });
            else {
              deps.services.logger.error('local page API failed', error);
              sendJson(res, 500, { error: (error as Error).message ?? String(error) });
            }
          },
        );
      },
    };
  });

  /**
   * Why a request is refused, or null. A name that resolves to 127.0.0.1 from a hostile site (DNS
   * rebinding) still carries its own Host header, so loopback mode only answers loopback names.
   */
  function refuse(req: IncomingMessage, method: string): string | null {
    const host = (req.headers.host ?? '').replace(/:\d+$/, '').toLowerCase();
    if (isLoopback(deps.services.config.host) && !LOOPBACK_NAMES.has(host)) {
      return `Host "${host}" is not this machine's loopback name`;
    }
    const origin = req.headers.origin;
    if (origin !== undefined && origin !== `http://${req.headers.host ?? ''}`) {
      return `requests from other web pages (Origin ${origin}) are refused`;
    }
    if (method === 'POST' && req.headers[LOCAL_API_HEADER] === undefined) {
      return `POST needs the ${LOCAL_API_HEADER} header (it keeps other web sites from driving the bot)`;
    }
    return null;
  }

  const staticRoutes: CustomRoute[] = Object.entries(STATIC_FILES).map(([path, { file, type }]) => ({
    path,
    method: 'GET',
    handler: (req, res) => {
      const refusal = refuse(req, 'GET');
      if (refusal) {
        sendJson(res, 403, { error: refusal });
        return;
      }
      readFile(new URL(file, PAGE_DIR)).then(
        (content) => {
          res.writeHead(200, {
            'content-type': type,
            'content-length': String(content.length),
            'cache-control': 'no-store',
            'content-security-policy': CONTENT_SECURITY_POLICY,
            'x-content-type-options': 'nosniff',
            'referrer-policy': 'no-referrer',
          });
          res.end(content);
        },
        (error: unknown) => sendJson(res, 500, { error: String(error) }),
      );
    },
  }));

  // Permalinks the stand-in hands out point here; open the channel with the thread.
  const permalinkRoute: CustomRoute = {
    path: '/archives/:channel/:message',
    method: 'GET',
    handler: (req, res: ServerResponse) => {
      const url = new URL(req.url ?? '/', 'http://local.invalid');
      const param = (name: string): string => String(req.params?.[name] ?? '');
      const channel = workspace.channel(param('channel'));
      const raw = /^p(\d{10})(\d{6})$/.exec(param('message'));
      const ts = raw ? `${raw[1]}.${raw[2]}` : '';
      const thread = url.searchParams.get('thread_ts') ?? ts;
      // A reply's link opens its thread scrolled to the reply.
      const message = ts && ts !== thread ? `&message=${encodeURIComponent(ts)}` : '';
      const target = channel
        ? `/?channel=${encodeURIComponent(channel.name)}&thread=${encodeURIComponent(thread)}${message}`
        : '/';
      res.writeHead(302, { location: target });
      res.end();
    },
  };

  return [...staticRoutes, ...apiRoutes, permalinkRoute];
}

const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** Ack body first (when Bolt answered with one), then each respond() as it arrives. */
async function collectResponses(interaction: Interaction): Promise<ResponsePayload[]> {
  const fromAck: ResponsePayload[] = [];
  const ack = interaction.ack;
  if (ack && typeof ack === 'object') fromAck.push(ack as ResponsePayload);
  else if (typeof ack === 'string' && ack) fromAck.push({ text: ack });
  if (interaction.status !== 200) return fromAck;
  let count = 0;
  let wait = fromAck.length > 0 ? RESPONSE_SETTLE_MS : FIRST_RESPONSE_WAIT_MS;
  for (;;) {
    try {
      count = (await interaction.waitForResponses(count + 1, wait)).length;
      wait = RESPONSE_SETTLE_MS;
    } catch {
      break;
    }
  }
  return [...fromAck, ...interaction.responses()];
}

/**
 * What Slack's client does to typed text before sending it: escape &, <, > and turn
 * "@briefing-bot" into a real mention.
 */
export function toSlackText(typed: string, botName: string, botUserId: string): string {
  const escaped = escapeMrkdwn(typed);
  const name = botName.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return escaped.replace(new RegExp(`(^|[^\\w@])@${name}\\b`, 'g'), `$1<@${botUserId}>`);
}

async function readJson(
  req: IncomingMessage,
  options: { emptyIs?: Record<string, unknown> } = {},
): Promise<Record<string, unknown>> {
  const raw = await readBody(req, API_BODY_LIMIT);
  if (raw === null) throw new HttpError(413, `request over ${API_BODY_LIMIT} bytes`);
  if (options.emptyIs && raw.toString('utf8').trim() === '') return options.emptyIs;
  const parsed = parseJson(raw.toString('utf8'));
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new HttpError(400, 'expected a JSON object');
  }
  return parsed as Record<string, unknown>;
}

/** Without `ephemerals_after`, every ephemeral the stand-in holds (scripts and tests see them all). */
function issuedAfter(ephemeral: EphemeralMessage, url: URL): boolean {
  const after = url.searchParams.get('ephemerals_after');
  return after === null || Number(ephemeral.ts) > Number(after);
}

function parseJson(text: string, fallback?: unknown): unknown {
  try {
    return JSON.parse(text);
  } catch {
    if (fallback !== undefined) return fallback;
    throw new HttpError(400, 'invalid JSON');
  }
}

function stringField(body: unknown, key: string): string {
  const value = (body as Record<string, unknown>)?.[key];
  if (typeof value !== 'string' || !value) throw new HttpError(400, `"${key}" is required`);
  return value;
}

function optionalString(body: Record<string, unknown>, key: string): string | undefined {
  const value = body[key];
  return typeof value === 'string' && value ? value : undefined;
}
