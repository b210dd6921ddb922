import { LogLevel } from '@slack/logger';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { stderrLogger } from '../../src/cli/preflight.js';

afterEach(() => vi.restoreAllMocks());

describe('stderrLogger', () => {
  it('keeps stdout for results: log lines at or above the level go to stderr only', () => {
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const out = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const logger = stderrLogger('info');
    logger.debug('hidden');
    logger.info('Briefing %s delivered', 'b_1');
    logger.warn({ retry: 2 });
    expect(out).not.toHaveBeenCalled();
    expect(err.mock.calls.map(([line]) => line)).toEqual([
      '[INFO] briefing-bot Briefing b_1 delivered\n',
      '[WARN] briefing-bot { retry: 2 }\n',
    ]);
    logger.setLevel(LogLevel.ERROR);
    logger.warn('now hidden');
    expect(err).toHaveBeenCalledTimes(2);
  });
});
