/**
 * `briefing-bot digest [DATE] [--post]`: prints the daily digest for a date (today in NEWSROOM_TZ by
 * default; any form /briefing understands: "yesterday", "Oct 7", "2021-10-07") or posts it to
 * DIGEST_CHANNEL — once: a digest already recorded for that date is not posted again.
 */
import { createCore } from '../app.js';
import { collectDigest } from '../digest/collect.js';
import { createDigestPublisher, type DigestOutcome } from '../digest/publish.js';
import { digestAsText } from '../digest/render.js';
import { parseDateExpression, resolveDateQuery } from '../query/date-expression.js';
import { besideRunningBot, configOrReport, stderrLogger } from './preflight.js';
import { chooseTeam, takeTeamFlag } from './team.js';

const USAGE = 'Usage: briefing-bot digest [DATE] [--post] [--team T…]\n';

export function describeOutcome(outcome: DigestOutcome): string {
  switch (outcome.status) {
    case 'posted':
      return `digest ${outcome.date}: posted to ${outcome.channel} (ts ${outcome.ts})`;
    case 'already-posted':
      return `digest ${outcome.date}: already posted to ${outcome.channel} (ts ${outcome.ts}); not posted again`;
    case 'skipped-empty':
      return `digest ${outcome.date}: no briefings that day, nothing posted (DIGEST_SKIP_EMPTY)`;
    case 'claimed-elsewhere':
      return `digest ${outcome.date}: a running bot is posting it right now; not posted from here`;
  }
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
  const post = args.includes('--post');
  const words = args.filter((arg) => arg !== '--post');
  if (words.some((word) => word.startsWith('--'))) {
    process.stderr.write(USAGE);
    return 2;
  }
  const now = new Date();
  const parsed = parseDateExpression(words.join(' '), {
    now,
    timeZone: config.newsroomTz,
    dateOrder: config.dateOrder,
  });
  if (!parsed.ok) {
    process.stderr.write(`${parsed.error}\n${USAGE}`);
    return 2;
  }

  const chosen = await chooseTeam(config, flag.team);
  if (!chosen.ok) {
    process.stderr.write(`${chosen.message}\n`);
    return 1;
  }
  const { archive } = chosen;

  if (!post) {
    // A preview only reads: no lock, so it works beside the running bot.
    const store = await archive.open({ readOnly: true });
    try {
      const date = resolveDateQuery(parsed.value, await store.latestDate());
      if (!date) {
        process.stdout.write('No briefings stored yet.\n');
        return 0;
      }
      process.stdout.write(digestAsText(await collectDigest(store, date, config.newsroomTz, now)));
      return 0;
    } finally {
      await store.close();
    }
  }

  if (config.mode === 'local') {
    process.stderr.write(
      '--post needs SLACK_BOT_TOKEN. In local mode the running bot posts its digest itself at DIGEST_TIME; ' +
        'to post one now, start it (npm start) and use #digest’s “Post the digest” button or POST /local/api/digest.\n',
    );
    return 1;
  }
  if (await besideRunningBot(config)) return 1;
  const logger = stderrLogger(config);
  const posting = await archive.postingConfig();
  const store = await archive.open({ logger });
  try {
    const core = await createCore(posting, { logger, store });
    try {
      const date = resolveDateQuery(parsed.value, await store.latestDate());
      if (!date) {
        process.stdout.write('No briefings stored yet.\n');
        return 0;
      }
      const outcome = await createDigestPublisher(core.services)(date);
      process.stdout.write(`${describeOutcome(outcome)}\n`);
      return 0;
    } finally {
      await core.close();
    }
  } finally {
    await store.close();
  }
}
