/**
 * Who the bot is in its workspace, asked once per process (auth.test): its user and bot ids tell its
 * own posts from another app's when a post is looked for in a channel's history, and the workspace URL
 * builds permalinks without a chat.getPermalink per post.
 */
import type { Logger } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { isWorkspaceUrl } from '../permalink.js';
import type { Call } from './call.js';

/** The bot's own ids; both null when auth.test could not say. */
export interface BotIdentity {
  userId: string | null;
  botId: string | null;
}

export interface Identity extends BotIdentity {
  /** https://<team>.slack.com/, or null: permalinks are then asked of Slack one by one. */
  workspaceUrl: string | null;
}

export type WhoAmI = (call: Call) => Promise<Identity>;

/**
 * One auth.test for the process, shared by whoever asks first and everyone after. A failure is
 * remembered too: nothing depends on the answer for correctness (an unknown identity accepts any app's
 * marked post, a missing URL costs a call per permalink), so it is not worth a call per post.
 */
export function createWhoAmI(client: WebClient, logger: Pick<Logger, 'warn'>): WhoAmI {
  let answer: Promise<Identity> | null = null;
  return (call) => {
    answer ??= call(() => client.auth.test()).then(
      (identity) => ({
        userId: identity.user_id ?? null,
        botId: identity.bot_id ?? null,
        workspaceUrl: isWorkspaceUrl(identity.url) ? identity.url : null,
      }),
      (error: unknown) => {
        logger.warn(
          `auth.test gave no workspace URL (${(error as Error).message}); asking Slack per permalink`,
        );
        return { userId: null, botId: null, workspaceUrl: null };
      },
    );
    return answer;
  };
}
