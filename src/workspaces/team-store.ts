/**
 * Each installed workspace has an archive of its own: DATA_DIR/workspaces/<TEAM_ID>/ with lowdb, schema
 * team_<team_id> with PostgreSQL. Everything the bot keeps — briefings, deliveries and their target
 * channels, digests, follows, desks, thread replies, seen events — is then per workspace by
 * construction: no query, old or new, can mix two workspaces, and each workspace's data keeps the
 * single-workspace layout that every existing tool (migrate, deliveries, digest) reads.
 *
 * The archive a single-token bot built (DATA_DIR itself, or the database's own schema) belongs to the
 * workspace named by DEFAULT_TEAM_ID, so switching that bot to OAuth keeps its history.
 */
import { join } from 'node:path';
import type { Logger } from '@slack/bolt';
import type { Config } from '../config.js';
import { openStore } from '../store/index.js';
import type { Store } from '../store/types.js';
import { TEAM_ID } from './records.js';

export const WORKSPACES_DIR = 'workspaces';

export function teamSchema(teamId: string): string {
  return `team_${teamId.toLowerCase()}`;
}

export function teamDataDir(dataDir: string, teamId: string): string {
  return join(dataDir, WORKSPACES_DIR, teamId);
}

export async function openTeamStore(
  config: Pick<Config, 'dataDir' | 'databaseUrl' | 'defaultTeamId'>,
  teamId: string,
  options: { logger?: Logger; now?: () => Date; readOnly?: boolean } = {},
): Promise<Store> {
  if (!TEAM_ID.test(teamId)) throw new Error(`Not a Slack workspace id: ${JSON.stringify(teamId)}`);
  const own = teamId === config.defaultTeamId;
  return openStore({
    dataDir: own ? config.dataDir : teamDataDir(config.dataDir, teamId),
    databaseUrl: config.databaseUrl,
    ...(config.databaseUrl && !own ? { schema: teamSchema(teamId) } : {}),
    ...options,
  });
}
