/**
 * The bench measures the app as it runs in production — bundled by scripts/bundle.js as dist/ is, run by
 * plain node, no tsx in the process. The bot's child process (app-child.ts) is bundled with the bot the
 * same way; the minimal Bolt app and the helpers are compiled by tsc and load their packages from
 * node_modules, as a minimal Bolt app written by hand would. The output sits under node_modules/.cache
 * so the compiled code finds its dependencies by the usual lookup and nothing generated lands beside
 * the sources.
 */
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { APP_ENTRIES, bundleApp } from '../scripts/bundle.js';

const root = fileURLToPath(new URL('..', import.meta.url));
export const BUILD_DIR = fileURLToPath(new URL('../node_modules/.cache/briefing-bench/', import.meta.url));
/** The bundled bot: app-child.js and the parse worker beside it, as in dist/. */
const APP_DIR = `${BUILD_DIR}app/`;

/** Builds the bench's child processes; returns the path of a built bench module. */
export async function buildBench(): Promise<(benchModule: string) => string> {
  rmSync(BUILD_DIR, { recursive: true, force: true });
  const tsc = fileURLToPath(new URL('../node_modules/typescript/bin/tsc', import.meta.url));
  const result = spawnSync(
    process.execPath,
    [tsc, '-p', fileURLToPath(new URL('./tsconfig.json', import.meta.url)), '--outDir', BUILD_DIR],
    { cwd: root, encoding: 'utf8' },
  );
  if (result.status !== 0) throw new Error(`bench build failed:\n${result.stdout}${result.stderr}`);
  await bundleApp({
    root,
    outDir: APP_DIR,
    entries: { ...APP_ENTRIES, 'app-child': 'bench/app-child.ts' },
  });
  return (benchModule) =>
    benchModule === 'app-child.ts'
      ? `${APP_DIR}app-child.js`
      : `${BUILD_DIR}bench/${benchModule.replace(/\.ts$/, '.js')}`;
}
