import { type BigIntStats, existsSync, statSync } from 'node:fs';
import { mkdir, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '@slack/bolt';
import { Low, Memory } from 'lowdb';
import { buildSegment } from '../search/build.js';
import {
  checkIndexData,
  checkMonthData,
  emptyIndex,
  emptyMonth,
  type IndexData,
  jsonFileAdapter,
  type MonthData,
  monthFileAdapter,
  parseJsonFile,
  readMonthSync,
} from './files.js';
import { INDEX_FILE, indexPath, LEGACY_FILE, monthOfFileName, monthPath, monthsDir } from './layout.js';
import { lockDataDir } from './lock.js';
import { migrateSingleFile } from './migrate.js';
import { MonthFile } from './month.js';
import { encodeSummaries, md5Of, OpenCache, stampOf, summarise } from './open-cache.js';
import { MONTH_BODY_CACHE, PartitionedStore } from './store.js';
import type { Store } from './types.js';

export type * from './types.js';

/**
 * From how many month files the search index is built in a worker thread (search/build.ts). The thread
 * leaves a few MB of its own behind (its malloc arena: ~3.5 MB at ten years, beyond the segment it
 * hands over), while the build on the bot's thread leaves ~0.1 MB of garbage per month resident
 * (~14 MB at ten years): a young archive is lighter built in place, and an empty one spawns no thread
 * for nothing (at rest, empty store: 98.4 MB with the worker, 97.3 and 97.5 without, in the bench's
 * processes beside minimal Bolt at ~78 MB).
 */
export const SEARCH_WORKER_MIN_MONTHS = 24;

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
  /** Months from which search is built in a worker; default SEARCH_WORKER_MIN_MONTHS. */
  searchWorkerMinMonths?: number;
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
      searchWorkerMinMonths: options.searchWorkerMinMonths ?? SEARCH_WORKER_MIN_MONTHS,
      buildSearch: (months, signal) =>
        buildSegment(
          months.map((month) => monthPath(dataDir, month)),
          signal,
        ),
      ...(readOnly
        ? {}
        : {
            saveOpenCache: (files: MonthFile[]) =>
              OpenCache.write(
                dataDir,
                files.map((file) => ({
                  month: file.month,
                  path: monthPath(dataDir, file.month),
                  cached: file.cached,
                  data: file.data,
                })),
              ),
          }),
    });
    const cache = await OpenCache.read(dataDir, (message) => logger?.warn(message));
    let parsed = 0;
    let hashed = 0;
    // Oldest first, so the newest months are the ones whose bodies stay cached. A few files are read
    // ahead while earlier ones are indexed: at ten years, waiting for each read in turn was a quarter
    // of the open. A file the open cache knows by its stamp is not even read; any other is read and
    // hashed, and one whose bytes the cache was not made from is parsed.
    type Read =
      | { stats: BigIntStats; bytes: Buffer; md5: string }
      | { stats: BigIntStats; bytes: null }
      | null;
    const read = async (month: string): Promise<Read> => {
      const path = monthPath(dataDir, month);
      // Synchronous: 121 stats are microseconds each, and the thread pool's round trips were not.
      const stats = statSync(path, { bigint: true });
      if (cache.unchanged(month, stats)) return { stats, bytes: null };
      const bytes = await readFile(path);
      hashed++;
      return { stats, bytes, md5: md5Of(bytes) };
    };
    const reads = new Map<number, Promise<Read>>();
    const readAhead = (from: number): void => {
      for (let i = from; i < Math.min(months.length, from + MONTH_READ_AHEAD); i++) {
        if (reads.has(i)) continue;
        // A file gone since the listing is a month with no file yet, as lowdb reads it.
        const next = read(months[i]!).catch(missingAsNull);
        // Failures are reported in order when their month's turn comes, not as unhandled rejections.
        next.catch(() => {});
        reads.set(i, next);
      }
    };
    // The cache's file stays open while its lines are read, up to the last month (released below).
    try {
      for (const [position, month] of months.entries()) {
        readAhead(position);
        const file = await reads.get(position)!;
        reads.delete(position);
        if (file === null) continue;
        const path = monthPath(dataDir, month);
        const hit = cache.take(month, file);
        try {
          if (hit) {
            const low = monthLow(month);
            low.data = hit.data;
            store.loadMonth(
              new MonthFile(month, low, reloader(month), { evicted: true, cached: hit.cached }),
              hit.summaries,
            );
            continue;
          }
          parsed++;
          // Not what the cache was made from (or the cache lacked it): read the file after all.
          const bytes = file.bytes ?? (await readFile(path));
          const low = monthLow(month);
          low.data = checkMonthData(path, parseJsonFile(path, bytes.toString('utf8')));
          const cached = {
            size: bytes.byteLength,
            md5: file.bytes ? file.md5 : md5Of(bytes),
            stamp: file.bytes && file.stats.size === BigInt(bytes.byteLength) ? stampOf(file.stats) : null,
            briefings: encodeSummaries(low.data.briefings.map(summarise)),
          };
          store.loadMonth(new MonthFile(month, low, reloader(month), { cached }));
        } catch (error) {
          if ((error as Error).message.startsWith(`Store file ${path} `)) throw error;
          // The shape check let something through that indexing cannot take: still name the file.
          throw new Error(
            `Store file ${path} could not be loaded (${(error as Error).message}); it was left untouched.`,
          );
        }
      }
      // Also when a month had to be hashed: the cache then learns its new stamp (a copied archive).
      if (parsed > 0 || hashed > 0 || cache.left > 0) store.saveOpenCacheSoon();
    } finally {
      cache.release();
    }
    if (!indexExisted && !readOnly) await index.write();
    logger?.info(
      `store: opened ${dataDir}: ${await store.briefingCount()} briefings in ${months.length} month files (${parsed} parsed, ${hashed} read to check them against the open cache)`,
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

function missingAsNull(error: NodeJS.ErrnoException): null {
  if (error.code === 'ENOENT') return null;
  throw error;
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
