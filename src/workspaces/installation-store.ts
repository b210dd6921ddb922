/**
 * Bolt's `installationStore` over our records: Bolt builds the Installation at /slack/oauth_redirect
 * and calls storeInstallation; the router (router.ts) fetches it to run the workspace, and deletes it on
 * app_uninstalled / tokens_revoked.
 */
import type { Installation, InstallationQuery, InstallationStore } from '@slack/bolt';
import { ENTERPRISE_ID, type InstallationRecords, TEAM_ID } from './records.js';
import type { Sealer } from './seal.js';

export type TeamInstallation = Installation<'v1' | 'v2', false>;
export type OrgInstallation = Installation<'v2', true>;

export function boltInstallationStore(
  records: InstallationRecords,
  sealer: Sealer,
  options: {
    now?: () => Date;
    onInstalled?: (teamId: string, installation: TeamInstallation) => Promise<void>;
    /**
     * Keep org-wide (Enterprise Grid) installs, by enterprise id. Off in the bot, which keeps an archive
     * per workspace and cannot yet tell which workspaces an organisation's install covers: it refuses them.
     */
    orgWide?: boolean;
  } = {},
): InstallationStore & {
  fetchTeam(teamId: string): Promise<TeamInstallation | null>;
  fetchOrg(enterpriseId: string): Promise<OrgInstallation | null>;
  /** Replaces a workspace's stored installation (refreshed tokens) without the onInstalled restart. */
  saveTeam(installation: TeamInstallation): Promise<void>;
} {
  const now = options.now ?? (() => new Date());
  const fetchTeam = async (teamId: string): Promise<TeamInstallation | null> => {
    const record = await records.find(teamId);
    return record ? (JSON.parse(sealer.open(record.data)) as TeamInstallation) : null;
  };
  const fetchOrg = async (enterpriseId: string): Promise<OrgInstallation | null> => {
    const record = await records.findOrg(enterpriseId);
    return record ? (JSON.parse(sealer.open(record.data)) as OrgInstallation) : null;
  };
  const saveOrg = async (installation: Installation<'v1' | 'v2', boolean>): Promise<void> => {
    const enterpriseId = installation.enterprise?.id ?? '';
    if (!ENTERPRISE_ID.test(enterpriseId))
      throw new Error(`Not an Enterprise Grid organisation id: ${JSON.stringify(enterpriseId)}`);
    if (!installation.bot?.token) throw new Error('The installation has no bot token (scopes missing?).');
    await records.saveOrg({
      teamId: enterpriseId,
      data: sealer.seal(JSON.stringify(installation)),
      installedAt: now().toISOString(),
    });
  };
  const saveTeam = async (installation: Installation<'v1' | 'v2', boolean>): Promise<string> => {
    // An org-wide (Enterprise Grid) install has no single workspace to keep an archive for; the bot
    // keys everything by workspace, so it refuses rather than guess (Bolt shows its failure page).
    if (installation.isEnterpriseInstall || !installation.team?.id)
      throw new Error('Org-wide installs are not supported: install the bot in each workspace.');
    const teamId = installation.team.id;
    if (!TEAM_ID.test(teamId)) throw new Error(`Not a Slack workspace id: ${JSON.stringify(teamId)}`);
    if (!installation.bot?.token) throw new Error('The installation has no bot token (scopes missing?).');
    await records.save({
      teamId,
      data: sealer.seal(JSON.stringify(installation)),
      installedAt: now().toISOString(),
    });
    return teamId;
  };
  return {
    async storeInstallation(installation) {
      if (installation.isEnterpriseInstall && options.orgWide) return saveOrg(installation);
      // With token rotation on, Bolt put the refresh token and its expiry in installation.bot.
      const teamId = await saveTeam(installation);
      await options.onInstalled?.(teamId, installation as TeamInstallation);
    },
    async saveTeam(installation) {
      await saveTeam(installation);
    },
    async fetchInstallation(query: InstallationQuery<boolean>) {
      // A workspace of an organisation with an org-wide install is asked for by its enterprise id.
      if (query.isEnterpriseInstall) {
        const org = query.enterpriseId ? await fetchOrg(query.enterpriseId) : null;
        if (!org) throw new Error(`No org-wide installation for ${query.enterpriseId ?? '(none)'}`);
        return org;
      }
      const found = query.teamId ? await fetchTeam(query.teamId) : null;
      // Bolt's contract: throw when there is none (its authorize turns that into a clear error).
      if (!found) throw new Error(`No installation for workspace ${query.teamId ?? '(none)'}`);
      return found;
    },
    async deleteInstallation(query: InstallationQuery<boolean>) {
      if (query.isEnterpriseInstall) {
        if (query.enterpriseId) await records.removeOrg(query.enterpriseId);
      } else if (query.teamId) await records.remove(query.teamId);
    },
    fetchTeam,
    fetchOrg,
  };
}
