/**
 * Where installations are kept: beside the archive, on either backend (installations-json.ts for
 * lowdb's DATA_DIR, installations-postgres.ts for DATABASE_URL). One record per workspace; `data` is
 * opaque here — the sealed installation (seal.ts) — so neither backend ever sees a token in the clear
 * when INSTALLATION_KEY is set.
 */
export interface InstallationRecord {
  teamId: string;
  data: string;
  installedAt: string;
}

export interface InstallationRecords {
  /** Inserts or replaces the workspace's installation (a reinstall brings new scopes or a new token). */
  save(record: InstallationRecord): Promise<void>;
  find(teamId: string): Promise<InstallationRecord | null>;
  /** False when the workspace had no installation. */
  remove(teamId: string): Promise<boolean>;
  /** Every installed workspace, oldest installation first: the bot starts one runtime per workspace. */
  list(): Promise<InstallationRecord[]>;
  /**
   * Org-wide (Enterprise Grid) installations, kept apart, keyed by enterprise id (`teamId` holds the
   * E… id): `list` never returns them.
   */
  saveOrg(record: InstallationRecord): Promise<void>;
  findOrg(enterpriseId: string): Promise<InstallationRecord | null>;
  removeOrg(enterpriseId: string): Promise<boolean>;
  close(): Promise<void>;
}

/**
 * A workspace id as Slack writes it (T…). Checked before it names a directory or a schema, so a
 * crafted request body can never reach outside DATA_DIR/workspaces or quote itself out of SQL.
 */
export const TEAM_ID = /^T[A-Z0-9_]{2,20}$/;

/** An Enterprise Grid organisation's id (E…), checked as TEAM_ID is. */
export const ENTERPRISE_ID = /^E[A-Z0-9_]{2,20}$/;
