import { join } from 'node:path';

/**
 * The on-disk layout (see README.md in this folder): everything is plain JSON under DATA_DIR.
 * Month names come from validated dates only, so no email content ever reaches a file name.
 */

export const INDEX_FILE = 'index.json';
export const MONTHS_DIR = 'briefings';
export const LEGACY_FILE = 'db.json';
export const LEGACY_MIGRATED_FILE = 'db.json.migrated';

const DATE_PATTERN = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;
const MONTH_FILE_PATTERN = /^(\d{4}-(0[1-9]|1[0-2]))\.json$/;

export function isIsoDate(value: unknown): value is string {
  return typeof value === 'string' && DATE_PATTERN.test(value);
}

/** The month (YYYY-MM) a date is filed in; throws on anything that is not an ISO date. */
export function monthOf(date: string): string {
  if (!isIsoDate(date)) throw new Error(`Not an ISO date (YYYY-MM-DD): ${JSON.stringify(date)}`);
  return date.slice(0, 7);
}

export function indexPath(dataDir: string): string {
  return join(dataDir, INDEX_FILE);
}

export function monthsDir(dataDir: string): string {
  return join(dataDir, MONTHS_DIR);
}

export function monthPath(dataDir: string, month: string): string {
  return join(dataDir, MONTHS_DIR, `${month}.json`);
}

/** The month a file name in MONTHS_DIR holds, or null for anything else (steno's `.x.json.tmp`, notes). */
export function monthOfFileName(name: string): string | null {
  return MONTH_FILE_PATTERN.exec(name)?.[1] ?? null;
}
