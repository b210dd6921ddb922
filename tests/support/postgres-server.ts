/**
 * A throwaway PostgreSQL server for tests: Debian's initdb + postgres in a temp directory, listening
 * on a free loopback port, trust auth, deleted on stop. PostgreSQL refuses to run as root, so as root
 * (CI) the cluster is owned by and run as the `postgres` user (Debian's package creates it).
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import { freePort } from './ports.js';

const PG_ROOT = '/usr/lib/postgresql';
const RUN_AS = 'postgres';

/** The newest installed server's bin directory, or null when Debian's postgresql is not installed. */
export function postgresBin(): string | null {
  if (!existsSync(PG_ROOT)) return null;
  const versions = readdirSync(PG_ROOT)
    .filter((name) => existsSync(join(PG_ROOT, name, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] ? join(PG_ROOT, versions[0], 'bin') : null;
}

/** Outside CI a machine without PostgreSQL skips these suites (and says so); CI must run them. */
export const POSTGRES_MISSING = postgresBin() === null;
export const SKIP_POSTGRES = POSTGRES_MISSING && !process.env.CI;
if (SKIP_POSTGRES) {
  process.stderr.write(
    `PostgreSQL suites skipped: no ${PG_ROOT}/*/bin/initdb (apt-get install postgresql). With CI set, they fail instead.\n`,
  );
}

export interface PostgresServer {
  /** postgres://… of a fresh database per call. */
  newDatabase(): Promise<string>;
  /** The server's own admin URL. */
  url: string;
  stop(): Promise<void>;
}

const isRoot = (): boolean => process.getuid?.() === 0;

/** The command line, run as RUN_AS when we are root. */
function asServerUser(command: string, args: string[]): [string, string[]] {
  return isRoot() ? ['runuser', ['-u', RUN_AS, '--', command, ...args]] : [command, args];
}

export async function startPostgres(): Promise<PostgresServer> {
  const bin = postgresBin();
  if (!bin)
    throw new Error(`PostgreSQL is not installed (${PG_ROOT}/*/bin/initdb): apt-get install postgresql`);
  const dir = mkdtempSync(join(tmpdir(), 'briefing-pg-'));
  if (isRoot()) execFileSync('chown', [RUN_AS, dir]);
  const data = join(dir, 'data');
  const [initCommand, initArgs] = asServerUser(join(bin, 'initdb'), [
    '-D',
    data,
    '-U',
    'briefing',
    '--auth=trust',
    '--encoding=UTF8',
    '--no-sync',
  ]);
  execFileSync(initCommand, initArgs, { stdio: 'pipe' });
  const port = await freePort();
  const [command, args] = asServerUser(join(bin, 'postgres'), [
    '-D',
    data,
    '-p',
    String(port),
    '-c',
    'listen_addresses=127.0.0.1',
    '-c',
    `unix_socket_directories=${dir}`,
    // A test cluster is thrown away: durability buys nothing and costs every commit an fsync.
    '-c',
    'fsync=off',
    '-c',
    'synchronous_commit=off',
    '-c',
    'full_page_writes=off',
    '-c',
    'max_connections=200',
  ]);
  const child: ChildProcess = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    log = (log + chunk.toString()).slice(-4000);
  });
  const url = `postgres://briefing@127.0.0.1:${port}/postgres`;
  const admin = postgres(url, { max: 1, onnotice: () => {} });
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      await admin`select 1`;
      break;
    } catch (error) {
      if (child.exitCode !== null || Date.now() > deadline) {
        child.kill('SIGKILL');
        rmSync(dir, { recursive: true, force: true });
        throw new Error(`PostgreSQL did not start: ${(error as Error).message}\n${log}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  // A test worker that exits without stop() (a crash, a forgotten afterAll) must not leave a server.
  const serverPid = Number(readFileSync(join(data, 'postmaster.pid'), 'utf8').split('\n')[0]);
  const killOnExit = () => {
    try {
      process.kill(serverPid, 'SIGQUIT');
    } catch {
      // Already gone.
    }
  };
  process.once('exit', killOnExit);
  let next = 0;
  return {
    url,
    async newDatabase() {
      next += 1;
      const name = `test_${process.pid}_${next}`;
      await admin.unsafe(`create database ${name}`);
      return `postgres://briefing@127.0.0.1:${port}/${name}`;
    },
    async stop() {
      await admin.end({ timeout: 1 });
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        // pg_ctl signals the server itself (runuser does not pass signals on); "fast" disconnects
        // clients instead of waiting for them.
        const [stopCommand, stopArgs] = asServerUser(join(bin, 'pg_ctl'), [
          'stop',
          '-D',
          data,
          '-m',
          'fast',
          '-w',
        ]);
        execFileSync(stopCommand, stopArgs, { stdio: 'pipe' });
        await exited;
      }
      process.off('exit', killOnExit);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
