/**
 * The PostgreSQL store in `npm run bench` (issue 13's goals): the same 10-year archive copied into a
 * throwaway PostgreSQL server by the `migrate` path (importArchive), then the same bot, started with
 * DATABASE_URL, measured beside the lowdb bot in the same rounds. Skipped, with its figures null, where
 * no PostgreSQL server binary is installed (a desk's laptop); `.ci/run` installs Debian's.
 */

import { importArchive } from '../src/store/postgres/import.js';
import { openPostgresStore } from '../src/store/postgres/index.js';
import { POSTGRES_MISSING, type PostgresServer, startPostgres } from '../tests/support/postgres-server.js';

export interface PostgresArchive {
  url: string;
  server: PostgresServer;
  /** Time to copy the lowdb archive in (briefing-bot migrate's work), in ms. */
  migrateMs: number;
  briefings: number;
}

/** A server with the archive in it, or null where PostgreSQL is not installed. */
export async function postgresArchive(archiveDir: string): Promise<PostgresArchive | null> {
  if (POSTGRES_MISSING) return null;
  const server = await startPostgres();
  try {
    const url = await server.newDatabase();
    const started = performance.now();
    const store = await openPostgresStore({ url });
    try {
      const result = await importArchive(store.sql, archiveDir);
      return { url, server, migrateMs: performance.now() - started, briefings: result.copied.briefings };
    } finally {
      await store.close();
    }
  } catch (error) {
    await server.stop();
    throw error;
  }
}
