/** Parent side of process-child.ts: spawn a compiled bench process, read its ready line, talk over IPC. */
import { type ChildProcess, spawn } from 'node:child_process';
import type { ChildRequest, ChildStats } from './process-child.js';

/** A 10-year archive opens in well under this; past it something is wrong, not slow. */
const READY_TIMEOUT_MS = 60_000;

export interface BenchProcess<Ready> {
  ready: Ready;
  /** Wall time from spawn to the ready line: node start-up + module loading + the process's own start. */
  processStartMs: number;
  stats(): Promise<ChildStats>;
  idle(): Promise<void>;
  /** The longest event-loop delay (ms) since the last call. */
  loopMaxMs(): Promise<number>;
  stop(): Promise<void>;
}

export async function startProcess<Ready>(
  script: string,
  args: string[],
  env: Record<string, string>,
): Promise<BenchProcess<Ready>> {
  const spawnedAt = performance.now();
  // BENCH_PROFILE_DIR=dir writes a V8 CPU profile of each process there, to find what is slow.
  const profile = process.env.BENCH_PROFILE_DIR
    ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE_DIR}`]
    : [];
  const child: ChildProcess = spawn(process.execPath, [...profile, script, ...args], {
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    env: { ...process.env, ...env },
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });

  const ready = await new Promise<Ready>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(
      () => reject(new Error(`${script} did not start in time: ${stderr}`)),
      READY_TIMEOUT_MS,
    );
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const newline = out.indexOf('\n');
      if (newline >= 0) {
        clearTimeout(timer);
        resolve(JSON.parse(out.slice(0, newline)) as Ready);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${script} exited (${code}) before it was ready: ${stderr}`));
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
    loopMaxMs: () => request<number>('loop'),
    async stop() {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      await request<void>('stop');
      await exited;
    },
  };
}
