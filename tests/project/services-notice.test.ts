import { describe, expect, it } from 'vitest';
import {
  decide,
  missingServices,
  SERVICES,
  type Service,
  servicesNotice,
} from '../support/services-notice.js';

const gone = (name: string, apt: string): Service => ({ name, apt, present: () => false });

describe('the missing-services notice', () => {
  it('says nothing when every service is there', () => {
    expect(decide([], true)).toBeNull();
    expect(decide([], false)).toBeNull();
    expect(servicesNotice([])).toBeNull();
  });

  it('fails a CI run in one line naming each package to install', () => {
    const decision = decide(
      [gone('the browser test (Chromium)', 'chromium'), gone('PG', 'postgresql')],
      true,
    );
    expect(decision).toEqual({
      fail: 'CI needs every service: missing the browser test (Chromium) (apt-get install -y chromium), PG (apt-get install -y postgresql)',
    });
  });

  it('prints a boxed notice elsewhere, with one install command for all', () => {
    const decision = decide(
      [gone('the browser test (Chromium)', 'chromium'), gone('IMAP', 'dovecot-imapd')],
      false,
    );
    if (decision === null || !('notice' in decision)) throw new Error('expected a notice');
    const lines = decision.notice.split('\n');
    expect(lines[0]).toMatch(/^\+-+\+$/);
    expect(lines.at(-1)).toBe(lines[0]);
    expect(new Set(lines.map((line) => line.length)).size).toBe(1);
    expect(decision.notice).toContain('SKIPPED');
    expect(decision.notice).toContain('- the browser test (Chromium): apt-get install -y chromium');
    expect(decision.notice).toContain('Install all: sudo apt-get install -y chromium dovecot-imapd');
  });

  it('checks the three services the suites start, and finds them all under CI', () => {
    expect(SERVICES.map((service) => service.apt)).toEqual(['chromium', 'postgresql', 'dovecot-imapd']);
    // .ci/run installs every one of them before the tests; a run there with one missing fails above.
    if (process.env.CI) expect(missingServices()).toEqual([]);
  });
});
