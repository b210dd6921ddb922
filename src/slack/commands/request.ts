/**
 * What an answer is an answer to, carried in its buttons' `value`. Buttons re-run the question against
 * the store instead of carrying results, so a "More" click after new briefings arrive still adds up, and
 * a value forged by a client can ask nothing the person could not have typed.
 */
import { makeDate } from '../../query/calendar.js';

export type AnswerRequest =
  | { kind: 'briefing'; date: string }
  /** `/briefing <period>`: a summary of the period's days. */
  | { kind: 'period'; from: string; to: string }
  /** `/briefing search <words> [period]`: a page of archive hits. */
  | { kind: 'search'; words: string; from: string; to: string; page: number }
  | { kind: 'country'; code: string; from: string; to: string; page: number; isDefault: boolean };

/** What a search button may carry: more than anyone types, well within a button's 2000 characters. */
export const MAX_SEARCH_CHARS = 200;

/** Past any real page count (10 years × a few stories a day / 10 per page) — a bound on forged values. */
const MAX_PAGE = 100_000;

export function encodeRequest(request: AnswerRequest): string {
  return JSON.stringify(request);
}

function isIsoDate(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  return match !== null && makeDate(Number(match[1]), Number(match[2]), Number(match[3])) === value;
}

function isPage(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= MAX_PAGE;
}

/** The request in a button value, or null for anything malformed. */
export function decodeRequest(value: string | undefined): AnswerRequest | null {
  if (!value || value.length > 2000) return null;
  let data: unknown;
  try {
    data = JSON.parse(value);
  } catch {
    return null;
  }
  if (typeof data !== 'object' || data === null) return null;
  const record = data as Record<string, unknown>;
  if (record.kind === 'briefing' && isIsoDate(record.date)) return { kind: 'briefing', date: record.date };
  if (
    record.kind === 'period' &&
    isIsoDate(record.from) &&
    isIsoDate(record.to) &&
    record.from <= record.to
  ) {
    return { kind: 'period', from: record.from, to: record.to };
  }
  if (
    record.kind === 'search' &&
    typeof record.words === 'string' &&
    record.words.trim() !== '' &&
    record.words.length <= MAX_SEARCH_CHARS &&
    isIsoDate(record.from) &&
    isIsoDate(record.to) &&
    isPage(record.page)
  ) {
    return { kind: 'search', words: record.words, from: record.from, to: record.to, page: record.page };
  }
  if (
    record.kind === 'country' &&
    typeof record.code === 'string' &&
    /^[A-Z]{2}$/.test(record.code) &&
    isIsoDate(record.from) &&
    isIsoDate(record.to) &&
    typeof record.page === 'number' &&
    Number.isInteger(record.page) &&
    record.page >= 1 &&
    record.page <= MAX_PAGE
  ) {
    return {
      kind: 'country',
      code: record.code,
      from: record.from,
      to: record.to,
      page: record.page,
      isDefault: record.isDefault === true,
    };
  }
  return null;
}
