import { readFile, unlink, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';

/**
 * One process per data directory: lowdb keeps the data in memory and rewrites whole files, so two
 * processes writing the same store would silently undo each other's writes. The lock is a file holding
 * the owner's pid and start time; a lock whose process is gone (a crash, SIGKILL, a restart that
 * recycled the pid) is taken over.
 */
export const LOCK_FILE = '.lock';

/** Stores open in this process, by directory: several may share the lock (tests, the CLI in-process). */
const heldHere = new Map<string, number>();

interface LockOwner {
  pid: number;
  /** When the kernel started the process (Linux /proc), so a recycled pid is not taken for the owner. */
  started: string | null;
}

/** Field 22 of /proc/PID/stat (start time in clock ticks since boot); null where there is no /proc. */
export async function processStart(pid: number): Promise<string | null> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: count fields after its last ')'.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
  } catch {
    return null;
  }
}

async function isAlive(owner: LockOwner): Promise<boolean> {
  try {
    process.kill(owner.pid, 0);
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  // After a restart (a container's, say) the old pid may belong to another process by now.
  const started = owner.started === null ? null : await processStart(owner.pid);
  return started === null || started === owner.started;
}

async function ownerOf(path: string): Promise<LockOwner | null> {
  try {
    const content = JSON.parse(await readFile(path, 'utf8')) as { pid?: unknown; started?: unknown };
    const pid = Number(content.pid);
    if (!Number.isInteger(pid) || pid <= 0) return null;
    return { pid, started: typeof content.started === 'string' ? content.started : null };
  } catch {
    return null;
  }
}

/** Takes the data directory's lock; throws naming the other process when one holds it. */
export async function lockDataDir(dataDir: string): Promise<() => Promise<void>> {
  const dir = resolve(dataDir);
  const path = join(dir, LOCK_FILE);
  const held = heldHere.get(dir) ?? 0;
  if (held === 0) {
    const started = await processStart(process.pid);
    const content = `${JSON.stringify({ pid: process.pid, started, since: new Date().toISOString() })}\n`;
    try {
      await writeFile(path, content, { flag: 'wx' });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = await ownerOf(path);
      if (owner !== null && owner.pid !== process.pid && (await isAlive(owner))) {
        throw new Error(
          `The data directory ${dir} is in use by process ${owner.pid} (a running bot or CLI command): stop it first. If no such process exists, delete ${path}.`,
        );
      }
      await writeFile(path, content);
    }
  }
  heldHere.set(dir, held + 1);

  let released = false;
  return async () => {
    if (released) return;
    released = true;
    const left = (heldHere.get(dir) ?? 1) - 1;
    if (left > 0) {
      heldHere.set(dir, left);
      return;
    }
    heldHere.delete(dir);
    await unlink(path).catch(() => undefined);
  };
}
