/** How `briefing-bot start` (Slack or local) stops on SIGINT/SIGTERM: say so, stop, exit 0 or 1. */
import { EventEmitter } from 'node:events';
import { afterEach, expect, it, vi } from 'vitest';
import { stopOnSignal } from '../../src/cli/stop-on-signal.js';

afterEach(() => {
  vi.restoreAllMocks();
});

function capture(stream: NodeJS.WriteStream): string[] {
  const written: string[] = [];
  vi.spyOn(stream, 'write').mockImplementation((chunk) => {
    written.push(String(chunk));
    return true;
  });
  return written;
}

it('stops once on the first signal and exits 0', async () => {
  const out = capture(process.stdout);
  const signals = new EventEmitter();
  const stop = vi.fn(async () => {});
  const exit = stopOnSignal('stopping the local workspace', stop, signals);
  expect(stop).not.toHaveBeenCalled();
  signals.emit('SIGTERM');
  expect(await exit).toBe(0);
  expect(stop).toHaveBeenCalledTimes(1);
  expect(out).toEqual(['SIGTERM: stopping the local workspace\n']);
  expect(signals.listenerCount('SIGTERM')).toBe(0);
});

it('exits 1 with the reason when stopping fails', async () => {
  capture(process.stdout);
  const err = capture(process.stderr);
  const signals = new EventEmitter();
  const exit = stopOnSignal('stopping', () => Promise.reject(new Error('store busy')), signals);
  signals.emit('SIGINT');
  expect(await exit).toBe(1);
  expect(err).toEqual(['stop failed: store busy\n']);
});
