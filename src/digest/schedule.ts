/**
 * When the daily digest is due, in the newsroom's time zone. Pure: the clock is an argument.
 *
 * Croner is the single source of truth for "17:00 in America/Santiago on this date": the same
 * pattern that drives the live job answers the catch-up question, so both agree on DST days
 * (a time inside a spring-forward gap runs at the end of the gap; a repeated time runs once, at
 * its first occurrence).
 */
import { TZDate } from '@date-fns/tz';
import { Cron } from 'croner';
import { todayIn } from '../query/calendar.js';

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DIGEST_TIME = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** Six-field croner pattern firing once a day at `HH:mm` (second 0). */
export function digestCronPattern(digestTime: string): string {
  const match = DIGEST_TIME.exec(digestTime);
  if (!match) throw new Error(`Digest time must be HH:mm, got "${digestTime}".`);
  return `0 ${Number(match[2])} ${Number(match[1])} * * *`;
}

/** The instant the digest for `date` is scheduled at, exactly as croner schedules it. */
export function digestInstant(date: string, digestTime: string, timeZone: string): Date {
  const [year, month, day] = parseIsoDate(date);
  // TZDate moves a midnight that does not exist (Santiago's spring forward) to the first real minute.
  const startOfDay = new TZDate(year, month - 1, day, 0, 0, timeZone);
  const job = new Cron(digestCronPattern(digestTime), { timezone: timeZone });
  try {
    const next = job.nextRun(new Date(startOfDay.getTime() - 1));
    if (!next) throw new Error(`No digest time on ${date} in ${timeZone}.`);
    return next;
  } finally {
    job.stop();
  }
}

/**
 * The date whose digest should exist by `now`: today's date once today's digest time has passed,
 * else null. Earlier days are deliberately not caught up: a digest posted a day late is noise.
 */
export function dueDigestDate(now: Date, digestTime: string, timeZone: string): string | null {
  const today = todayIn(now, timeZone);
  return now.getTime() >= digestInstant(today, digestTime, timeZone).getTime() ? today : null;
}

function parseIsoDate(date: string): [number, number, number] {
  const match = ISO_DATE.exec(date);
  if (!match) throw new Error(`Expected a date as YYYY-MM-DD, got "${date}".`);
  return [Number(match[1]), Number(match[2]), Number(match[3])];
}
