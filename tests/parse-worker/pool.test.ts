/**
 * The parse worker (issue 10.8) gives what the parser gives in this thread — the same briefing, the
 * same refusals with their classes — and a worker that dies or overruns its time is replaced.
 */
import { threadId } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { NotABriefing, parseEmail, SubscriptionConfirmation } from '../../src/briefing/index.js';
import { createParsePool, type ParsePool, RETIRE_AFTER_BYTES } from '../../src/parse-worker/index.js';
import { confirmation, notBriefings } from '../fixtures/not-briefings.js';
import { composeEml } from '../support/seed.js';

let pool: ParsePool | undefined;
afterEach(async () => {
  await pool?.stop();
  pool = undefined;
});

describe('parse worker', () => {
  it('parses in another thread exactly as the parser does here', async () => {
    pool = createParsePool();
    const eml = await composeEml();
    const inWorker = await pool.parse({ kind: 'raw', raw: eml });
    expect(inWorker).toEqual(await parseEmail(eml));
    expect(pool.parsed).toBe(1);
    expect(pool.threadId).not.toBeNull();
    expect(pool.threadId).not.toBe(threadId);
  });

  it('refusals keep their class and reason across the thread', async () => {
    pool = createParsePool();
    const random = (await notBriefings()).find((c) => c.name === '20 KB of random bytes')!;
    await expect(pool.parse({ kind: 'raw', raw: random.raw })).rejects.toBeInstanceOf(NotABriefing);
    const confirm = await pool
      .parse({ kind: 'raw', raw: await confirmation('Confirm your subscription') })
      .catch((error: unknown) => error);
    expect(confirm).toBeInstanceOf(SubscriptionConfirmation);
    expect((confirm as SubscriptionConfirmation).confirm?.url).toBe(
      'https://list.example.org/confirm?u=1&id=abc',
    );
  });

  it('keeps its worker for real briefings and retires it after a huge email, freeing what it grew to', async () => {
    pool = createParsePool();
    const eml = await composeEml();
    await pool.parse({ kind: 'raw', raw: eml });
    const first = pool.threadId;
    await pool.parse({ kind: 'raw', raw: eml });
    expect(pool.threadId).toBe(first);
    const huge = Buffer.alloc(RETIRE_AFTER_BYTES + 1, 'x');
    await expect(pool.parse({ kind: 'raw', raw: huge })).rejects.toBeInstanceOf(NotABriefing);
    expect(pool.threadId).toBe(first);
    // The next email goes to a new worker, and parses as before.
    expect(await pool.parse({ kind: 'raw', raw: eml })).toEqual(await parseEmail(eml));
    expect(pool.threadId).not.toBe(first);
    expect(pool.parsed).toBe(3);
  });

  it('an email over the time limit is refused and the next one goes to a new worker', async () => {
    const errors: Error[] = [];
    // No email parses in 0 ms: the first one overruns, which is what a hostile email would do.
    pool = createParsePool({ timeoutMs: 0, onError: (error) => errors.push(error) });
    const eml = await composeEml();
    await expect(pool.parse({ kind: 'raw', raw: eml })).rejects.toThrow(/took over/);
    const first = pool.threadId;
    await expect(pool.parse({ kind: 'raw', raw: eml })).rejects.toThrow(/took over/);
    expect(pool.threadId).not.toBe(first);
    expect(errors).toHaveLength(2);
  });
});
