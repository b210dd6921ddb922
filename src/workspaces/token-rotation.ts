/**
 * Token rotation (https://docs.slack.dev/authentication/using-token-rotation): an app with rotation on
 * gets, at install, a bot token that expires after 12 hours and a refresh token; oauth.v2.access with
 * grant_type=refresh_token trades the refresh token for a new pair, and the old refresh token stops
 * working. Bolt's InstallProvider refreshes only inside `authorize`, which this bot never calls (each
 * workspace runs with its token, router.ts), so the refresh happens here: before a workspace starts
 * (registry fetch) when its token expires within REFRESH_BEFORE_MS, and on a timer set for that moment
 * while it runs (bot.ts restarts the workspace, which fetches — and so refreshes — first). The new
 * tokens are stored before they are used, sealed like the install's.
 *
 * Several instances on one database may refresh the same workspace at once: Slack takes its refresh
 * token once, so the loser's refresh fails — it then reads the installation again and uses the one the
 * winner stored.
 */
import type { Logger } from '@slack/bolt';
import { WebClient } from '@slack/web-api';
import { slackClientOptions } from '../slack/api/call.js';
import type { TeamInstallation } from './installation-store.js';

/** As Bolt's InstallProvider: a token that expires within two hours is refreshed. */
export const REFRESH_BEFORE_MS = 2 * 60 * 60 * 1000;
/** How often the loser of a refresh race reads the store again for the winner's tokens. */
const RACE_READS = 3;
const RACE_WAIT_MS = 500;

export interface TokenRotation {
  /** The workspace's installation with a token good for REFRESH_BEFORE_MS more, refreshed first if needed. */
  fresh(teamId: string): Promise<TeamInstallation | null>;
  /** When the installation's token must be refreshed (ms since the epoch); null when it does not expire. */
  refreshAt(installation: TeamInstallation): number | null;
  /** Whether that moment has come. */
  due(installation: TeamInstallation): boolean;
}

interface RefreshAnswer {
  access_token?: string;
  refresh_token?: string;
  expires_in?: number;
}

export function createTokenRotation(deps: {
  store: {
    fetchTeam(teamId: string): Promise<TeamInstallation | null>;
    saveTeam(installation: TeamInstallation): Promise<void>;
  };
  clientId: string;
  clientSecret: string;
  slackApiUrl: string;
  logger: Logger;
  /** The clock tokens expire by (ms): the real one, not the newsroom's test clock. */
  clock?: () => number;
  refreshBeforeMs?: number;
}): TokenRotation {
  const clock = deps.clock ?? Date.now;
  const before = deps.refreshBeforeMs ?? REFRESH_BEFORE_MS;
  const client = new WebClient(undefined, { ...slackClientOptions(deps.slackApiUrl), logger: deps.logger });

  const refreshAt = (installation: TeamInstallation): number | null => {
    const { refreshToken, expiresAt } = installation.bot ?? {};
    // expiresAt is in seconds, as Bolt stores it.
    return refreshToken && typeof expiresAt === 'number' ? expiresAt * 1000 - before : null;
  };
  const due = (installation: TeamInstallation): boolean => {
    const at = refreshAt(installation);
    return at !== null && clock() >= at;
  };

  async function refresh(teamId: string, installation: TeamInstallation): Promise<TeamInstallation> {
    const bot = installation.bot!;
    let answer: RefreshAnswer;
    try {
      answer = (await client.oauth.v2.access({
        client_id: deps.clientId,
        client_secret: deps.clientSecret,
        grant_type: 'refresh_token',
        refresh_token: bot.refreshToken!,
      })) as RefreshAnswer;
    } catch (error) {
      // Another instance may have used the refresh token first: its stored tokens are the fresh ones.
      for (let read = 0; read < RACE_READS; read += 1) {
        const stored = await deps.store.fetchTeam(teamId);
        if (stored?.bot?.refreshToken && stored.bot.refreshToken !== bot.refreshToken && !due(stored))
          return stored;
        await new Promise((resolve) => setTimeout(resolve, RACE_WAIT_MS));
      }
      const reason = error instanceof Error ? error.message : String(error);
      throw new Error(`workspace ${teamId}: the bot token could not be refreshed (${reason})`);
    }
    if (!answer.access_token || !answer.refresh_token || typeof answer.expires_in !== 'number')
      throw new Error(`workspace ${teamId}: oauth.v2.access answered a refresh without new tokens`);
    const refreshed: TeamInstallation = {
      ...installation,
      bot: {
        ...bot,
        token: answer.access_token,
        refreshToken: answer.refresh_token,
        expiresAt: Math.floor(clock() / 1000) + answer.expires_in,
      },
    };
    // Stored before use: the old refresh token no longer works, so losing the new one would end the install.
    await deps.store.saveTeam(refreshed);
    deps.logger.info(
      `workspace ${teamId}: bot token refreshed, good for ${Math.round(answer.expires_in / 60)} min`,
    );
    return refreshed;
  }

  return {
    async fresh(teamId) {
      const installation = await deps.store.fetchTeam(teamId);
      if (!installation || !due(installation)) return installation;
      return refresh(teamId, installation);
    },
    refreshAt,
    due,
  };
}
