import type { ClaimKind, ClaimResult, ClaimStore, TokenScope, TokenStore } from './types.js';

/**
 * ClaimStore and TokenStore for the embedded store. Its directory lock admits one process, so this
 * process's memory is the whole truth: nothing here needs to survive a restart (a restarted process
 * holds no claim, and a key matters only for minutes). The same interface on PostgreSQL is rows, so
 * the deliverer and the digest run one code path on both stores.
 */
export class MemoryClaims implements ClaimStore, TokenStore {
  readonly #claims = new Map<string, { owner: string | null; expiresAt: number; doneAt: number | null }>();
  readonly #tokens = new Map<string, number>();
  readonly #clock: () => number;
  readonly #maxTokens: number;

  /** `maxTokens`: ten minutes of the busiest mail and Slack traffic is far below 100,000 keys. */
  constructor(options: { clock?: () => number; maxTokens?: number } = {}) {
    this.#clock = options.clock ?? Date.now;
    this.#maxTokens = options.maxTokens ?? 100_000;
  }

  async claim(kind: ClaimKind, name: string, owner: string, leaseMs: number): Promise<ClaimResult> {
    const now = this.#clock();
    const key = `${kind}\u0000${name}`;
    const row = this.#claims.get(key);
    if (row && row.owner !== null && row.owner !== owner && row.expiresAt > now) {
      return { ok: false, heldForMs: row.expiresAt - now };
    }
    const doneAt = row?.doneAt ?? null;
    this.#claims.set(key, { owner, expiresAt: now + leaseMs, doneAt });
    return { ok: true, sinceDoneMs: doneAt === null ? null : now - doneAt };
  }

  async release(kind: ClaimKind, name: string, owner: string, done = false): Promise<void> {
    const key = `${kind}\u0000${name}`;
    const row = this.#claims.get(key);
    if (!row || row.owner !== owner) return;
    if (done) this.#claims.set(key, { owner: null, expiresAt: 0, doneAt: this.#clock() });
    else if (row.doneAt === null) this.#claims.delete(key);
    else this.#claims.set(key, { owner: null, expiresAt: 0, doneAt: row.doneAt });
  }

  async renewClaims(owner: string, leaseMs: number): Promise<number> {
    const until = this.#clock() + leaseMs;
    let held = 0;
    for (const row of this.#claims.values()) {
      if (row.owner !== owner) continue;
      row.expiresAt = until;
      held += 1;
    }
    return held;
  }

  async firstSighting(scope: TokenScope, key: string, expiresAtMs: number, now: number): Promise<boolean> {
    const id = `${scope}\u0000${key}`;
    const known = this.#tokens.get(id);
    if (known !== undefined && known > now) return false;
    this.#tokens.delete(id);
    this.#tokens.set(id, expiresAtMs);
    // Insertion order is (nearly) expiry order: every key expires a fixed time after its request.
    for (const [other, expiresAt] of this.#tokens) {
      if (this.#tokens.size <= this.#maxTokens && expiresAt > now) break;
      this.#tokens.delete(other);
    }
    return true;
  }

  async forgetToken(scope: TokenScope, key: string): Promise<void> {
    this.#tokens.delete(`${scope}\u0000${key}`);
  }
}
