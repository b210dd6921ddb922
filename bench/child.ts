/** Parent side of app-child.ts: spawn the bot on a data directory, ask it for stats, stop it. */
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { ChildReady, ChildRequest, ChildStats } from './app-child.js';

const CHILD = fileURLToPath(new URL('./app-child.ts', import.meta.url));
/** A 10-year archive opens in well under this; past it something is wrong, not slow. */
const READY_TIMEOUT_MS = 60_000;

export interface AppProcess {
  ready: ChildReady;
  /** Wall time from spawn to the ready line: tsx start-up + module loading + createBot + start. */
  processStartMs: number;
  stats(): Promise<ChildStats>;
  idle(): Promise<void>;
  stop(): Promise<void>;
}

export async function startApp(
  dataDir: string,
  secrets: { signing: string; mail: string },
): Promise<AppProcess> {
  const spawnedAt = performance.now();
  // BENCH_PROFILE_DIR=dir writes a V8 CPU profile of each bot process there, to find what is slow.
  const profile = process.env.BENCH_PROFILE_DIR
    ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE_DIR}`]
    : [];
  const child: ChildProcess = spawn(process.execPath, [...profile, '--import', 'tsx', CHILD, dataDir], {
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    env: { ...process.env, BENCH_SIGNING_SECRET: secrets.signing, BENCH_MAIL_SECRET: secrets.mail },
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });

  const ready = await new Promise<ChildReady>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(
      () => reject(new Error(`bot did not start in time: ${stderr}`)),
      READY_TIMEOUT_MS,
    );
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const newline = out.indexOf('\n');
      if (newline >= 0) {
        clearTimeout(timer);
        resolve(JSON.parse(out.slice(0, newline)) as ChildReady);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`bot exited (${code}) before it was ready: ${stderr}`));
    });
  });
  const processStartMs = performance.now() - spawnedAt;

  let nextId = 0;
  const pending = new Map<number, (value: unknown) => void>();
  child.on('message', (message: { id: number; value: unknown }) => {
    pending.get(message.id)?.(message.value);
    pending.delete(message.id);
  });
  const request = <T>(cmd: ChildRequest['cmd']): Promise<T> =>
    new Promise((resolve) => {
      const id = nextId++;
      pending.set(id, resolve as (value: unknown) => void);
      child.send({ id, cmd } satisfies ChildRequest);
    });

  return {
    ready,
    processStartMs,
    stats: () => request<ChildStats>('stats'),
    idle: () => request<void>('idle'),
    async stop() {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      await request<void>('stop');
      await exited;
    },
  };
}
