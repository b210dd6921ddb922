/**
 * A bot in a child process of its own, for tests that kill it (SIGKILL) or run several: `script` is run
 * under tsx with `env` added to this process's environment, and resolves once the bot prints the port
 * it listens on. A bot that exits first rejects with what it wrote to stderr. The child goes into
 * `children` as soon as it is spawned, so the test's cleanup kills it even if it never listens.
 */
import { type ChildProcess, spawn } from 'node:child_process';

export async function spawnBotProcess(
  script: string,
  env: Record<string, string>,
  children: ChildProcess[],
): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', script], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
  });
  children.push(child);
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      const match = /port (\d+)/.exec(chunk.toString());
      if (match) resolve(Number(match[1]));
    });
    child.once('exit', (code) => reject(new Error(`bot exited (${code}): ${stderr}`)));
  });
  return { child, url: `http://127.0.0.1:${port}` };
}
