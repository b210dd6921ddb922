import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { splitCountryArgs } from '../../src/query/country-query.js';
import { parseDateExpression } from '../../src/query/date-expression.js';
import { firstSentence } from '../../src/query/first-sentence.js';
import { decodeRequest } from '../../src/slack/commands/request.js';

const ctx = {
  now: new Date('2026-11-29T14:00:00Z'),
  timeZone: 'America/New_York',
  dateOrder: 'MDY' as const,
};
const words = fc.array(
  fc.constantFrom('U.S.', 'Gen.', 'Lima', 'voted', '3.5', '"Yes."', '—', 'Perú', '?', '\n', 'é'),
  {
    maxLength: 80,
  },
);

describe('properties on any input', () => {
  test('firstSentence stays within its budget and never grows the text', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ maxLength: 600 }),
          words.map((w) => w.join(' ')),
        ),
        fc.integer({ min: 2, max: 300 }),
        (text, max) => {
          const result = firstSentence(text, max);
          expect(result.length).toBeLessThanOrEqual(max);
          expect(result.replace(/…$/, '').length).toBeLessThanOrEqual(
            text.replace(/\s+/g, ' ').trim().length,
          );
        },
      ),
    );
  });

  test('date and country arguments never throw, only refuse', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 120 }), (text) => {
        const date = parseDateExpression(text, ctx);
        expect(typeof date.ok).toBe('boolean');
        const split = splitCountryArgs(text, { ...ctx, latestDate: '2026-11-20' });
        if (split.ok) expect(split.value.period.from <= split.value.period.to).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  test('a forged button value decodes to a valid request or to nothing', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.json()), (value) => {
        const request = decodeRequest(value);
        if (request?.kind === 'country') expect(request.code).toMatch(/^[A-Z]{2}$/);
        if (request?.kind === 'briefing') expect(request.date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      }),
    );
  });
});
