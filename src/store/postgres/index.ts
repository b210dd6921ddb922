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
}

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
  // No instance lock: any number of bots may share the database (claims.ts keeps them exactly-once).
  const store = new PostgresStore(sql, { now: options.now ?? (() => new Date()) });
  options.logger?.info(
    `store: opened PostgreSQL ${redact(options.url)}: ${await store.briefingCount()} briefings`,
  );
  return store;
}

/** The URL without its password, for logs and errors. */
export function redact(url: string): string {
  return url.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@');
}
