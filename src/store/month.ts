import type { Low } from 'lowdb';
import type { MonthData } from './files.js';
import type { CachedMonth } from './open-cache.js';
import type { StoredBriefing } from './types.js';

/**
 * One month's lowdb file. Deliveries, threads and digests stay in memory for the store's lifetime;
 * the briefing bodies (the bulk of the archive) can be evicted and are reloaded from disk on demand,
 * so a ten-year archive does not have to sit in memory.
 */
export class MonthFile {
  readonly month: string;
  readonly #low: Low<MonthData>;
  /** Reads the file's current content; null for an in-memory store, whose months are never evicted. */
  readonly #reload: (() => MonthData) | null;
  #bodies: Map<string, StoredBriefing> | null;
  #writesInFlight = 0;
  /**
   * The open cache's entry for the file as it was loaded (open-cache.ts); null once a write to the month
   * was attempted (or for a month that had no file), so the next cache is derived from the file again.
   */
  cached: CachedMonth | null;

  /**
   * `options.evicted`: the month comes from the open cache, without its briefings (`low.data.briefings`
   * is empty); they are read from the file when first asked for.
   */
  constructor(
    month: string,
    low: Low<MonthData>,
    reload: (() => MonthData) | null,
    options: { evicted?: boolean; cached?: CachedMonth | null } = {},
  ) {
    this.month = month;
    this.#low = low;
    this.#reload = reload;
    this.cached = options.cached ?? null;
    this.#bodies =
      options.evicted && reload
        ? null
        : new Map(low.data.briefings.map((briefing) => [briefing.id, briefing]));
  }

  get data(): MonthData {
    return this.#low.data;
  }

  get bodiesLoaded(): boolean {
    return this.#bodies !== null;
  }

  /** The month's briefings by id, reloading them synchronously if they were evicted. */
  bodies(): Map<string, StoredBriefing> {
    if (this.#bodies) return this.#bodies;
    if (!this.#reload) throw new Error(`Month ${this.month} was evicted but cannot be reloaded`);
    // Deliveries, threads and digests in memory are authoritative (every change to them was written);
    // only the briefings, which never change once stored, are taken from the file.
    const briefings = this.#reload().briefings;
    this.#low.data.briefings = briefings;
    this.#bodies = new Map(briefings.map((briefing) => [briefing.id, briefing]));
    return this.#bodies;
  }

  /**
   * The month's briefings without keeping them: the bodies in memory if they are, else read from the file
   * and left to the garbage collector (archive search's build reads every month once, and caching each
   * on the way grew the heap's high-water mark for good).
   */
  readBriefings(): StoredBriefing[] {
    if (this.#bodies || !this.#reload) return [...this.bodies().values()];
    return this.#reload().briefings;
  }

  /** Drops the briefing bodies from memory; refused while a write is in flight or without a file. */
  evict(): boolean {
    if (!this.#reload || this.#writesInFlight > 0 || !this.#bodies) return false;
    this.#bodies = null;
    this.#low.data.briefings = [];
    return true;
  }

  /**
   * Writes the whole month (lowdb rewrites its file; a month is small). steno serialises writes to the
   * file and coalesces queued ones, and the text is taken now, so the returned promise resolves once
   * a file containing every change made before this call is on disk.
   */
  async write(): Promise<void> {
    this.bodies();
    this.cached = null;
    this.#writesInFlight++;
    try {
      await this.#low.write();
    } finally {
      this.#writesInFlight--;
    }
  }
}
