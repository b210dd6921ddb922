/**
 * `briefing-bot ingest FILE`: the mail webhook's path for a file on disk — parse, sender check, store,
 * post — printing the outcome and waiting until the posts are out (or have failed).
 */
import { createCore } from '../app.js';
import { readMailFile } from '../ingest/mail-file.js';
import { besideRunningBot, configOrReport, stderrLogger } from './preflight.js';
import { chooseTeam, takeTeamFlag } from './team.js';

const USAGE = 'Usage: briefing-bot ingest [--team T…] FILE   (.eml, or a .txt/.html paste of a briefing)\n';

export async function run(argv: string[]): Promise<number> {
  const flag = takeTeamFlag(argv);
  const [file, ...rest] = 'error' in flag ? [] : flag.args;
  if ('error' in flag || !file || rest.length) {
    process.stderr.write(`${'error' in flag ? `${flag.error}\n` : ''}${USAGE}`);
    return 2;
  }
  const config = configOrReport();
  if (!config) return 1;
  const chosen = await chooseTeam(config, flag.team);
  if (!chosen.ok) {
    process.stderr.write(`${chosen.message}\n`);
    return 1;
  }
  if (config.mode === 'local') {
    process.stderr.write(
      'ingest posts to Slack: set SLACK_BOT_TOKEN (and BRIEFING_CHANNEL). In the local workspace, use the page\'s "Forward an email" form or POST /local/api/mail instead.\n',
    );
    return 1;
  }
  if (await besideRunningBot(config)) return 1;

  const input = await readMailFile(file);
  const logger = stderrLogger(config);
  const posting = await chosen.archive.postingConfig();
  const store = await chosen.archive.open({ logger });
  const core = await createCore(posting, { logger, store }).catch(async (error: unknown) => {
    await store.close();
    throw error;
  });
  const { ingest, deliverer } = core.services;
  try {
    const outcome = await ingest(input);
    process.stdout.write(`${JSON.stringify(outcome)}\n`);
    if (outcome.status === 'rejected') return 1;
    if (outcome.status === 'notice') return 0;
    await deliverer.idle();
    const delivery = await store.getDelivery(outcome.id);
    process.stdout.write(
      `delivery ${outcome.id}: ${delivery?.state ?? 'unknown'}, ${delivery?.posts.length ?? 0} posts${delivery?.lastError ? ` (${delivery.lastError})` : ''}\n`,
    );
    if (delivery?.state === 'pending') {
      process.stdout.write(`next attempt at ${delivery.nextAttemptAt}; it resumes when the bot starts.\n`);
    }
    return delivery?.state === 'posted' ? 0 : 1;
  } finally {
    await core.close();
    await store.close();
  }
}
