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
import { closeSync, openSync, readSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { TextFile } from 'lowdb/node';
import { checkMonthData, type MonthData, parseJsonFile } from './files.js';
import type { BriefingStory } from './stories.js';
import { storiesOf } from './stories.js';
import type { StoredBriefing } from './types.js';

export const OPEN_CACHE_FILE = 'open-cache.json';
/**
 * Bumped whenever what an entry holds or how it is derived changes: an older cache is then ignored.
 * Version 2 is version 1's entries one per line (below); a version-1 file is still read, whole.
 */
export const OPEN_CACHE_VERSION = 2;
const LEGACY_VERSION = 1;
const LEGACY_PREFIX = `{"version":${LEGACY_VERSION},`;
/** How a version-2 line starts: the month it is about, read before the line is parsed. */
const LINE_MONTH = /^\{"month":"(\d{4}-\d{2})"/;

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
  month?: string;
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

/**
 * The file is a header line (`{"version":2}`) and one line per month, in month order
 * (`{"month":"2021-10",…entry}`), read as the open reaches each month: parsing the 6 MB of a ten-year
 * archive in one JSON.parse made the open's peak heap — the text as one string, every entry at once —
 * and that peak stayed resident (a new generation grown to its maximum, old-generation pages, the text
 * itself until a full collection) long after the open. A line is only ever read forward, a chunk at a
 * time, and the open asks for months in order, so no more than its read-ahead is parsed at a time.
 */
export class OpenCache {
  readonly #path: string;
  readonly #entries: Map<string, CacheEntry>;
  /** The version-2 file's lines not read yet; null once read to the end (or for another format). */
  #lines: LineReader | null;
  /** The last month whose line was read: a line after it for an earlier month is out of order, ignored. */
  #last = '';

  private constructor(path: string, entries: Map<string, CacheEntry>, lines: LineReader | null) {
    this.#path = path;
    this.#entries = entries;
    this.#lines = lines;
  }

  /** The cache of a data directory; an unreadable one is empty (the months are then parsed). */
  static async read(dataDir: string, warn?: (message: string) => void): Promise<OpenCache> {
    const path = join(dataDir, OPEN_CACHE_FILE);
    const entries = new Map<string, CacheEntry>();
    let lines: LineReader;
    try {
      lines = new LineReader(path);
    } catch {
      return new OpenCache(path, entries, null);
    }
    try {
      const header = lines.next() ?? '';
      if (header.startsWith(LEGACY_PREFIX)) {
        lines.close();
        readLegacy(header, entries);
        return new OpenCache(path, entries, null);
      }
      const { version } = (JSON.parse(header) ?? {}) as { version?: unknown };
      if (version !== OPEN_CACHE_VERSION) throw new Error(`version ${String(version)}`);
      return new OpenCache(path, entries, lines);
    } catch (error) {
      lines.close();
      warn?.(`store: ignoring ${path} (${(error as Error).message}); every month file is read instead`);
      return new OpenCache(path, entries, null);
    }
  }

  /** Reads lines up to the month's (or the end); a line that is not a well-shaped entry is none. */
  #readTo(month: string): void {
    while (this.#lines && this.#last < month) {
      const line = this.#lines.next();
      if (line === null) {
        this.#lines.close();
        this.#lines = null;
        return;
      }
      const found = LINE_MONTH.exec(line)?.[1];
      if (!found || found <= this.#last) continue;
      this.#last = found;
      try {
        const entry = JSON.parse(line) as CacheEntry;
        if (wellShaped(entry)) this.#entries.set(found, entry);
      } catch {
        // A torn or hand-damaged line: that month is read from its file.
      }
    }
  }

  #entry(month: string): CacheEntry | undefined {
    this.#readTo(month);
    return this.#entries.get(month);
  }

  /** Lets go of the file and of the entries not taken, once the open is done with them. */
  release(): void {
    this.#lines?.close();
    this.#lines = null;
    this.#entries.clear();
  }

  /** Entries not taken (months no longer on disk): the cache is then written again. */
  get left(): number {
    this.#readTo('\uffff');
    return this.#entries.size;
  }

  /** True when the month's file is, by its stamp and size, the one the entry was derived from. */
  unchanged(month: string, stats: BigIntStats): boolean {
    const entry = this.#entry(month);
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
    const entry = this.#entry(month);
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
    const lines: string[] = [JSON.stringify({ version: OPEN_CACHE_VERSION })];
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
      lines.push(
        `{"month":${JSON.stringify(month.month)},"size":${entry.size},"md5":${JSON.stringify(entry.md5)},${stamp ? `"stamp":${JSON.stringify(stamp)},` : ''}"briefings":${JSON.stringify(entry.briefings)},"deliveries":${JSON.stringify(data.deliveries)},"threads":${JSON.stringify(data.threads)},"digests":${JSON.stringify(data.digests)}}`,
      );
    }
    await new TextFile(join(dataDir, OPEN_CACHE_FILE)).write(`${lines.join('\n')}\n`);
  }
}

/** How much of the file is read at a time: a line is assembled from as many reads as it spans. */
const CHUNK_BYTES = 64 * 1024;

/** The lines of a file, read forward a chunk at a time (synchronously: the open reads them in order). */
class LineReader {
  #fd: number | null;
  readonly #chunk = Buffer.allocUnsafe(CHUNK_BYTES);
  readonly #decoder = new StringDecoder('utf8');
  #pending = '';
  /** How far #pending is known to hold no newline: a long line is not searched again per chunk. */
  #searched = 0;

  /** Throws when the file cannot be opened. */
  constructor(path: string) {
    this.#fd = openSync(path, 'r');
  }

  /** The next line without its newline, or null at the end. */
  next(): string | null {
    for (;;) {
      const newline = this.#pending.indexOf('\n', this.#searched);
      if (newline >= 0) {
        const line = this.#pending.slice(0, newline);
        this.#pending = this.#pending.slice(newline + 1);
        this.#searched = 0;
        return line;
      }
      this.#searched = this.#pending.length;
      if (this.#fd === null) {
        const rest = this.#pending;
        this.#pending = '';
        this.#searched = 0;
        return rest === '' ? null : rest;
      }
      let read = 0;
      try {
        read = readSync(this.#fd, this.#chunk, 0, CHUNK_BYTES, null);
      } catch {
        read = 0; // Unreadable from here on: what was read stands, the rest is months read from their files.
      }
      if (read === 0) {
        this.#pending += this.#decoder.end();
        this.close();
      } else this.#pending += this.#decoder.write(this.#chunk.subarray(0, read));
    }
  }

  close(): void {
    if (this.#fd !== null) closeSync(this.#fd);
    this.#fd = null;
  }
}

function wellShaped(entry: CacheEntry | null | undefined): entry is CacheEntry {
  return typeof entry?.size === 'number' && isString(entry.md5) && isString(entry.briefings);
}

/** A version-1 cache (one JSON object keyed by month), as the store wrote before version 2. */
function readLegacy(text: string, entries: Map<string, CacheEntry>): void {
  const value = JSON.parse(text) as { version?: unknown; months?: unknown };
  const months = value.months;
  if (typeof months !== 'object' || months === null || Array.isArray(months)) throw new Error('no months');
  for (const [month, entry] of Object.entries(months as Record<string, CacheEntry>)) {
    if (wellShaped(entry)) entries.set(month, entry);
  }
}
