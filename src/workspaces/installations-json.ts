/** Installations in DATA_DIR/installations.json (lowdb, replaced by rename on each write). */
import { join } from 'node:path';
import { Low } from 'lowdb';
import { JSONFile } from 'lowdb/node';
import type { InstallationRecord, InstallationRecords } from './records.js';

interface FileData {
  installations: Record<string, InstallationRecord>;
  /** Org-wide installs by enterprise id; absent in files written before they were kept. */
  orgs?: Record<string, InstallationRecord>;
}

export const INSTALLATIONS_FILE = 'installations.json';

export async function openJsonInstallations(dataDir: string): Promise<InstallationRecords> {
  const db = new Low<FileData>(new JSONFile(join(dataDir, INSTALLATIONS_FILE)), { installations: {} });
  await db.read();
  const all = () => db.data.installations;
  const orgs = () => {
    db.data.orgs ??= {};
    return db.data.orgs;
  };
  return {
    async save(record) {
      all()[record.teamId] = { ...record };
      await db.write();
    },
    async find(teamId) {
      // Own properties only: a team id of "__proto__" must not find Object.prototype.
      return Object.hasOwn(all(), teamId) ? { ...all()[teamId]! } : null;
    },
    async remove(teamId) {
      if (!Object.hasOwn(all(), teamId)) return false;
      delete all()[teamId];
      await db.write();
      return true;
    },
    async list() {
      return Object.values(all())
        .map((record) => ({ ...record }))
        .sort((a, b) => a.installedAt.localeCompare(b.installedAt));
    },
    async saveOrg(record) {
      orgs()[record.teamId] = { ...record };
      await db.write();
    },
    async findOrg(enterpriseId) {
      return Object.hasOwn(orgs(), enterpriseId) ? { ...orgs()[enterpriseId]! } : null;
    },
    async removeOrg(enterpriseId) {
      if (!Object.hasOwn(orgs(), enterpriseId)) return false;
      delete orgs()[enterpriseId];
      await db.write();
      return true;
    },
    async close() {},
  };
}
