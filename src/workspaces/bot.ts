/**
 * The bot for many workspaces (SLACK_CLIENT_ID, SLACK_CLIENT_SECRET, SLACK_STATE_SECRET): one HTTP
 * receiver serves Bolt's OAuth flow — /slack/install (the "Add to Slack" page, which sets the state
 * cookie) and /slack/oauth_redirect (state checked against the cookie and its signature, code exchanged
 * at oauth.v2.access, installation stored) — and /slack/events, whose requests the router hands to the
 * App of the workspace they come from. Single-token mode (app.ts) is untouched by any of this.
 */

import { mkdir } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { type App, type CustomRoute, HTTPReceiver, type Logger } from '@slack/bolt';
import type { BotOverrides } from '../app.js';
import type { Config } from '../config.js';
import { loggerFor, withRequestId } from '../log/index.js';
import type { MailboxWatcher } from '../mail/imap/index.js';
import { mailWebhookRoute, snsRoute } from '../mail/index.js';
import { startSmtp } from '../mail/smtp/index.js';
import { createParsePool } from '../parse-worker/index.js';
import { livezRoute } from '../probes.js';
import { slackClientOptions } from '../slack/api/call.js';
import { guardSlackRequests } from '../slack/request-guard.js';
import { boltInstallationStore, type TeamInstallation } from './installation-store.js';
import { openJsonInstallations } from './installations-json.js';
import { openPostgresInstallations } from './installations-postgres.js';
import { routedIngest, withMailTeam } from './mail.js';
import { workspaceMailbox } from './mailbox.js';
import type { InstallationRecords } from './records.js';
import { createRegistry, type Registry } from './registry.js';
import { createRouter } from './router.js';
import { startWorkspace } from './runtime.js';
import { BOT_SCOPES } from './scopes.js';
import { createSealer } from './seal.js';
import { openSharedTokens } from './shared-tokens.js';
import { workspaceRecipients } from './smtp-route.js';
import { createTokenRotation } from './token-rotation.js';

export const INSTALL_PATH = '/slack/install';
export const REDIRECT_PATH = '/slack/oauth_redirect';

export interface WorkspacesBot {
  registry: Registry;
  installations: InstallationRecords;
  start(): Promise<{ port: number }>;
  stop(): Promise<void>;
}

export interface WorkspacesOverrides extends Omit<BotOverrides, 'store' | 'parser' | 'routes'> {
  /** The clock bot tokens expire by (ms since the epoch); tests move it on. */
  tokenClock?: () => number;
  /** How long before its expiry a token is refreshed (default REFRESH_BEFORE_MS, two hours). */
  tokenRefreshBeforeMs?: number;
}

/** A refresh timer fires at least this far apart, so a token that expires too soon cannot spin restarts. */
const MIN_REFRESH_DELAY_MS = 1000;
/** setTimeout's longest wait; a later refresh is checked then and set again. */
const MAX_TIMER_MS = 2 ** 31 - 1;

export async function createWorkspacesBot(
  config: Config,
  overrides: WorkspacesOverrides = {},
): Promise<WorkspacesBot> {
  const { slackClientId, slackClientSecret, slackStateSecret, slackSigningSecret } = config;
  if (!slackClientId || !slackClientSecret || !slackStateSecret || !slackSigningSecret)
    throw new Error(
      'Many workspaces need SLACK_CLIENT_ID, SLACK_CLIENT_SECRET, SLACK_STATE_SECRET and SLACK_SIGNING_SECRET.',
    );
  const logger: Logger = overrides.logger ?? loggerFor(config);
  const now = overrides.now ?? (() => new Date());
  if (!config.databaseUrl) await mkdir(config.dataDir, { recursive: true });
  const installations = config.databaseUrl
    ? await openPostgresInstallations(config.databaseUrl)
    : await openJsonInstallations(config.dataDir);
  // Checked before a request's workspace is known, so kept for the deployment, not per workspace.
  const shared = await openSharedTokens(config.databaseUrl).catch(async (error: unknown) => {
    await installations.close();
    throw error;
  });
  const parser = createParsePool({
    onError: (error) => logger.error(`Parse worker restarted: ${error.message}`),
  });

  const store = boltInstallationStore(installations, createSealer(config.installationKey), {
    now,
    // A reinstall brings a new token (or scopes): the workspace restarts with it.
    onInstalled: async (teamId) => {
      await registry
        .restart(teamId)
        .catch((error) => logger.error(`workspace ${teamId}: could not start`, error));
    },
  });
  const tokenClock = overrides.tokenClock ?? Date.now;
  const rotation = createTokenRotation({
    store,
    clientId: slackClientId,
    clientSecret: slackClientSecret,
    slackApiUrl: config.slackApiUrl,
    logger,
    clock: tokenClock,
    ...(overrides.tokenRefreshBeforeMs !== undefined
      ? { refreshBeforeMs: overrides.tokenRefreshBeforeMs }
      : {}),
  });
  let stopping = false;
  /** Each running workspace's next token refresh (token rotation). */
  const refreshTimers = new Map<string, NodeJS.Timeout>();
  const cancelRefresh = (teamId: string): void => {
    clearTimeout(refreshTimers.get(teamId));
    refreshTimers.delete(teamId);
  };
  const scheduleRefresh = (teamId: string, installation: TeamInstallation): void => {
    cancelRefresh(teamId);
    const at = rotation.refreshAt(installation);
    if (at === null) return;
    const wait = Math.min(Math.max(at - tokenClock(), MIN_REFRESH_DELAY_MS), MAX_TIMER_MS);
    const timer = setTimeout(() => {
      refreshTimers.delete(teamId);
      void (async () => {
        const current = await store.fetchTeam(teamId);
        // A bot stopping meanwhile starts nothing again.
        if (!current || stopping) return;
        // Not yet (a wait longer than a timer holds): look again then. Due: the restart refreshes first.
        if (!rotation.due(current)) return scheduleRefresh(teamId, current);
        await registry.restart(teamId);
      })().catch((error: unknown) => logger.error(`workspace ${teamId}: token refresh failed`, error));
    }, wait);
    timer.unref();
    refreshTimers.set(teamId, timer);
  };
  const registry = createRegistry({
    // A token that expires soon (or has) is refreshed before the workspace starts with it.
    fetch: async (teamId) => {
      const installation = await rotation.fresh(teamId);
      if (installation) scheduleRefresh(teamId, installation);
      else cancelRefresh(teamId);
      return installation;
    },
    start: (teamId, token) =>
      startWorkspace({ config, logger, parser, overrides: { ...overrides, now } }, teamId, token),
    logger,
  });
  const router = createRouter({
    registry,
    logger,
    async forget(teamId) {
      cancelRefresh(teamId);
      await installations.remove(teamId);
      await registry.stop(teamId);
    },
  });

  const ingest = routedIngest(registry, config.defaultTeamId);
  // The watched mailbox is the bot's, filing into IMAP_TEAM_ID's workspace whenever that one runs.
  const mailbox = await workspaceMailbox({ config, logger, now, registry });
  const routes: CustomRoute[] = [
    withMailTeam(mailWebhookRoute({ config, ingest, logger, now, replays: shared.mailgunTokens })),
    withMailTeam(snsRoute({ config, ingest, logger, now })),
    workspacesHealthRoute(registry, mailbox),
    livezRoute(),
  ].map(withRequestId);

  const receiver = new HTTPReceiver({
    signingSecret: slackSigningSecret,
    customRoutes: routes,
    logger,
    clientId: slackClientId,
    clientSecret: slackClientSecret,
    stateSecret: slackStateSecret,
    scopes: [...BOT_SCOPES],
    installationStore: store,
    ...(config.slackRedirectUri ? { redirectUri: config.slackRedirectUri } : {}),
    installerOptions: {
      installPath: INSTALL_PATH,
      redirectUriPath: REDIRECT_PATH,
      // The state must come back in the browser that started the install (cookie) and be signed by us.
      stateVerification: true,
      // Bolt's own client for oauth.v2.access and auth.test: our API base URL, timeout and no retries
      // (a refused exchange answers the admin at once instead of after the web client's minutes of retries).
      clientOptions: slackClientOptions(config.slackApiUrl),
    },
  });
  guardSlackRequests(receiver, {
    signingSecret: slackSigningSecret,
    seen: overrides.seenRequests ?? shared.seenRequests,
    logger,
  });
  // The receiver calls `processEvent` on what it is given; the router is the App in that seat.
  receiver.init(router as unknown as App);

  let listening = false;
  /** Mail ways the bot serves for every workspace (SMTP, the mailbox), stopped before the workspaces. */
  const mailStops: Array<() => Promise<void>> = [];
  return {
    registry,
    installations,
    async start() {
      // Each workspace starts on its own: one with a revoked token must not keep the others down.
      for (const record of await installations.list()) {
        await registry
          .get(record.teamId)
          .catch((error) => logger.error(`workspace ${record.teamId}: could not start`, error));
      }
      const server = await receiver.start({ port: config.port, host: config.host });
      listening = true;
      // One SMTP receiver for all workspaces: the recipient's +T… says which (smtp-route.ts).
      const smtp = await startSmtp({
        config,
        logger,
        route: workspaceRecipients({
          recipients: config.smtpRecipients,
          defaultTeamId: config.defaultTeamId,
          registry,
          installed: async () => (await installations.list()).map((record) => record.teamId),
        }),
      });
      if (smtp) mailStops.push(smtp);
      if (mailbox) {
        mailbox.watcher.start();
        mailStops.push(() => mailbox.watcher.stop());
      }
      return { port: (server.address() as AddressInfo).port };
    },
    async stop() {
      stopping = true;
      for (const teamId of [...refreshTimers.keys()]) cancelRefresh(teamId);
      for (const stop of mailStops.splice(0)) await stop();
      if (listening) await receiver.stop();
      listening = false;
      await registry.stopAll();
      await parser.stop();
      await shared.close();
      await installations.close();
    },
  };
}

/**
 * /healthz for many workspaces: each running workspace's channel and store as its deliverer sees them,
 * and the watched mailbox with the workspace it files into.
 */
function workspacesHealthRoute(
  registry: Registry,
  mailbox: { teamId: string; watcher: MailboxWatcher } | null,
): CustomRoute {
  return {
    path: '/healthz',
    method: ['GET'],
    handler: (_req, res) => {
      const workspaces = registry.running().map((runtime) => ({
        team: runtime.teamId,
        channel: runtime.services.deliverer.channelStatus(),
        store: runtime.services.deliverer.storeStatus(),
      }));
      const box = mailbox ? { team: mailbox.teamId, status: mailbox.watcher.status() } : null;
      const ok =
        workspaces.every((w) => !w.channel.startsWith('error') && !w.store.startsWith('error')) &&
        !box?.status.startsWith('error');
      res.writeHead(ok ? 200 : 503, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ ok, workspaces, ...(box ? { mailbox: box } : {}) }));
    },
  };
}
