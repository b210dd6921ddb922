#!/usr/bin/env node
/**
 * `npm run build` (and `prepare`, so `npm ci` builds): bundles src/ with esbuild into dist/ (see
 * scripts/bundle.js for why a bundle, and its layout) and copies the files the code reads at run time
 * (the local page, the sample briefing) beside it. Type-checking is `npm run typecheck` (part of `npm test`).
 *
 *   node scripts/build.js [--out-dir DIR] [--prepare]
 *
 * --prepare: an install without devDependencies (`npm ci --omit=dev`) has no bundler; there a dist/
 * that is already built (copied in by a deploy step) is used as it is instead of failing the install.
 */
import { cpSync, existsSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const outFlag = args.indexOf('--out-dir');
const outDir = outFlag >= 0 ? resolve(args[outFlag + 1] ?? '') : join(root, 'dist');

/** Read at run time through import.meta.url, so they must sit where the bundle looks (bundle.js). */
const ASSETS = [
  { from: 'src/local/page', to: 'page', skip: (name) => name.endsWith('.d.ts') },
  { from: 'src/local/sample', to: 'sample', skip: () => false },
];

if (!existsSync(join(root, 'node_modules', 'esbuild'))) {
  if (args.includes('--prepare') && existsSync(join(outDir, 'cli.js'))) {
    process.stderr.write('briefing-bot: no bundler (esbuild) installed; using the existing dist/\n');
    process.exit(0);
  }
  process.stderr.write(
    'briefing-bot: cannot build dist/ without the devDependencies (run `npm ci`, not `npm ci --omit=dev`)\n',
  );
  process.exit(1);
}

const { APP_ENTRIES, bundleApp } = await import('./bundle.js');
// A module renamed or removed in src/ must not live on in dist/.
rmSync(outDir, { recursive: true, force: true });
try {
  await bundleApp({ root, outDir, entries: APP_ENTRIES });
} catch (error) {
  // esbuild has printed what failed.
  process.stderr.write(`briefing-bot: build failed (${error instanceof Error ? error.message.split('\n')[0] : error})\n`);
  process.exit(1);
}
for (const asset of ASSETS) {
  cpSync(join(root, asset.from), join(outDir, asset.to), {
    recursive: true,
    filter: (path) => !asset.skip(path),
  });
}
