/**
 * Two bot processes on one PostgreSQL database and one Slack stand-in (issue 13.2/13.5), run by
 * tests/support/instances.ts: twenty briefings mailed to both by both ways in, one instance SIGKILLed
 * while it holds a delivery and started again. Then, from the stand-in's own call log: every briefing
 * posted (0 lost), every post made once (0 duplicates, counted per briefing and post key from
 * chat.postMessage's metadata), the channel's posts never closer together than the pacing allows,
 * whichever instance made them, exactly one digest for the day, and a Mailgun token replayed to the
 * other instance refused. A second case kills the instance holding the digest's claim while Slack
 * holds its post unanswered: the other instance takes the claim over and records that post.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDigestTakeover, runTwoInstances } from '../support/instances.js';
import { type PostgresServer, SKIP_POSTGRES, startPostgres } from '../support/postgres-server.js';

/** Slack's one post per second per channel, scaled down so the test posts sixty in seconds. */
const INTERVAL_MS = 250;

describe.skipIf(SKIP_POSTGRES)('two bot instances on one PostgreSQL database', () => {
  let server: PostgresServer;
  beforeAll(async () => {
    server = await startPostgres();
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('posts every briefing once, paced per channel, with one digest, across a SIGKILL and restart', {
    timeout: 180_000,
  }, async () => {
    const run = await runTwoInstances({
      databaseUrl: await server.newDatabase(),
      briefings: 20,
      intervalMs: INTERVAL_MS,
      leaseMs: 2_000,
      killAfterPosts: 12,
      settleMs: 90_000,
    });
    // The 20, and the one whose Mailgun token is then replayed to the other instance (refused).
    expect(run.acked.size).toBe(21);
    expect(run.replay.accepted).toBe(false);
    expect(run.replay.status).toBeGreaterThanOrEqual(400);
    expect(run.unfinishedAfterKill).toBeGreaterThan(0);

    expect(run.lost).toBe(0);
    expect(run.duplicates, 'posts made more than once').toEqual([]);
    expect(run.unmatched, 'recorded posts not in Slack exactly once').toEqual([]);
    expect(run.keys).toBe(3 * run.acked.size);
    expect(run.posts).toBe(run.keys);
    // Pacing across instances, by Slack's clock (1 ms for the two clocks' rounding).
    expect(run.minGapMs).toBeGreaterThanOrEqual(INTERVAL_MS - 1);
    expect(run.digests).toBe(1);
    expect(run.digestRecorded).toBe(true);
    expect(run.heldAtKill, 'the killed instance held a delivery').toBe(true);
    process.stdout.write(
      `two instances: ${run.acked.size} briefings, ${run.posts} posts, ${run.lost} lost, ${run.duplicates.length} duplicates, ` +
        `closest posts ${run.minGapMs} ms apart (interval ${INTERVAL_MS}), ${run.digests} digest, ${Math.round(run.durationMs)} ms\n`,
    );
  });

  it('finishes the digest of an instance SIGKILLed while posting it: one digest in the channel, on record', {
    timeout: 120_000,
  }, async () => {
    const run = await runDigestTakeover({
      databaseUrl: await server.newDatabase(),
      leaseMs: 2_000,
      settleMs: 20_000,
    });
    expect(run.heldAtKill, 'the killed instance held the digest claim').toBe(true);
    // Slack took the killed instance's post; the survivor found it instead of posting again.
    expect(run.postCalls).toBe(1);
    expect(run.inChannel).toBe(1);
    expect(run.recordedTs).not.toBeNull();
    expect(run.recordedTs).toBe(run.channelTs);
  });
});
