/**
 * Starting a worker thread from the built dist/ and from src/ alike. In dist/ every entry sits beside the
 * code that starts it (scripts/bundle.js puts all output at the top of the directory), so `<name>.js`
 * next to `import.meta.url`; under tsx (npm run dev, the tests) the entry is TypeScript and the worker
 * registers tsx's loader before importing it — a worker does not inherit the loader of its parent.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';

interface TsxManifest {
  exports: { './esm/api': { import: { default: string } } };
}

export interface WorkerEntry {
  url: string;
  /** tsx's ESM API to register first, when the entry is TypeScript. */
  tsx: string | null;
}

/**
 * The entry of a worker: `source` (a .ts path relative to `here`, the caller's import.meta.url) when
 * running from src/, `built` (the bundle's output name, e.g. './worker.js') from dist/.
 */
export function workerEntry(here: string, source: string, built: string): WorkerEntry {
  if (here.endsWith('.ts')) {
    // tsx's ESM API as its package exports it to `import` (the require build cannot register ESM hooks).
    const manifest = createRequire(here).resolve('tsx/package.json');
    const exported = (JSON.parse(readFileSync(manifest, 'utf8')) as TsxManifest).exports['./esm/api'].import
      .default;
    return {
      url: new URL(source, here).href,
      tsx: pathToFileURL(join(dirname(manifest), exported)).href,
    };
  }
  return { url: new URL(built, here).href, tsx: null };
}

/** Plain script run as the worker: registers tsx when the entry is TypeScript, then imports it. */
const BOOT = `
const { workerData } = require('node:worker_threads');
(async () => {
  if (workerData.entry.tsx) {
    const api = await import(workerData.entry.tsx);
    api.register();
  }
  await import(workerData.entry.url);
})().catch((error) => { setImmediate(() => { throw error; }); });
`;

/** Starts the entry in a new thread; it reads `data` as `workerData.data`. */
export function startWorker(entry: WorkerEntry, data?: unknown, options: WorkerOptions = {}): Worker {
  return new Worker(BOOT, { ...options, eval: true, workerData: { entry, data } });
}
