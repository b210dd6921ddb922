/**
 * Builds the search index of month files in a worker thread (search-worker.ts) and resolves with it as
 * a Segment, to install in the store's StoryIndex. The worker never keeps the process alive, and an
 * abort (the store closing) ends it.
 */
import { startWorker, workerEntry } from '../worker-entry.js';
import type { Segment } from './story-index.js';

export function buildSegment(paths: readonly string[], signal?: AbortSignal): Promise<Segment> {
  return new Promise<Segment>((resolve, reject) => {
    if (signal?.aborted) {
      reject(new Error('search index build stopped'));
      return;
    }
    const worker = startWorker(workerEntry(import.meta.url, './search-worker.ts', './search-worker.js'), {
      paths: [...paths],
    });
    worker.unref();
    let settled = false;
    const settle = (outcome: () => void): void => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', stop);
      outcome();
    };
    const stop = (): void => {
      settle(() => reject(new Error('search index build stopped')));
      void worker.terminate();
    };
    signal?.addEventListener('abort', stop, { once: true });
    worker.once('message', (segment: Segment) => settle(() => resolve(segment)));
    worker.once('error', (error) => settle(() => reject(error)));
    worker.once('exit', (code) =>
      settle(() => reject(new Error(`search index worker exited (${code}) without an index`))),
    );
  });
}
