/**
 * Calendar arithmetic on ISO `YYYY-MM-DD` strings. Briefings are filed under plain calendar dates, so all
 * maths happens on dates pinned to UTC: the process's own zone can never shift a day.
 */
import { TZDate } from '@date-fns/tz';
// Per-function paths: the package root loads all of date-fns's ~300 modules at start-up.
import { addDays as addDaysFns } from 'date-fns/addDays';
import { format } from 'date-fns/format';
import { getISODay } from 'date-fns/getISODay';
import { lastDayOfMonth } from 'date-fns/lastDayOfMonth';

/** Today's calendar date in an IANA zone. */
export function todayIn(now: Date, timeZone: string): string {
  return format(new TZDate(now.getTime(), timeZone), 'yyyy-MM-dd');
}

function toUtcDate(iso: string): TZDate {
  const { year, month, day } = parts(iso);
  return new TZDate(year, month - 1, day, 'UTC');
}

function fromUtcDate(date: Date): string {
  return format(date, 'yyyy-MM-dd');
}

/** The ISO date for year/month/day, or null when the day does not exist (Feb 30, month 13). */
export function makeDate(year: number, month: number, day: number): string | null {
  if (!Number.isInteger(year) || !Number.isInteger(month) || !Number.isInteger(day)) return null;
  if (year < 1 || year > 9999 || month < 1 || month > 12 || day < 1) return null;
  const iso = `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
  return day <= daysInMonth(year, month) ? iso : null;
}

export function daysInMonth(year: number, month: number): number {
  return lastDayOfMonth(new TZDate(year, month - 1, 1, 'UTC')).getDate();
}

export function addDays(iso: string, days: number): string {
  return fromUtcDate(addDaysFns(toUtcDate(iso), days));
}

/** ISO weekday: 1 = Monday … 7 = Sunday. */
export function isoWeekday(iso: string): number {
  return getISODay(toUtcDate(iso));
}

export function parts(iso: string): { year: number; month: number; day: number } {
  const [year, month, day] = iso.split('-').map(Number) as [number, number, number];
  return { year, month, day };
}

/** "Thu, Oct 7, 2021": the form the bot's posts use for dates. */
export function formatLongDate(iso: string): string {
  return format(toUtcDate(iso), 'EEE, MMM d, yyyy');
}

/** "Oct 7, 2021". */
export function formatShortDate(iso: string): string {
  return format(toUtcDate(iso), 'MMM d, yyyy');
}

/** "Oct 5": within a few weeks of today the year goes without saying. */
export function formatMonthDay(iso: string): string {
  return format(toUtcDate(iso), 'MMM d');
}

/** "Oct 1 – Oct 31, 2021" or "Dec 20, 2021 – Jan 5, 2022"; a single day prints once. */
export function formatRange(from: string, to: string): string {
  if (from === to) return formatShortDate(from);
  const sameYear = from.slice(0, 4) === to.slice(0, 4);
  const start = sameYear ? format(toUtcDate(from), 'MMM d') : formatShortDate(from);
  return `${start} – ${formatShortDate(to)}`;
}

/**
 * The instants `[from, to)` of a calendar date in an IANA zone: local midnight to the next local
 * midnight, as UTC ISO strings — 23 or 25 hours on a DST day. A midnight that does not exist (a
 * spring-forward at 00:00, as in America/Santiago) starts the day at its first real minute.
 */
export function dayBoundsIn(date: string, timeZone: string): { from: string; to: string } {
  const midnight = (iso: string): string => {
    const { year, month, day } = parts(iso);
    return new Date(new TZDate(year, month - 1, day, timeZone).getTime()).toISOString();
  };
  return { from: midnight(date), to: midnight(addDays(date, 1)) };
}
