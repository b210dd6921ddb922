/**
 * What this instance may keep in memory about the archive's dates although other instances write to
 * it: a value read while LISTEN was active on a live connection stays good until a `briefing_dates`
 * notification for our schema (migration 0009's trigger, sent at the writer's commit) arrives, the
 * listening connection closes, or MAX_AGE_MS passes. So another instance's ingest is seen as soon as
 * its notification travels (milliseconds); only a connection lost without the socket closing (a
 * silent network partition, noticed late by TCP keepalive) could leave a value stale, and then for
 * MAX_AGE_MS at most.
 */
import type { Sql } from 'postgres';

/** The bound on staleness when notifications stop without the connection closing. */
export const MAX_AGE_MS = 5_000;
/** After the listening connection closes: wait this long before listening again. */
const RELISTEN_MS = 1_000;

/** The listening connection: `notify` for each notification on the channel, `closed` when it goes. */
export type OpenListener = (handlers: { notify(payload: string): void; closed(): void }) => Sql;

/** When a read started and what the watch had seen by then. */
export interface WatchToken {
  version: number;
  at: number;
}

export class ArchiveWatch {
  readonly #open: OpenListener;
  readonly #now: () => number;
  #sql: Sql | null = null;
  #schema: string | null = null;
  #listening = false;
  #closed = false;
  #version = 0;
  #retry: NodeJS.Timeout | null = null;

  constructor(open: OpenListener, now: () => number = Date.now) {
    this.#open = open;
    this.#now = now;
  }

  /**
   * Starts listening; resolves once it listens, or once it has failed (then it tries again later).
   * Never rejects: until it listens, nothing is kept and every read asks the database.
   */
  async start(): Promise<void> {
    if (this.#closed || this.#sql) return;
    const sql = this.#open({
      notify: (payload) => {
        // Another workspace's archive (another schema) leaves ours alone.
        if (this.#schema === null || payload === this.#schema) this.changed();
      },
      closed: () => this.#lost(sql),
    });
    this.#sql = sql;
    try {
      const [row] = await sql<{ schema: string | null }[]>`select current_schema() as schema`;
      this.#schema = row?.schema ?? null;
      await sql`listen briefing_dates`;
      // Commits from here on notify us; a read that starts now sees everything committed before.
      if (this.#sql === sql && !this.#closed) this.#listening = true;
    } catch {
      this.#lost(sql);
    }
  }

  /** Something that may move the latest date happened (a notification, or this instance's own write). */
  changed(): void {
    this.#version += 1;
  }

  /**
   * A token for a read about to start: hand it to `keep` with the value read. Null while not
   * listening (the value must not be kept).
   */
  before(): WatchToken | null {
    return this.#listening ? { version: this.#version, at: this.#now() } : null;
  }

  /**
   * How many changes this watch has seen, while it listens: equal counts mean no change was heard in
   * between. Null while not listening (a change could go unheard).
   */
  heard(): number | null {
    return this.#listening ? this.#version : null;
  }

  /** True while a value read under `token` is still good. */
  fresh(token: WatchToken | null): token is WatchToken {
    return (
      token !== null &&
      this.#listening &&
      token.version === this.#version &&
      this.#now() - token.at < MAX_AGE_MS
    );
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#listening = false;
    if (this.#retry) clearTimeout(this.#retry);
    const sql = this.#sql;
    this.#sql = null;
    await sql?.end({ timeout: 1 });
  }

  #lost(sql: Sql): void {
    if (this.#sql !== sql) return;
    // Notifications may have been missed: nothing read before is trusted, and nothing is kept until
    // a new connection listens again.
    this.#listening = false;
    this.changed();
    this.#sql = null;
    void sql.end({ timeout: 0 }).catch(() => undefined);
    if (this.#closed) return;
    this.#retry = setTimeout(() => {
      this.#retry = null;
      void this.start();
    }, RELISTEN_MS);
    this.#retry.unref();
  }
}
