/**
 * `briefing-bot start`: validate the configuration (every problem at once), start the bot, say where it
 * listens, and stop cleanly on SIGINT/SIGTERM (the current post finishes; the rest resumes next start).
 */
import { createBot } from '../app.js';
import type { Config } from '../config.js';
import { configOrReport } from './preflight.js';
import { stopOnSignal } from './stop-on-signal.js';

/** Start-up facts an operator should not have to discover by losing mail. */
export function startupWarnings(config: Config): string[] {
  const warnings: string[] = [];
  if (!config.mailWebhookSecret && !config.mailgunSigningKey) {
    warnings.push(
      'Neither MAIL_WEBHOOK_SECRET nor MAILGUN_SIGNING_KEY is set: POST /mail/inbound will refuse every email (401).',
    );
  }
  if (config.allowedSenders.length === 0) {
    warnings.push('ALLOWED_SENDERS is empty: anyone with the webhook secret can post briefings.');
  }
  return warnings;
}

const STOPPING = 'stopping (the post in flight finishes; the rest resumes at next start)';

/** Starts the bot; a start that fails (Slack refused the token, the port is taken) is said, and stopped. */
async function startOrReport(bot: {
  start(): Promise<{ port: number }>;
  stop(): Promise<void>;
}): Promise<number | null> {
  try {
    return (await bot.start()).port;
  } catch (error) {
    await bot.stop();
    process.stderr.write(`${(error as Error).message}\n`);
    return null;
  }
}

export async function run(_args: string[]): Promise<number> {
  const config = configOrReport();
  if (!config) return 1;
  if (config.mode === 'local') {
    // No Slack token: the built-in local workspace (a Slack stand-in and its page) runs the same bot.
    const { runLocalWorkspace } = await import('../local/index.js');
    return runLocalWorkspace(config);
  }
  for (const warning of startupWarnings(config)) process.stderr.write(`warning: ${warning}\n`);
  if (config.mode === 'oauth') return runWorkspaces(config);

  const bot = await createBot(config);
  const port = await startOrReport(bot);
  if (port === null) return 1;
  const routes = 'mail at POST /mail/inbound, health at GET /healthz';
  process.stdout.write(
    config.slackAppToken
      ? `briefing-bot connected to Slack over Socket Mode; HTTP on port ${port}: ${routes}\n`
      : `briefing-bot listening on http://${config.host}:${port}: Slack events at /slack/events, ${routes}\n`,
  );

  return stopOnSignal(STOPPING, () => bot.stop());
}

/** Many workspaces (OAuth): the install pages and every installed workspace on one server. */
async function runWorkspaces(config: Config): Promise<number> {
  const { createWorkspacesBot } = await import('../workspaces/bot.js');
  const bot = await createWorkspacesBot(config);
  const port = await startOrReport(bot);
  if (port === null) return 1;
  const installed = bot.registry.running().length;
  process.stdout.write(
    `briefing-bot listening on http://${config.host}:${port} for many workspaces (${installed} running): install at /slack/install, Slack events at /slack/events, mail at POST /mail/inbound?team=T…\n`,
  );
  return stopOnSignal(STOPPING, () => bot.stop());
}
