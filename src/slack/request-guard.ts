/**
 * The check every request to Bolt's endpoint passes before Bolt sees it. Bolt verifies the HMAC
 * signature and refuses timestamps more than five minutes old, but accepts any timestamp in the
 * future (a request signed "for later" stays valid for as long as its author likes) and answers the
 * same signed request as often as it is sent (a captured slash command can be replayed). Here:
 * timestamps within five minutes either way, and each signed request answered once.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { Logger } from '@slack/bolt';
import type { TokenStore } from '../store/types.js';

/** Slack's own window (and Bolt's, for the past): five minutes either way. */
export const SIGNATURE_TOLERANCE_MS = 5 * 60 * 1000;
/** Bolt's own body limit for /slack/events; Slack's payloads are far smaller. */
export const MAX_SLACK_BODY_BYTES = 4 * 1024 * 1024;

/**
 * Signed requests already answered. A key needs remembering only while its timestamp is inside the
 * window (`expiresAtMs`); later the timestamp check refuses it anyway. Promise-based so that several
 * instances can share one table (PostgreSQL).
 */
export interface SeenRequests {
  /** Records `key`; true the first time it is seen before `expiresAtMs` (`nowMs`: the guard's clock). */
  firstSighting(key: string, expiresAtMs: number, nowMs?: number): Promise<boolean>;
}

/** SeenRequests in the store's one-use keys: shared by every instance on PostgreSQL. */
export function storeSeenRequests(store: TokenStore): SeenRequests {
  return {
    firstSighting: (key, expiresAtMs, nowMs) =>
      store.firstSighting('slack-request', key, expiresAtMs, nowMs ?? Date.now()),
  };
}

/** The one-process SeenRequests: a map bounded by expiry and by count. */
export class MemorySeenRequests implements SeenRequests {
  readonly #keys = new Map<string, number>();
  readonly #now: () => number;
  readonly #max: number;

  /** `max`: ten minutes of Slack's heaviest traffic to one app is far below 100,000 requests. */
  constructor(options: { now?: () => number; max?: number } = {}) {
    this.#now = options.now ?? Date.now;
    this.#max = options.max ?? 100_000;
  }

  async firstSighting(key: string, expiresAtMs: number): Promise<boolean> {
    const now = this.#now();
    const known = this.#keys.get(key);
    if (known !== undefined && known > now) return false;
    this.#keys.delete(key);
    this.#keys.set(key, expiresAtMs);
    this.#prune(now);
    return true;
  }

  get size(): number {
    return this.#keys.size;
  }

  #prune(now: number): void {
    // Insertion order is (nearly) expiry order: every key expires a fixed time after its request.
    for (const [key, expiresAt] of this.#keys) {
      if (this.#keys.size <= this.#max && expiresAt > now) break;
      this.#keys.delete(key);
    }
  }
}

export interface SignatureCheck {
  ok: boolean;
  reason: string;
  /** When ok: the signature, as the replay key, and when it stops mattering. */
  key?: string;
  expiresAtMs?: number;
}

function header(req: IncomingMessage, name: string): string | null {
  const value = req.headers[name];
  return typeof value === 'string' ? value : null;
}

/** Slack's v0 scheme: hex HMAC-SHA256(secret, "v0:" + timestamp + ":" + body), five minutes either way. */
export function checkSlackSignature(
  secret: string,
  body: Buffer,
  timestampHeader: string | null,
  signatureHeader: string | null,
  nowMs: number,
): SignatureCheck {
  if (!timestampHeader || !/^\d{1,12}$/.test(timestampHeader))
    return { ok: false, reason: 'no valid X-Slack-Request-Timestamp' };
  if (!signatureHeader || !/^v0=[0-9a-f]{64}$/.test(signatureHeader))
    return { ok: false, reason: 'no valid X-Slack-Signature' };
  const timestampMs = Number(timestampHeader) * 1000;
  if (timestampMs < nowMs - SIGNATURE_TOLERANCE_MS) return { ok: false, reason: 'stale timestamp' };
  if (timestampMs > nowMs + SIGNATURE_TOLERANCE_MS) return { ok: false, reason: 'timestamp in the future' };
  const expected = createHmac('sha256', secret).update(`v0:${timestampHeader}:`).update(body).digest();
  const given = Buffer.from(signatureHeader.slice(3), 'hex');
  if (!timingSafeEqual(expected, given)) return { ok: false, reason: 'signature mismatch' };
  return { ok: true, reason: 'ok', key: signatureHeader, expiresAtMs: timestampMs + SIGNATURE_TOLERANCE_MS };
}

function readBody(req: IncomingMessage, limit: number): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
    });
    req.on('end', () => resolve(size > limit ? null : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function refuse(res: ServerResponse, status: number): void {
  res.writeHead(status);
  res.end();
}

export interface GuardOptions {
  signingSecret: string;
  seen: SeenRequests;
  logger: Logger;
  /** The wall clock Slack signs with (not the bot's business clock, which tests move). */
  nowMs?: () => number;
  /** Bolt's endpoints (default /slack/events). */
  endpoints?: string[];
}

/**
 * Wraps Bolt's HTTPReceiver request listener: POSTs to its endpoints are buffered, checked and
 * handed on with `rawBody` set (Bolt then reuses that buffer and checks the signature again);
 * everything else — the mail webhook, /healthz — goes straight through.
 */
export function guardSlackRequests(
  receiver: { requestListener: RequestListener },
  options: GuardOptions,
): void {
  const inner = receiver.requestListener;
  const endpoints = new Set(options.endpoints ?? ['/slack/events']);
  const nowMs = options.nowMs ?? Date.now;
  receiver.requestListener = (req, res) => {
    const path = new URL(req.url ?? '/', 'http://bot.invalid').pathname;
    if (req.method !== 'POST' || !endpoints.has(path)) return inner(req, res);
    void (async () => {
      const body = await readBody(req, MAX_SLACK_BODY_BYTES);
      if (body === null) return refuse(res, 413);
      // Slack's unsigned SSL check carries nothing to act on; Bolt answers it and drops the rest.
      const sslCheck = !req.headers['x-slack-signature'] && /^ssl_check=1(&|$)/.test(body.toString('latin1'));
      if (!sslCheck) {
        const check = checkSlackSignature(
          options.signingSecret,
          body,
          header(req, 'x-slack-request-timestamp'),
          header(req, 'x-slack-signature'),
          nowMs(),
        );
        if (!check.ok || !check.key || check.expiresAtMs === undefined) {
          options.logger.warn(`Refused a request to ${path}: ${check.reason}`);
          return refuse(res, 401);
        }
        if (!(await options.seen.firstSighting(check.key, check.expiresAtMs, nowMs()))) {
          options.logger.warn(`Refused a request to ${path}: replay of a request already answered`);
          return refuse(res, 401);
        }
      }
      Object.assign(req, { rawBody: body });
      inner(req, res);
    })().catch((error: unknown) => {
      options.logger.error(`Checking a request to ${path} failed`, error);
      if (!res.headersSent) refuse(res, 500);
      else res.destroy();
    });
  };
}
