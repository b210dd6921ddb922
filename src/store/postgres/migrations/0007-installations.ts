/**
 * Slack installations (OAuth, many workspaces): one row per workspace, the installation as Bolt built
 * it in `data` — AES-GCM ciphertext when INSTALLATION_KEY is set (src/workspaces/seal.ts). Only the
 * database's own schema uses it; a workspace's schema (team_…) gets an empty copy, which nothing reads.
 */
export const version = 7;
export const name = 'installations';
export const sql = `
create table slack_installations (
  team_id text primary key,
  data text not null,
  installed_at text not null
);
`;
