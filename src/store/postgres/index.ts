import type { Logger } from '@slack/bolt';
import postgres from 'postgres';
import { migrateSchema } from './schema.js';
import { PostgresStore } from './store.js';

export { PostgresStore } from './store.js';

export interface OpenPostgresOptions {
  url: string;
  logger?: Logger;
  now?: () => Date;
  /** Connections in this process's pool. */
  max?: number;
  /**
   * Holds a session advisory lock for as long as the store is open, and refuses to open while another
   * process holds it: the bot's posting, pacing and digest are exactly-once within one process only, so
   * one bot per database, as one bot per DATA_DIR. PostgreSQL drops the lock with a dead session.
   */
  exclusive?: boolean;
}

/** Any constant every bot shares: the lock that makes a database one bot's. */
const INSTANCE_LOCK = 0x62726962;

/** True for the URLs that select the PostgreSQL store. */
export const isPostgresUrl = (url: string): boolean => /^postgres(ql)?:\/\//i.test(url);

/** Connects, applies any migration the database lacks, and returns the store. */
export async function openPostgresStore(options: OpenPostgresOptions): Promise<PostgresStore> {
  const sql = postgres(options.url, {
    max: options.max ?? 10,
    // Migrations and idempotent DDL say "already exists" as notices; they are not news.
    onnotice: () => {},
    connect_timeout: 10,
  });
  try {
    const applied = await migrateSchema(sql);
    if (applied.length > 0) options.logger?.info(`store: applied migrations ${applied.join(', ')}`);
  } catch (error) {
    await sql.end({ timeout: 1 });
    throw new Error(`PostgreSQL store at ${redact(options.url)}: ${(error as Error).message}`);
  }
  let onClose: (() => Promise<void>) | undefined;
  if (options.exclusive) {
    const session = await sql.reserve();
    const [row] = await session<{ ok: boolean }[]>`select pg_try_advisory_lock(${INSTANCE_LOCK}) as ok`;
    if (!row?.ok) {
      session.release();
      await sql.end({ timeout: 1 });
      throw new Error(
        `Another briefing-bot process is using ${redact(options.url)} (it holds the database's instance lock); stop it first.`,
      );
    }
    onClose = async () => {
      await session`select pg_advisory_unlock(${INSTANCE_LOCK})`;
      session.release();
    };
  }
  const store = new PostgresStore(sql, { now: options.now ?? (() => new Date()), beforeEnd: onClose });
  options.logger?.info(
    `store: opened PostgreSQL ${redact(options.url)}: ${await store.briefingCount()} briefings`,
  );
  return store;
}

/** The URL without its password, for logs and errors. */
export function redact(url: string): string {
  return url.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@');
}
