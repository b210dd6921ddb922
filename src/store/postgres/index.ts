import type { Logger } from '@slack/bolt';
import postgres from 'postgres';
import { ArchiveWatch } from './archive-watch.js';
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

/**
 * postgres.js's connection hooks for notifications, which its typings leave out: its own `listen()`
 * is built on them (src/index.js), but hides when its connection closes, and a closed connection is
 * exactly when a kept value stops being vouched for. archive-watch.test.ts holds them to it.
 */
interface ListenerHooks {
  onnotify: (channel: string, payload: string) => void;
}

/** Lower-case letters, digits and '_': safe to quote into DDL. */
const SCHEMA_NAME = /^[a-z][a-z0-9_]{0,62}$/;

/** True for the URLs that select the PostgreSQL store. */
export const isPostgresUrl = (url: string): boolean => /^postgres(ql)?:\/\//i.test(url);

/** Connects, applies any migration the database lacks, and returns the store. */
export async function openPostgresStore(options: OpenPostgresOptions): Promise<PostgresStore> {
  const { schema } = options;
  if (schema !== undefined && !SCHEMA_NAME.test(schema)) throw new Error(`Not a schema name: ${schema}`);
  const connection = {
    // Migrations and idempotent DDL say "already exists" as notices; they are not news.
    onnotice: () => {},
    connect_timeout: 10,
    ...(schema ? { connection: { search_path: schema } } : {}),
  };
  const sql = postgres(options.url, { ...connection, max: options.max ?? 10 });
  try {
    if (schema) await sql.unsafe(`create schema if not exists "${schema}"`);
    const applied = await migrateSchema(sql);
    if (applied.length > 0) options.logger?.info(`store: applied migrations ${applied.join(', ')}`);
  } catch (error) {
    await sql.end({ timeout: 1 });
    throw new Error(`PostgreSQL store at ${redact(options.url)}: ${(error as Error).message}`);
  }
  // No instance lock: any number of bots may share the database (claims.ts keeps them exactly-once).
  // One more connection, LISTENing, so the latest date can be kept between commands (archive-watch.ts).
  const watch = new ArchiveWatch(({ notify, closed }) => {
    const listener: postgres.Options<Record<string, never>> & ListenerHooks = {
      ...connection,
      max: 1,
      // Held open for as long as the store is: a connection retired by age would miss notifications.
      max_lifetime: null,
      onnotify: (_channel, payload) => notify(payload),
      onclose: closed,
    };
    return postgres(options.url, listener);
  });
  const listening = watch.start();
  const store = new PostgresStore(sql, { now: options.now ?? (() => new Date()), watch });
  options.logger?.info(
    `store: opened PostgreSQL ${redact(options.url)}${schema ? ` schema ${schema}` : ''}: ${await store.briefingCount()} briefings`,
  );
  // Beside the count: the first command can already use a kept date. A database where LISTEN fails
  // still opens; it keeps nothing until the watch listens.
  await listening;
  return store;
}

/** The URL without its password, for logs and errors. */
export function redact(url: string): string {
  return url.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@');
}
