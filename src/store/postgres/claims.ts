import type { Sql } from 'postgres';
import type { ClaimKind, ClaimResult, ClaimStore, TokenScope, TokenStore } from '../types.js';

/**
 * Claims and one-use keys as rows (migration 0006), shared by every instance on the database.
 *
 * A claim is one `insert … on conflict do update … where` statement: PostgreSQL takes the conflicting
 * row's lock and re-checks the condition on its newest version, so of two instances reaching for one
 * unit at once exactly one gets a row back. Leases are measured with the database's clock
 * (clock_timestamp(), which moves within a statement too), so the instances' clocks need not agree.
 */
export class PostgresClaims implements ClaimStore, TokenStore {
  readonly #sql: Sql;
  readonly #assertOpen: () => void;

  constructor(sql: Sql, assertOpen: () => void) {
    this.#sql = sql;
    this.#assertOpen = assertOpen;
  }

  async claim(kind: ClaimKind, name: string, owner: string, leaseMs: number): Promise<ClaimResult> {
    this.#assertOpen();
    const lease = leaseMs / 1000;
    const [taken] = await this.#sql<{ since_done_ms: number | null }[]>`
      insert into claims (kind, name, owner, expires_at)
      values (${kind}, ${name}, ${owner}, clock_timestamp() + make_interval(secs => ${lease}))
      on conflict (kind, name) do update
        set owner = excluded.owner, expires_at = excluded.expires_at
        where claims.owner is null or claims.owner = excluded.owner or claims.expires_at <= clock_timestamp()
      returning (extract(epoch from clock_timestamp() - claims.done_at) * 1000)::float8 as since_done_ms`;
    if (taken) return { ok: true, sinceDoneMs: taken.since_done_ms };
    const [held] = await this.#sql<{ held_ms: number }[]>`
      select greatest(0, extract(epoch from expires_at - clock_timestamp()) * 1000)::float8 as held_ms
      from claims where kind = ${kind} and name = ${name}`;
    // Released between the two statements: free now, the caller asks again at once.
    return { ok: false, heldForMs: held?.held_ms ?? 0 };
  }

  async release(kind: ClaimKind, name: string, owner: string, done = false): Promise<void> {
    this.#assertOpen();
    if (done) {
      await this.#sql`
        update claims set owner = null, expires_at = clock_timestamp(), done_at = clock_timestamp()
        where kind = ${kind} and name = ${name} and owner = ${owner}`;
      return;
    }
    // A unit with a done_at (a channel) keeps its row for the next poster's pacing.
    await this.#sql`
      delete from claims where kind = ${kind} and name = ${name} and owner = ${owner} and done_at is null`;
    await this.#sql`
      update claims set owner = null, expires_at = clock_timestamp()
      where kind = ${kind} and name = ${name} and owner = ${owner}`;
  }

  async renewClaims(owner: string, leaseMs: number): Promise<number> {
    this.#assertOpen();
    const rows = await this.#sql`
      update claims set expires_at = clock_timestamp() + make_interval(secs => ${leaseMs / 1000})
      where owner = ${owner} returning name`;
    return rows.length;
  }

  async firstSighting(scope: TokenScope, key: string, expiresAtMs: number, nowMs: number): Promise<boolean> {
    this.#assertOpen();
    // The caller's clock, like the timestamp check that bounds a key's life.
    const now = new Date(nowMs);
    const rows = await this.#sql`
      insert into seen_tokens (scope, key, expires_at) values (${scope}, ${key}, ${new Date(expiresAtMs)})
      on conflict (scope, key) do update set expires_at = excluded.expires_at
        where seen_tokens.expires_at <= ${now}
      returning key`;
    // Expired keys go now and then, not on every request.
    if (rows.length > 0 && Math.random() < 0.01) {
      await this.#sql`delete from seen_tokens where expires_at <= ${now}`;
    }
    return rows.length > 0;
  }

  async forgetToken(scope: TokenScope, key: string): Promise<void> {
    this.#assertOpen();
    await this.#sql`delete from seen_tokens where scope = ${scope} and key = ${key}`;
  }
}
