/**
 * The one-use keys of a many-workspace deployment, kept for all its workspaces together: answered
 * signed Slack requests (the request guard checks them before the body is read, so before the
 * workspace is known; every workspace's requests are signed with the one app's secret) and Mailgun
 * signature tokens (the signature does not cover the webhook URL's ?team=, so a token taken for one
 * workspace must be refused for every other one too).
 *
 * With PostgreSQL they are rows of seen_tokens (migration 0006) in the database's own schema — the
 * table a single-token bot on that database uses — so a replay sent to another instance is refused as
 * one sent to the same instance is. lowdb is one process: its keys stay in this process's memory.
 */
import postgres from 'postgres';
import { memoryReplayTokens, type ReplayTokens, storeReplayTokens } from '../mail/mailgun-signature.js';
import { MemorySeenRequests, type SeenRequests, storeSeenRequests } from '../slack/request-guard.js';
import { PostgresClaims } from '../store/postgres/claims.js';
import { migrateSchema } from '../store/postgres/schema.js';

export interface SharedTokens {
  seenRequests: SeenRequests;
  mailgunTokens: ReplayTokens;
  close(): Promise<void>;
}

export async function openSharedTokens(databaseUrl: string | null): Promise<SharedTokens> {
  if (!databaseUrl) {
    return {
      seenRequests: new MemorySeenRequests(),
      mailgunTokens: memoryReplayTokens(),
      close: async () => {},
    };
  }
  // A small pool of its own: one short statement per signed request or Mailgun post.
  const sql = postgres(databaseUrl, { max: 2, onnotice: () => {}, connect_timeout: 10 });
  try {
    // seen_tokens may not exist yet when no archive has been opened on this database.
    await migrateSchema(sql);
  } catch (error) {
    await sql.end({ timeout: 1 });
    throw error;
  }
  let open = true;
  const tokens = new PostgresClaims(sql, () => {
    if (!open) throw new Error('The shared one-use keys are closed.');
  });
  return {
    seenRequests: storeSeenRequests(tokens),
    mailgunTokens: storeReplayTokens(tokens),
    async close() {
      open = false;
      await sql.end({ timeout: 5 });
    },
  };
}
