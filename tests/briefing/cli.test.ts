import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURE_DIR } from '../fixtures/compose.js';

const ROOT = join(import.meta.dirname, '../..');

function cli(...args: string[]) {
  const result = spawnSync(
    process.execPath,
    ['--import', 'tsx', join(ROOT, 'src/cli.ts'), 'parse', ...args],
    {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, NODE_ENV: 'test' },
    },
  );
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('briefing-bot parse FILE', () => {
  it('prints exactly one JSON object with the Briefing keys for the seed text', () => {
    const { code, stdout, stderr } = cli(join(FIXTURE_DIR, 'seed-briefing.txt'));
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const briefing = JSON.parse(stdout);
    expect(Object.keys(briefing)).toEqual([
      'subject',
      'title',
      'publication',
      'date',
      'from',
      'note',
      'sections',
    ]);
    expect(briefing.date).toBe('2021-10-07');
    expect(Object.keys(briefing.sections[0])).toEqual([
      'title',
      'kind',
      'group',
      'countries',
      'mentions',
      'items',
    ]);
    expect(Object.keys(briefing.sections[0].items[0])).toEqual([
      'text',
      'countries',
      'mentions',
      'sources',
      'links',
    ]);
    expect(briefing.sections.map((section: { title: string }) => section.title)).toContain(
      'Peru cabinet reshuffle',
    );
  });

  it('reads .eml and .html files', () => {
    const eml = cli(join(FIXTURE_DIR, 'gmail-chile.eml'));
    expect(eml.code).toBe(0);
    expect(JSON.parse(eml.stdout).date).toBe('2020-10-26');
    const dir = mkdtempSync(join(tmpdir(), 'parse-cli-'));
    const html = join(dir, 'paste.html');
    writeFileSync(
      html,
      '<html><body><p>Intro about Peru.</p><h3>Brazil</h3><ul><li>One, reports Reuters.</li><li>Two.</li></ul></body></html>',
    );
    const parsed = cli(html);
    expect(parsed.code).toBe(0);
    const briefing = JSON.parse(parsed.stdout);
    expect(
      briefing.sections.map((section: { kind: string; title: string }) => `${section.kind}:${section.title}`),
    ).toEqual(['lead:Intro about Peru.', 'list:Brazil']);
  });

  it('exits 2 with a one-line error for a missing file', () => {
    const { code, stdout, stderr } = cli(join(ROOT, 'no-such-file.eml'));
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toContain('no-such-file.eml');
  });

  it('exits 2 for an unreadable path (a directory) and for an empty file', () => {
    expect(cli(FIXTURE_DIR).code).toBe(2);
    const dir = mkdtempSync(join(tmpdir(), 'parse-cli-'));
    const empty = join(dir, 'empty.eml');
    writeFileSync(empty, '');
    const result = cli(empty);
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('exits 2 without a file argument', () => {
    expect(cli().code).toBe(2);
  });
});
