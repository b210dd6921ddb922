/**
 * `briefing-bot migrate --to postgres://…`: copies DATA_DIR's lowdb archive into PostgreSQL. Safe to
 * run again (it copies only what is missing) and to run beside the bot still on lowdb (each month file
 * is replaced whole by rename, so it reads a whole old or new one): run it once ahead, then once more
 * after stopping the bot, then start the bot with DATABASE_URL set.
 */
import { type ImportCounts, importArchive } from '../store/postgres/import.js';
import { isPostgresUrl, openPostgresStore, redact } from '../store/postgres/index.js';
import { configOrReport } from './preflight.js';

const USAGE = 'Usage: briefing-bot migrate --to postgres://user:password@host:5432/db\n';

const describe = (counts: ImportCounts): string =>
  `${counts.briefings} briefings, ${counts.deliveries} deliveries, ${counts.posts} posts, ${counts.replies} replies, ${counts.digests} digests`;
const describeSettings = (counts: ImportCounts): string =>
  `${counts.desks} desks, ${counts.follows} follows, ${counts.muted} muted followers, ${counts.mailboxes} mailbox cursors`;

export async function run(args: string[]): Promise<number> {
  const [flag, url, ...rest] = args;
  if (flag !== '--to' || !url || rest.length || !isPostgresUrl(url)) {
    process.stderr.write(USAGE);
    return 2;
  }
  const config = configOrReport();
  if (!config) return 1;
  const store = await openPostgresStore({ url });
  try {
    process.stdout.write(`Copying ${config.dataDir} into ${redact(url)}\n`);
    const result = await importArchive(store.sql, config.dataDir, (month) => {
      process.stdout.write(
        `${month.month}: copied ${describe(month.copied)}; already there ${describe(month.present)}\n`,
      );
    });
    process.stdout.write(
      `Done: ${result.months} months. Copied ${describe(result.copied)}. Already there ${describe(result.present)}.\n`,
    );
    process.stdout.write(
      `Settings: copied ${describeSettings(result.copied)}. Already there ${describeSettings(result.present)}.\n`,
    );
    return 0;
  } finally {
    await store.close();
  }
}
