/**
 * How the app is built for running: esbuild bundles src/ with its dependencies into a few ES modules,
 * used by scripts/build.js (dist/) and by the bench (bench/build.ts), so both run the same thing.
 *
 * Why a bundle rather than tsc's one file per module: loading the bot through Node's module resolution
 * (~180 modules of its own, thousands of Bolt's, date-fns' whole index) was most of its start-up —
 * importing the app took 0.9-1.4 s on this machine against 0.3 s for the bundle, and 15 MB less resident
 * memory (measured side by side, Node 20, load ~4).
 *
 * Layout: every output file sits at the top of `outDir` — the entries and the chunks that dynamic
 * imports load on demand (the mail receivers, PostgreSQL, mailauth, the CLI's other commands) — so the
 * paths src/ builds from `import.meta.url` resolve in the bundle to `outDir`/worker.js (the parse worker,
 * src/parse-worker/index.ts), `outDir`/search-worker.js (src/search/build.ts) and `outDir`/page,
 * `outDir`/sample (src/local/routes.ts; build.js copies them).
 */
import { build } from 'esbuild';

/** The entries every build has: the CLI, the parse worker's thread and the search index's build thread. */
export const APP_ENTRIES = {
  cli: 'src/cli.ts',
  worker: 'src/parse-worker/worker.ts',
  'search-worker': 'src/search/search-worker.ts',
};

/**
 * Bundled CommonJS dependencies call `require` for Node's built-in modules; an ES module has none, so
 * each output file gets one (from createRequire, as Node would give a CommonJS module).
 */
const REQUIRE_SHIM =
  "import { createRequire as __bundleRequire } from 'node:module'; const require = __bundleRequire(import.meta.url);";

/**
 * @param {{ root: string, outDir: string, entries: Record<string, string> }} options entries: output
 *   name → source path relative to root
 */
export async function bundleApp({ root, outDir, entries }) {
  await build({
    absWorkingDir: root,
    entryPoints: entries,
    outdir: outDir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    // The oldest Node line in `engines`.
    target: 'node20.19',
    // Whitespace only: names stay as written, so stack traces and error names read as in src/.
    minifyWhitespace: true,
    sourcemap: true,
    banner: { js: REQUIRE_SHIM },
    // pino-pretty is loaded with createRequire when LOG_FORMAT=pretty (src/log/logger.ts): a run-time
    // require of the installed package, which esbuild leaves as it is.
    logLevel: 'warning',
  });
}
