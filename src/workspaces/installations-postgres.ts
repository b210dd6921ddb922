/**
 * Installations in the database's own schema (tables slack_installations, migration 0007, and
 * slack_org_installations for org-wide installs, migration 0010), on a small
 * pool of their own: they are read once per workspace at start and on install, never per request.
 */
import postgres from 'postgres';
import { migrateSchema } from '../store/postgres/schema.js';
import type { InstallationRecord, InstallationRecords } from './records.js';

interface Row {
  team_id: string;
  data: string;
  installed_at: string;
}

interface OrgRow {
  enterprise_id: string;
  data: string;
  installed_at: string;
}

const toRecord = (row: Row): InstallationRecord => ({
  teamId: row.team_id,
  data: row.data,
  installedAt: row.installed_at,
});

export async function openPostgresInstallations(url: string): Promise<InstallationRecords> {
  const sql = postgres(url, { max: 2, onnotice: () => {}, connect_timeout: 10 });
  try {
    // The archive's store migrates too, but in many-workspace mode it may never be opened here.
    await migrateSchema(sql);
  } catch (error) {
    await sql.end({ timeout: 1 });
    throw error;
  }
  return {
    async save(record) {
      await sql`insert into slack_installations (team_id, data, installed_at)
        values (${record.teamId}, ${record.data}, ${record.installedAt})
        on conflict (team_id) do update set data = excluded.data, installed_at = excluded.installed_at`;
    },
    async find(teamId) {
      const [row] = await sql<Row[]>`select * from slack_installations where team_id = ${teamId}`;
      return row ? toRecord(row) : null;
    },
    async remove(teamId) {
      const rows = await sql`delete from slack_installations where team_id = ${teamId} returning team_id`;
      return rows.length > 0;
    },
    async list() {
      const rows = await sql<Row[]>`select * from slack_installations order by installed_at, team_id`;
      return rows.map(toRecord);
    },
    async saveOrg(record) {
      await sql`insert into slack_org_installations (enterprise_id, data, installed_at)
        values (${record.teamId}, ${record.data}, ${record.installedAt})
        on conflict (enterprise_id) do update set data = excluded.data, installed_at = excluded.installed_at`;
    },
    async findOrg(enterpriseId) {
      const [row] = await sql<
        OrgRow[]
      >`select * from slack_org_installations where enterprise_id = ${enterpriseId}`;
      return row ? { teamId: row.enterprise_id, data: row.data, installedAt: row.installed_at } : null;
    },
    async removeOrg(enterpriseId) {
      const rows =
        await sql`delete from slack_org_installations where enterprise_id = ${enterpriseId} returning enterprise_id`;
      return rows.length > 0;
    },
    async close() {
      await sql.end({ timeout: 5 });
    },
  };
}
