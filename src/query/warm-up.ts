/**
 * chrono-node builds its patterns lazily: the first date a process reads costs 200–500 ms per locale
 * and pattern family (measured on Node 20), far past Slack's 3-second budget shared with everything
 * else, and the whole of a p99. Reading one phrase of each family at start-up moves that cost there.
 */
import { parseDateExpression } from './date-expression.js';
import { parsePeriod } from './period.js';

const PHRASES = [
  'October 7, 2021',
  '7 Oct 2021',
  'on Monday',
  'last friday',
  'next friday',
  'Oct 7',
  '7 de octubre de 2021',
  'el viernes pasado',
  '7 de outubro de 2021',
  'sexta-feira passada',
  'not a date',
];

/** Parses one phrase of each family; `timeZone` is the newsroom's, whose Intl formatter is built too. */
export function warmUpDateParsing(timeZone: string): void {
  const ctx = { now: new Date(), timeZone, dateOrder: 'MDY' as const };
  for (const phrase of PHRASES) parseDateExpression(phrase, ctx);
  parsePeriod('since Oct 1', { ...ctx, latestDate: null });
}
