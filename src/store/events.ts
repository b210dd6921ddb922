import type { SeenEvent } from './files.js';

/**
 * Slack retries an unacknowledged event up to three times within about an hour; a day of ids is
 * ample to recognise every retry.
 */
export const EVENT_TTL_MS = 24 * 60 * 60 * 1000;
/** Caps index.json (~50 bytes an id) however many events a busy day brings. */
export const EVENT_MAX = 10_000;

/** The ids of recently seen Slack events, bounded by age and by count, oldest first. */
export class SeenEvents {
  readonly #seen = new Map<string, number>();

  constructor(events: readonly SeenEvent[] = []) {
    for (const event of [...events].sort((a, b) => a.at - b.at)) this.#seen.set(event.id, event.at);
  }

  /** Records the id; true when it was not seen within the window. */
  mark(id: string, nowMs: number): boolean {
    this.prune(nowMs);
    if (this.#seen.has(id)) return false;
    this.#seen.set(id, nowMs);
    this.prune(nowMs);
    return true;
  }

  /** True when the id was recorded within the window (nothing is recorded). */
  has(id: string, nowMs: number): boolean {
    const at = this.#seen.get(id);
    return at !== undefined && at > nowMs - EVENT_TTL_MS;
  }

  prune(nowMs: number): void {
    for (const [id, at] of this.#seen) {
      if (this.#seen.size <= EVENT_MAX && at > nowMs - EVENT_TTL_MS) break;
      this.#seen.delete(id);
    }
  }

  get size(): number {
    return this.#seen.size;
  }

  toJSON(): SeenEvent[] {
    return [...this.#seen].map(([id, at]) => ({ id, at }));
  }
}
