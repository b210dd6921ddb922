/**
 * What every process the bench starts does once it is up: one JSON line on stdout (its ready facts),
 * then answers the parent over IPC — its memory, "idle" (nothing in flight), "stop".
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';

/** 'loop': the longest event-loop delay (ms) since the last 'loop', then the count starts again. */
export type ChildRequest = { id: number; cmd: 'stats' | 'idle' | 'stop' | 'loop' };
export interface ChildStats {
  rssMb: number;
  heapMb: number;
  /** CPU time (user + system) the process has used so far, in ms: the parent waits for it to go quiet. */
  cpuMs: number;
}

export const mb = (bytes: number): number => Math.round((bytes / 1024 / 1024) * 10) / 10;

export function memory(): ChildStats {
  const { rss, heapUsed } = process.memoryUsage();
  const { user, system } = process.cpuUsage();
  return { rssMb: mb(rss), heapMb: mb(heapUsed), cpuMs: (user + system) / 1000 };
}

export function serveParent(ready: object, handlers: { idle(): Promise<void>; stop(): Promise<void> }): void {
  process.stdout.write(`${JSON.stringify(ready)}\n`);
  // The event loop's delays at 1 ms resolution: how long, at most, nothing else could run.
  const loop = monitorEventLoopDelay({ resolution: 1 });
  loop.enable();
  process.on('message', (message: ChildRequest) => {
    const reply = (value: unknown) => process.send?.({ id: message.id, value });
    if (message.cmd === 'stats') reply(memory());
    else if (message.cmd === 'loop') {
      reply(Math.round((loop.max / 1e6) * 10) / 10);
      loop.reset();
    } else if (message.cmd === 'idle') handlers.idle().then(() => reply(null));
    else if (message.cmd === 'stop') {
      handlers.stop().then(() => {
        reply(null);
        process.disconnect?.();
      });
    }
  });
}
