/**
 * Claims and one-use keys (ClaimStore, TokenStore), the same on both stores: the embedded store in
 * memory (one process) and PostgreSQL, where two stores on one database stand for two instances —
 * a claim is one owner's until released or expired, a channel's `done` paces the next poster, and a
 * key is seen once by the whole deployment. Leases are real durations: the waits here are a few
 * hundred milliseconds of a lease running out, not a measure of speed.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openMemoryStore } from '../../src/store/index.js';
import { openPostgresStore } from '../../src/store/postgres/index.js';
import type { ClaimStore, Store, TokenStore } from '../../src/store/types.js';
import { type PostgresServer, SKIP_POSTGRES, startPostgres } from '../support/postgres-server.js';

type Pair = { a: ClaimStore & TokenStore; b: ClaimStore & TokenStore; close(): Promise<void> };

function contract(name: string, skip: boolean, open: () => Promise<Pair>) {
  describe.skipIf(skip)(`claims on ${name}`, () => {
    it('gives a unit to one owner at a time, renews it for that owner, and frees it on release', async () => {
      const { a, b, close } = await open();
      try {
        expect(await a.claim('delivery', 'b_1', 'one', 10_000)).toEqual({ ok: true, sinceDoneMs: null });
        const refused = await b.claim('delivery', 'b_1', 'two', 10_000);
        expect(refused.ok).toBe(false);
        if (!refused.ok) expect(refused.heldForMs).toBeGreaterThan(5_000);
        // The holder asking again is a renewal, not a refusal.
        expect((await a.claim('delivery', 'b_1', 'one', 10_000)).ok).toBe(true);
        expect(await a.renewClaims('one', 10_000)).toBe(1);
        expect(await b.renewClaims('two', 10_000)).toBe(0);
        // Only the holder can give it up.
        await b.release('delivery', 'b_1', 'two');
        expect((await b.claim('delivery', 'b_1', 'two', 10_000)).ok).toBe(false);
        await a.release('delivery', 'b_1', 'one');
        expect((await b.claim('delivery', 'b_1', 'two', 10_000)).ok).toBe(true);
      } finally {
        await close();
      }
    });

    it('lets another owner take a claim whose holder stopped renewing once its lease ran out', async () => {
      const { a, b, close } = await open();
      try {
        expect((await a.claim('digest', '2021-10-07', 'dead', 300)).ok).toBe(true);
        expect((await b.claim('digest', '2021-10-07', 'alive', 10_000)).ok).toBe(false);
        await sleep(400);
        expect((await b.claim('digest', '2021-10-07', 'alive', 10_000)).ok).toBe(true);
        // The dead owner's late renewal holds nothing any more.
        expect(await a.renewClaims('dead', 10_000)).toBe(0);
        expect((await a.claim('digest', '2021-10-07', 'dead', 300)).ok).toBe(false);
      } finally {
        await close();
      }
    });

    it("keeps a channel's last post time across holders, so the next poster knows how long to wait", async () => {
      const { a, b, close } = await open();
      try {
        expect((await a.claim('channel', 'C1', 'one', 10_000)).ok).toBe(true);
        await a.release('channel', 'C1', 'one', true);
        const next = await b.claim('channel', 'C1', 'two', 10_000);
        expect(next.ok).toBe(true);
        if (next.ok) {
          expect(next.sinceDoneMs).not.toBeNull();
          expect(next.sinceDoneMs!).toBeGreaterThanOrEqual(0);
          expect(next.sinceDoneMs!).toBeLessThan(5_000);
        }
        // Released without a post: the time of the last post stays.
        await b.release('channel', 'C1', 'two');
        await sleep(50);
        const third = await a.claim('channel', 'C1', 'one', 10_000);
        expect(third.ok && third.sinceDoneMs! >= 50).toBe(true);
      } finally {
        await close();
      }
    });

    it('sees a one-use key once across owners, again once it expired or was forgotten', async () => {
      const { a, b, close } = await open();
      try {
        const now = Date.now();
        expect(await a.firstSighting('mailgun', 'tok', now + 60_000, now)).toBe(true);
        expect(await b.firstSighting('mailgun', 'tok', now + 60_000, now)).toBe(false);
        // Scopes are separate namespaces.
        expect(await b.firstSighting('slack-request', 'tok', now + 60_000, now)).toBe(true);
        // Past its expiry, by the caller's clock, the key is new again.
        expect(await b.firstSighting('mailgun', 'tok', now + 120_000, now + 61_000)).toBe(true);
        await a.forgetToken('mailgun', 'tok');
        expect(await b.firstSighting('mailgun', 'tok', now + 60_000, now)).toBe(true);
      } finally {
        await close();
      }
    });

    it('lets exactly one of many simultaneous claimers win', async () => {
      const { a, b, close } = await open();
      try {
        const results = await Promise.all(
          Array.from({ length: 20 }, (_, n) => (n % 2 ? a : b).claim('delivery', 'b_race', `o${n}`, 10_000)),
        );
        expect(results.filter((result) => result.ok)).toHaveLength(1);
      } finally {
        await close();
      }
    });
  });
}

contract('the embedded store (one process)', false, async () => {
  const store: Store = await openMemoryStore();
  return { a: store, b: store, close: () => store.close() };
});

let server: PostgresServer | null = null;
describe.skipIf(SKIP_POSTGRES)('PostgreSQL server', () => {
  beforeAll(async () => {
    server = await startPostgres();
  });
  afterAll(async () => {
    await server?.stop();
  });
  contract('PostgreSQL (two instances on one database)', SKIP_POSTGRES, async () => {
    if (!server) throw new Error('no PostgreSQL server');
    const url = await server.newDatabase();
    const a = await openPostgresStore({ url, max: 4 });
    const b = await openPostgresStore({ url, max: 4 });
    return {
      a,
      b,
      async close() {
        await a.close();
        await b.close();
      },
    };
  });
});
