/**
 * Bolt's `installationStore` over our records: Bolt builds the Installation at /slack/oauth_redirect
 * and calls storeInstallation; the router (router.ts) fetches it to run the workspace, and deletes it on
 * app_uninstalled / tokens_revoked.
 */
import type { Installation, InstallationQuery, InstallationStore } from '@slack/bolt';
import { type InstallationRecords, TEAM_ID } from './records.js';
import type { Sealer } from './seal.js';

export type TeamInstallation = Installation<'v1' | 'v2', false>;

export function boltInstallationStore(
  records: InstallationRecords,
  sealer: Sealer,
  options: {
    now?: () => Date;
    onInstalled?: (teamId: string, installation: TeamInstallation) => Promise<void>;
  } = {},
): InstallationStore & {
  fetchTeam(teamId: string): Promise<TeamInstallation | null>;
  /** Replaces a workspace's stored installation (refreshed tokens) without the onInstalled restart. */
  saveTeam(installation: TeamInstallation): Promise<void>;
} {
  const now = options.now ?? (() => new Date());
  const fetchTeam = async (teamId: string): Promise<TeamInstallation | null> => {
    const record = await records.find(teamId);
    return record ? (JSON.parse(sealer.open(record.data)) as TeamInstallation) : null;
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
      // With token rotation on, Bolt put the refresh token and its expiry in installation.bot.
      const teamId = await saveTeam(installation);
      await options.onInstalled?.(teamId, installation as TeamInstallation);
    },
    async saveTeam(installation) {
      await saveTeam(installation);
    },
    async fetchInstallation(query: InstallationQuery<boolean>) {
      const found = query.teamId ? await fetchTeam(query.teamId) : null;
      // Bolt's contract: throw when there is none (its authorize turns that into a clear error).
      if (!found) throw new Error(`No installation for workspace ${query.teamId ?? '(none)'}`);
      return found;
    },
    async deleteInstallation(query: InstallationQuery<boolean>) {
      if (query.teamId) await records.remove(query.teamId);
    },
    fetchTeam,
  };
}
