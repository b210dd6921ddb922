/**
 * Work accepted faster than it can be done (a flood of mentions, each answered with a Slack post
 * paced by Slack's rate limit) waits here, a bounded number of jobs at most: past the cap a job is
 * refused with a log line instead of piling up in memory until the process dies.
 */
import type { Logger } from '@slack/bolt';

export interface WorkQueueOptions {
  /** Jobs waiting or running at most; the next one is dropped. */
  capacity: number;
  /** Jobs running at once. */
  concurrency: number;
  logger: Pick<Logger, 'warn' | 'error'>;
  /** What the jobs are, for log lines ("mention"). */
  name: string;
}

export class WorkQueue {
  readonly #options: WorkQueueOptions;
  readonly #waiting: Array<{ label: string; job: () => Promise<void> }> = [];
  #running = 0;
  #dropped = 0;
  #idle: Array<() => void> = [];

  constructor(options: WorkQueueOptions) {
    this.#options = options;
  }

  /** Queues `job`; false (and a log line) when the queue is full. */
  push(label: string, job: () => Promise<void>): boolean {
    if (this.#waiting.length + this.#running >= this.#options.capacity) {
      this.#dropped++;
      this.#options.logger.warn(
        `${this.#options.name} ${label} dropped: ${this.#options.capacity} already waiting (${this.#dropped} dropped so far)`,
      );
      return false;
    }
    this.#waiting.push({ label, job });
    this.#next();
    return true;
  }

  /** Waiting plus running. */
  get size(): number {
    return this.#waiting.length + this.#running;
  }

  get dropped(): number {
    return this.#dropped;
  }

  /** Resolves when nothing waits or runs. */
  idle(): Promise<void> {
    if (this.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idle.push(resolve));
  }

  #next(): void {
    while (this.#running < this.#options.concurrency && this.#waiting.length > 0) {
      const { label, job } = this.#waiting.shift()!;
      this.#running++;
      job()
        .catch((error: unknown) => this.#options.logger.error(`${this.#options.name} ${label} failed`, error))
        .finally(() => {
          this.#running--;
          this.#next();
          if (this.size === 0) for (const resolve of this.#idle.splice(0)) resolve();
        });
    }
  }
}
