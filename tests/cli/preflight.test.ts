/**
 * A CLI command's log lines go to stderr (its stdout is its result, read by scripts), as JSON by default
 * and in LOG_FORMAT=pretty for a terminal. The logger writes to the file descriptor itself, so the check
 * runs it in a child process and reads both streams.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');
const SCRIPT = `
import { loadConfig } from './src/config.ts';
import { stderrLogger } from './src/cli/preflight.ts';
const logger = stderrLogger(loadConfig().config);
logger.debug('hidden');
logger.info('Briefing %s delivered', 'b_1');
logger.warn({ retry: 2 });
logger.setLevel('error');
logger.warn('now hidden');
`;

function run(env: Record<string, string>) {
  return spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', SCRIPT], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { PATH: process.env.PATH, LOG_LEVEL: 'info', ...env },
  });
}

describe('stderrLogger', () => {
  it('keeps stdout for results: JSON log lines at or above the level go to stderr only', () => {
    const result = run({});
    expect(result.status).toBe(0);
    expect(result.stdout).toBe('');
    const lines = result.stderr
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(lines).toEqual([
      expect.objectContaining({ level: 'info', msg: 'Briefing b_1 delivered' }),
      expect.objectContaining({ level: 'warn', retry: 2 }),
    ]);
  });

  it('prints readable lines with LOG_FORMAT=pretty', () => {
    const result = run({ LOG_FORMAT: 'pretty' });
    expect(result.status).toBe(0);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/INFO.*Briefing b_1 delivered/);
    expect(result.stderr).not.toMatch(/^\{/m);
  });
});
