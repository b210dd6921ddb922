import { describe, expect, it } from 'vitest';
import { digestCronPattern, digestInstant, dueDigestDate } from '../../src/digest/schedule.js';

describe('digestCronPattern', () => {
  it('fires once a day at second 0 of HH:mm', () => {
    expect(digestCronPattern('17:00')).toBe('0 0 17 * * *');
    expect(digestCronPattern('07:05')).toBe('0 5 7 * * *');
  });

  it('refuses anything that is not a 24-hour HH:mm', () => {
    expect(() => digestCronPattern('5pm')).toThrow(/HH:mm/);
    expect(() => digestCronPattern('24:00')).toThrow(/HH:mm/);
  });
});

describe('digestInstant', () => {
  it('is 17:00 local on both sides of New York’s spring forward (Mar 8, 2026)', () => {
    expect(digestInstant('2026-03-07', '17:00', 'America/New_York').toISOString()).toBe(
      '2026-03-07T22:00:00.000Z',
    );
    expect(digestInstant('2026-03-08', '17:00', 'America/New_York').toISOString()).toBe(
      '2026-03-08T21:00:00.000Z',
    );
  });

  it('is 17:00 local on both sides of New York’s fall back (Nov 1, 2026)', () => {
    expect(digestInstant('2026-10-31', '17:00', 'America/New_York').toISOString()).toBe(
      '2026-10-31T21:00:00.000Z',
    );
    expect(digestInstant('2026-11-01', '17:00', 'America/New_York').toISOString()).toBe(
      '2026-11-01T22:00:00.000Z',
    );
  });

  it('runs a time inside the spring-forward gap at the end of the gap, as croner does', () => {
    // 02:30 does not exist on Mar 8, 2026 in New York: clocks jump from 02:00 EST to 03:00 EDT.
    expect(digestInstant('2026-03-08', '02:30', 'America/New_York').toISOString()).toBe(
      '2026-03-08T07:00:00.000Z',
    );
    // Santiago springs forward at midnight (Sep 6, 2026): 00:00 and 00:30 do not exist.
    expect(digestInstant('2026-09-06', '00:30', 'America/Santiago').toISOString()).toBe(
      '2026-09-06T04:00:00.000Z',
    );
  });

  it('runs a repeated time once, at its first occurrence', () => {
    // 01:30 happens twice on Nov 1, 2026 in New York (EDT, then EST).
    expect(digestInstant('2026-11-01', '01:30', 'America/New_York').toISOString()).toBe(
      '2026-11-01T05:30:00.000Z',
    );
    // Santiago falls back at midnight on Apr 5, 2026: 23:30 on Apr 4 happens twice.
    expect(digestInstant('2026-04-04', '23:30', 'America/Santiago').toISOString()).toBe(
      '2026-04-05T02:30:00.000Z',
    );
  });

  it('follows Santiago’s offset change around its transitions', () => {
    expect(digestInstant('2026-04-04', '17:00', 'America/Santiago').toISOString()).toBe(
      '2026-04-04T20:00:00.000Z',
    );
    expect(digestInstant('2026-04-05', '17:00', 'America/Santiago').toISOString()).toBe(
      '2026-04-05T21:00:00.000Z',
    );
    expect(digestInstant('2026-09-05', '17:00', 'America/Santiago').toISOString()).toBe(
      '2026-09-05T21:00:00.000Z',
    );
    expect(digestInstant('2026-09-06', '17:00', 'America/Santiago').toISOString()).toBe(
      '2026-09-06T20:00:00.000Z',
    );
  });

  it('stays at UTC−6 all year in Mexico City (no DST since 2022)', () => {
    for (const date of ['2026-01-15', '2026-04-05', '2026-07-01', '2026-11-01']) {
      expect(digestInstant(date, '17:00', 'America/Mexico_City').toISOString()).toBe(`${date}T23:00:00.000Z`);
    }
  });
});

describe('dueDigestDate', () => {
  it('is null before today’s digest time and today from that time on', () => {
    const zone = 'America/New_York';
    expect(dueDigestDate(new Date('2026-03-08T20:59:59.999Z'), '17:00', zone)).toBeNull();
    expect(dueDigestDate(new Date('2026-03-08T21:00:00.000Z'), '17:00', zone)).toBe('2026-03-08');
    expect(dueDigestDate(new Date('2026-03-09T03:59:00.000Z'), '17:00', zone)).toBe('2026-03-08');
  });

  it('never reaches back to yesterday after local midnight', () => {
    // 00:30 EDT on Mar 9 is past midnight: yesterday's digest is not due any more, today's not yet.
    expect(dueDigestDate(new Date('2026-03-09T04:30:00.000Z'), '17:00', 'America/New_York')).toBeNull();
  });
});
