import { access, readFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '@slack/bolt';
import { Low } from 'lowdb';
import {
  checkIndexData,
  emptyMonth,
  type IndexData,
  jsonFileAdapter,
  type MonthData,
  monthFileAdapter,
  parseJsonFile,
  SCHEMA_VERSION,
  type SeenEvent,
} from './files.js';
import { indexPath, isIsoDate, LEGACY_FILE, LEGACY_MIGRATED_FILE, monthOf, monthPath } from './layout.js';
import type { Delivery, DigestRecord, StoredBriefing, ThreadActivity } from './types.js';

/** The single-file layout of earlier versions: everything in DATA_DIR/db.json. */
interface LegacyData {
  briefings?: unknown;
  deliveries?: unknown;
  threads?: unknown;
  digests?: unknown;
  events?: unknown;
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}

/** Collections were kept either as lists or as objects keyed by id; both read as lists. */
function asList<T>(path: string, name: string, value: unknown): T[] {
  if (value === undefined || value === null) return [];
  if (Array.isArray(value)) return value as T[];
  if (typeof value === 'object') return Object.values(value) as T[];
  throw new Error(`Store file ${path}: "${name}" is neither a list nor an object; it was left untouched.`);
}

function legacyEvents(path: string, value: unknown, nowMs: number): SeenEvent[] {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    // { eventId: epochMs | iso }
    return Object.entries(value).map(([id, at]) => ({
      id,
      at: typeof at === 'number' ? at : Date.parse(String(at)) || nowMs,
    }));
  }
  return asList<unknown>(path, 'events', value).map((event) =>
    typeof event === 'string'
      ? { id: event, at: nowMs }
      : {
          id: String((event as { id: unknown }).id),
          at:
            Number((event as { at: unknown }).at) ||
            Date.parse(String((event as { at: unknown }).at)) ||
            nowMs,
        },
  );
}

/**
 * Moves a single-file store (DATA_DIR/db.json) into the partitioned layout, then renames the old file
 * to db.json.migrated (kept, never deleted). The index is written last and records the migration, so
 * a crash part-way simply migrates again on the next start.
 */
export async function migrateSingleFile(dataDir: string, now: () => Date, logger?: Logger): Promise<boolean> {
  const legacyPath = join(dataDir, LEGACY_FILE);
  if (!(await exists(legacyPath))) return false;
  const migratedPath = join(dataDir, LEGACY_MIGRATED_FILE);
  const indexFile = indexPath(dataDir);

  if (await exists(indexFile)) {
    const index = checkIndexData(indexFile, parseJsonFile(indexFile, await readFile(indexFile, 'utf8')));
    if (index.migratedFrom !== LEGACY_FILE) {
      throw new Error(
        `Both ${legacyPath} and ${indexFile} exist: the data directory holds two store layouts. Move one away.`,
      );
    }
    await rename(legacyPath, migratedPath);
    return true;
  }

  const legacy = parseJsonFile(legacyPath, await readFile(legacyPath, 'utf8')) as LegacyData;
  if (typeof legacy !== 'object' || legacy === null || Array.isArray(legacy)) {
    throw new Error(`Store file ${legacyPath} is not a briefing-bot store file; it was left untouched.`);
  }
  const briefings = asList<StoredBriefing>(legacyPath, 'briefings', legacy.briefings);
  const deliveries = asList<Delivery>(legacyPath, 'deliveries', legacy.deliveries);
  const threads = asList<ThreadActivity>(legacyPath, 'threads', legacy.threads);
  const digests = asList<DigestRecord>(legacyPath, 'digests', legacy.digests);

  const months = new Map<string, MonthData>();
  const monthData = (month: string): MonthData => {
    let data = months.get(month);
    if (!data) {
      data = emptyMonth();
      months.set(month, data);
    }
    return data;
  };
  const monthOfBriefing = new Map<string, string>();
  for (const briefing of briefings) {
    const date = isIsoDate(briefing.date)
      ? briefing.date
      : (briefing.briefing?.date ?? briefing.receivedAt?.slice(0, 10));
    if (!isIsoDate(date)) {
      throw new Error(
        `Store file ${legacyPath}: briefing ${briefing.id} has no usable date; it was left untouched.`,
      );
    }
    const month = monthOf(date);
    monthOfBriefing.set(briefing.id, month);
    monthData(month).briefings.push({ ...briefing, date });
  }
  const orphans = (kind: string, briefingId: string) =>
    logger?.warn(`store migration: dropping ${kind} of unknown briefing ${briefingId}`);
  for (const delivery of deliveries) {
    const month = monthOfBriefing.get(delivery.briefingId);
    if (month) monthData(month).deliveries.push({ ...delivery, posts: delivery.posts ?? [] });
    else orphans('delivery', delivery.briefingId);
  }
  for (const thread of threads) {
    const month = monthOfBriefing.get(thread.briefingId);
    if (month) monthData(month).threads.push(thread);
    else orphans('thread', thread.briefingId);
  }
  for (const digest of digests) monthData(monthOf(digest.date)).digests.push(digest);

  for (const [month, data] of months) {
    const low = new Low<MonthData>(monthFileAdapter(monthPath(dataDir, month)), data);
    await low.write();
  }
  const index: IndexData = {
    schemaVersion: SCHEMA_VERSION,
    events: legacyEvents(legacyPath, legacy.events, now().getTime()),
    migratedFrom: LEGACY_FILE,
  };
  await new Low<IndexData>(jsonFileAdapter(indexFile, checkIndexData), index).write();
  await rename(legacyPath, migratedPath);
  logger?.info(
    `store: migrated ${briefings.length} briefings from ${legacyPath} into ${months.size} month files; the old file is kept as ${migratedPath}`,
  );
  return true;
}
