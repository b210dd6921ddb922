/**
 * `briefing-bot deliveries`: every delivery and its state, newest first;
 * `briefing-bot deliveries --retry ID`: posts what a failed delivery has not posted yet.
 */
import { createCore } from '../app.js';
import { describeRetry, retryDelivery } from '../delivery/retry.js';
import type { ArchiveReads } from '../store/roles.js';
import type { Delivery } from '../store/types.js';
import { besideRunningBot, configOrReport, stderrLogger } from './preflight.js';
import { chooseTeam, takeTeamFlag } from './team.js';

const USAGE = 'Usage: briefing-bot deliveries [--retry ID] [--team T…]\n';
/** Titles and errors are cut to keep one delivery per terminal line. */
const TITLE_WIDTH = 40;
const ERROR_WIDTH = 60;

function clip(text: string, width: number): string {
  return text.length > width ? `${text.slice(0, width - 1)}…` : text;
}

export async function deliveriesTable(store: ArchiveReads): Promise<string> {
  const listed = await Promise.all(
    (await store.listDeliveries()).map(async (delivery) => ({
      delivery,
      briefing: await store.getBriefing(delivery.briefingId),
    })),
  );
  const rows = listed
    .sort((a, b) => (b.briefing?.receivedAt ?? '').localeCompare(a.briefing?.receivedAt ?? ''))
    .map(({ delivery, briefing }) => [
      delivery.briefingId,
      briefing?.date ?? '',
      delivery.state,
      String(delivery.attempts),
      String(delivery.posts.length),
      clip(briefing?.briefing.title ?? '', TITLE_WIDTH),
      clip(describe(delivery), ERROR_WIDTH),
    ]);
  const header = ['ID', 'DATE', 'STATE', 'TRIES', 'POSTS', 'TITLE', 'LAST ERROR / NEXT'];
  const all = [header, ...rows];
  const widths = header.map((_, i) => Math.max(...all.map((row) => row[i]!.length)));
  return all
    .map((row) =>
      row
        .map((cell, i) => cell.padEnd(widths[i]!))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

function describe(delivery: Delivery): string {
  if (delivery.state === 'pending' && delivery.nextAttemptAt) {
    return `${delivery.lastError ?? ''} (next ${delivery.nextAttemptAt})`.trim();
  }
  return delivery.lastError ?? '';
}

export async function run(argv: string[]): Promise<number> {
  const config = configOrReport();
  if (!config) return 1;
  const flag = takeTeamFlag(argv);
  if ('error' in flag) {
    process.stderr.write(`${flag.error}\n${USAGE}`);
    return 2;
  }
  const { args } = flag;
  if (args.length !== 0 && (args[0] !== '--retry' || !args[1] || args.length > 2)) {
    process.stderr.write(USAGE);
    return 2;
  }
  const chosen = await chooseTeam(config, flag.team);
  if (!chosen.ok) {
    process.stderr.write(`${chosen.message}\n`);
    return 1;
  }
  const { archive } = chosen;
  if (args.length === 0) {
    // Read-only: listing needs no lock, so it works beside the running bot (the usual case).
    const store = await archive.open({ readOnly: true });
    try {
      const deliveries = await store.listDeliveries();
      process.stdout.write(deliveries.length ? `${await deliveriesTable(store)}\n` : 'No deliveries yet.\n');
    } finally {
      await store.close();
    }
    return 0;
  }
  const id = args[1]!;
  // An unknown id is answered as such before anything else is checked (a running bot, the Slack token).
  const lookup = await archive.open({ readOnly: true });
  try {
    if (!(await lookup.getDelivery(id))) {
      process.stderr.write(`No delivery with id ${id}.\n`);
      return 1;
    }
  } finally {
    await lookup.close();
  }
  if (await besideRunningBot(config)) return 1;
  const logger = stderrLogger(config);
  const posting = await archive.postingConfig();
  const store = await archive.open({ logger });
  try {
    const core = await createCore(posting, { logger, store });
    try {
      const outcome = await retryDelivery({ deliverer: core.services.deliverer, store }, id);
      (outcome.kind === 'unknown' ? process.stderr : process.stdout).write(`${describeRetry(id, outcome)}\n`);
      return outcome.kind === 'retried' && outcome.delivery.state === 'posted' ? 0 : 1;
    } finally {
      await core.close();
    }
  } finally {
    await store.close();
  }
}
