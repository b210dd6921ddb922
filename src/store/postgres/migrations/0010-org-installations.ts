/**
 * Org-wide (Enterprise Grid) installations: one row per organisation, keyed by its enterprise id
 * (E…), beside the per-workspace rows of slack_installations. A table of its own so that listing the
 * workspaces to start never meets an organisation. `data` is sealed like a workspace's.
 */
export const version = 10;
export const name = 'org-installations';
export const sql = `
create table slack_org_installations (
  enterprise_id text primary key,
  data text not null,
  installed_at text not null
);
`;
