/**
 * email-forward-parser's own fixtures (206 cases, MIT, copied under ../shared/peer-suites): our unwrap
 * must find what upstream asserts. Runs only where the shared directory exists (not in a fresh clone).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { unwrapOnce } from '../../src/briefing/unwrap.js';

const SUITE = join(import.meta.dirname, '../../../shared/peer-suites/email-forward-parser');
const present = existsSync(join(SUITE, 'expected.json'));
if (!present) console.warn(`peer suite skipped: ${SUITE} not found`);

interface PeerCase {
  subject_file: string | null;
  body_file: string;
  suite_case: string;
  asserted: string[];
  expected: {
    forwarded: boolean;
    from_address: string | null;
    from_name: string | null;
    subject: string | null;
    forwarder_message: string | null;
    body_starts_with: string | null;
  };
}

const cases: PeerCase[] = present ? JSON.parse(readFileSync(join(SUITE, 'expected.json'), 'utf8')) : [];

describe.skipIf(!present)('peer suite: email-forward-parser fixtures', () => {
  it('has the 206 upstream cases', () => {
    expect(cases).toHaveLength(206);
  });
  it.each(cases.map((entry) => [`${entry.body_file} (${entry.suite_case})`, entry] as const))(
    '%s',
    (_name, entry) => {
      const body = readFileSync(join(SUITE, entry.body_file), 'utf8');
      const subject = entry.subject_file ? readFileSync(join(SUITE, entry.subject_file), 'utf8') : null;
      const result = unwrapOnce(body, subject);
      const { expected } = entry;
      expect(result.forwarded).toBe(expected.forwarded);
      if (!expected.forwarded) return;
      if (entry.asserted.includes('from_address')) expect(result.fromAddress).toBe(expected.from_address);
      if (entry.asserted.includes('from_name')) expect(result.fromName).toBe(expected.from_name);
      if (entry.asserted.includes('subject')) expect(result.subject).toBe(expected.subject);
      expect(result.date).toBeTruthy();
      if (entry.asserted.includes('forwarder_message')) expect(result.note).toBe(expected.forwarder_message);
      expect(result.body.trimStart().startsWith(expected.body_starts_with ?? '')).toBe(true);
    },
  );
});
