/**
 * The daily digest job: croner fires at DIGEST_TIME in NEWSROOM_TZ; at start-up a digest whose time
 * has already passed today and that was not posted yet is posted once (catch-up). Both paths ask the
 * same question — `dueDigestDate` — and go through the same exactly-once publisher.
 */
import { Cron } from 'croner';
import type { Services } from '../services.js';
import type { DigestOutcome, DigestServices, PublishDigest } from './publish.js';
import { createDigestPublisher } from './publish.js';
import { digestCronPattern, dueDigestDate } from './schedule.js';

export interface DigestScheduler {
  /** Settles when the start-up catch-up has finished (posted, skipped or failed and logged). */
  readonly caughtUp: Promise<DigestOutcome | null>;
  /** When the job fires next. */
  nextRun(): Date | null;
  /** Stops the job and waits for a digest being posted right now. */
  stop(): Promise<void>;
}

export function startDigestScheduler(
  services: DigestServices | Services,
  publish: PublishDigest = createDigestPublisher(services),
): DigestScheduler {
  const { config, logger } = services;
  let running: Promise<DigestOutcome | null> = Promise.resolve(null);
  let stopped = false;
  let recheck: NodeJS.Timeout | null = null;

  const runDue = (): Promise<DigestOutcome | null> => {
    const date = dueDigestDate(services.now(), config.digestTime, config.newsroomTz);
    if (stopped || !date) return Promise.resolve(null);
    running = publish(date).then(
      (outcome) => {
        // Another instance holds the day's claim: look again when it would have run out, so the day is
        // not left without a digest if that instance died holding it.
        if (outcome.status === 'claimed-elsewhere' && !stopped) {
          if (recheck) clearTimeout(recheck);
          recheck = setTimeout(() => void runDue(), outcome.retryInMs);
          recheck.unref();
        }
        return outcome;
      },
      (error: unknown) => {
        // Slack retries were already spent (see publish.ts); the next start-up catches up on this day.
        logger.error(`digest ${date}: not posted: ${error instanceof Error ? error.message : String(error)}`);
        return null;
      },
    );
    return running;
  };

  const job = new Cron(
    digestCronPattern(config.digestTime),
    { timezone: config.newsroomTz, protect: true },
    () => runDue().then(() => undefined),
  );
  const caughtUp = runDue();

  return {
    caughtUp,
    nextRun: () => job.nextRun(),
    async stop() {
      stopped = true;
      job.stop();
      if (recheck) clearTimeout(recheck);
      await running;
    },
  };
}
