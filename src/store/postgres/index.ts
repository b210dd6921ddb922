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
   * A schema of its own (created if missing) for one workspace's archive when many are installed
   * (src/workspaces/team-store.ts): every table and migration lives in it, so no query can reach another
   * workspace's rows. Absent: the URL's own search_path, as a single-workspace bot has always used.
   */
  schema?: string;
}

/** Lower-case letters, digits and '_': safe to quote into DDL. */
const SCHEMA_NAME = /^[a-z][a-z0-9_]{0,62}$/;

/** True for the URLs that select the PostgreSQL store. */
export const isPostgresUrl = (url: string): boolean => /^postgres(ql)?:\/\//i.test(url);

/** Connects, applies any migration the database lacks, and returns the store. */
export async function openPostgresStore(options: OpenPostgresOptions): Promise<PostgresStore> {
  const { schema } = options;
  if (schema !== undefined && !SCHEMA_NAME.test(schema)) throw new Error(`Not a schema name: ${schema}`);
  const sql = postgres(options.url, {
    max: options.max ?? 10,
    // Migrations and idempotent DDL say "already exists" as notices; they are not news.
    onnotice: () => {},
    connect_timeout: 10,
    ...(schema ? { connection: { search_path: schema } } : {}),
  });
  try {
    if (schema) await sql.unsafe(`create schema if not exists "${schema}"`);
    const applied = await migrateSchema(sql);
    if (applied.length > 0) options.logger?.info(`store: applied migrations ${applied.join(', ')}`);
  } catch (error) {
    await sql.end({ timeout: 1 });
    throw new Error(`PostgreSQL store at ${redact(options.url)}: ${(error as Error).message}`);
  }
  // No instance lock: any number of bots may share the database (claims.ts keeps them exactly-once).
  const store = new PostgresStore(sql, { now: options.now ?? (() => new Date()) });
  options.logger?.info(
    `store: opened PostgreSQL ${redact(options.url)}${schema ? ` schema ${schema}` : ''}: ${await store.briefingCount()} briefings`,
  );
  return store;
}

/** The URL without its password, for logs and errors. */
export function redact(url: string): string {
  return url.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@');
}
