/**
 * A throwaway IMAP server for tests: Debian's Dovecot (dovecot-imapd) with its own config, base and
 * mail directories in a temp directory, listening on a free loopback port, one user with a plain
 * password in a passwd-file. As root (CI) Dovecot's master runs as root as usual, but its login
 * processes refuse root: they run as Debian's `dovenull`, the internal processes and the mail user as
 * `dovecot`. As an ordinary user every process is that user. `stop()` ends the master and its children.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { ImapFlow } from 'imapflow';
import { freePort } from './ports.js';

const DOVECOT = '/usr/sbin/dovecot';

export const DOVECOT_MISSING = !existsSync(DOVECOT);
/** Outside CI a machine without Dovecot skips these suites (and says so); CI must run them. */
export const SKIP_DOVECOT = DOVECOT_MISSING && !process.env.CI;
if (SKIP_DOVECOT) {
  process.stderr.write(
    `IMAP suites skipped: no ${DOVECOT} (apt-get install dovecot-imapd). With CI set, they fail instead.\n`,
  );
}

export interface DovecotOptions {
  /** PEM key and certificate: the server offers STARTTLS on the plain port and TLS on `tlsPort`. */
  tls?: { key: string; cert: string };
  /** Capabilities announced instead of Dovecot's own (e.g. without IDLE, to test polling). */
  capability?: string;
}

export interface DovecotServer {
  host: string;
  port: number;
  /** The implicit-TLS port (imaps), when started with `tls`. */
  tlsPort: number | null;
  user: string;
  password: string;
  /**
   * Kills the server and every process it started, as a crash or a reboot of the mail host would: the
   * clients' connections drop at once. (A SIGTERM to the master alone is no such test: the imap process
   * serving a connection lingers for seconds after its master is gone, answering nothing.)
   * `start()` brings it back on the same ports.
   */
  kill(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** Resolves once the port greets with `* OK` (Dovecot is up), or fails after 20 s. */
async function waitForGreeting(port: number, child: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const greeted = await new Promise<boolean>((resolve) => {
      const socket = createConnection({ host: '127.0.0.1', port });
      socket.setTimeout(2000);
      socket.once('data', (chunk) => {
        socket.destroy();
        resolve(chunk.toString().startsWith('* OK'));
      });
      socket.once('error', () => resolve(false));
      socket.once('timeout', () => {
        socket.destroy();
        resolve(false);
      });
    });
    if (greeted) return;
    if (child.exitCode !== null || Date.now() > deadline) {
      throw new Error(`Dovecot did not start (exit ${child.exitCode}):\n${log()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export async function startDovecot(options: DovecotOptions = {}): Promise<DovecotServer> {
  if (DOVECOT_MISSING)
    throw new Error(`Dovecot is not installed (${DOVECOT}): apt-get install dovecot-imapd`);
  const root = process.getuid?.() === 0;
  const me = userInfo().username;
  const loginUser = root ? 'dovenull' : me;
  const internalUser = root ? 'dovecot' : me;
  const mailUid = root ? Number(execFileSync('id', ['-u', 'dovecot']).toString().trim()) : userInfo().uid;
  const mailGid = root ? Number(execFileSync('id', ['-g', 'dovecot']).toString().trim()) : userInfo().gid;

  const dir = mkdtempSync(join(tmpdir(), 'briefing-imap-'));
  // The mail user and the login processes must reach their parts of the directory.
  chmodSync(dir, 0o755);
  const mail = join(dir, 'mail');
  mkdirSync(mail);
  if (root) execFileSync('chown', [`${mailUid}:${mailGid}`, mail]);
  const port = await freePort();
  const tlsPort = options.tls ? await freePort() : null;
  const user = 'desk';
  const password = `pw-${Math.random().toString(36).slice(2)}`;
  writeFileSync(join(dir, 'users'), `${user}:{PLAIN}${password}:${mailUid}:${mailGid}::${mail}/${user}::\n`);
  chmodSync(join(dir, 'users'), 0o644);

  const tlsLines = options.tls
    ? (() => {
        writeFileSync(join(dir, 'cert.pem'), options.tls.cert);
        writeFileSync(join(dir, 'key.pem'), options.tls.key, { mode: 0o600 });
        return [`ssl = yes`, `ssl_cert = <${dir}/cert.pem`, `ssl_key = <${dir}/key.pem`];
      })()
    : ['ssl = no'];
  const config = [
    `base_dir = ${dir}/run`,
    `state_dir = ${dir}/state`,
    `log_path = ${dir}/dovecot.log`,
    'protocols = imap',
    'listen = 127.0.0.1',
    ...tlsLines,
    // Loopback only: a password in the clear harms nothing here, and tests need the no-TLS path too.
    'disable_plaintext_auth = no',
    'auth_mechanisms = plain login',
    `default_login_user = ${loginUser}`,
    `default_internal_user = ${internalUser}`,
    `default_internal_group = ${root ? 'dovecot' : execFileSync('id', ['-gn']).toString().trim()}`,
    'first_valid_uid = 1',
    'first_valid_gid = 1',
    `mail_location = maildir:~/Maildir`,
    'mail_fsync = never',
    ...(options.capability ? [`imap_capability = ${options.capability}`] : []),
    'namespace inbox {',
    '  inbox = yes',
    '  separator = /',
    '}',
    'passdb {',
    '  driver = passwd-file',
    `  args = scheme=PLAIN username_format=%u ${dir}/users`,
    '}',
    'userdb {',
    '  driver = passwd-file',
    `  args = username_format=%u ${dir}/users`,
    '}',
    'service imap-login {',
    '  inet_listener imap {',
    '    address = 127.0.0.1',
    `    port = ${port}`,
    '  }',
    '  inet_listener imaps {',
    '    address = 127.0.0.1',
    `    port = ${tlsPort ?? 0}`,
    ...(tlsPort ? ['    ssl = yes'] : []),
    '  }',
    '}',
    // Services the tests never use: no listeners left on the machine's default ports.
    'service pop3-login {',
    '  inet_listener pop3 {',
    '    port = 0',
    '  }',
    '  inet_listener pop3s {',
    '    port = 0',
    '  }',
    '}',
    'service submission-login {',
    '  inet_listener submission {',
    '    port = 0',
    '  }',
    '}',
    '',
  ].join('\n');
  writeFileSync(join(dir, 'dovecot.conf'), config);

  let child: ChildProcess | null = null;
  let output = '';
  const log = (): string => {
    const file = join(dir, 'dovecot.log');
    let text = output;
    try {
      text += execFileSync('tail', ['-n', '40', file]).toString();
    } catch {
      // No log written yet.
    }
    return text;
  };
  /** Signals the master's whole process group: its children (imap, log, stats…) go with it. */
  const signalGroup = (target: ChildProcess, signal: NodeJS.Signals): void => {
    try {
      if (target.pid) process.kill(-target.pid, signal);
    } catch {
      // The group is already gone.
    }
  };
  const killOnExit = () => {
    if (child) signalGroup(child, 'SIGKILL');
  };
  process.once('exit', killOnExit);

  async function start(): Promise<void> {
    // -F: stay in the foreground, so the child is the master and killing it ends the server.
    // detached: a process group of its own, so a kill reaches every process the master started.
    const started = spawn(DOVECOT, ['-F', '-c', join(dir, 'dovecot.conf')], {
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    child = started;
    started.stdout?.on('data', (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-4000);
    });
    started.stderr?.on('data', (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-4000);
    });
    try {
      await waitForGreeting(port, started, log);
    } catch (error) {
      signalGroup(started, 'SIGKILL');
      throw error;
    }
  }

  async function kill(signal: NodeJS.Signals): Promise<void> {
    const running = child;
    if (!running || running.exitCode !== null || running.signalCode !== null) return;
    const exited = new Promise((resolve) => running.once('exit', resolve));
    signalGroup(running, signal);
    await exited;
  }

  try {
    await start();
  } catch (error) {
    process.off('exit', killOnExit);
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    host: '127.0.0.1',
    port,
    tlsPort,
    user,
    password,
    kill: () => kill('SIGKILL'),
    start,
    async stop() {
      await kill('SIGKILL');
      process.off('exit', killOnExit);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A client logged in as the server's test user: how tests put mail in and look into folders. */
export async function connectClient(server: DovecotServer): Promise<ImapFlow> {
  const client = new ImapFlow({
    host: server.host,
    port: server.port,
    secure: false,
    doSTARTTLS: false,
    auth: { user: server.user, pass: server.password },
    logger: false,
  });
  await client.connect();
  return client;
}
