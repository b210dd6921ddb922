/**
 * The built app: `scripts/build.js` (what `npm ci` runs through `prepare`) bundles src/ with esbuild into
 * a directory laid out like the package (bin/, dist/, package.json), and the bundle is what runs — the
 * documented `npm run --silent cli -- parse FILE` prints only JSON, and `start` serves the local page from
 * the copied assets and parses mail in the bundled parse worker.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURE_DIR } from '../fixtures/compose.js';
import { freePort } from '../support/ports.js';

const ROOT = join(import.meta.dirname, '..', '..');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));

describe('package.json', () => {
  it('runs the compiled app, builds it on install and keeps tsx out of the runtime', () => {
    expect(pkg.scripts.prepare).toMatch(/scripts\/build\.js/);
    expect(pkg.scripts.start).toBe('node dist/cli.js start');
    expect(pkg.scripts.dev).toMatch(/^tsx watch .*src\/cli\.ts start$/);
    expect(Object.keys(pkg.dependencies)).not.toContain('tsx');
    expect(readFileSync(join(ROOT, pkg.bin['briefing-bot']), 'utf8')).toMatch(/\.\.\/dist\/cli\.js/);
  });

  it('names the Node lines it runs on: 20, 22 and 24', () => {
    expect(pkg.engines.node).toMatch(/\^20\./);
    expect(pkg.engines.node).toMatch(/\^22\./);
    expect(pkg.engines.node).toMatch(/24/);
  });
});

describe('the build', () => {
  let dir: string;
  let bot: ChildProcess | undefined;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'briefing-build-'));
    const built = spawnSync(
      process.execPath,
      [join(ROOT, 'scripts/build.js'), '--out-dir', join(dir, 'dist')],
      {
        encoding: 'utf8',
      },
    );
    expect(built.stderr).toBe('');
    expect(built.status, built.stdout).toBe(0);
    cpSync(join(ROOT, 'bin'), join(dir, 'bin'), { recursive: true });
    cpSync(join(ROOT, 'package.json'), join(dir, 'package.json'));
    symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
  }, 120_000);

  afterAll(() => {
    bot?.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('emits a bundle of JavaScript only, with the run-time assets beside it', () => {
    expect(existsSync(join(dir, 'dist/cli.js'))).toBe(true);
    expect(existsSync(join(dir, 'dist/worker.js'))).toBe(true);
    expect(existsSync(join(dir, 'dist/search-worker.js'))).toBe(true);
    // The bundle carries the country lists (imported JSON) and src/'s modules: none is a file of its own.
    expect(existsSync(join(dir, 'dist/countries'))).toBe(false);
    expect(readdirSync(join(dir, 'dist')).filter((name) => /\.(ts|json)$/.test(name))).toEqual([]);
    expect(existsSync(join(dir, 'dist/page/index.html'))).toBe(true);
    expect(existsSync(join(dir, 'dist/page/mrkdwn.d.ts'))).toBe(false);
    expect(existsSync(join(dir, 'dist/sample/latin-america-daily-briefing-2021-10-07.eml'))).toBe(true);
  });

  it('`npm run --silent cli -- parse FILE` prints one JSON object and nothing else', () => {
    const file = join(FIXTURE_DIR, 'gmail-seed.eml');
    const result = spawnSync('npm', ['run', '--silent', 'cli', '--', 'parse', file], {
      cwd: dir,
      encoding: 'utf8',
    });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout).date).toBe('2021-10-07');
  });

  it('starts the compiled bot on its local workspace and serves the page', async () => {
    const data = join(dir, 'data');
    bot = spawn(process.execPath, [join(dir, 'dist/cli.js'), 'start'], {
      cwd: dir,
      env: { PATH: process.env.PATH, PORT: String(await freePort()), DATA_DIR: data, LOG_LEVEL: 'error' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    const url = await new Promise<string>((resolve, reject) => {
      bot?.stdout?.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const found = out.match(/Open (http:\/\/\S+?\/) /);
        if (found?.[1]) resolve(found[1]);
      });
      bot?.once('exit', (code) => reject(new Error(`bot exited ${code}: ${out}`)));
    });
    const page = await fetch(url);
    expect(page.status).toBe(200);
    expect(await page.text()).toMatch(/<html/i);
    // The sample goes through the mail path, parsed in the bundle's worker thread (dist/worker.js).
    const sample = await fetch(new URL('local/api/sample', url), {
      method: 'POST',
      headers: { 'x-briefing-bot-local': '1' },
    });
    expect(await sample.json()).toMatchObject({ status: 202, body: { status: 'accepted', sections: 6 } });
    const exited = new Promise((resolve) => bot?.once('exit', resolve));
    bot.kill('SIGTERM');
    expect(await exited).toBe(0);
  }, 60_000);
});
