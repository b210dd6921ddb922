/**
 * The deliverer's stop, as its waits see it: stop() wakes every sleeper at once (a graceful shutdown
 * must not sit out a two-minute Retry-After), and the woken wait throws DeliveryStopped, which leaves
 * the delivery pending for the next start.
 */
import type { Sleep } from '../slack/api/call.js';

/** Thrown out of a wait when the deliverer stops; the delivery stays pending and resumes next start. */
export class DeliveryStopped extends Error {
  constructor() {
    super('deliverer stopped');
  }
}

export interface StopSignal {
  readonly sleep: Sleep;
  stopped(): boolean;
  stop(): void;
}

export function createStopSignal(baseSleep: Sleep): StopSignal {
  let stopped = false;
  let wake: () => void = () => {};
  const stopping = new Promise<void>((resolve) => {
    wake = resolve;
  });
  return {
    async sleep(ms) {
      await Promise.race([baseSleep(ms), stopping]);
      if (stopped) throw new DeliveryStopped();
    },
    stopped: () => stopped,
    stop() {
      stopped = true;
      wake();
    },
  };
}
