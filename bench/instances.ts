/**
 * The two-instance figures of issue 13: two bot processes on one PostgreSQL database (a throwaway
 * server, as the tests start one), twenty briefings, one instance SIGKILLed mid-posting and restarted
 * (tests/support/instances.ts, the same run the e2e test asserts on). Reported: lost, duplicates,
 * digests, and the closest two posts in the channel against the pacing. Correctness, not speed: the
 * full run paces at Slack's real one post per second, --quick at a quarter of it.
 */
import { runTwoInstances } from '../tests/support/instances.js';
import { POSTGRES_MISSING, startPostgres } from '../tests/support/postgres-server.js';
import { round } from './stats.js';

export async function benchInstances(options: {
  quick: boolean;
  log: (message: string) => void;
}): Promise<Record<string, number | null>> {
  const intervalMs = options.quick ? 250 : 1000;
  if (POSTGRES_MISSING) {
    options.log('two instances: no PostgreSQL server installed (apt-get install postgresql); not measured');
    return {
      two_instances_lost: null,
      two_instances_duplicates: null,
      two_instances_digests: null,
      two_instances_min_gap_ms: null,
      two_instances_interval_ms: intervalMs,
    };
  }
  const server = await startPostgres();
  try {
    const run = await runTwoInstances({
      databaseUrl: await server.newDatabase(),
      briefings: 20,
      intervalMs,
      leaseMs: 2_000,
      killAfterPosts: 12,
      settleMs: 300_000,
    });
    options.log(
      `two instances: ${run.acked.size} briefings, ${run.posts} posts, ${run.lost} lost, ${run.duplicates.length} duplicated, ${run.digests} digest(s), closest posts ${run.minGapMs} ms apart (pacing ${intervalMs} ms), one killed holding a delivery: ${run.heldAtKill}`,
    );
    return {
      two_instances_briefings: run.acked.size,
      two_instances_posts: run.posts,
      two_instances_lost: run.lost + run.unmatched.length,
      two_instances_duplicates: run.duplicates.length,
      two_instances_digests: run.digests,
      two_instances_min_gap_ms: run.minGapMs,
      two_instances_interval_ms: intervalMs,
      two_instances_seconds: round(run.durationMs / 1000),
    };
  } finally {
    await server.stop();
  }
}
