import { describe, expect, test } from 'vitest';
import { type DateContext, mostRecent, parseDateExpression } from '../../src/query/date-expression.js';

// Sunday, November 29, 2026 at 09:00 in New York.
const now = new Date('2026-11-29T14:00:00Z');
const ctx: DateContext = { now, timeZone: 'America/New_York', dateOrder: 'MDY' };

function dateOf(text: string, context = ctx): string {
  const parsed = parseDateExpression(text, context);
  if (!parsed.ok) throw new Error(`${text}: ${parsed.error}`);
  if (parsed.value.kind !== 'date') throw new Error(`${text}: not a date`);
  return parsed.value.date;
}

describe('parseDateExpression', () => {
  test.each([
    ['', '2026-11-29'],
    ['today', '2026-11-29'],
    ['Today', '2026-11-29'],
    ['yesterday', '2026-11-28'],
    ['monday', '2026-11-23'],
    ['on Monday', '2026-11-23'],
    ['friday', '2026-11-27'],
    ['last friday', '2026-11-27'],
    ['sunday', '2026-11-29'],
    ['last sunday', '2026-11-22'],
    ['next friday', '2026-12-04'],
    ['Oct 7', '2026-10-07'],
    ['Oct. 7', '2026-10-07'],
    ['7 Oct 2021', '2021-10-07'],
    ['October 7, 2021', '2021-10-07'],
    ['2021-10-07', '2021-10-07'],
    ['10/7', '2026-10-07'],
    ['10/7/2021', '2021-10-07'],
    ['10/7/21', '2021-10-07'],
    ['Dec 25', '2025-12-25'],
    ['ayer', '2026-11-28'],
    ['anteayer', '2026-11-27'],
    ['hoy', '2026-11-29'],
    ['7 de octubre', '2026-10-07'],
    ['el 7 de octubre de 2021', '2021-10-07'],
    ['el viernes pasado', '2026-11-27'],
    ['ontem', '2026-11-28'],
    ['hoje', '2026-11-29'],
    ['7 de outubro', '2026-10-07'],
    ['7 de março de 2021', '2021-03-07'],
    ['sexta-feira passada', '2026-11-27'],
    ['sábado', '2026-11-28'],
    // Spanish and Portuguese "ago" (bug: chrono reads "3 days ago" but not "hace 3 días").
    ['3 days ago', '2026-11-26'],
    ['hace 3 días', '2026-11-26'],
    ['há 3 dias', '2026-11-26'],
    ['hace 2 semanas', '2026-11-15'],
  ])('%j → %s', (text, expected) => {
    expect(dateOf(text)).toBe(expected);
  });

  test('"10/7" reads day first with DATE_ORDER=DMY', () => {
    expect(dateOf('10/7', { ...ctx, dateOrder: 'DMY' })).toBe('2026-07-10');
    expect(dateOf('7/10/2021', { ...ctx, dateOrder: 'DMY' })).toBe('2021-10-07');
    expect(parseDateExpression('10/31', { ...ctx, dateOrder: 'DMY' })).toEqual({
      ok: false,
      error: '"10/31" is not a real date: numeric dates are read day first (7/10 is Oct 7).',
    });
  });

  test('"today" is the newsroom zone’s day, not UTC’s', () => {
    // 02:00 UTC on Nov 30 is still Nov 29 in New York, already Nov 30 in Madrid.
    const late = new Date('2026-11-30T02:00:00Z');
    expect(dateOf('today', { ...ctx, now: late })).toBe('2026-11-29');
    expect(dateOf('today', { ...ctx, now: late, timeZone: 'Europe/Madrid' })).toBe('2026-11-30');
    expect(dateOf('yesterday', { ...ctx, now: late })).toBe('2026-11-28');
  });

  test('a date without a year is the most recent one not in the future', () => {
    expect(dateOf('Nov 29')).toBe('2026-11-29');
    expect(dateOf('Nov 30')).toBe('2025-11-30');
    expect(dateOf('January 1')).toBe('2026-01-01');
  });

  test('latest', () => {
    expect(parseDateExpression('latest', ctx)).toEqual({ ok: true, value: { kind: 'latest' } });
  });

  test.each([
    ['banana', 'I could not read "banana" as a date.'],
    ['2021-02-30', '"2021-02-30" is not a real date.'],
    // Valid day first: the reason says how numbers are read (it said only "not a real date").
    ['13/7', '"13/7" is not a real date: numeric dates are read month first (10/7 is Oct 7).'],
    ['13/45', '"13/45" is not a real date.'],
    ['October 2021', '"October 2021" names a month, not a day: add the day, e.g. "Oct 7".'],
  ])('%j is refused with a reason', (text, error) => {
    expect(parseDateExpression(text, ctx)).toEqual({ ok: false, error });
  });

  test('very long input is refused before parsing', () => {
    expect(parseDateExpression('Oct 7 '.repeat(40), ctx).ok).toBe(false);
  });
});

describe('mostRecent', () => {
  test('Feb 29 looks back to the last leap year', () => {
    expect(mostRecent(2, 29, '2026-11-29')).toBe('2024-02-29');
  });
});
