/**
 * A user → the DM channel the bot writes follow notices in, or why that user can no longer be written
 * to (left the workspace, deactivated, a bot): then the follows are muted rather than the delivery failed.
 */
import type { WebClient } from '@slack/web-api';
import { type Call, PermanentSlackError } from './call.js';

/** Slack's answers that mean "this person is not reachable any more", whichever call gave them. */
const GONE_ERRORS =
  /^(user_not_found|user_disabled|user_not_visible|cannot_dm_bot|account_inactive|is_archived|not_allowed_token_type_for_user)\b/;

export function isGoneUserError(reason: string): boolean {
  return GONE_ERRORS.test(reason);
}

export type DirectMessageTarget = { kind: 'open'; channel: string } | { kind: 'gone'; reason: string };

/**
 * users.info on every notice (a user who left keeps their DM channel, so only this tells), then the
 * DM channel: `known` when this process opened it before, else conversations.open.
 */
export async function openDirectMessage(
  client: WebClient,
  user: string,
  call: Call,
  known?: string,
): Promise<DirectMessageTarget> {
  try {
    const info = await call(() => client.users.info({ user }));
    const profile = info.user as { deleted?: boolean; is_bot?: boolean } | undefined;
    if (profile?.deleted) return { kind: 'gone', reason: 'user_disabled: deactivated or left the workspace' };
    if (profile?.is_bot) return { kind: 'gone', reason: 'cannot_dm_bot' };
    if (known) return { kind: 'open', channel: known };
    const opened = await call(() => client.conversations.open({ users: user }));
    const channel = (opened.channel as { id?: string } | undefined)?.id;
    if (!channel) throw new PermanentSlackError('conversations.open returned no channel');
    return { kind: 'open', channel };
  } catch (error) {
    if (error instanceof PermanentSlackError && isGoneUserError(error.reason))
      return { kind: 'gone', reason: error.reason };
    throw error;
  }
}
