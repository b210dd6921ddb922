/**
 * chrono-node builds its patterns lazily: the first date a process reads costs 200–500 ms per locale
 * and pattern family (measured on Node 20), far past Slack's 3-second budget shared with everything
 * else, and the whole of a p99. Reading one phrase of each family once the bot listens moves that cost
 * out of the first editor's command — and out of start-up, where it was a third of a second of
 * `createBot` (profiled at a 10-year archive): `warmUpInBackground` reads one phrase per turn of the
 * event loop, so requests that arrive meanwhile are answered between them.
 */
import { resolveCountry } from '../countries/index.js';
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

/** One step per family; `timeZone` is the newsroom's, whose Intl formatter is built too. */
function warmUpSteps(timeZone: string): Array<() => void> {
  const ctx = { now: new Date(), timeZone, dateOrder: 'MDY' as const };
  return [
    ...PHRASES.map((phrase) => () => {
      parseDateExpression(phrase, ctx);
    }),
    () => {
      parsePeriod('since Oct 1', { ...ctx, latestDate: null });
    },
    // The first country lookup builds the catalogue's name tables.
    () => {
      resolveCountry('Peru');
    },
  ];
}

/** One step per turn of the event loop; resolves when all are done. */
export async function warmUpInBackground(timeZone: string): Promise<void> {
  for (const step of warmUpSteps(timeZone)) {
    await new Promise<void>((resolve) => setImmediate(resolve));
    step();
  }
}
