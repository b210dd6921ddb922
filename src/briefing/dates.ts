import type { ParsedResult } from 'chrono-node';
// One locale each, not the package root: the root loads all sixteen of chrono's languages (~10 MB RSS).
import * as en from 'chrono-node/en';
import * as es from 'chrono-node/es';
import * as pt from 'chrono-node/pt';
import { MONTHS } from './data/months.js';

/** Dates before this are typos or epoch defaults, not briefings. */
const MIN_YEAR = 1990;
const MAX_YEAR = 2100;
/** chrono is only given short strings: header values and single lines. */
const MAX_DATE_TEXT = 200;
/** A "date line" in the body is the date and little else. */
const MAX_DATE_LINE = 60;

export function isoDay(year: number, month: number, day: number): string | null {
  if (year < MIN_YEAR || year > MAX_YEAR || month < 1 || month > 12 || day < 1) return null;
  const probe = new Date(Date.UTC(year, month - 1, day));
  if (probe.getUTCMonth() !== month - 1) return null;
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/**
 * "Oct. 7, 2021", "Sept. 21, 2021", "7 de octubre de 2021", "October 7 2021": month name, day and year
 * (groups 1–3) or day, month name and year (groups 4–6).
 */
const WRITTEN_DATE = String.raw`(?:(\p{L}{3,10})\.?\s+(\d{1,2}),?\s+(\d{4})|(\d{1,2})\s+(?:de\s+)?(\p{L}{3,10})\.?,?\s+(?:de\s+)?(\d{4}))`;

/** A written date inside a parenthesis: "(Oct. 7, 2021)". */
const SUBJECT_DATE = new RegExp(String.raw`\(\s*${WRITTEN_DATE}\s*\)`, 'u');

function monthNumber(name: string | undefined): number | undefined {
  return name === undefined ? undefined : MONTHS[name.toLowerCase().normalize('NFD').replace(/\p{M}/gu, '')];
}

/** The same date closing the subject after a dash or colon: "Daily Briefing – Oct. 7, 2021". */
const SUBJECT_TRAILING_DATE = new RegExp(String.raw`(?:\s[-–—|]|[:,])\s*${WRITTEN_DATE}\s*$`, 'u');

/**
 * The date in the subject's parenthesis ("(Oct. 7, 2021)") or closing it, and the subject without it
 * (the headline).
 */
export function splitSubjectDate(subject: string): { headline: string; date: string | null } {
  // Both patterns end in a year: most subjects have none, and the patterns are dear to try everywhere.
  if (!/\d{4}/.test(subject)) return { headline: subject.trim(), date: null };
  for (const pattern of [SUBJECT_DATE, SUBJECT_TRAILING_DATE]) {
    const match = pattern.exec(subject);
    if (!match) continue;
    const month = monthNumber(match[1] ?? match[5]);
    const date =
      month === undefined ? null : isoDay(Number(match[3] ?? match[6]), month, Number(match[2] ?? match[4]));
    if (date === null) continue;
    const headline = (subject.slice(0, match.index) + subject.slice(match.index + match[0].length))
      .replace(/\s{2,}/g, ' ')
      .replace(/\s*[-–—:|]\s*$/, '')
      .trim();
    return { headline, date };
  }
  return { headline: subject.trim(), date: null };
}

const PARSERS = [en, es, pt] as const;
/** chrono fills what a text leaves out from this; only readings certain of the year are kept. */
const REFERENCE = new Date(Date.UTC(2000, 0, 1));

/**
 * The first date each language's parser reads in `input` (English, then Spanish, then Portuguese), where
 * the year is written, with the day it names (null when no such day exists). Lazy: a caller that is
 * satisfied stops the parsing.
 */
function* chronoReadings(input: string): Generator<{ result: ParsedResult; date: string | null }> {
  for (const parser of PARSERS) {
    const result = parser.parse(input, REFERENCE)[0];
    if (!result?.start.isCertain('year')) continue;
    const { start } = result;
    yield { result, date: isoDay(start.get('year') ?? 0, start.get('month') ?? 0, start.get('day') ?? 0) };
  }
}

/**
 * A header date that opens with its day written out (after a weekday): "Thu, Oct 7, 2021 at 1:20 PM",
 * "Thu, 07 Oct 2021 17:20:13 +0000", "quinta-feira, 7 de outubro de 2021 13:20". Most headers are
 * this; chrono, three languages deep, is for the rest.
 */
const LEADING_DATE = new RegExp(
  String.raw`^(?:\p{L}{2,14}(?:-feira)?\.?,?\s+)?${WRITTEN_DATE}(?=$|[\s,.;])`,
  'u',
);

function leadingDate(text: string): string | null {
  const match = LEADING_DATE.exec(text.trim());
  if (!match) return null;
  const [, monthFirst, dayAfter, yearAfter, dayFirst, monthAfter, yearLast] = match;
  const month = monthNumber(monthFirst ?? monthAfter);
  if (month === undefined) return null;
  return isoDay(Number(yearAfter ?? yearLast), month, Number(dayAfter ?? dayFirst));
}

/** A localised header date ("Thu, Oct 7, 2021 at 1:20 PM", "7 de octubre de 2021, 13:20") → day as written. */
export function dayFromText(text: string | null | undefined): string | null {
  if (!text) return null;
  const written = leadingDate(text.slice(0, MAX_DATE_TEXT));
  if (written) return written;
  for (const { result, date } of chronoReadings(text.slice(0, MAX_DATE_TEXT))) {
    if (date && result.start.isCertain('day')) return date;
  }
  return null;
}

/** A date in numbers: "10/07/2021", "7.10.2021", "2021-10-07". */
const NUMERIC_DAY = /\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}|\d{4}-\d{1,2}-\d{1,2}/u;

/** A body line that is only a date ("Thursday, October 7, 2021"). */
export function dayFromDateLine(line: string): string | null {
  const text = line.trim();
  if (text.length === 0 || text.length > MAX_DATE_LINE || !/\d{4}/.test(text)) return null;
  // chrono, three languages deep, is the dearest step of a parse: a line with neither a month's name
  // nor a numeric date cannot be one ("Since 2025, …"), and one written out is read by our pattern.
  if (!NUMERIC_DAY.test(text) && !text.split(/[^\p{L}]+/u).some((word) => monthNumber(word) !== undefined))
    return null;
  const written = LEADING_DATE.exec(text);
  if (written && written[0].length >= text.replace(/^[\p{L}]+,?\s*/u, '').length * 0.6) {
    const day = leadingDate(text);
    if (day) return day;
  }
  for (const { result, date } of chronoReadings(text.slice(0, MAX_DATE_TEXT))) {
    // The date must be most of the line, not a date mentioned in a sentence.
    if (result.text.length < text.replace(/^[\p{L}]+,?\s*/u, '').length * 0.6) continue;
    if (date) return date;
  }
  return null;
}

/** The outer Date header (an ISO timestamp) → its UTC day. */
export function dayFromIso(iso: string | null): string | null {
  if (!iso) return null;
  const time = Date.parse(iso);
  if (Number.isNaN(time)) return null;
  const date = new Date(time);
  return isoDay(date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate());
}

const WEEKDAY_DATE =
  /^(?:\p{L}{3,14}(?:-feira)?,?\s+)?(\d{1,2})(?:st|nd|rd|th|º)?\s+(?:de\s+)?(\p{L}{3,10})\.?(?:,?\s+(?:de\s+)?\d{4})?$|^(?:\p{L}{3,14},?\s+)?(\p{L}{3,10})\.?\s+(\d{1,2})(?:st|nd|rd|th)?(?:,?\s+\d{4})?$/iu;
const NUMERIC_DATE = /^(?:\p{L}{3,14},?\s+)?\d{1,2}[/.-]\d{1,2}[/.-]\d{4}$/u;

/**
 * A line that is only a date, with or without weekday and year ("lunes 19 de enero", "SEGUNDA-FEIRA, 5
 * DE JANEIRO DE 2026", "October 18, 2019"): a masthead or dateline.
 */
export function isDateOnlyLine(line: string): boolean {
  const trimmed = line.trim();
  // Most lines are prose, far too long; an end-anchored replace would scan each of them.
  const last = trimmed.charAt(trimmed.length - 1);
  if (trimmed.length > MAX_DATE_LINE && last !== '|' && last !== '·' && last !== '•') return false;
  const text = trimmed.replace(/[|·•]+$/, '').trim();
  if (text.length === 0 || text.length > MAX_DATE_LINE) return false;
  // Patterns only, no chrono: this is asked of every line of the body.
  if (NUMERIC_DATE.test(text)) return true;
  const match = WEEKDAY_DATE.exec(text);
  if (!match) return false;
  return monthNumber(match[2] ?? match[3]) !== undefined;
}
