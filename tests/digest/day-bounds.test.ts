import { describe, expect, it } from 'vitest';
import { dayBoundsIn } from '../../src/query/calendar.js';

describe('dayBoundsIn: the instants of a newsroom day, midnight to midnight', () => {
  it.each([
    // An ordinary day in New York (EDT).
    ['2021-10-07', 'America/New_York', '2021-10-07T04:00:00.000Z', '2021-10-08T04:00:00.000Z'],
    // Fall back: 25 hours (1:00–2:00 happens twice).
    ['2021-11-07', 'America/New_York', '2021-11-07T04:00:00.000Z', '2021-11-08T05:00:00.000Z'],
    // Spring forward: 23 hours.
    ['2021-03-14', 'America/New_York', '2021-03-14T05:00:00.000Z', '2021-03-15T04:00:00.000Z'],
    // Santiago falls back at midnight: Apr 3 gets the repeated hour, Apr 4 starts at the second midnight.
    ['2021-04-03', 'America/Santiago', '2021-04-03T03:00:00.000Z', '2021-04-04T04:00:00.000Z'],
    ['2021-04-04', 'America/Santiago', '2021-04-04T04:00:00.000Z', '2021-04-05T04:00:00.000Z'],
    // Santiago springs forward at midnight: Sep 5 has no 00:00 and starts at 01:00 (-03).
    ['2021-09-05', 'America/Santiago', '2021-09-05T04:00:00.000Z', '2021-09-06T03:00:00.000Z'],
    // Mexico City has had no DST since Oct 2022: every day is 24 hours at UTC-6.
    ['2023-11-05', 'America/Mexico_City', '2023-11-05T06:00:00.000Z', '2023-11-06T06:00:00.000Z'],
  ])('%s in %s', (date, zone, from, to) => {
    expect(dayBoundsIn(date, zone)).toEqual({ from, to });
  });
});
