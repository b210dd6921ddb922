/**
 * `/briefing [when]`: a date typed by a person, in English, Spanish or Portuguese, resolved against the
 * newsroom's calendar. chrono-node recognises the words; the calendar rules (which year, which Friday)
 * are ours, because "the most recent such date not in the future" is what a desk asking about the
 * archive means, while chrono guesses forward.
 */
import type { Chrono } from 'chrono-node';
// One locale each, not the package root: the root loads all sixteen of chrono's languages (~10 MB RSS).
import * as en from 'chrono-node/en';
import * as es from 'chrono-node/es';
import * as pt from 'chrono-node/pt';
import type { DateOrder } from '../config.js';
import { addDays, isoWeekday, makeDate, parts, todayIn } from './calendar.js';

export interface DateContext {
  now: Date;
  /** IANA zone of the newsroom: "today" is today there. */
  timeZone: string;
  dateOrder: DateOrder;
}

export type DateQuery = { kind: 'date'; date: string } | { kind: 'latest' };

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

/** Typed input longer than this is not a date; refusing it early keeps chrono's regexes off huge strings. */
export const MAX_EXPRESSION_CHARS = 100;

const TODAY_WORDS = new Set(['', 'today', 'hoy', 'hoje', 'now', 'tonight']);
const YESTERDAY_WORDS = new Set(['yesterday', 'ayer', 'ontem']);
const DAY_BEFORE_YESTERDAY_WORDS = new Set([
  'day before yesterday',
  'the day before yesterday',
  'anteayer',
  'antier',
  'anteontem',
]);
const LATEST_WORDS = new Set([
  'latest',
  'last',
  'newest',
  'most recent',
  'recent',
  'ultimo',
  'ultima',
  'mas reciente',
  'mais recente',
]);

/** Words around a date that carry no meaning of their own ("on Monday", "el lunes", "o dia 7"). */
const FILLER = /^(?:on|the|of|el|la|los|del|de|o|a|do|da|dia|em|en|,|\s)*$/i;
/** "last friday", "el viernes pasado", "sexta passada": the previous one even when today is Friday. */
const PREVIOUS_MARKER = /\b(?:last|previous|pasad[oa]|anterior|passad[oa]|ultim[oa])\b/i;

/** "next friday", "el próximo viernes": the desk may ask ahead, the answer will say nothing is filed yet. */
const NEXT_MARKER = /\b(?:next|coming|pr[oó]xim[oa]|que viene)\b/i;

const PARSERS: Chrono[] = [en.casual, es.casual, pt.casual];

export function normalise(input: string): string {
  return input
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[.,;]+$/, '')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Resolves a day and month without a year to the most recent such date on or before `today`. */
export function mostRecent(month: number, day: number, today: string): string | null {
  const { year } = parts(today);
  // Feb 29 may need to look back up to 8 years (1900-style gaps); a year without it is skipped.
  for (let back = 0; back <= 8; back += 1) {
    const candidate = makeDate(year - back, month, day);
    if (candidate && candidate <= today) return candidate;
  }
  return null;
}

function numericDate(text: string, ctx: DateContext, today: string): Parsed<DateQuery> | null {
  const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(text);
  if (iso) return fixed(Number(iso[1]), Number(iso[2]), Number(iso[3]), text);
  const slashed = /^(\d{1,2})[/.](\d{1,2})(?:[/.](\d{2}|\d{4}))?$/.exec(text);
  if (!slashed) return null;
  const [first, second] = [Number(slashed[1]), Number(slashed[2])];
  const [month, day] = ctx.dateOrder === 'DMY' ? [second, first] : [first, second];
  const year =
    slashed[3] === undefined
      ? null
      : slashed[3].length === 2
        ? 2000 + Number(slashed[3])
        : Number(slashed[3]);
  const parsed = year === null ? recent(month, day, today, text) : fixed(year, month, day, text);
  // "31/12" in a month-first newsroom: say how numbers are read rather than only "not a real date".
  if (!parsed.ok && makeDate(year ?? 2000, day, month) !== null) {
    const order = ctx.dateOrder === 'DMY' ? 'day first (7/10 is Oct 7)' : 'month first (10/7 is Oct 7)';
    return { ok: false, error: `"${text}" is not a real date: numeric dates are read ${order}.` };
  }
  return parsed;
}

const UNIT_DAYS_AGO: Record<string, number> = { dia: 1, dias: 1, semana: 7, semanas: 7 };

/** "hace 3 días", "há 2 semanas": Spanish and Portuguese for "3 days ago", which chrono reads in English only. */
function daysAgo(text: string, today: string): Parsed<DateQuery> | null {
  const match = /^(?:hace|ha) (\d{1,4}) (dias?|semanas?)$/.exec(text);
  if (!match) return null;
  return {
    ok: true,
    value: { kind: 'date', date: addDays(today, -Number(match[1]) * UNIT_DAYS_AGO[match[2]!]!) },
  };
}

function fixed(year: number, month: number, day: number, text: string): Parsed<DateQuery> {
  const date = makeDate(year, month, day);
  return date
    ? { ok: true, value: { kind: 'date', date } }
    : { ok: false, error: `"${text}" is not a real date.` };
}

function recent(month: number, day: number, today: string, text: string): Parsed<DateQuery> {
  const date = mostRecent(month, day, today);
  return date
    ? { ok: true, value: { kind: 'date', date } }
    : { ok: false, error: `"${text}" is not a real date.` };
}

function weekdayOnOrBefore(weekday: number, today: string, strictlyBefore: boolean): string {
  // chrono numbers weekdays 0 = Sunday; ISO numbers them 1 = Monday … 7 = Sunday.
  const target = weekday === 0 ? 7 : weekday;
  let back = (isoWeekday(today) - target + 7) % 7;
  if (back === 0 && strictlyBefore) back = 7;
  return addDays(today, -back);
}

function naturalDate(text: string, today: string, display: string): Parsed<DateQuery> | null {
  for (const parser of PARSERS) {
    // The reference only matters for chrono's own guesses, which we replace; noon avoids any DST edge.
    const [result] = parser.parse(text, new Date(`${today}T12:00:00Z`));
    if (!result) continue;
    const leftover = text.slice(0, result.index) + text.slice(result.index + result.text.length);
    if (!FILLER.test(leftover.replace(PREVIOUS_MARKER, '').replace(NEXT_MARKER, ''))) continue;
    const start = result.start;
    const day = start.isCertain('day') ? start.get('day') : null;
    const month = start.isCertain('month') ? start.get('month') : null;
    const year = start.isCertain('year') ? start.get('year') : null;
    if (day !== null && month !== null) {
      return year !== null ? fixed(year, month, day, display) : recent(month, day, today, display);
    }
    if (start.isCertain('weekday') && day === null) {
      const weekday = start.get('weekday') ?? 0;
      const date = NEXT_MARKER.test(text)
        ? addDays(weekdayOnOrBefore(weekday, today, false), 7)
        : weekdayOnOrBefore(weekday, today, PREVIOUS_MARKER.test(text));
      return { ok: true, value: { kind: 'date', date } };
    }
    if (month !== null)
      return { ok: false, error: `"${display}" names a month, not a day: add the day, e.g. "Oct 7".` };
  }
  return null;
}

/** Parses the argument of `/briefing`. Empty means today. */
export function parseDateExpression(input: string, ctx: DateContext): Parsed<DateQuery> {
  if (input.length > MAX_EXPRESSION_CHARS) return { ok: false, error: 'That is too long to be a date.' };
  const text = normalise(input);
  const today = todayIn(ctx.now, ctx.timeZone);
  if (TODAY_WORDS.has(text)) return { ok: true, value: { kind: 'date', date: today } };
  if (YESTERDAY_WORDS.has(text)) return { ok: true, value: { kind: 'date', date: addDays(today, -1) } };
  if (DAY_BEFORE_YESTERDAY_WORDS.has(text))
    return { ok: true, value: { kind: 'date', date: addDays(today, -2) } };
  if (LATEST_WORDS.has(text)) return { ok: true, value: { kind: 'latest' } };
  const numeric = numericDate(text, ctx, today);
  if (numeric) return numeric;
  const ago = daysAgo(text, today);
  if (ago) return ago;
  // chrono gets the accented original: its Portuguese and Spanish patterns expect "março", "sábado".
  const spoken = input
    .trim()
    .replace(/\s+/g, ' ')
    .replace(/[,;]+$/, '')
    .toLowerCase();
  return (
    naturalDate(spoken, today, input.trim()) ?? {
      ok: false,
      error: `I could not read "${input.trim()}" as a date.`,
    }
  );
}

/** Resolves a parsed expression to a concrete date; "latest" needs the archive's newest date. */
export function resolveDateQuery(query: DateQuery, latestDate: string | null): string | null {
  return query.kind === 'date' ? query.date : latestDate;
}
