/**
 * `--team T…`: which workspace's archive a CLI command reads or writes when the bot serves many
 * workspaces (OAuth). Each workspace's archive is its own (workspaces/team-store.ts), so a command
 * must name one: `--team`, else DEFAULT_TEAM_ID, else the only installed workspace. An unknown id is
 * answered with the workspaces this deployment knows. With one workspace (SLACK_BOT_TOKEN, local
 * mode) there is one archive and `--team` is refused rather than ignored.
 */
import type { Logger } from '@slack/bolt';
import type { Config } from '../config.js';
import { openStore } from '../store/index.js';
import type { Store } from '../store/types.js';
import { boltInstallationStore } from '../workspaces/installation-store.js';
import { openJsonInstallations } from '../workspaces/installations-json.js';
import { openPostgresInstallations } from '../workspaces/installations-postgres.js';
import type { InstallationRecords } from '../workspaces/records.js';
import { createSealer } from '../workspaces/seal.js';
import { openTeamStore } from '../workspaces/team-store.js';
import { createTokenRotation } from '../workspaces/token-rotation.js';
import { stderrLogger } from './preflight.js';

/** `args` without `--team T…` / `--team=T…`, and the id (null when absent); an error for a bare --team. */
export function takeTeamFlag(args: string[]): { args: string[]; team: string | null } | { error: string } {
  const rest: string[] = [];
  let team: string | null = null;
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i]!;
    if (arg === '--team' || arg.startsWith('--team=')) {
      const value = arg === '--team' ? args[++i] : arg.slice('--team='.length);
      if (!value || value.startsWith('--')) return { error: '--team needs a workspace id (T…).' };
      if (team !== null && team !== value.toUpperCase()) return { error: '--team is given twice.' };
      team = value.toUpperCase();
      continue;
    }
    rest.push(arg);
  }
  return { args: rest, team };
}

/** One workspace's archive and, for commands that post, its bot token. */
export interface TeamArchive {
  /** Null with one workspace (DATA_DIR's archive, the config's own token). */
  teamId: string | null;
  open(options?: { readOnly?: boolean; logger?: Logger }): Promise<Store>;
  /** The config a command that posts runs with: the workspace's bot token in SLACK_BOT_TOKEN's place. */
  postingConfig(): Promise<Config>;
}

async function openInstallations(config: Config): Promise<InstallationRecords> {
  return config.databaseUrl
    ? openPostgresInstallations(config.databaseUrl)
    : openJsonInstallations(config.dataDir);
}

const listed = (teams: string[]): string =>
  teams.length > 0 ? `known workspaces: ${teams.join(', ')}` : 'no workspace has installed the bot yet';

/** The archive the command works on, or the message saying why there is none (for stderr). */
export async function chooseTeam(
  config: Config,
  flag: string | null,
): Promise<{ ok: true; archive: TeamArchive } | { ok: false; message: string }> {
  if (config.mode !== 'oauth') {
    if (flag !== null)
      return {
        ok: false,
        message:
          '--team is for a bot serving many workspaces (SLACK_CLIENT_ID); this one has a single archive: leave it out.',
      };
    return {
      ok: true,
      archive: {
        teamId: null,
        open: (options = {}) =>
          openStore({ dataDir: config.dataDir, databaseUrl: config.databaseUrl, ...options }),
        postingConfig: async () => config,
      },
    };
  }
  const installations = await openInstallations(config);
  let known: string[];
  try {
    known = (await installations.list()).map((record) => record.teamId);
  } finally {
    await installations.close();
  }
  // DEFAULT_TEAM_ID's archive is DATA_DIR's own: it is there even before that workspace installs.
  const teams = [...new Set([...(config.defaultTeamId ? [config.defaultTeamId] : []), ...known])].sort();
  const teamId = flag ?? config.defaultTeamId ?? (teams.length === 1 ? teams[0]! : null);
  if (teamId === null) return { ok: false, message: `Which workspace? Add --team T… (${listed(teams)}).` };
  if (!teams.includes(teamId))
    return { ok: false, message: `No workspace ${teamId} here (${listed(teams)}).` };
  return {
    ok: true,
    archive: {
      teamId,
      open: (options = {}) => openTeamStore(config, teamId, options),
      async postingConfig() {
        const records = await openInstallations(config);
        try {
          const store = boltInstallationStore(records, createSealer(config.installationKey));
          // An expiring token (token rotation) is refreshed and stored first, as the bot does.
          const installation = await createTokenRotation({
            store,
            clientId: config.slackClientId ?? '',
            clientSecret: config.slackClientSecret ?? '',
            slackApiUrl: config.slackApiUrl,
            logger: stderrLogger(config),
          }).fresh(teamId);
          const token = installation?.bot?.token;
          if (!token)
            throw new Error(
              `Workspace ${teamId} has no installation (its archive is kept): install the bot there again to post.`,
            );
          return { ...config, slackBotToken: token };
        } finally {
          await records.close();
        }
      },
    },
  };
}
