/**
 * The open cache (DATA_DIR/open-cache.json): what indexing reads of each month file — briefing ids,
 * dates, dedupe keys and story tags, and the month's deliveries, threads and digests — so that opening
 * a ten-year archive parses one small file instead of every briefing body.
 *
 * It is never the source of truth. Each entry is derived from one month file's bytes and carries their
 * size and MD5, and is used only when the file still has both, so a month rewritten after the cache (a
 * crash between the two writes, a hand edit, a restore from backup) is simply parsed again. A cache
 * that is missing, corrupt, of another version or wrongly shaped is ignored the same way, and rewritten.
 *
 * Hashing every file still reads the whole archive, so an entry also keeps the file's stamp (inode and
 * mtime in ns, as git's index does) and a file whose stamp and size are unchanged is not read at all.
 * Every store write replaces a month file by rename (a new inode) at a later mtime; an inode number can
 * be reused, so a stamp is only recorded once its mtime is RACY_NS old — a rewrite then always carries
 * another mtime. Anything that is not the same file unchanged (a copy, a restore) falls back to the hash.
 */
import { createHash } from 'node:crypto';
import type { BigIntStats } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { TextFile } from 'lowdb/node';
import { checkMonthData, type MonthData, parseJsonFile } from './files.js';
import type { BriefingStory } from './stories.js';
import { storiesOf } from './stories.js';
import type { StoredBriefing } from './types.js';

export const OPEN_CACHE_FILE = 'open-cache.json';
/** Bumped whenever what an entry holds or how it is derived changes: an older cache is then ignored. */
export const OPEN_CACHE_VERSION = 1;

/** What the store indexes of one briefing, without its body. */
export interface BriefingSummary {
  id: string;
  date: string;
  receivedAt: string;
  dedupeKey: string;
  /** The dedupe keys of its corrected copies other than dedupeKey (see reviseBriefing). */
  keys: string[];
  stories: BriefingStory[];
}

/** A summary as stored: a tuple per briefing and per story, so the strings kept in memory stay small. */
type StoryTuple = [sectionIndex: number, itemIndex: number | null, countries: string[], mentions: string[]];
type SummaryTuple = [
  id: string,
  date: string,
  receivedAt: string,
  dedupeKey: string,
  keys: string[],
  stories: StoryTuple[],
];

/** Which file, unchanged: its inode and its mtime in nanoseconds (decimal strings: 64-bit values). */
export interface Stamp {
  ino: string;
  mtimeNs: string;
}

/** A stamp is recorded only once its mtime is this old (see the top of this file). */
const RACY_NS = 2_000_000_000n;

export function stampOf(stats: BigIntStats): Stamp {
  return { ino: String(stats.ino), mtimeNs: String(stats.mtimeNs) };
}

/** What a loaded month remembers of its cache entry, to write it again without reading the file. */
export interface CachedMonth {
  size: number;
  md5: string;
  /** The file's stamp when it was loaded, if it was checked to be these bytes. */
  stamp: Stamp | null;
  /** The month's briefing summaries as JSON (SummaryTuple[]). */
  briefings: string;
}

interface CacheEntry {
  size: number;
  md5: string;
  stamp?: Stamp;
  briefings: string;
  deliveries: unknown;
  threads: unknown;
  digests: unknown;
}

const isStamp = (value: unknown): value is Stamp =>
  typeof value === 'object' &&
  value !== null &&
  isString((value as Stamp).ino) &&
  isString((value as Stamp).mtimeNs);

function isString(value: unknown): value is string {
  return typeof value === 'string';
}

export function md5Of(bytes: Uint8Array): string {
  return createHash('md5').update(bytes).digest('base64');
}

export function summarise(briefing: StoredBriefing): BriefingSummary {
  const keys = (briefing.versions ?? [])
    .map((version) => version.dedupeKey)
    .filter((key) => key !== briefing.dedupeKey);
  return {
    id: briefing.id,
    date: briefing.date,
    receivedAt: briefing.receivedAt,
    dedupeKey: briefing.dedupeKey,
    keys,
    stories: storiesOf(briefing.briefing),
  };
}

export function encodeSummaries(summaries: readonly BriefingSummary[]): string {
  const tuples: SummaryTuple[] = summaries.map((summary) => [
    summary.id,
    summary.date,
    summary.receivedAt,
    summary.dedupeKey,
    summary.keys,
    summary.stories.map((story) => [story.sectionIndex, story.itemIndex, story.countries, story.mentions]),
  ]);
  return JSON.stringify(tuples);
}

const isStringList = (value: unknown): value is string[] => Array.isArray(value) && value.every(isString);

function isStory(value: unknown): value is StoryTuple {
  return (
    Array.isArray(value) &&
    value.length === 4 &&
    Number.isInteger(value[0]) &&
    (value[1] === null || Number.isInteger(value[1])) &&
    isStringList(value[2]) &&
    isStringList(value[3])
  );
}

function isSummary(value: unknown): value is SummaryTuple {
  return (
    Array.isArray(value) &&
    value.length === 6 &&
    isString(value[0]) &&
    isString(value[1]) &&
    isString(value[2]) &&
    isString(value[3]) &&
    isStringList(value[4]) &&
    Array.isArray(value[5]) &&
    value[5].every(isStory)
  );
}

/** The summaries of an entry, or null when they are not shaped as this version writes them. */
export function decodeSummaries(json: string): BriefingSummary[] | null {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return null;
  }
  if (!Array.isArray(value) || !value.every(isSummary)) return null;
  return value.map(([id, date, receivedAt, dedupeKey, keys, stories]) => ({
    id,
    date,
    receivedAt,
    dedupeKey,
    keys,
    stories: stories.map(([sectionIndex, itemIndex, countries, mentions]) => ({
      sectionIndex,
      itemIndex,
      countries,
      mentions,
    })),
  }));
}

/** A month as the cache gives it: its deliveries, threads and digests, and its briefings' summaries. */
export interface CachedMonthData {
  data: MonthData;
  summaries: BriefingSummary[];
  cached: CachedMonth;
}

export class OpenCache {
  readonly #path: string;
  readonly #entries: Map<string, CacheEntry>;

  private constructor(path: string, entries: Map<string, CacheEntry>) {
    this.#path = path;
    this.#entries = entries;
  }

  /** The cache of a data directory; an unreadable one is empty (the months are then parsed). */
  static async read(dataDir: string, warn?: (message: string) => void): Promise<OpenCache> {
    const path = join(dataDir, OPEN_CACHE_FILE);
    const entries = new Map<string, CacheEntry>();
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch {
      return new OpenCache(path, entries);
    }
    try {
      const value = JSON.parse(text) as { version?: unknown; months?: unknown };
      if (value?.version !== OPEN_CACHE_VERSION) throw new Error(`version ${String(value?.version)}`);
      const months = value.months;
      if (typeof months !== 'object' || months === null || Array.isArray(months))
        throw new Error('no months');
      for (const [month, entry] of Object.entries(months as Record<string, CacheEntry>)) {
        if (typeof entry?.size === 'number' && isString(entry.md5) && isString(entry.briefings)) {
          entries.set(month, entry);
        }
      }
    } catch (error) {
      warn?.(`store: ignoring ${path} (${(error as Error).message}); every month file is read instead`);
      entries.clear();
    }
    return new OpenCache(path, entries);
  }

  /** Entries not taken (months no longer on disk): the cache is then written again. */
  get left(): number {
    return this.#entries.size;
  }

  /** True when the month's file is, by its stamp and size, the one the entry was derived from. */
  unchanged(month: string, stats: BigIntStats): boolean {
    const entry = this.#entries.get(month);
    const stamp = stampOf(stats);
    return (
      entry?.stamp !== undefined &&
      isStamp(entry.stamp) &&
      BigInt(entry.size) === stats.size &&
      entry.stamp.ino === stamp.ino &&
      entry.stamp.mtimeNs === stamp.mtimeNs
    );
  }

  /**
   * The month as cached, when the entry was derived from exactly these bytes (`file.bytes`; or, without
   * them, when `unchanged` said so) and is well shaped; null otherwise (the caller parses the file).
   * Each entry is taken once.
   */
  take(
    month: string,
    file: { stats: BigIntStats; bytes: Uint8Array; md5: string } | { stats: BigIntStats; bytes: null },
  ): CachedMonthData | null {
    const entry = this.#entries.get(month);
    const same = file.bytes
      ? entry?.size === file.bytes.byteLength && entry.md5 === file.md5
      : this.unchanged(month, file.stats);
    this.#entries.delete(month);
    if (!entry || !same) return null;
    const summaries = decodeSummaries(entry.briefings);
    if (!summaries) return null;
    let data: MonthData;
    try {
      data = checkMonthData(this.#path, {
        briefings: [],
        deliveries: entry.deliveries,
        threads: entry.threads,
        digests: entry.digests,
      });
    } catch {
      return null;
    }
    const stamp = BigInt(entry.size) === file.stats.size ? stampOf(file.stats) : null;
    return {
      data,
      summaries,
      cached: { size: entry.size, md5: entry.md5, stamp, briefings: entry.briefings },
    };
  }

  /**
   * Writes the cache for these months (temp file + rename, as every store file). A month whose file
   * changed since it was loaded (`cached` null) is derived from its file on disk again, so every entry
   * stays a function of the bytes it names, whatever happened to a write in between.
   */
  static async write(
    dataDir: string,
    months: ReadonlyArray<{
      month: string;
      path: string;
      cached: CachedMonth | null;
      data: Pick<MonthData, 'deliveries' | 'threads' | 'digests'>;
    }>,
  ): Promise<void> {
    const parts: string[] = [];
    const settled = BigInt(Date.now()) * 1_000_000n - RACY_NS;
    for (const month of [...months].sort((a, b) => (a.month < b.month ? -1 : 1))) {
      let entry: CachedMonth;
      let data: Pick<MonthData, 'deliveries' | 'threads' | 'digests'>;
      if (month.cached) {
        entry = month.cached;
        data = month.data;
      } else {
        let bytes: Buffer;
        let stats: BigIntStats;
        try {
          // The stamp first: if the file is replaced in between, the bytes are newer and it is dropped.
          stats = await stat(month.path, { bigint: true });
          bytes = await readFile(month.path);
        } catch {
          continue; // Not on disk (a month whose first write failed): nothing to cache.
        }
        const parsed = checkMonthData(month.path, parseJsonFile(month.path, bytes.toString('utf8')));
        entry = {
          size: bytes.byteLength,
          md5: md5Of(bytes),
          stamp: stats.size === BigInt(bytes.byteLength) ? stampOf(stats) : null,
          briefings: encodeSummaries(parsed.briefings.map(summarise)),
        };
        data = parsed;
      }
      const stamp = entry.stamp && BigInt(entry.stamp.mtimeNs) < settled ? entry.stamp : null;
      parts.push(
        `${JSON.stringify(month.month)}:{"size":${entry.size},"md5":${JSON.stringify(entry.md5)},${stamp ? `"stamp":${JSON.stringify(stamp)},` : ''}"briefings":${JSON.stringify(entry.briefings)},"deliveries":${JSON.stringify(data.deliveries)},"threads":${JSON.stringify(data.threads)},"digests":${JSON.stringify(data.digests)}}`,
      );
    }
    await new TextFile(join(dataDir, OPEN_CACHE_FILE)).write(
      `{"version":${OPEN_CACHE_VERSION},"months":{${parts.join(',')}}}`,
    );
  }
}
