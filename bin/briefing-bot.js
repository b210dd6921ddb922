#!/usr/bin/env node
// The installed command runs the compiled CLI; `npm ci` builds dist/ (the package's `prepare` script).
import { existsSync } from 'node:fs';

const cli = new URL('../dist/cli.js', import.meta.url);
if (!existsSync(cli)) {
  process.stderr.write('briefing-bot: dist/ is not built; run `npm run build` (npm ci runs it too)\n');
  process.exit(1);
}
await import(cli.href);
