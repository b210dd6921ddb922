/**
 * A Slack Web API stand-in on loopback: what the bot talks to in tests and in the local workspace.
 * It speaks Slack's HTTP protocol (form-urlencoded or JSON bodies, `Authorization: Bearer xoxb-…`,
 * `{ok:false, error}` answers, HTTP 429 + `Retry-After`), keeps a workspace in memory (workspace.ts),
 * and plays Slack's other half towards a Bolt app: signed slash commands, events and button clicks
 * (to-bolt.ts), with `response_url`s served here so `respond()` lands back in the workspace.
 *
 * Faults for tests: failNext / failAfter (Slack errors, 5xx, 429), down() (connection refused or 503).
 */
import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Block } from './block-limits.js';
import { readBody as readBuffer, sendJson } from './http.js';
import { type OAuthApp, OAuthGrants, type TokenCheck } from './oauth.js';
import {
  type Interaction,
  type ResponseContext,
  type ResponsePayload,
  ResponseUrls,
} from './response-urls.js';
import {
  type BoltReply,
  eventCallback,
  postSigned,
  randomId,
  slashCommandPayload,
  type TeamInfo,
} from './to-bolt.js';
import { callWebApi } from './web-api.js';
import {
  type ApiResult,
  type Args,
  type Channel,
  type EphemeralMessage,
  type HomeView,
  LOCAL_USER,
  type StoredMessage,
  Workspace,
  type WorkspaceOptions,
} from './workspace.js';

export type { Interaction, ResponsePayload } from './response-urls.js';
export { RESPONSE_URL_MAX_USES, RESPONSE_URL_TTL_MS } from './response-urls.js';

/**
 * A bot token made for one run: the stand-in accepts it and nothing else (`invalid_auth`). A fixed,
 * published token would let any web page the user visits post as the bot with a form.
 */
export function localBotToken(): string {
  return `xoxb-local-${randomBytes(18).toString('hex')}`;
}

/** The Host names a loopback server answers to; anything else is DNS rebinding or a mistake. */
const LOOPBACK_HOST = /^(localhost|127\.\d{1,3}\.\d{1,3}\.\d{1,3}|\[::1\])(:\d{1,5})?$/i;

export function isLoopbackAddress(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/** The app-level token (`connections:write`) the stand-in accepts for apps.connections.open. */
export const LOCAL_APP_TOKEN = 'xapp-1-A_LOCAL-0000-local-workspace';

/**
 * Pass this instead of Bolt's HTTP URL to the send* methods to deliver over Socket Mode: through the
 * link attached with attachSocketMode, as Slack does for an app with socket_mode_enabled.
 */
export const VIA_SOCKET_MODE = 'socket-mode:';

/** The three kinds of Socket Mode envelope (https://docs.slack.dev/apis/events-api/using-socket-mode). */
export type EnvelopeType = 'events_api' | 'slash_commands' | 'interactive';

/**
 * A Socket Mode server the stand-in hands its traffic to (tests/support/socket-mode-server.ts is one).
 * The stand-in itself stays free of a WebSocket dependency: local mode only ever speaks HTTP.
 */
export interface SocketModeLink {
  /** A fresh single-use `ws://…` URL, what apps.connections.open answers with. */
  connectionUrl(): string;
  /** Sends one envelope on an open connection; resolves with the app's ack as a reply. */
  send(
    type: EnvelopeType,
    payload: Record<string, unknown>,
    options?: { retryAttempt?: number; retryReason?: string },
  ): Promise<BoltReply>;
}

/**
 * Request bodies larger than this are refused with 413. The largest legal chat.postMessage (50 blocks
 * of 3,000 characters plus 40,000 of text) is under 300 KB even form-encoded; 2 MiB leaves room.
 */
const MAX_REQUEST_BYTES = 2 * 1024 * 1024;
/**
 * Calls kept for inspection. Tests look at dozens; the local workspace runs for days, and each
 * chat.postMessage keeps its blocks (up to ~200 KB), so the log is a window, not a history.
 * callCount() still counts every call.
 */
const MAX_CALL_LOG = 5_000;

/**
 * chat.postMessage's "special" tier: about one message per second per channel, bursts tolerated.
 * The default lets a whole briefing (card + ~15 sections) through in one burst and refuses a flood;
 * tests provoke 429 by lowering `max`.
 */
export interface RateLimit {
  /** Accepted chat.postMessage calls per channel within the window; the next one gets 429. */
  max: number;
  windowMs: number;
  /** Seconds, sent as `Retry-After`. */
  retryAfterSec: number;
}
export const DEFAULT_RATE_LIMIT: RateLimit = { max: 30, windowMs: 1000, retryAfterSec: 1 };

/** A Slack error code (HTTP 200, `{ok:false}`), or an HTTP status (429 gets `Retry-After`). */
export type Fault = string | { status?: number; error?: string; retryAfter?: number };

export interface StandInOptions extends WorkspaceOptions {
  token?: string;
  /** The app as registered with Slack, for oauth.v2.access (installing in many workspaces). */
  oauth?: OAuthApp;
  /** The clock token expiry is judged by (ms; tests move it on to let tokens expire). */
  clock?: () => number;
  appToken?: string;
  rateLimit?: RateLimit | null;
}

export interface CallRecord {
  method: string;
  /** The arguments as sent (JSON-valued fields like `blocks` parsed), without the token. */
  args: Args;
  status: number;
  ok: boolean;
  error?: string;
  at: number;
}

export interface UserMessageDelivery {
  message: StoredMessage;
  /** Bolt's replies: the `message` event, then `app_mention` when the text mentions the bot. */
  replies: Array<BoltReply & { eventId: string; type: string }>;
}

type FaultRule =
  | { kind: 'next'; remaining: number; fault: Fault; method?: string }
  | { kind: 'after'; okLeft: number; fault: Fault; method?: string };

/** Fields @slack/web-api JSON-encodes inside a form body. */
const JSON_FIELDS = new Set(['blocks', 'attachments', 'metadata', 'view']);

async function readBody(req: IncomingMessage, limit: number): Promise<string | null> {
  const body = await readBuffer(req, limit);
  return body === null ? null : body.toString('utf8');
}

function parseFormArgs(body: string): Args {
  const args: Args = {};
  for (const [key, value] of new URLSearchParams(body)) {
    if (JSON_FIELDS.has(key)) {
      try {
        args[key] = JSON.parse(value);
        continue;
      } catch {
        // Left as a string: checkBlocks turns it into Slack's invalid_blocks_format.
      }
    }
    args[key] = value;
  }
  return args;
}

export class SlackStandIn {
  readonly workspace: Workspace;
  readonly token: string;
  readonly appToken: string;
  rateLimit: RateLimit | null;
  private server: Server | null = null;
  private readonly sockets = new Set<Socket>();
  private host = '127.0.0.1';
  private port = 0;
  private downMode: 'refuse' | '503' | null = null;
  private faultRules: FaultRule[] = [];
  private unanswered: Array<{ matches: (method: string, args: Args) => boolean; taken: () => void }> = [];
  private readonly callLog: CallRecord[] = [];
  private readonly callCounts = new Map<string, number>();
  private readonly postTimes = new Map<string, number[]>();
  private readonly responseUrls: ResponseUrls;
  private readonly events = new EventEmitter();
  private socketMode: SocketModeLink | null = null;
  /** Codes for oauth.v2.access: `oauth.grant()` is a person in this workspace pressing Allow. */
  readonly oauth: OAuthGrants;
  /** Set by uninstall(): Slack answers the bot token with token_revoked until the app is installed again. */
  private revoked = false;

  /**
   * A bot token: with token rotation only the expiring tokens oauth.v2.access handed out work, each
   * until it expires; otherwise the one fixed token.
   */
  private checkToken(token: string): TokenCheck {
    if (this.oauth.rotates) return this.oauth.check(token);
    return token === this.token ? 'ok' : 'unknown';
  }

  /** Whether a token (bot, refresh or app-level) is this workspace's: the API front routes by it. */
  knowsToken(token: string): boolean {
    return token === this.token || token === this.appToken || this.oauth.knows(token);
  }

  constructor(options: StandInOptions = {}) {
    this.workspace = new Workspace(options);
    this.token = options.token ?? localBotToken();
    this.appToken = options.appToken ?? LOCAL_APP_TOKEN;
    this.rateLimit = options.rateLimit === undefined ? DEFAULT_RATE_LIMIT : options.rateLimit;
    this.events.setMaxListeners(0);
    this.oauth = new OAuthGrants(options.oauth ?? null, this.workspace, () => this.token, options.clock);
    this.responseUrls = new ResponseUrls(
      this.workspace,
      () => this.baseUrl,
      () => this.changed(),
    );
  }

  // ---- lifecycle -------------------------------------------------------------------------------

  /** Starts serving; resolves with the Web API base URL (ending in '/api/') for `slackApiUrl`. */
  async listen(port = 0, host = '127.0.0.1'): Promise<string> {
    // It has no login: whoever reaches it is the bot. Only this machine may.
    if (!isLoopbackAddress(host))
      throw new Error(`The Slack stand-in listens on loopback only, not on ${host}`);
    this.host = host;
    await this.bind(port);
    return this.apiUrl;
  }

  /** `http://host:port/`: the server's root (response URLs live under it). */
  get baseUrl(): string {
    if (!this.port) throw new Error('SlackStandIn is not listening yet');
    const host = this.host.includes(':') ? `[${this.host}]` : this.host;
    return `http://${host}:${this.port}/`;
  }

  get apiUrl(): string {
    return `${this.baseUrl}api/`;
  }

  async close(): Promise<void> {
    this.downMode = null;
    await this.unbind();
  }

  /**
   * Simulates an outage: 'refuse' stops listening (connection refused, like a network failure);
   * '503' answers every request with 503, as Slack's edge does during an incident.
   */
  async down(mode: 'refuse' | '503' = 'refuse'): Promise<void> {
    this.downMode = mode;
    if (mode === 'refuse') await this.unbind();
  }

  /** Ends an outage started with down(); same address as before. */
  async up(): Promise<void> {
    const wasRefusing = this.downMode === 'refuse';
    this.downMode = null;
    if (wasRefusing) await this.bind(this.port);
  }

  private bind(port: number): Promise<void> {
    const server = createServer((req, res) => {
      this.handle(req, res).catch((error: unknown) => {
        if (!res.headersSent)
          sendJson(res, 500, { ok: false, error: 'internal_error', detail: String(error) });
        else res.destroy();
      });
    });
    server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, this.host, () => {
        server.off('error', reject);
        this.server = server;
        this.port = (server.address() as AddressInfo).port;
        this.workspace.filesBase = this.baseUrl;
        resolve();
      });
    });
  }

  private unbind(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (!server) return Promise.resolve();
    return new Promise((resolve) => {
      server.close(() => resolve());
      // Keep-alive connections would keep "working" through an outage; cut them.
      for (const socket of this.sockets) socket.destroy();
      this.sockets.clear();
    });
  }

  // ---- faults and limits -----------------------------------------------------------------------

  /** The next `count` calls (of `method`, or of any method) fail with `fault`. */
  failNext(count: number, fault: Fault, method?: string): void {
    this.faultRules.push({ kind: 'next', remaining: count, fault, method });
  }

  /** After `n` more calls of `method` (default chat.postMessage) succeed, every later one fails until clearFaults(). */
  failAfter(n: number, fault: Fault, method: string | undefined = 'chat.postMessage'): void {
    this.faultRules.push({ kind: 'after', okLeft: n, fault, method });
  }

  clearFaults(): void {
    this.faultRules = [];
  }

  /**
   * The next call `matches` accepts is carried out (a post lands in its channel) and never answered:
   * what a caller sees when Slack took a request and the answer was lost, or what Slack has of a
   * process killed while it waited. Resolves once that call has been taken.
   */
  takeWithoutAnswer(matches: (method: string, args: Args) => boolean): Promise<void> {
    return new Promise((taken) => this.unanswered.push({ matches, taken }));
  }

  setRateLimit(limit: RateLimit | null): void {
    this.rateLimit = limit;
    this.postTimes.clear();
  }

  // ---- inspection ------------------------------------------------------------------------------

  /** Top-level messages of a channel (id, name or #name), oldest first, with reply_count. */
  messages(channel: string): StoredMessage[] {
    return this.workspace.messages(channel);
  }

  /** Parent then replies, oldest first. */
  thread(channel: string, ts: string): StoredMessage[] {
    return this.workspace.thread(channel, ts);
  }

  ephemerals(user?: string): EphemeralMessage[] {
    return this.workspace.ephemerals(user);
  }

  channel(ref: string): Channel | undefined {
    return this.workspace.channel(ref);
  }

  addChannel(input: { name: string; isPrivate?: boolean; members?: string[] }): Channel {
    const channel = this.workspace.addChannel(input);
    this.changed();
    return channel;
  }

  /** "Dismiss message" under an ephemeral, as Slack's client offers: gone for its user. */
  dismissEphemeral(ts: string, user: string): boolean {
    if (!this.workspace.ephemerals(user).some((e) => e.ts === ts)) return false;
    this.workspace.deleteEphemeral(ts);
    this.changed();
    return true;
  }

  /** Archives a channel: posting answers `is_archived`, conversations.list can exclude it. */
  archiveChannel(ref: string): void {
    const channel = this.workspace.channel(ref);
    if (!channel) throw new Error(`No channel "${ref}" in the stand-in workspace`);
    channel.isArchived = true;
    this.changed();
  }

  /** Web API calls received (authenticated or not), oldest first. */
  calls(method?: string): CallRecord[] {
    return this.callLog.filter((c) => !method || c.method === method);
  }

  /** Every call received since start, including those no longer in the calls() window. */
  callCount(method?: string): number {
    if (method) return this.callCounts.get(method) ?? 0;
    let total = 0;
    for (const count of this.callCounts.values()) total += count;
    return total;
  }

  /** Called after anything in the workspace changed (the local page polls; local mode persists). */
  onChange(listener: () => void): () => void {
    this.events.on('change', listener);
    return () => this.events.off('change', listener);
  }

  private changed(): void {
    this.events.emit('change');
  }

  // ---- the Web API -----------------------------------------------------------------------------

  /**
   * Why a request is refused, or null. The bot and the tests call from Node, which sends no Origin;
   * a browser sends one with every cross-site POST (a form on another site), and a page reached by
   * DNS rebinding still names its own host in Host.
   */
  private refusal(req: IncomingMessage): string | null {
    const host = req.headers.host ?? '';
    if (!LOOPBACK_HOST.test(host)) return `Host "${host}" is not a loopback address`;
    if (req.headers.origin !== undefined)
      return `requests from web pages (Origin ${req.headers.origin}) are refused`;
    return null;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const refusal = this.refusal(req);
    if (refusal) {
      req.resume();
      sendJson(res, 403, { ok: false, error: 'forbidden', detail: refusal });
      return;
    }
    if (this.downMode === '503') {
      await readBody(req, MAX_REQUEST_BYTES);
      res.writeHead(503, { 'content-type': 'text/plain' });
      res.end('Service Unavailable');
      return;
    }
    const url = new URL(req.url ?? '/', 'http://stand-in.invalid');
    const apiMatch = /^\/api\/([A-Za-z0-9.]+)$/.exec(url.pathname);
    if (apiMatch?.[1]) return this.handleApi(apiMatch[1], url, req, res);
    const fileMatch = /^\/files-pri\/[A-Za-z0-9_]+-(F[0-9A-Z]+)\/[^/]*$/.exec(url.pathname);
    if (fileMatch?.[1] && req.method === 'GET') {
      this.serveFile(fileMatch[1], req, res);
      return;
    }
    const responseMatch = /^\/response\/([A-Za-z0-9]+)$/.exec(url.pathname);
    if (responseMatch?.[1] && req.method === 'POST') {
      this.responseUrls.receive(responseMatch[1], await readBody(req, MAX_REQUEST_BYTES), res);
      return;
    }
    await readBody(req, MAX_REQUEST_BYTES);
    sendJson(res, 404, { ok: false, error: 'not_found' });
  }

  /**
   * url_private: the file's bytes for the bot token with files:read. Anything else gets what Slack
   * answers a browser without a session: 200 and its sign-in page (HTML), not an error status — so an
   * app must check what it got.
   */
  private serveFile(id: string, req: IncomingMessage, res: ServerResponse): void {
    req.resume();
    const bearer = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
    const file = this.workspace.file(id);
    this.callCounts.set('files-pri', (this.callCounts.get('files-pri') ?? 0) + 1);
    if (!file || !bearer || this.checkToken(bearer) !== 'ok' || !this.workspace.scopes.has('files:read')) {
      const page =
        '<!DOCTYPE html><html><head><title>Slack</title></head><body>Sign in to Slack</body></html>';
      res.writeHead(200, {
        'content-type': 'text/html; charset=utf-8',
        'content-length': Buffer.byteLength(page),
      });
      res.end(page);
      return;
    }
    res.writeHead(200, { 'content-type': file.mimetype, 'content-length': String(file.content.length) });
    res.end(file.content);
  }

  private async handleApi(
    method: string,
    url: URL,
    req: IncomingMessage,
    res: ServerResponse,
  ): Promise<void> {
    const body = await readBody(req, MAX_REQUEST_BYTES);
    if (body === null) {
      sendJson(res, 413, { ok: false, error: 'request_too_large' });
      return;
    }
    const contentType = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
    let args: Args = Object.fromEntries(url.searchParams);
    let bodyIsJson = false;
    if (contentType === 'application/json') {
      bodyIsJson = true;
      try {
        const parsed: unknown = body ? JSON.parse(body) : {};
        if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
          throw new Error('not an object');
        args = { ...args, ...(parsed as Args) };
      } catch {
        this.record(method, args, 200, { ok: false, error: 'invalid_json' });
        sendJson(res, 200, { ok: false, error: 'invalid_json' });
        return;
      }
    } else if (body) {
      args = { ...args, ...parseFormArgs(body) };
    }

    // Slack reads a token from the form body, but only from the header for JSON bodies.
    const header = req.headers.authorization ?? '';
    const bearer = /^Bearer\s+(\S+)$/i.exec(header)?.[1];
    const token = bearer ?? (!bodyIsJson && typeof args.token === 'string' ? args.token : undefined);
    delete args.token;

    const fault = this.takeFault(method);
    if (fault) {
      this.replyFault(method, args, fault, res);
      return;
    }
    // The exchange is the one call made without a token: the app proves itself with its client secret.
    if (method === 'oauth.v2.access') {
      const result = this.oauth.exchange(args, header);
      if (result.ok) this.revoked = false;
      return this.reply(method, args, res, result);
    }
    if (!token) return this.reply(method, args, res, { ok: false, error: 'not_authed' });
    if (method === 'apps.connections.open') return this.reply(method, args, res, this.openConnection(token));
    // Slack: an app-level token opens connections and nothing else; a bot token cannot open them.
    if (token === this.appToken)
      return this.reply(method, args, res, { ok: false, error: 'not_allowed_token_type' });
    const check = this.checkToken(token);
    if (check === 'expired') return this.reply(method, args, res, { ok: false, error: 'token_expired' });
    if (check === 'unknown') return this.reply(method, args, res, { ok: false, error: 'invalid_auth' });
    if (this.revoked) return this.reply(method, args, res, { ok: false, error: 'token_revoked' });

    if (method === 'chat.postMessage' && this.rateLimited(args)) {
      const retryAfter = this.rateLimit?.retryAfterSec ?? 1;
      const result = { ok: false, error: 'ratelimited' };
      this.record(method, args, 429, result);
      sendJson(res, 429, result, { 'retry-after': String(retryAfter) });
      return;
    }
    const result = callWebApi(this.workspace, method, args);
    const silent = this.unanswered.findIndex((rule) => rule.matches(method, args));
    if (silent >= 0) {
      const [rule] = this.unanswered.splice(silent, 1);
      this.record(method, args, 200, result);
      rule?.taken();
    } else this.reply(method, args, res, result);
    if (result.ok && MUTATING.has(method)) this.changed();
  }

  private reply(method: string, args: Args, res: ServerResponse, result: ApiResult): void {
    this.record(method, args, 200, result);
    sendJson(res, 200, result);
  }

  private record(method: string, args: Args, status: number, result: { ok: boolean; error?: unknown }): void {
    this.callCounts.set(method, (this.callCounts.get(method) ?? 0) + 1);
    if (this.callLog.length >= MAX_CALL_LOG) this.callLog.splice(0, this.callLog.length - MAX_CALL_LOG + 1);
    this.callLog.push({
      method,
      args,
      status,
      ok: result.ok,
      error: typeof result.error === 'string' ? result.error : undefined,
      at: Date.now(),
    });
  }

  private takeFault(method: string): Fault | null {
    for (const rule of this.faultRules) {
      if (rule.method && rule.method !== method) continue;
      if (rule.kind === 'next') {
        if (rule.remaining <= 0) continue;
        rule.remaining -= 1;
        return rule.fault;
      }
      if (rule.okLeft > 0) {
        rule.okLeft -= 1;
        continue;
      }
      return rule.fault;
    }
    return null;
  }

  private replyFault(method: string, args: Args, fault: Fault, res: ServerResponse): void {
    const spec = typeof fault === 'string' ? { error: fault } : fault;
    const status = spec.status ?? 200;
    if (status === 429) {
      const result = { ok: false, error: spec.error ?? 'ratelimited' };
      this.record(method, args, 429, result);
      sendJson(res, 429, result, { 'retry-after': String(spec.retryAfter ?? 1) });
      return;
    }
    const result = { ok: false, error: spec.error ?? (status === 200 ? 'internal_error' : `http_${status}`) };
    this.record(method, args, status, result);
    sendJson(res, status, result);
  }

  /** Sliding window per channel; only accepted posts count, like Slack's per-channel budget. */
  private rateLimited(args: Args): boolean {
    const limit = this.rateLimit;
    if (!limit) return false;
    const ref = typeof args.channel === 'string' ? args.channel : '';
    const key = this.workspace.channel(ref)?.id ?? ref;
    const now = Date.now();
    const recent = (this.postTimes.get(key) ?? []).filter((t) => now - t < limit.windowMs);
    if (recent.length >= limit.max) {
      this.postTimes.set(key, recent);
      return true;
    }
    recent.push(now);
    this.postTimes.set(key, recent);
    return false;
  }

  // ---- Socket Mode ---------------------------------------------------------------------------

  /** From now on apps.connections.open hands out this link's URLs, and VIA_SOCKET_MODE sends through it. */
  attachSocketMode(link: SocketModeLink | null): void {
    this.socketMode = link;
  }

  private openConnection(token: string): ApiResult {
    if (token === this.token) return { ok: false, error: 'not_allowed_token_type' };
    if (token !== this.appToken) return { ok: false, error: 'invalid_auth' };
    // Slack always has a server; a stand-in without one attached says so rather than hand out a dead URL.
    if (!this.socketMode) return { ok: false, error: 'socket_mode_not_attached' };
    return { ok: true, url: this.socketMode.connectionUrl() };
  }

  /**
   * What Slack sends an app, by the app's way in: a signed HTTP request to `target`, or (target
   * VIA_SOCKET_MODE) an envelope whose payload is the same object, acked by envelope_id.
   */
  private toApp(
    target: string,
    signingSecret: string,
    type: EnvelopeType,
    payload: Record<string, unknown>,
    options: { retryNum?: number; retryReason?: string } = {},
  ): Promise<BoltReply> {
    if (target === VIA_SOCKET_MODE) {
      if (!this.socketMode) throw new Error('No Socket Mode server is attached to the stand-in');
      return this.socketMode.send(type, payload, {
        ...(options.retryNum !== undefined ? { retryAttempt: options.retryNum } : {}),
        ...(options.retryReason !== undefined ? { retryReason: options.retryReason } : {}),
      });
    }
    if (type === 'events_api') {
      const headers: Record<string, string> = {};
      if (options.retryNum !== undefined) {
        headers['x-slack-retry-num'] = String(options.retryNum);
        headers['x-slack-retry-reason'] = options.retryReason ?? 'http_timeout';
      }
      return postSigned(target, signingSecret, JSON.stringify(payload), 'application/json', headers);
    }
    const form =
      type === 'slash_commands'
        ? new URLSearchParams(payload as Record<string, string>).toString()
        : new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
    return postSigned(target, signingSecret, form, 'application/x-www-form-urlencoded');
  }

  // ---- response_url ----------------------------------------------------------------------------

  /** A response_url for an interaction in `channel` by `user`; what is POSTed there lands in the workspace. */
  createResponseUrl(input: ResponseContext): string {
    return this.responseUrls.urlOf(this.responseUrls.create(input));
  }

  /** respond() payloads received at a response_url (its full URL or its id). */
  responses(urlOrId: string): ResponsePayload[] {
    return this.responseUrls.responses(urlOrId);
  }

  // ---- acting as Slack towards a Bolt app ------------------------------------------------------

  private team(): TeamInfo & { botUserId: string } {
    const { teamId, teamDomain, appId, botUserId } = this.workspace.identity;
    return { teamId, teamDomain, appId, botUserId };
  }

  private requireChannel(ref: string): Channel {
    const channel = this.workspace.channel(ref);
    if (!channel) throw new Error(`No channel "${ref}" in the stand-in workspace`);
    return channel;
  }

  /**
   * Sends a slash command to Bolt (`boltUrl` is its events endpoint, e.g. http://127.0.0.1:3000/slack/events)
   * the way Slack does. A non-empty ack body is shown like Slack shows it: ephemeral, or in the channel
   * for `response_type: in_channel`.
   */
  async sendSlashCommand(
    boltUrl: string,
    signingSecret: string,
    input: { command: string; text?: string; user?: string; channel?: string },
  ): Promise<Interaction> {
    const channel = this.requireChannel(input.channel ?? 'briefings');
    const user = this.workspace.user(input.user ?? LOCAL_USER.id);
    if (!user) throw new Error(`No user "${input.user}" in the stand-in workspace`);
    const target = this.responseUrls.create({ channel: channel.id, user: user.id });
    const responseUrl = this.responseUrls.urlOf(target);
    const form = slashCommandPayload(
      this.team(),
      {
        command: input.command,
        text: input.text ?? '',
        userId: user.id,
        userName: user.name,
        channelId: channel.id,
        channelName: channel.name,
      },
      responseUrl,
    );
    const reply = await this.toApp(boltUrl, signingSecret, 'slash_commands', form);
    this.responseUrls.showAck(target, reply);
    return this.responseUrls.interaction(target, reply);
  }

  /** Sends one Events API callback (signed JSON), optionally as one of Slack's retries. */
  async sendEvent(
    boltUrl: string,
    signingSecret: string,
    event: Record<string, unknown>,
    options: { retryNum?: number; retryReason?: string; eventId?: string } = {},
  ): Promise<BoltReply & { eventId: string }> {
    const eventId = options.eventId ?? randomId('Ev', 10);
    const reply = await this.toApp(
      boltUrl,
      signingSecret,
      'events_api',
      eventCallback(this.team(), event, eventId),
      options,
    );
    return { ...reply, eventId };
  }

  /**
   * An admin removes the app from the workspace: the bot token stops working (token_revoked), and the
   * app gets `tokens_revoked` then `app_uninstalled`, as Slack sends both.
   */
  async uninstall(boltUrl: string, signingSecret: string): Promise<Array<BoltReply & { eventId: string }>> {
    this.revoked = true;
    const bot = this.workspace.identity.botUserId;
    return [
      await this.sendEvent(boltUrl, signingSecret, {
        type: 'tokens_revoked',
        tokens: { bot: [bot] },
        event_ts: `${Date.now() / 1000}`,
      }),
      await this.sendEvent(boltUrl, signingSecret, {
        type: 'app_uninstalled',
        event_ts: `${Date.now() / 1000}`,
      }),
    ];
  }

  /**
   * A person writes in a channel or thread: the message is stored, then Bolt gets the `message` event
   * and, when the text mentions the bot (`<@U_BOT>`), an `app_mention` event — both, as Slack sends
   * both to an app subscribed to both.
   */
  async userSays(
    boltUrl: string,
    signingSecret: string,
    input: { channel: string; text: string; user?: string; thread_ts?: string },
  ): Promise<UserMessageDelivery> {
    const channel = this.requireChannel(input.channel);
    const result = this.workspace.postAsUser({
      channel: channel.id,
      user: input.user ?? LOCAL_USER.id,
      text: input.text,
      thread_ts: input.thread_ts,
    });
    if (!result.ok) throw new Error(`Could not post as a user: ${result.error}`);
    this.changed();
    const message = result.message as StoredMessage;
    const parent = message.thread_ts ? this.workspace.findMessage(channel.id, message.thread_ts) : undefined;
    const common = {
      user: message.user,
      text: message.text,
      ts: message.ts,
      channel: channel.id,
      event_ts: message.ts,
      team: this.workspace.identity.teamId,
      ...(message.thread_ts ? { thread_ts: message.thread_ts, parent_user_id: parent?.user } : {}),
    };
    const replies: UserMessageDelivery['replies'] = [];
    const messageEvent = {
      type: 'message',
      channel_type: channel.isPrivate ? 'group' : 'channel',
      ...common,
    };
    replies.push({ ...(await this.sendEvent(boltUrl, signingSecret, messageEvent)), type: 'message' });
    if (message.text.includes(`<@${this.workspace.identity.botUserId}>`)) {
      const mention = { type: 'app_mention', ...common };
      replies.push({ ...(await this.sendEvent(boltUrl, signingSecret, mention)), type: 'app_mention' });
    }
    return { message, replies };
  }

  /**
   * Clicks a button: finds it by action_id in the message's blocks (a channel message, or an
   * ephemeral one when `ephemeralTs` is given) and sends Slack's block_actions payload.
   */
  async sendBlockAction(
    boltUrl: string,
    signingSecret: string,
    input: { channel: string; messageTs?: string; ephemeralTs?: string; actionId: string; user?: string },
  ): Promise<Interaction> {
    const channel = this.requireChannel(input.channel);
    const user = this.workspace.user(input.user ?? LOCAL_USER.id);
    if (!user) throw new Error(`No user "${input.user}" in the stand-in workspace`);
    let blocks: Block[] | undefined;
    let message: StoredMessage | undefined;
    const ts = input.ephemeralTs ?? input.messageTs;
    if (!ts) throw new Error('sendBlockAction needs messageTs or ephemeralTs');
    if (input.ephemeralTs) {
      blocks = this.workspace.ephemerals(user.id).find((e) => e.ts === input.ephemeralTs)?.blocks;
    } else {
      message = this.workspace.findMessage(channel.id, ts);
      blocks = message?.blocks;
    }
    if (!blocks) throw new Error(`No message ${ts} with blocks in #${channel.name}`);
    const found = findAction(blocks, input.actionId);
    if (!found) throw new Error(`No element with action_id "${input.actionId}" in message ${ts}`);
    const target = this.responseUrls.create({
      channel: channel.id,
      user: user.id,
      messageTs: ts,
      messageIsEphemeral: Boolean(input.ephemeralTs),
    });
    const responseUrl = this.responseUrls.urlOf(target);
    const { teamId, teamDomain, appId } = this.workspace.identity;
    const payload = {
      type: 'block_actions',
      user: { id: user.id, username: user.name, name: user.name, team_id: teamId },
      api_app_id: appId,
      token: 'local-verification-token',
      container: {
        type: 'message',
        message_ts: ts,
        channel_id: channel.id,
        is_ephemeral: Boolean(input.ephemeralTs),
        ...(message?.thread_ts ? { thread_ts: message.thread_ts } : {}),
      },
      trigger_id: `${Date.now()}.${randomId('', 8)}`,
      team: { id: teamId, domain: teamDomain },
      enterprise: null,
      is_enterprise_install: false,
      channel: { id: channel.id, name: channel.name },
      ...(message ? { message } : {}),
      state: { values: {} },
      response_url: responseUrl,
      actions: [{ ...found.element, block_id: found.blockId, action_ts: String(Date.now() / 1000) }],
    };
    const reply = await this.toApp(boltUrl, signingSecret, 'interactive', payload);
    return this.responseUrls.interaction(target, reply);
  }

  // ---- App Home, files and message shortcuts -----------------------------------------------------

  /** The Home tab a user sees (what the app last published with views.publish). */
  homeView(user: string = LOCAL_USER.id): HomeView | undefined {
    return this.workspace.homeView(user);
  }

  /** A person opens the app's Home tab: Slack sends `app_home_opened` (with the last view, if any). */
  async openHome(
    boltUrl: string,
    signingSecret: string,
    input: { user?: string } = {},
  ): Promise<BoltReply & { eventId: string }> {
    const user = this.workspace.user(input.user ?? LOCAL_USER.id);
    if (!user) throw new Error(`No user "${input.user}" in the stand-in workspace`);
    const dm = this.workspace.openIm(user.id);
    const view = this.workspace.homeView(user.id);
    return this.sendEvent(boltUrl, signingSecret, {
      type: 'app_home_opened',
      user: user.id,
      channel: dm.id,
      tab: 'home',
      event_ts: this.workspace.nextTs(),
      ...(view ? { view: { ...view, team_id: this.workspace.identity.teamId } } : {}),
    });
  }

  /**
   * Clicks a button of the user's Home tab: block_actions with a `view` container. A Home tab has no
   * response_url; `value` picks one of several buttons sharing an action_id.
   */
  async clickHomeButton(
    boltUrl: string,
    signingSecret: string,
    input: { actionId: string; value?: string; user?: string },
  ): Promise<BoltReply> {
    const user = this.workspace.user(input.user ?? LOCAL_USER.id);
    if (!user) throw new Error(`No user "${input.user}" in the stand-in workspace`);
    const view = this.workspace.homeView(user.id);
    if (!view) throw new Error(`No Home tab published for ${user.id}`);
    const found = findAction(view.blocks, input.actionId, input.value);
    if (!found) throw new Error(`No element with action_id "${input.actionId}" in ${user.id}'s Home tab`);
    const { teamId, teamDomain, appId } = this.workspace.identity;
    const payload = {
      type: 'block_actions',
      user: { id: user.id, username: user.name, name: user.name, team_id: teamId },
      api_app_id: appId,
      token: 'local-verification-token',
      container: { type: 'view', view_id: view.id },
      trigger_id: `${Date.now()}.${randomId('', 8)}`,
      team: { id: teamId, domain: teamDomain },
      enterprise: null,
      is_enterprise_install: false,
      view: { ...view, team_id: teamId, app_id: appId, state: { values: {} } },
      actions: [{ ...found.element, block_id: found.blockId, action_ts: String(Date.now() / 1000) }],
    };
    return this.toApp(boltUrl, signingSecret, 'interactive', payload);
  }

  /** A person shares a file in a channel (Slack's upload): a message carrying the file. */
  shareFile(input: {
    channel: string;
    name: string;
    mimetype: string;
    content: Buffer | string;
    text?: string;
    user?: string;
  }): StoredMessage {
    const channel = this.requireChannel(input.channel);
    const result = this.workspace.shareFile({
      channel: channel.id,
      user: input.user ?? LOCAL_USER.id,
      name: input.name,
      mimetype: input.mimetype,
      content: Buffer.isBuffer(input.content) ? input.content : Buffer.from(input.content, 'utf8'),
      ...(input.text ? { text: input.text } : {}),
    });
    if (!result.ok) throw new Error(`Could not share the file: ${result.error}`);
    this.changed();
    return result.message as StoredMessage;
  }

  /**
   * A message shortcut chosen on a message (its "More actions" menu): Slack's `message_action`
   * payload, with a response_url for the answer.
   */
  async sendMessageShortcut(
    boltUrl: string,
    signingSecret: string,
    input: { channel: string; messageTs: string; callbackId: string; user?: string },
  ): Promise<Interaction> {
    const channel = this.requireChannel(input.channel);
    const user = this.workspace.user(input.user ?? LOCAL_USER.id);
    if (!user) throw new Error(`No user "${input.user}" in the stand-in workspace`);
    const message = this.workspace.findMessage(channel.id, input.messageTs);
    if (!message) throw new Error(`No message ${input.messageTs} in #${channel.name}`);
    const target = this.responseUrls.create({ channel: channel.id, user: user.id });
    const { teamId, teamDomain, appId } = this.workspace.identity;
    const payload = {
      type: 'message_action',
      token: 'local-verification-token',
      action_ts: String(Date.now() / 1000),
      team: { id: teamId, domain: teamDomain },
      user: { id: user.id, username: user.name, name: user.name, team_id: teamId },
      channel: { id: channel.id, name: channel.name },
      is_enterprise_install: false,
      enterprise: null,
      callback_id: input.callbackId,
      trigger_id: `${Date.now()}.${randomId('', 8)}`,
      response_url: this.responseUrls.urlOf(target),
      message_ts: message.ts,
      message: { ...message },
      api_app_id: appId,
    };
    const reply = await this.toApp(boltUrl, signingSecret, 'interactive', payload);
    return this.responseUrls.interaction(target, reply);
  }
}

/** Methods whose success changes what a channel shows. */
const MUTATING = new Set([
  'views.publish',
  'chat.postMessage',
  'chat.postEphemeral',
  'chat.update',
  'chat.delete',
  'conversations.join',
]);

function findAction(
  blocks: Block[],
  actionId: string,
  value?: string,
): { blockId: string; element: Record<string, unknown> } | undefined {
  for (const [index, block] of blocks.entries()) {
    const blockId = typeof block.block_id === 'string' ? block.block_id : `block_${index}`;
    const candidates: unknown[] = [];
    if (Array.isArray(block.elements)) candidates.push(...block.elements);
    if (block.accessory) candidates.push(block.accessory);
    for (const element of candidates) {
      if (
        typeof element === 'object' &&
        element !== null &&
        (element as { action_id?: unknown }).action_id === actionId &&
        (value === undefined || (element as { value?: unknown }).value === value)
      ) {
        return { blockId, element: element as Record<string, unknown> };
      }
    }
  }
  return undefined;
}
