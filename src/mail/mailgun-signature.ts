import { createHmac } from 'node:crypto';
import type { TokenStore } from '../store/types.js';
import { safeEqual } from './auth.js';

/** Mailgun's advice: refuse signatures whose timestamp is more than 5 minutes old. */
export const SIGNATURE_MAX_AGE_MS = 5 * 60_000;
/** Clocks drift; a timestamp this far ahead of ours is still believed, further is refused. */
export const SIGNATURE_MAX_FUTURE_MS = 30_000;
/**
 * Tokens remembered to refuse replays. A token only matters while its timestamp is fresh (5 min);
 * 10,000 is far above any desk's mail rate in that window, and bounds memory to ~1 MB.
 */
export const REPLAY_CACHE_MAX_TOKENS = 10_000;

export interface MailgunSignatureFields {
  timestamp: string;
  token: string;
  signature: string;
}

export type SignatureCheck = { ok: true; timestampMs: number } | { ok: false; reason: string };

export function mailgunSignature(key: string, timestamp: string, token: string): string {
  return createHmac('sha256', key)
    .update(timestamp + token)
    .digest('hex');
}

/** Verifies the HMAC and the timestamp window; replay is the caller's job (see ReplayGuard). */
export function verifyMailgunSignature(
  fields: MailgunSignatureFields,
  key: string,
  now: Date,
): SignatureCheck {
  if (!/^\d{1,12}$/.test(fields.timestamp))
    return { ok: false, reason: 'signature timestamp is not a number' };
  if (fields.token.length === 0 || fields.token.length > 256)
    return { ok: false, reason: 'signature token missing' };
  const expected = mailgunSignature(key, fields.timestamp, fields.token);
  if (!safeEqual(fields.signature.toLowerCase(), expected))
    return { ok: false, reason: 'signature mismatch' };
  const timestampMs = Number(fields.timestamp) * 1000;
  const age = now.getTime() - timestampMs;
  if (age > SIGNATURE_MAX_AGE_MS)
    return { ok: false, reason: `stale signature (${Math.round(age / 1000)} s old)` };
  if (-age > SIGNATURE_MAX_FUTURE_MS) return { ok: false, reason: 'signature timestamp is in the future' };
  return { ok: true, timestampMs };
}

/**
 * Remembers signature tokens until their timestamp leaves the freshness window (after that the
 * timestamp check refuses them anyway). Bounded by count: when full the oldest is forgotten, which
 * at worst lets one very old replay through to ingest, where the Message-ID makes it a duplicate.
 */
export class ReplayGuard {
  private readonly expiries = new Map<string, number>();

  constructor(private readonly maxTokens = REPLAY_CACHE_MAX_TOKENS) {}

  /** Records the token; false when it was already seen. */
  claim(token: string, timestampMs: number, nowMs: number): boolean {
    this.evictExpired(nowMs);
    if (this.expiries.has(token)) return false;
    if (this.expiries.size >= this.maxTokens) {
      const oldest = this.expiries.keys().next();
      if (!oldest.done) this.expiries.delete(oldest.value);
    }
    this.expiries.set(token, timestampMs + SIGNATURE_MAX_AGE_MS + SIGNATURE_MAX_FUTURE_MS);
    return true;
  }

  /** Forgets a token whose request failed on our side, so the provider's retry is not taken for a replay. */
  release(token: string): void {
    this.expiries.delete(token);
  }

  get size(): number {
    return this.expiries.size;
  }

  private evictExpired(nowMs: number): void {
    // Insertion order is roughly expiry order; stop at the first live entry to keep this O(expired).
    for (const [token, expiry] of this.expiries) {
      if (expiry > nowMs) break;
      this.expiries.delete(token);
    }
  }
}

/**
 * Where the handler remembers Mailgun tokens. One process: a ReplayGuard in memory. Several instances
 * (PostgreSQL): the store's one-use keys, so a token replayed to another instance is refused too.
 */
export interface ReplayTokens {
  /** Records the token; false when it was already seen. */
  claim(token: string, timestampMs: number, nowMs: number): Promise<boolean>;
  release(token: string): Promise<void>;
}

export function memoryReplayTokens(guard = new ReplayGuard()): ReplayTokens {
  return {
    claim: async (token, timestampMs, nowMs) => guard.claim(token, timestampMs, nowMs),
    release: async (token) => guard.release(token),
  };
}

export function storeReplayTokens(store: TokenStore): ReplayTokens {
  return {
    // Kept as long as ReplayGuard keeps it: until the timestamp check would refuse it anyway.
    claim: (token, timestampMs, nowMs) =>
      store.firstSighting(
        'mailgun',
        token,
        timestampMs + SIGNATURE_MAX_AGE_MS + SIGNATURE_MAX_FUTURE_MS,
        nowMs,
      ),
    release: (token) => store.forgetToken('mailgun', token),
  };
}
