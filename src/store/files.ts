import { readFileSync } from 'node:fs';
import type { Adapter } from 'lowdb';
import { DataFile } from 'lowdb/node';
import type {
  Delivery,
  Desk,
  DigestRecord,
  Follow,
  MailboxCursor,
  MutedFollower,
  StoredBriefing,
  ThreadActivity,
} from './types.js';

/** One month file: the briefings filed that month and everything that hangs off them. */
export interface MonthData {
  briefings: StoredBriefing[];
  deliveries: Delivery[];
  threads: ThreadActivity[];
  /** Digests posted for dates in this month. */
  digests: DigestRecord[];
}

export interface SeenEvent {
  id: string;
  /** Epoch milliseconds when first seen. */
  at: number;
}

/** The small index file: the layout's version and the bounded list of seen Slack event ids. */
export interface IndexData {
  schemaVersion: number;
  events: SeenEvent[];
  /** Set when the layout was migrated from the single-file db.json, so a crash mid-migration resumes. */
  migratedFrom?: string;
  /** Desks set with /desk, follows set with /country follow: a newsroom's worth, small and bounded. */
  desks?: Desk[];
  follows?: Follow[];
  muted?: MutedFollower[];
  /** Watched IMAP folders (IMAP_URL): one cursor each. */
  mailboxes?: Record<string, MailboxCursor>;
}

export const SCHEMA_VERSION = 2;

export const emptyMonth = (): MonthData => ({ briefings: [], deliveries: [], threads: [], digests: [] });
export const emptyIndex = (): IndexData => ({ schemaVersion: SCHEMA_VERSION, events: [] });

/** JSON.parse with an error that names the file, so an operator knows what to fix. */
export function parseJsonFile(path: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(
      `Store file ${path} is not valid JSON (${reason}); it was left untouched — repair or move it.`,
    );
  }
}

function malformed(path: string, what: string): Error {
  return new Error(`Store file ${path} is not a briefing-bot store file (${what}); it was left untouched.`);
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * What each record of a month file must have for the store to index it: the fields read at open.
 * Checked so that a hand-edited or damaged file stops start-up with its name and the bad record,
 * rather than with a TypeError from deep inside the indexing.
 */
const RECORD_FIELDS = {
  briefings: { strings: ['id', 'dedupeKey', 'date', 'receivedAt'], objects: ['briefing'], lists: [] },
  deliveries: { strings: ['briefingId', 'state'], objects: [], lists: ['posts'] },
  threads: { strings: ['channel', 'threadTs', 'briefingId'], objects: ['replies'], lists: [] },
  digests: { strings: ['date', 'channel', 'ts'], objects: [], lists: [] },
} as const;
const POST_STRINGS = ['key', 'channel', 'ts'] as const;

/** The first problem with a month file's records, as `deliveries[3]: "posts" is not a list`, or null. */
function recordProblem(data: Record<string, unknown>): string | null {
  for (const [field, shape] of Object.entries(RECORD_FIELDS)) {
    const records = (data[field] ?? []) as unknown[];
    for (const [index, record] of records.entries()) {
      const at = `${field}[${index}]`;
      if (!isObject(record)) return `${at} is not an object`;
      for (const key of shape.strings)
        if (typeof record[key] !== 'string') return `${at}: "${key}" is not a string`;
      for (const key of shape.objects) if (!isObject(record[key])) return `${at}: "${key}" is not an object`;
      for (const key of shape.lists) if (!Array.isArray(record[key])) return `${at}: "${key}" is not a list`;
      if (field === 'briefings' && !Array.isArray((record.briefing as Record<string, unknown>).sections))
        return `${at}: "briefing.sections" is not a list`;
      if (field === 'deliveries') {
        for (const [postIndex, post] of (record.posts as unknown[]).entries()) {
          if (!isObject(post)) return `${at}.posts[${postIndex}] is not an object`;
          for (const key of POST_STRINGS)
            if (typeof post[key] !== 'string') return `${at}.posts[${postIndex}]: "${key}" is not a string`;
        }
      }
    }
  }
  return null;
}

export function checkMonthData(path: string, value: unknown): MonthData {
  if (!isObject(value)) throw malformed(path, 'expected an object');
  for (const field of ['briefings', 'deliveries', 'threads'] as const) {
    if (!Array.isArray(value[field])) throw malformed(path, `"${field}" is not a list`);
  }
  if (value.digests !== undefined && !Array.isArray(value.digests))
    throw malformed(path, '"digests" is not a list');
  const problem = recordProblem(value);
  if (problem) throw malformed(path, problem);
  const data = value as unknown as MonthData;
  data.digests ??= [];
  return data;
}

export function checkIndexData(path: string, value: unknown): IndexData {
  if (!isObject(value)) throw malformed(path, 'expected an object');
  if (typeof value.schemaVersion !== 'number') throw malformed(path, '"schemaVersion" is missing');
  if (value.schemaVersion > SCHEMA_VERSION) {
    throw new Error(
      `Store file ${path} has schema version ${value.schemaVersion}, newer than this bot understands (${SCHEMA_VERSION}); upgrade the bot.`,
    );
  }
  if (!Array.isArray(value.events)) throw malformed(path, '"events" is not a list');
  for (const field of ['desks', 'follows', 'muted'] as const) {
    if (value[field] !== undefined && !Array.isArray(value[field]))
      throw malformed(path, `"${field}" is not a list`);
  }
  return value as unknown as IndexData;
}

/**
 * A lowdb adapter for one store file: lowdb's DataFile (steno's temp-file + rename writer, so a crash
 * leaves either the old or the new file, never half of one), compact JSON to keep month writes cheap,
 * and a parse that names the file and checks the shape.
 */
export function jsonFileAdapter<T>(
  path: string,
  check: (path: string, value: unknown) => T,
  stringify: (data: T) => string = (data) => JSON.stringify(data),
): Adapter<T> {
  return new DataFile<T>(path, { parse: (text) => check(path, parseJsonFile(path, text)), stringify });
}

/**
 * Each stored briefing's JSON, made once: a briefing never changes after it is stored, so rewriting its
 * month (on every post recorded, every reply counted) only joins these strings instead of serialising
 * ~30 briefings again. Weak, so an evicted month's strings go with its briefings.
 */
const briefingJson = new WeakMap<StoredBriefing, string>();

/** JSON.stringify(data) for a month file, reusing each briefing's serialised form. */
export function stringifyMonth(data: MonthData): string {
  const briefings = data.briefings.map((briefing) => {
    let json = briefingJson.get(briefing);
    if (json === undefined) {
      json = JSON.stringify(briefing);
      briefingJson.set(briefing, json);
    }
    return json;
  });
  return `{"briefings":[${briefings.join(',')}],"deliveries":${JSON.stringify(data.deliveries)},"threads":${JSON.stringify(data.threads)},"digests":${JSON.stringify(data.digests)}}`;
}

export const monthFileAdapter = (path: string): Adapter<MonthData> =>
  jsonFileAdapter(path, checkMonthData, stringifyMonth);

/** Synchronous read, for reloading an evicted month inside a synchronous getter. */
export function readMonthSync(path: string): MonthData {
  return checkMonthData(path, parseJsonFile(path, readFileSync(path, 'utf8')));
}
