/**
 * Vitest global setup: the suites that need a real service (Debian's Chromium, PostgreSQL, Dovecot)
 * skip on a machine without it, and a skip hidden among thousands of lines is easy to miss. So:
 * under CI a missing service fails the run at once, in one line naming the package to install; on a
 * developer's machine a notice box is printed before the run and again after it, where it is seen.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

export interface Service {
  /** What the suites use it for, as the notice says it. */
  name: string;
  /** The Debian package that provides it. */
  apt: string;
  present: () => boolean;
}

const PG_ROOT = '/usr/lib/postgresql';

export const SERVICES: Service[] = [
  { name: 'the browser test (Chromium)', apt: 'chromium', present: () => existsSync('/usr/bin/chromium') },
  {
    name: 'the PostgreSQL store suites',
    apt: 'postgresql',
    present: () =>
      existsSync(PG_ROOT) &&
      readdirSync(PG_ROOT).some((version) => existsSync(join(PG_ROOT, version, 'bin', 'initdb'))),
  },
  {
    name: 'the IMAP mailbox suites (Dovecot)',
    apt: 'dovecot-imapd',
    present: () => existsSync('/usr/sbin/dovecot'),
  },
];

/** The notice for the missing services, or null when all are there. Pure, for the test. */
export function servicesNotice(missing: Service[]): string | null {
  if (missing.length === 0) return null;
  const lines = [
    'NOTICE: these suites were SKIPPED, their services are not installed:',
    ...missing.map((service) => `  - ${service.name}: apt-get install -y ${service.apt}`),
    `Install all: sudo apt-get install -y ${missing.map((service) => service.apt).join(' ')}`,
    '(bash .ci/run installs them; under CI a missing service fails the run instead)',
  ];
  const width = Math.max(...lines.map((line) => line.length));
  const rule = `+${'-'.repeat(width + 2)}+`;
  return [rule, ...lines.map((line) => `| ${line.padEnd(width)} |`), rule].join('\n');
}

export function missingServices(): Service[] {
  return SERVICES.filter((service) => !service.present());
}

/** What the run does about the missing services: fail (under CI), print a notice, or nothing. */
export function decide(missing: Service[], ci: boolean): { fail: string } | { notice: string } | null {
  if (missing.length === 0) return null;
  if (ci) {
    const named = missing.map((service) => `${service.name} (apt-get install -y ${service.apt})`);
    return { fail: `CI needs every service: missing ${named.join(', ')}` };
  }
  return { notice: servicesNotice(missing) ?? '' };
}

export default function setup(): (() => void) | undefined {
  const decision = decide(missingServices(), Boolean(process.env.CI));
  if (decision === null) return undefined;
  if ('fail' in decision) throw new Error(decision.fail);
  const { notice } = decision;
  process.stderr.write(`\n${notice}\n\n`);
  // Again after the run, below the summary, where a reader of the output looks.
  return () => {
    process.stderr.write(`\n${notice}\n\n`);
  };
}
