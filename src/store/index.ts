import { existsSync } from 'node:fs';
import { mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '@slack/bolt';
import { Low, Memory } from 'lowdb';
import {
  checkIndexData,
  emptyIndex,
  emptyMonth,
  type IndexData,
  jsonFileAdapter,
  type MonthData,
  monthFileAdapter,
  readMonthSync,
} from './files.js';
import { INDEX_FILE, indexPath, LEGACY_FILE, monthOfFileName, monthPath, monthsDir } from './layout.js';
import { lockDataDir } from './lock.js';
import { migrateSingleFile } from './migrate.js';
import { MonthFile } from './month.js';
import { MONTH_BODY_CACHE, PartitionedStore } from './store.js';
import type { Store } from './types.js';

export type * from './types.js';

/** Month files read ahead at open while earlier ones are indexed. */
const MONTH_READ_AHEAD = 6;

export interface OpenStoreOptions {
  dataDir: string;
  /** A postgres:// URL: open the PostgreSQL store instead (dataDir is then unused). */
  databaseUrl?: string | null;
  /** With databaseUrl: the schema of one workspace's archive (see OpenPostgresOptions.schema). */
  schema?: string;
  logger?: Logger;
  /** The clock for delivery timestamps and event-id expiry (tests move it). */
  now?: () => Date;
  /** Months of briefing bodies kept in memory; default MONTH_BODY_CACHE. */
  monthCacheSize?: number;
  /**
   * Reads without the lock and never writes (every write method throws): a listing beside a running
   * bot. Safe because each file is replaced by rename, so a reader sees a whole old or new file.
   */
  readOnly?: boolean;
}

/**
 * Opens (creating if needed) the partitioned store under `dataDir`, migrating a single-file db.json
 * first. Throws, naming the file, when a store file is not valid JSON — and then writes nothing — and
 * when another live process has the directory open (DATA_DIR/.lock).
 */
export async function openStore(options: OpenStoreOptions): Promise<Store> {
  if (options.databaseUrl) {
    // The driver and its schema code load only for a PostgreSQL store: the embedded default never pays.
    const { openPostgresStore } = await import('./postgres/index.js');
    return openPostgresStore({
      url: options.databaseUrl,
      logger: options.logger,
      now: options.now,
      ...(options.schema ? { schema: options.schema } : {}),
    });
  }
  const { dataDir, logger } = options;
  const readOnly = options.readOnly ?? false;
  const now = options.now ?? (() => new Date());
  if (!readOnly) await mkdir(monthsDir(dataDir), { recursive: true });
  const release = readOnly ? async () => {} : await lockDataDir(dataDir);
  try {
    if (!readOnly) await migrateSingleFile(dataDir, now, logger);
    else if (existsSync(join(dataDir, LEGACY_FILE)) && !existsSync(join(dataDir, INDEX_FILE))) {
      throw new Error(
        `${join(dataDir, LEGACY_FILE)} has not been migrated to the partitioned layout yet; start the bot once to migrate it.`,
      );
    }

    const indexFile = indexPath(dataDir);
    const index = new Low<IndexData>(jsonFileAdapter(indexFile, checkIndexData), emptyIndex());
    const indexExisted = await readInto(index);

    const months = (await readdir(monthsDir(dataDir)).catch(missingAsEmpty))
      .map(monthOfFileName)
      .filter((month): month is string => month !== null)
      .sort();
    const monthLow = (month: string) =>
      new Low<MonthData>(monthFileAdapter(monthPath(dataDir, month)), emptyMonth());
    const reloader = (month: string) => () => readMonthSync(monthPath(dataDir, month));
    // A month without a file yet (every existing file was read at open) starts empty.
    const openMonth = (month: string): MonthFile => new MonthFile(month, monthLow(month), reloader(month));
    const store = new PartitionedStore({
      index,
      openMonth,
      logger,
      now,
      monthCacheSize: options.monthCacheSize ?? MONTH_BODY_CACHE,
      release,
      readOnly,
    });
    // Oldest first, so the newest months are the ones whose bodies stay cached. A few files are read
    // ahead while earlier ones are indexed: at ten years, waiting for each read in turn was a quarter
    // of the open.
    const reads = new Map<number, Promise<Low<MonthData>>>();
    const readAhead = (from: number): void => {
      for (let i = from; i < Math.min(months.length, from + MONTH_READ_AHEAD); i++) {
        if (reads.has(i)) continue;
        const low = monthLow(months[i]!);
        const read = low.read().then(() => low);
        // Failures are reported in order when their month's turn comes, not as unhandled rejections.
        read.catch(() => {});
        reads.set(i, read);
      }
    };
    for (const [position, month] of months.entries()) {
      readAhead(position);
      const low = await reads.get(position)!;
      reads.delete(position);
      try {
        store.loadMonth(new MonthFile(month, low, reloader(month)));
      } catch (error) {
        // The shape check let something through that indexing cannot take: still name the file.
        throw new Error(
          `Store file ${monthPath(dataDir, month)} could not be loaded (${(error as Error).message}); it was left untouched.`,
        );
      }
    }
    if (!indexExisted && !readOnly) await index.write();
    logger?.info(
      `store: opened ${dataDir}: ${await store.briefingCount()} briefings in ${months.length} month files`,
    );
    return store;
  } catch (error) {
    await release();
    throw error;
  }
}

/** An empty store kept in memory (lowdb's Memory adapter), for tests. */
export async function openMemoryStore(options: { now?: () => Date } = {}): Promise<Store> {
  return new PartitionedStore({
    index: new Low<IndexData>(new Memory<IndexData>(), emptyIndex()),
    openMonth: (month) =>
      new MonthFile(month, new Low<MonthData>(new Memory<MonthData>(), emptyMonth()), null),
    now: options.now ?? (() => new Date()),
    // Memory months cannot be reloaded, so none is ever evicted.
    monthCacheSize: Number.POSITIVE_INFINITY,
  });
}

/** A read-only open of a directory no bot has used yet: nothing in it. */
function missingAsEmpty(error: NodeJS.ErrnoException): string[] {
  if (error.code === 'ENOENT') return [];
  throw error;
}

async function readInto<T>(low: Low<T>): Promise<boolean> {
  const before = low.data;
  await low.read();
  return low.data !== before;
}
