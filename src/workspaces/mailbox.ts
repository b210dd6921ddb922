/**
 * The watched mailbox (IMAP_URL) with many workspaces: one watcher for the bot, filing into the
 * workspace IMAP_TEAM_ID names (DEFAULT_TEAM_ID when unset; config.ts refuses neither). Its mail and its
 * cursor (UIDVALIDITY, last UID) go to that workspace's archive, looked up at each use, so a workspace
 * restarted meanwhile (a reinstall, a new token) is the one written to. While the workspace has no
 * installation every look at the folder fails before a message is read: the mail waits in the folder,
 * the watcher retries with its backoff, and /healthz shows why.
 */
import type { Logger } from '@slack/bolt';
import type { Config } from '../config.js';
import type { Ingest } from '../ingest/types.js';
import { type MailboxWatcher, mailboxWatcher } from '../mail/imap/index.js';
import type { MailboxStore } from '../store/types.js';
import type { Registry } from './registry.js';
import type { WorkspaceRuntime } from './runtime.js';

/** The workspace a watched mailbox files into, or null without a mailbox. */
export function mailboxTeam(config: Pick<Config, 'imap' | 'imapTeamId' | 'defaultTeamId'>): string | null {
  return config.imap ? (config.imapTeamId ?? config.defaultTeamId) : null;
}

export async function workspaceMailbox(deps: {
  config: Config;
  logger: Logger;
  now: () => Date;
  registry: Pick<Registry, 'get'>;
}): Promise<{ teamId: string; watcher: MailboxWatcher } | null> {
  const { config, registry } = deps;
  const teamId = mailboxTeam(config);
  if (!teamId) return null;
  const runtime = async (): Promise<WorkspaceRuntime> => {
    const found = await registry.get(teamId);
    if (!found)
      throw new Error(`the bot is not installed in workspace ${teamId} (IMAP_TEAM_ID); the mail waits`);
    return found;
  };
  const ingest: Ingest = async (input) => (await runtime()).services.ingest(input);
  const store: MailboxStore = {
    mailboxCursor: async (key) => (await runtime()).services.store.mailboxCursor(key),
    saveMailboxCursor: async (key, cursor) => (await runtime()).services.store.saveMailboxCursor(key, cursor),
  };
  const watcher = await mailboxWatcher({ config, logger: deps.logger, now: deps.now, ingest, store });
  return watcher ? { teamId, watcher } : null;
}
