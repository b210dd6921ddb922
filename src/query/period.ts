/**
 * `/country <name> [period]`: the span of days a question is about ("last 7 days", "since Oct 1",
 * "in October 2021", "2021"), as an inclusive calendar range in the newsroom's zone.
 */
import type { DateRange } from '../store/types.js';
import { addDays, daysInMonth, isoWeekday, makeDate, parts, todayIn } from './calendar.js';
import { type DateContext, normalise, type Parsed, parseDateExpression } from './date-expression.js';

/** Without a period, a country question looks this far back from the newest briefing. */
export const DEFAULT_PERIOD_DAYS = 30;
/** "last N days" beyond this is a typo or a whole-archive question; "all" says the latter plainly. */
export const MAX_RELATIVE_DAYS = 3660;
/** Bounds that cover every date the store can hold. */
export const ALL_TIME: DateRange = { from: '0001-01-01', to: '9999-12-31' };

export interface PeriodContext extends DateContext {
  /** The archive's newest briefing date: the default period ends there. */
  latestDate: string | null;
}

export interface Period extends DateRange {
  /** True when the person gave no period and the default applied. */
  isDefault: boolean;
}

/** Maps, not object literals: a typed word such as "constructor" must not find Object's prototype. */
const MONTHS = new Map<string, number>();
const MONTH_NAMES = [
  ['january', 'jan', 'enero', 'ene', 'janeiro'],
  ['february', 'feb', 'febrero', 'fevereiro', 'fev'],
  ['march', 'mar', 'marzo', 'marco'],
  ['april', 'apr', 'abril', 'abr'],
  ['may', 'mayo', 'maio', 'mai'],
  ['june', 'jun', 'junio', 'junho'],
  ['july', 'jul', 'julio', 'julho'],
  ['august', 'aug', 'agosto', 'ago'],
  ['september', 'sep', 'sept', 'septiembre', 'setiembre', 'setembro', 'set'],
  ['october', 'oct', 'octubre', 'outubro', 'out'],
  ['november', 'nov', 'noviembre', 'novembro'],
  ['december', 'dec', 'diciembre', 'dic', 'dezembro', 'dez'],
];
MONTH_NAMES.forEach((names, index) => {
  for (const name of names) MONTHS.set(name, index + 1);
});

const UNIT_DAYS = new Map<string, number>(
  Object.entries({
    day: 1,
    dia: 1,
    week: 7,
    semana: 7,
    month: 30,
    mes: 30,
    year: 365,
    ano: 365,
  }),
);

function ok(from: string, to: string): Parsed<Period> {
  return { ok: true, value: { from, to, isDefault: false } };
}

function monthRange(year: number, month: number): Parsed<Period> {
  const from = makeDate(year, month, 1)!;
  return ok(from, makeDate(year, month, daysInMonth(year, month))!);
}

function relativeDays(count: number, unit: string, today: string): Parsed<Period> | null {
  // "mes" is already singular: stripping its "es" would leave "m".
  const days = UNIT_DAYS.get(unit) ?? UNIT_DAYS.get(unit.replace(/e?s$/, ''));
  if (days === undefined) return null;
  const total = count * days;
  if (total < 1 || total > MAX_RELATIVE_DAYS) {
    return { ok: false, error: `Pick between 1 and ${MAX_RELATIVE_DAYS} days, or "all".` };
  }
  return ok(addDays(today, -(total - 1)), today);
}

/**
 * "past week", "the past month", "la última semana", "o último mês": a rolling window ending today,
 * unlike "last week" and "last month", which are the previous calendar week and month.
 */
function rollingSpan(text: string, today: string): Parsed<Period> | null {
  const match = /^(?:the )?(?:past|(?:la |a |el |o )?ultim[oa]) ([a-z]+)$/.exec(text);
  return match ? relativeDays(1, match[1]!, today) : null;
}

function namedSpan(text: string, today: string): Parsed<Period> | null {
  const monday = addDays(today, -(isoWeekday(today) - 1));
  const { year, month } = parts(today);
  switch (text) {
    case 'this week':
    case 'esta semana':
      return ok(monday, today);
    case 'last week':
    case 'semana pasada':
    case 'semana passada':
    case 'la semana pasada':
    case 'a semana passada':
      return ok(addDays(monday, -7), addDays(monday, -1));
    case 'this month':
    case 'este mes':
      return ok(makeDate(year, month, 1)!, today);
    case 'last month':
    case 'mes pasado':
    case 'el mes pasado':
    case 'mes passado':
    case 'o mes passado':
      return month === 1 ? monthRange(year - 1, 12) : monthRange(year, month - 1);
    case 'this year':
    case 'este ano':
      return ok(makeDate(year, 1, 1)!, today);
    case 'last year':
    case 'el ano pasado':
    case 'ano pasado':
    case 'ano passado':
    case 'o ano passado':
      return ok(makeDate(year - 1, 1, 1)!, makeDate(year - 1, 12, 31)!);
    case 'all':
    case 'all time':
    case 'ever':
    case 'everything':
    case 'todo':
    case 'tudo':
      return { ok: true, value: { ...ALL_TIME, isDefault: false } };
    default:
      return null;
  }
}

/** "October", "Oct 2021", "octubre de 2021", "in outubro": a whole month; without a year the latest begun. */
function monthSpan(text: string, today: string): Parsed<Period> | null {
  const match = /^([a-z]+)\.?(?: (?:de |of )?(\d{4}))?$/.exec(text);
  const month = match ? MONTHS.get(match[1]!) : undefined;
  if (!match || month === undefined) return null;
  const current = parts(today);
  const year = match[2] ? Number(match[2]) : month <= current.month ? current.year : current.year - 1;
  return monthRange(year, month);
}

function singleDay(text: string, ctx: DateContext): Parsed<string> {
  const parsed = parseDateExpression(text, ctx);
  if (!parsed.ok) return parsed;
  if (parsed.value.kind !== 'date') return { ok: false, error: `"${text}" is not a date.` };
  return { ok: true, value: parsed.value.date };
}

/** The default: the last DEFAULT_PERIOD_DAYS days up to the newest briefing (or today, with none). */
export function defaultPeriod(ctx: PeriodContext): Period {
  const to = ctx.latestDate ?? todayIn(ctx.now, ctx.timeZone);
  return { from: addDays(to, -(DEFAULT_PERIOD_DAYS - 1)), to, isDefault: true };
}

export function parsePeriod(input: string, ctx: PeriodContext): Parsed<Period> {
  const text = normalise(input).replace(/^(?:in|en|em|during|durante|for|over|the|of) /, '');
  if (text === '') return { ok: true, value: defaultPeriod(ctx) };
  const today = todayIn(ctx.now, ctx.timeZone);

  const relative = /^(?:last|past|the last|the past|ultimos|ultimas) (\d{1,5}) ([a-z]+)$/.exec(text);
  if (relative) {
    const result = relativeDays(Number(relative[1]), relative[2]!, today);
    if (result) return result;
  }
  const rolling = rollingSpan(text, today);
  if (rolling) return rolling;
  const named = namedSpan(text, today);
  if (named) return named;
  const year = yearSpan(text);
  if (year) return year;
  const month = monthSpan(text, today);
  if (month) return month;

  const between =
    /^(?:from|between|desde|entre|de|del) (.+?) (?:to|until|till|and|through|hasta|ate|a|al|y|e) (.+)$/.exec(
      text,
    );
  if (between) {
    const range = betweenSpans(between[1]!, between[2]!, ctx, today);
    if (range) return range;
  }
  const since = /^(?:since|from|after|desde|a partir de) (.+)$/.exec(text);
  if (since) {
    const from = spanOf(since[1]!, ctx, today);
    if (!from.ok) return from;
    return from.value.from <= today
      ? ok(from.value.from, today)
      : { ok: false, error: `"${since[1]}" is in the future.` };
  }
  const day = singleDay(text, ctx);
  if (day.ok) return ok(day.value, day.value);
  return { ok: false, error: `I could not read "${input.trim()}" as a period.` };
}

function yearSpan(text: string): Parsed<Period> | null {
  if (!/^\d{4}$/.test(text)) return null;
  const year = Number(text);
  return ok(makeDate(year, 1, 1)!, makeDate(year, 12, 31)!);
}

/**
 * One end of "since …" or "from … to …": a day, or a span read by its first or last day ("since
 * October", "from 2020 to 2021", "since last week").
 */
function spanOf(text: string, ctx: DateContext, today: string): Parsed<Period> {
  const span = namedSpan(text, today) ?? yearSpan(text) ?? monthSpan(text, today);
  if (span) return span;
  const day = singleDay(text, ctx);
  return day.ok ? ok(day.value, day.value) : day;
}

/**
 * "from Oct 1 to Oct 15, 2021", "from October to November 2021", "del 1 al 15 de octubre de 2021":
 * a start without a year (or without a month) shares the end's, as a person writing it means.
 */
function betweenSpans(
  fromText: string,
  toText: string,
  ctx: DateContext,
  today: string,
): Parsed<Period> | null {
  const to = spanOf(toText, ctx, today);
  if (!to.ok) return null;
  const end = parts(to.value.to);
  let from: Parsed<Period>;
  if (/^\d{1,2}$/.test(fromText)) {
    const day = makeDate(end.year, end.month, Number(fromText));
    if (!day) return null;
    from = ok(day, day);
  } else {
    from = spanOf(fromText, ctx, today);
    if (!from.ok) return null;
    if (from.value.from > to.value.to && !/\d{4}/.test(fromText) && /\d{4}/.test(toText)) {
      // Without a year the start was read as the most recent such date; the end's year is meant, or
      // the one before for a period across New Year ("from Dec 20 to Jan 5, 2022").
      for (const year of [end.year, end.year - 1]) {
        const again = spanOf(`${fromText} ${year}`, ctx, today);
        if (again.ok && again.value.from <= to.value.to) {
          from = again;
          break;
        }
      }
    }
  }
  if (!from.ok) return null;
  return from.value.from <= to.value.to
    ? ok(from.value.from, to.value.to)
    : { ok: false, error: `The period ends before it starts.` };
}
