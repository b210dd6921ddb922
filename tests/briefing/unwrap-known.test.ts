/**
 * The forwards every client writes alike are read without email-forward-parser (`knownForward`), at a
 * tenth of the library's cost. That is only sound while the result is the same: these tests compare
 * `unwrapOnce` with and without the shortcut on forwards composed here and, where ../shared is present,
 * on the library's own 206 fixtures, and check the shortcut is really taken (else they pass with it dead).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import EmailForwardParser from 'email-forward-parser';
import { describe, expect, it } from 'vitest';
import { forwardInput, knownForward, type Unwrapped, unwrapOnce } from '../../src/briefing/unwrap.js';

const library = new EmailForwardParser();

/** Whether the shortcut reads this text itself. */
function readWithoutLibrary(text: string, subject: string | null): boolean {
  const { squeezed, hint } = forwardInput(text);
  const forwardSubject = subject ? (library.read('', subject).email.subject ?? null) : null;
  return (
    hint !== -1 &&
    (subject === null || forwardSubject !== null) &&
    knownForward(squeezed, hint, forwardSubject) !== null
  );
}

/** The library turns no-break spaces into spaces and trims a body that fits its window. */
const comparable = (unwrapped: Unwrapped) => ({
  ...unwrapped,
  body: unwrapped.body.replace(/\u00a0/g, ' ').trimEnd(),
});

function expectSameReading(text: string, subject: string | null, label: string) {
  expect({ label, ...comparable(unwrapOnce(text, subject)) }).toEqual({
    label,
    ...comparable(unwrapOnce(text, subject, { shortcut: false })),
  });
}

const BODY = 'The central bank held rates on Thursday.\n\nMarkets barely moved.';

const SAMPLES: Record<string, string> = {
  'Gmail, English': `FYI, today's issue.\n\n---------- Forwarded message ---------\nFrom: Latin America Daily Briefing <ladb@briefings.example.org>\nDate: Thu, Oct 7, 2021 at 12:02 PM\nSubject: Rates\nTo: <desk@example.com>\n\n${BODY}\n`,
  'Apple Mail, English': `Begin forwarded message:\n\nFrom: Andean Monitor <news@andean.example>\nSubject: Rates\nDate: 25 October 2021 at 11:17:21 EEST\nTo: desk@example.com\n\n${BODY}\n`,
  'Outlook, English': `________________________________\nFrom: Caribbean Note <note@caribbean.example>\nSent: Tuesday, December 1, 2026 7:02 AM\nTo: Desk <desk@example.com>\nSubject: Rates\n\n${BODY}\n`,
  'Gmail, a Google Group header without a sender (the seed)': `---------- Forwarded message ---------\n\nSubject: Rates\nTo: desk - Ana (desk...@googlegroups.com) <desk...@googlegroups.com>\n\n${BODY}\n`,
  'Gmail, Spanish': `---------- Forwarded message ---------\nDe: El Cafecito <hola@cafecito.example>\nDate: lun, 19 ene 2026 a las 7:00\nSubject: Tasas\nTo: <desk@example.com>\n\n${BODY}\n`,
};

describe('unwrapOnce reads common forwards without the library, to the same result', () => {
  it.each(Object.entries(SAMPLES))('%s', (name, text) => {
    expect(readWithoutLibrary(text, 'Fwd: Rates')).toBe(true);
    expectSameReading(text, 'Fwd: Rates', name);
    expect(unwrapOnce(text, 'Fwd: Rates').body.startsWith('The central bank held rates')).toBe(true);
    // A bare "Fwd:" is a forward's subject too; the header block's subject is the original's then.
    expectSameReading(text, 'Fwd:', `${name} under a bare Fwd:`);
    expect(unwrapOnce(text, 'Fwd:').subject).toMatch(/^(?:Rates|Tasas)$/);
  });

  it('leaves quoted bodies, wrapped header values, several mailboxes and "Original Message" to the library', () => {
    const shapes = {
      quoted: `Begin forwarded message:\n\nFrom: A <a@example.com>\nSubject: Rates\nDate: 1 Dec 2026\n\n> ${BODY}\n`,
      wrapped: `---------- Forwarded message ---------\nFrom: A <a@example.com>\nDate: Tue, Dec 1, 2026\nSubject: A subject long enough\n  to wrap\nTo: <desk@example.com>\n\n${BODY}\n`,
      onBehalf: `________________________________\nFrom: John<mailto:j@example.com> <j@example.com> on behalf of t@example.com <t@example.com>\nSent: Tuesday\nSubject: Rates\n\n${BODY}\n`,
      original: `-----Original Message-----\nFrom: Wire Desk <wire@agency.example>\nSent: Tuesday, December 1, 2026 7:02 AM\nTo: desk@example.com\nSubject: Rates\n\n${BODY}\n`,
    };
    for (const [name, text] of Object.entries(shapes)) {
      expect({ name, shortcut: readWithoutLibrary(text, 'Fwd: Rates') }).toEqual({ name, shortcut: false });
      expectSameReading(text, 'Fwd: Rates', name);
    }
  });
});

const SUITE = join(import.meta.dirname, '../../../shared/peer-suites/email-forward-parser');
const present = existsSync(join(SUITE, 'expected.json'));
if (!present) console.warn(`peer suite skipped: ${SUITE} not found`);

describe.skipIf(!present)('the shortcut on email-forward-parser fixtures', () => {
  it('reads every fixture as the library does, and reads the common ones itself', () => {
    const cases: { body_file: string; subject_file: string | null }[] = present
      ? JSON.parse(readFileSync(join(SUITE, 'expected.json'), 'utf8'))
      : [];
    let shortcuts = 0;
    for (const entry of cases) {
      const body = readFileSync(join(SUITE, entry.body_file), 'utf8');
      const subject = entry.subject_file ? readFileSync(join(SUITE, entry.subject_file), 'utf8') : null;
      for (const asked of [subject, 'Fwd: test', null]) {
        expectSameReading(body, asked, `${entry.body_file} under ${JSON.stringify(asked)}`);
        if (readWithoutLibrary(body, asked)) shortcuts++;
      }
    }
    // The en/es/pt Gmail, Apple Mail, Outlook and Thunderbird fixtures, under each subject.
    expect(shortcuts).toBeGreaterThanOrEqual(100);
  });
});
