import type { Sql } from 'postgres';
import * as archive from './migrations/0001-archive.js';
import * as subscriptions from './migrations/0002-subscriptions.js';
import * as mailboxes from './migrations/0003-mailboxes.js';
import * as revisions from './migrations/0004-revisions.js';
import * as mentions from './migrations/0005-story-mentions.js';
import * as claims from './migrations/0006-claims.js';
import * as installations from './migrations/0007-installations.js';
import * as storySearch from './migrations/0008-story-search.js';
import * as archiveNotify from './migrations/0009-archive-notify.js';
import * as orgInstallations from './migrations/0010-org-installations.js';
import * as bodyNotify from './migrations/0011-body-notify.js';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** Every migration, oldest first. A migration is never edited once released: add the next one. */
export const MIGRATIONS: readonly Migration[] = [
  archive,
  subscriptions,
  mailboxes,
  revisions,
  mentions,
  claims,
  installations,
  storySearch,
  archiveNotify,
  orgInstallations,
  bodyNotify,
];

/** Any constant shared by every instance: the advisory lock that serialises migrations. */
export const MIGRATION_LOCK = 0x62726966;

/**
 * Applies the migrations the database has not seen, each in the one transaction with its record in
 * schema_migrations, under an advisory lock so instances starting together migrate once. Returns the
 * versions applied now. Refuses a database migrated by a newer bot.
 */
export async function migrateSchema(
  sql: Sql,
  migrations: readonly Migration[] = MIGRATIONS,
): Promise<number[]> {
  const newest = Math.max(0, ...migrations.map((migration) => migration.version));
  // Every start but the first after an upgrade finds the database current: one read says so, instead
  // of a transaction that takes the lock every starting instance queues on.
  const ours = migrations.map((migration) => migration.version).sort((a, b) => a - b);
  if ((await appliedVersions(sql)) === ours.join(',')) return [];
  return sql.begin(async (tx) => {
    await tx`select pg_advisory_xact_lock(${MIGRATION_LOCK})`;
    await tx`create table if not exists schema_migrations (
      version integer primary key,
      name text not null,
      applied_at timestamptz not null default now()
    )`;
    const rows = await tx<{ version: number }[]>`select version from schema_migrations`;
    const done = new Set(rows.map((row) => row.version));
    const ahead = [...done].filter((version) => version > newest);
    if (ahead.length > 0) {
      throw new Error(
        `The database has schema version ${Math.max(...ahead)}, newer than this bot understands (${newest}); upgrade the bot.`,
      );
    }
    const applied: number[] = [];
    for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
      if (done.has(migration.version)) continue;
      await tx.unsafe(migration.sql);
      await tx`insert into schema_migrations (version, name) values (${migration.version}, ${migration.name})`;
      applied.push(migration.version);
    }
    return applied;
  });
}

/** The applied versions, ascending, comma-separated; null before the first migration made the table. */
async function appliedVersions(sql: Sql): Promise<string | null> {
  try {
    const [row] = await sql<{ versions: string | null }[]>`
      select string_agg(version::text, ',' order by version) as versions from schema_migrations`;
    return row?.versions ?? null;
  } catch (error) {
    // undefined_table: a new database (or a workspace's new schema); the locked path creates it.
    if ((error as { code?: string }).code === '42P01') return null;
    throw error;
  }
}
