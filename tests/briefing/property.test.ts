/**
 * Hostile and arbitrary input: the parser returns a briefing or throws BriefingParseError, nothing else.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BriefingParseError, parseEmail, parseParts } from '../../src/briefing/index.js';
import type { ParsedEmail } from '../../src/briefing/types.js';
import { FIXTURE_DIR } from '../fixtures/compose.js';

const FIXTURES = readdirSync(FIXTURE_DIR)
  .filter((name) => name.endsWith('.eml') || name.endsWith('.txt'))
  .map((name) => readFileSync(join(FIXTURE_DIR, name)));

async function outcome(run: () => Promise<ParsedEmail> | ParsedEmail): Promise<'parsed' | 'refused'> {
  try {
    const parsed = await run();
    expect(Array.isArray(parsed.briefing.sections)).toBe(true);
    for (const section of parsed.briefing.sections) {
      expect(['lead', 'section', 'list', 'article']).toContain(section.kind);
      expect(typeof section.title).toBe('string');
    }
    return 'parsed';
  } catch (error) {
    if (error instanceof BriefingParseError) return 'refused';
    throw error;
  }
}

/** Text that looks like briefing mail: headings, bullets, forward markers, headers, chrome. */
const mailish = fc
  .array(
    fc.oneof(
      fc.string({ maxLength: 120 }),
      fc.constantFrom(
        '---------- Forwarded message ---------',
        'From: Someone <someone@example.com>',
        'Subject: Fwd: Headline (Oct. 7, 2021)',
        'Date: Thu, Oct 7, 2021 at 1:20 PM',
        '________________________________',
        'Begin forwarded message:',
        '  • A bullet, reports Reuters.',
        'News Briefs',
        'By Someone, CNN',
        'Updated 1528 GMT (2328 HKT) October 6, 2021',
        'Did I miss something ... Latin America Daily Briefing',
        '-- ',
        'You received this message because you are subscribed to the Google Groups "x" group.',
        '<p><b>Heading</b></p><ul><li>item <a href="https://x.example">x</a></li></ul>',
        'Content-Type: message/rfc822',
        'MIME-Version: 1.0',
        '',
      ),
    ),
    { maxLength: 40 },
  )
  .map((lines) => lines.join('\n'));

function mutate(bytes: Buffer, edits: { at: number; remove: number; insert: Uint8Array }[]): Buffer {
  let out = bytes;
  for (const edit of edits) {
    const at = edit.at % (out.length + 1);
    out = Buffer.concat([out.subarray(0, at), Buffer.from(edit.insert), out.subarray(at + edit.remove)]);
  }
  return out;
}

describe('parser robustness (fast-check)', () => {
  it('arbitrary strings and bytes never throw anything but BriefingParseError', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.string({ maxLength: 2000 }), mailish, fc.uint8Array({ maxLength: 2000 })),
        async (input) => {
          const raw = typeof input === 'string' ? input : Buffer.from(input);
          await outcome(() => parseEmail(raw));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('mutated fixture emails never throw anything but BriefingParseError', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.nat({ max: FIXTURES.length - 1 }),
        fc.array(
          fc.record({ at: fc.nat(), remove: fc.nat({ max: 400 }), insert: fc.uint8Array({ maxLength: 60 }) }),
          {
            minLength: 1,
            maxLength: 6,
          },
        ),
        async (index, edits) => {
          await outcome(() => parseEmail(mutate(FIXTURES[index]!, edits)));
        },
      ),
      { numRuns: 150 },
    );
  });

  it('arbitrary provider fields never throw anything but BriefingParseError', async () => {
    const field = fc.option(fc.oneof(fc.string({ maxLength: 300 }), mailish), { nil: null });
    await fc.assert(
      fc.asyncProperty(
        field,
        field,
        field,
        field,
        field,
        field,
        async (subject, from, date, messageId, text, html) => {
          await outcome(() => parseParts({ subject, from, date, messageId, text, html }));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('empty input is the documented error', async () => {
    await expect(parseEmail('')).rejects.toBeInstanceOf(BriefingParseError);
    await expect(parseEmail(Buffer.alloc(0))).rejects.toBeInstanceOf(BriefingParseError);
    await expect(parseEmail('   \n\n  ')).rejects.toBeInstanceOf(BriefingParseError);
    expect(() =>
      parseParts({ subject: 'x', from: null, date: null, messageId: null, text: null, html: null }),
    ).toThrow(BriefingParseError);
    await expect(parseEmail('Subject: hi\nFrom: a@b.c\n\n')).rejects.toBeInstanceOf(BriefingParseError);
  });
});

/**
 * Catastrophic regexes show up as minutes, not milliseconds: these 1 MB single-line bodies must finish
 * within the test's timeout (the bench measures the real time, ~0.1–0.6 s each).
 */
describe('1 MB single-line bodies (no catastrophic backtracking)', () => {
  const MEGABYTE = 1_000_000;
  const shapes: Record<string, string> = {
    letters: 'a'.repeat(MEGABYTE),
    spaces: `${' '.repeat(MEGABYTE)}x`,
    words: 'word '.repeat(MEGABYTE / 5),
    bullets: '• '.repeat(MEGABYTE / 2),
    citations: 'reports The '.repeat(MEGABYTE / 12),
    abbreviations: 'U.S. '.repeat(MEGABYTE / 5),
    parentheses: '('.repeat(MEGABYTE),
    tags: '<div>'.repeat(MEGABYTE / 5),
  };
  for (const [name, body] of Object.entries(shapes)) {
    it(`${name}`, { timeout: 5_000 }, async () => {
      expect(['parsed', 'refused']).toContain(await outcome(() => parseEmail(body)));
    });
  }
});
