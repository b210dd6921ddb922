/**
 * Local mode: `npm start` without SLACK_BOT_TOKEN. Starts the Slack stand-in on loopback, then the
 * real bot (createBot) with a config pointing at it — a generated signing secret, the stand-in's token
 * and `slackApiUrl` — plus the page and its API as extra routes on the bot's own server. Everything
 * the page does reaches Bolt and the mail webhook over HTTP with real signatures and secrets.
 */
import { randomBytes } from 'node:crypto';
import { type Bot, type BotOverrides, createBot } from '../app.js';
import { stopOnSignal } from '../cli/stop-on-signal.js';
import type { Config } from '../config.js';
import { autosaveWorkspace, loadWorkspace } from './persist.js';
import { localRoutes } from './routes.js';
import { SlackStandIn } from './slack-stand-in.js';
import { LOCAL_USER } from './workspace.js';

export interface LocalWorkspaceOptions {
  config: Config;
  overrides?: BotOverrides;
  /** Keep the workspace in DATA_DIR across restarts (default true). */
  persist?: boolean;
}

export interface LocalWorkspace {
  /** The page, e.g. http://127.0.0.1:3000/ */
  url: string;
  /** Bolt's endpoint for slash commands, events and interactions. */
  eventsUrl: string;
  standIn: SlackStandIn;
  bot: Bot;
  signingSecret: string;
  /** MAIL_WEBHOOK_SECRET, or the one generated for this run. */
  mailSecret: string;
  mailSecretGenerated: boolean;
  stop(): Promise<void>;
}

function secret(bytes: number): string {
  return randomBytes(bytes).toString('base64url');
}

/** An address this process can connect to for a host it listens on (0.0.0.0 / :: mean "any"). */
function reachableHost(host: string): string {
  if (host === '0.0.0.0' || host === '::' || host === '') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}

export async function startLocalWorkspace(options: LocalWorkspaceOptions): Promise<LocalWorkspace> {
  const { config } = options;
  const persist = options.persist ?? true;
  const standIn = new SlackStandIn();
  if (persist) await loadWorkspace(standIn, config.dataDir);
  // BRIEFING_CHANNEL / DIGEST_CHANNEL may name other channels than the seeded ones: create them,
  // with the bot invited, so local mode works with the same settings as production.
  // DESKS channels too, so a fixed desk setup shows on the page as it would in Slack.
  for (const name of new Set([
    config.briefingChannel,
    config.digestChannel,
    ...config.desks.map((d) => d.channel),
  ])) {
    const bare = name.replace(/^#/, '');
    if (bare && !standIn.channel(bare) && !/^[CGD][A-Z0-9_]{6,}$/.test(bare)) {
      standIn.addChannel({ name: bare, members: [LOCAL_USER.id, standIn.workspace.identity.botUserId] });
    }
  }
  const apiUrl = await standIn.listen(0, '127.0.0.1');
  let reportSaveError = (error: unknown) => {
    process.stderr.write(`local workspace: saving ${config.dataDir} failed: ${String(error)}\n`);
  };
  const autosave = persist
    ? autosaveWorkspace(standIn, config.dataDir, (error) => reportSaveError(error))
    : null;

  const signingSecret = secret(32);
  const mailSecretGenerated = !config.mailWebhookSecret;
  const mailSecret = config.mailWebhookSecret ?? secret(24);
  const localConfig: Config = {
    ...config,
    mode: 'local',
    slackBotToken: standIn.token,
    slackSigningSecret: signingSecret,
    slackAppToken: null,
    slackApiUrl: apiUrl,
    mailWebhookSecret: mailSecret,
  };

  let selfUrl = `http://${reachableHost(config.host)}:${config.port}`;
  const overrides = options.overrides ?? {};
  const bot = await createBot(localConfig, {
    ...overrides,
    routes: (services) => [
      ...(overrides.routes?.(services) ?? []),
      ...localRoutes({ standIn, services, signingSecret, mailSecret, selfUrl: () => selfUrl }),
    ],
  });
  reportSaveError = (error) =>
    bot.services.logger.error('local workspace: saving the workspace failed', error);
  // Permalinks open the page at the message (set before start: resumed deliveries fetch permalinks).
  standIn.workspace.permalinkBase = `${selfUrl}/`;
  let port: number;
  try {
    ({ port } = await bot.start());
  } catch (error) {
    await bot.stop();
    await autosave?.flush();
    await standIn.close();
    throw error;
  }
  selfUrl = `http://${reachableHost(config.host)}:${port}`;
  standIn.workspace.permalinkBase = `${selfUrl}/`;

  return {
    url: `${selfUrl}/`,
    eventsUrl: `${selfUrl}/slack/events`,
    standIn,
    bot,
    signingSecret,
    mailSecret,
    mailSecretGenerated,
    async stop() {
      await bot.stop();
      await autosave?.flush();
      await standIn.close();
    },
  };
}

/** What `npm start` prints in local mode: where the page is, and that this is not Slack. */
export function localBanner(local: LocalWorkspace): string {
  const mail = local.mailSecretGenerated
    ? 'with a secret generated for this run (the page uses it; set MAIL_WEBHOOK_SECRET to send mail from elsewhere)'
    : 'with MAIL_WEBHOOK_SECRET';
  const exposed = !/^(127\.\d+\.\d+\.\d+|localhost|\[::1\])$/.test(new URL(local.url).hostname)
    ? [
        `  WARNING: HOST=${new URL(local.url).hostname} — the page has no login and can post email to the bot;`,
        '  anyone who can reach this address can use it. Keep HOST=127.0.0.1 unless you mean it.',
      ]
    : [];
  return [
    '',
    'briefing-bot is running on its LOCAL WORKSPACE. It is NOT connected to Slack.',
    ...exposed,
    `  Open ${local.url} to see #briefings and #digest, forward an email, and try /briefing and /country.`,
    `  Mail webhook: POST ${local.url}mail/inbound ${mail}.`,
    '  To connect to Slack: create the app from manifest.yml, install it, then set SLACK_BOT_TOKEN and',
    '  SLACK_SIGNING_SECRET (or SLACK_APP_TOKEN) — see the README section "Connect to Slack".',
    '',
  ].join('\n');
}

/**
 * Why local mode did not start, in words a newcomer can act on. A busy port is the common case (a
 * bot already running, or another app on 3000): Node's own "listen EADDRINUSE" does not say what to do.
 */
export function startFailureMessage(error: unknown, config: Pick<Config, 'host' | 'port'>): string {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  if (code === 'EADDRINUSE') {
    return (
      `Port ${config.port} on ${config.host} is already in use (another briefing-bot, or another app). ` +
      `Stop it, or start on a free port: PORT=${config.port + 1} npm start`
    );
  }
  if (code === 'EACCES') {
    return `Not allowed to listen on port ${config.port} (ports below 1024 need privileges): set PORT, e.g. PORT=3000 npm start`;
  }
  return typeof message === 'string' ? message : String(error);
}

/** `briefing-bot start` in local mode: start, say where, stop cleanly on SIGINT/SIGTERM. */
export async function runLocalWorkspace(config: Config): Promise<number> {
  let local: LocalWorkspace;
  try {
    local = await startLocalWorkspace({ config });
  } catch (error) {
    process.stderr.write(`${startFailureMessage(error, config)}\n`);
    return 1;
  }
  process.stdout.write(`${localBanner(local)}\n`);
  return stopOnSignal('stopping the local workspace', () => local.stop());
}
