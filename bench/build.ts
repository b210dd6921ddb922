/**
 * The bench measures the app as it runs in production — compiled by tsc, run by plain node, no tsx in
 * the process — so its child processes are compiled first with the same compiler and options as dist/.
 * The output sits under node_modules/.cache so the compiled src/ finds its dependencies by the usual
 * lookup and nothing generated lands beside the sources.
 */
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
export const BUILD_DIR = fileURLToPath(new URL('../node_modules/.cache/briefing-bench/', import.meta.url));

/** Compiles src/ and the bench's child processes; returns the path of a compiled bench module. */
export function buildBench(): (benchModule: string) => string {
  rmSync(BUILD_DIR, { recursive: true, force: true });
  const tsc = fileURLToPath(new URL('../node_modules/typescript/bin/tsc', import.meta.url));
  const result = spawnSync(
    process.execPath,
    [tsc, '-p', fileURLToPath(new URL('./tsconfig.json', import.meta.url)), '--outDir', BUILD_DIR],
    { cwd: root, encoding: 'utf8' },
  );
  if (result.status !== 0) throw new Error(`bench build failed:\n${result.stdout}${result.stderr}`);
  return (benchModule) => `${BUILD_DIR}bench/${benchModule.replace(/\.ts$/, '.js')}`;
}
