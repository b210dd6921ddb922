/**
 * The command line: `npm run cli -- <command>` or the `briefing-bot` bin.
 * Each command lives in src/cli/<name>.ts and exports `run(args) → exit code`;
 * they are loaded on demand so `parse` does not pay for Bolt's start-up.
 */
import 'dotenv/config';

type CommandModule = { run(args: string[]): Promise<number> };

const commands: Record<string, { summary: string; load: () => Promise<CommandModule> }> = {
  start: {
    summary: 'start the bot (local workspace when SLACK_BOT_TOKEN is unset)',
    load: () => import('./cli/start.js'),
  },
  parse: {
    summary: 'parse FILE (.eml, .txt, .html) and print the briefing as JSON',
    load: () => import('./cli/parse.js'),
  },
  ingest: {
    summary: 'ingest FILE through the same path as the mail webhook ([--team T…] with many workspaces)',
    load: () => import('./cli/ingest.js'),
  },
  deliveries: {
    summary: 'list deliveries and their state; --retry ID retries a failed one; [--team T…]',
    load: () => import('./cli/deliveries.js'),
  },
  digest: {
    summary: 'digest [DATE] [--post]: print (or post) the daily digest; [--team T…]',
    load: () => import('./cli/digest.js'),
  },
  migrate: {
    summary: 'migrate --to postgres://…: copy the lowdb archive into PostgreSQL (safe to repeat)',
    load: () => import('./cli/migrate.js'),
  },
};

function usage(): string {
  const lines = Object.entries(commands).map(([name, { summary }]) => `  ${name.padEnd(11)} ${summary}`);
  return `Usage: briefing-bot <command> [args]\n\nCommands:\n${lines.join('\n')}\n`;
}

async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  if (!name || name === 'help' || name === '--help' || name === '-h') {
    process.stdout.write(usage());
    return name ? 0 : 2;
  }
  const command = commands[name];
  if (!command) {
    process.stderr.write(`Unknown command "${name}".\n\n${usage()}`);
    return 2;
  }
  const module = await command.load();
  return module.run(args);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
