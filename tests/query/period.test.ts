import { describe, expect, test } from 'vitest';
import { splitCountryArgs } from '../../src/query/country-query.js';
import { defaultPeriod, parsePeriod } from '../../src/query/period.js';

// Sunday, November 29, 2026 in New York; the newest briefing is from Friday the 20th.
const ctx = {
  now: new Date('2026-11-29T14:00:00Z'),
  timeZone: 'America/New_York',
  dateOrder: 'MDY' as const,
  latestDate: '2026-11-20',
};

function rangeOf(text: string): [string, string] {
  const parsed = parsePeriod(text, ctx);
  if (!parsed.ok) throw new Error(`${text}: ${parsed.error}`);
  return [parsed.value.from, parsed.value.to];
}

describe('parsePeriod', () => {
  test.each([
    ['last 7 days', ['2026-11-23', '2026-11-29']],
    ['past 30 days', ['2026-10-31', '2026-11-29']],
    ['last 2 weeks', ['2026-11-16', '2026-11-29']],
    ['this week', ['2026-11-23', '2026-11-29']],
    ['last week', ['2026-11-16', '2026-11-22']],
    ['this month', ['2026-11-01', '2026-11-29']],
    ['last month', ['2026-10-01', '2026-10-31']],
    ['since Oct 1', ['2026-10-01', '2026-11-29']],
    ['since 2021-10-01', ['2021-10-01', '2026-11-29']],
    ['in October 2021', ['2021-10-01', '2021-10-31']],
    ['October 2021', ['2021-10-01', '2021-10-31']],
    ['in February 2024', ['2024-02-01', '2024-02-29']],
    ['october', ['2026-10-01', '2026-10-31']],
    ['in December', ['2025-12-01', '2025-12-31']],
    ['2021', ['2021-01-01', '2021-12-31']],
    ['in 2021', ['2021-01-01', '2021-12-31']],
    ['from Oct 1 to Oct 15', ['2026-10-01', '2026-10-15']],
    ['Oct 7 2021', ['2021-10-07', '2021-10-07']],
    ['yesterday', ['2026-11-28', '2026-11-28']],
    ['últimos 7 días', ['2026-11-23', '2026-11-29']],
    ['esta semana', ['2026-11-23', '2026-11-29']],
    ['desde 1 de octubre', ['2026-10-01', '2026-11-29']],
    ['en octubre de 2021', ['2021-10-01', '2021-10-31']],
    ['em outubro de 2021', ['2021-10-01', '2021-10-31']],
    ['all', ['0001-01-01', '9999-12-31']],
    // Rolling windows (bug: "past week" was read as the single day a week ago).
    ['past week', ['2026-11-23', '2026-11-29']],
    ['the past month', ['2026-10-31', '2026-11-29']],
    ['past year', ['2025-11-30', '2026-11-29']],
    ['la última semana', ['2026-11-23', '2026-11-29']],
    ['último mes', ['2026-10-31', '2026-11-29']],
    ['últimos 2 meses', ['2026-10-01', '2026-11-29']],
    ['last 2 years', ['2024-11-30', '2026-11-29']],
    // A span as the start (bug: "since October" and "desde octubre" were refused).
    ['since October', ['2026-10-01', '2026-11-29']],
    ['desde outubro', ['2026-10-01', '2026-11-29']],
    ['since 2021', ['2021-01-01', '2026-11-29']],
    ['since October 2021', ['2021-10-01', '2026-11-29']],
    // A start without a year takes the end's (bug: refused as "ends before it starts").
    ['from Oct 1 to Oct 15, 2021', ['2021-10-01', '2021-10-15']],
    ['from October to November 2021', ['2021-10-01', '2021-11-30']],
    ['from Dec 20 to Jan 5, 2022', ['2021-12-20', '2022-01-05']],
    ['from 2020 to 2021', ['2020-01-01', '2021-12-31']],
    ['del 1 al 15 de octubre de 2021', ['2021-10-01', '2021-10-15']],
    ['de 1 a 15 de outubro de 2021', ['2021-10-01', '2021-10-15']],
  ])('%j', (text, expected) => {
    expect(rangeOf(text)).toEqual(expected);
  });

  test('no period: the 30 days up to the newest briefing', () => {
    expect(parsePeriod('', ctx)).toEqual({
      ok: true,
      value: { from: '2026-10-22', to: '2026-11-20', isDefault: true },
    });
  });

  test('no period and an empty archive: the 30 days up to today', () => {
    expect(defaultPeriod({ ...ctx, latestDate: null })).toEqual({
      from: '2026-10-31',
      to: '2026-11-29',
      isDefault: true,
    });
  });

  test.each([
    ['last 0 days', 'Pick between 1 and 3660 days, or "all".'],
    ['since tomorrow', '"tomorrow" is in the future.'],
    ['from Oct 15 to Oct 1', 'The period ends before it starts.'],
    ['whenever', 'I could not read "whenever" as a period.'],
    // Words that name a property of every JavaScript object (bug: "last 5 constructor" threw).
    ['last 5 constructor', 'I could not read "last 5 constructor" as a period.'],
    ['past constructor', 'I could not read "past constructor" as a period.'],
    ['toString 2021', 'I could not read "toString 2021" as a period.'],
  ])('%j is refused with a reason', (text, error) => {
    expect(parsePeriod(text, ctx)).toEqual({ ok: false, error });
  });
});

describe('splitCountryArgs', () => {
  test.each([
    ['Peru', 'Peru', ['2026-10-22', '2026-11-20']],
    ['Peru last 7 days', 'Peru', ['2026-11-23', '2026-11-29']],
    ['Costa Rica', 'Costa Rica', ['2026-10-22', '2026-11-20']],
    ['El Salvador this week', 'El Salvador', ['2026-11-23', '2026-11-29']],
    ['República Dominicana en octubre de 2021', 'República Dominicana', ['2021-10-01', '2021-10-31']],
    ['united states since Oct 1', 'united states', ['2026-10-01', '2026-11-29']],
    ['PE 2021', 'PE', ['2021-01-01', '2021-12-31']],
  ])('%j', (text, name, range) => {
    const split = splitCountryArgs(text, ctx);
    expect(split.ok).toBe(true);
    if (!split.ok) return;
    expect(split.value.name).toBe(name);
    expect([split.value.period.from, split.value.period.to]).toEqual(range);
  });

  test('a period that tried and failed is kept as the reason', () => {
    const split = splitCountryArgs('Peru last 0 days', ctx);
    expect(split).toEqual({
      ok: true,
      value: {
        name: 'Peru last 0 days',
        period: { from: '2026-10-22', to: '2026-11-20', isDefault: true },
        periodProblem: 'Pick between 1 and 3660 days, or "all".',
      },
    });
  });

  test('empty input asks for a country', () => {
    expect(splitCountryArgs('  ', ctx)).toEqual({
      ok: false,
      error: 'Name a country, e.g. `/country Peru`.',
    });
  });
});
