#!/usr/bin/env node
/**
 * `npm run build` (and `prepare`, so `npm ci` builds): compiles src/ into dist/ with tsc and copies the
 * files the code reads at run time (the local page, the sample briefing) beside the compiled modules.
 *
 *   node scripts/build.js [--out-dir DIR] [--prepare]
 *
 * --prepare: an install without devDependencies (`npm ci --omit=dev`) has no compiler; there a dist/
 * that is already built (copied in by a deploy step) is used as it is instead of failing the install.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const outFlag = args.indexOf('--out-dir');
const outDir = outFlag >= 0 ? resolve(args[outFlag + 1] ?? '') : join(root, 'dist');
const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');

/** Read at run time through import.meta.url, so they must sit where the compiled module looks. */
const ASSETS = [
  { from: 'src/local/page', to: 'local/page', skip: (name) => name.endsWith('.d.ts') },
  { from: 'src/local/sample', to: 'local/sample', skip: () => false },
];

if (!existsSync(tsc)) {
  if (args.includes('--prepare') && existsSync(join(outDir, 'cli.js'))) {
    process.stderr.write('briefing-bot: no TypeScript compiler installed; using the existing dist/\n');
    process.exit(0);
  }
  process.stderr.write(
    'briefing-bot: cannot build dist/ without the devDependencies (run `npm ci`, not `npm ci --omit=dev`)\n',
  );
  process.exit(1);
}

// A module renamed or removed in src/ must not live on in dist/.
rmSync(outDir, { recursive: true, force: true });
const compiled = spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json'), '--outDir', outDir], {
  stdio: 'inherit',
});
if (compiled.status !== 0) process.exit(compiled.status ?? 1);
for (const asset of ASSETS) {
  cpSync(join(root, asset.from), join(outDir, asset.to), {
    recursive: true,
    filter: (path) => !asset.skip(path),
  });
}
