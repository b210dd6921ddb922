import { readFile, unlink, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';

/**
 * One process per data directory: lowdb keeps the data in memory and rewrites whole files, so two
 * processes writing the same store would silently undo each other's writes. The lock is a file holding
 * the owner's pid; a lock whose process is gone (a crash, SIGKILL) is taken over.
 */
export const LOCK_FILE = '.lock';

/** Stores open in this process, by directory: several may share the lock (tests, the CLI in-process). */
const heldHere = new Map<string, number>();

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function ownerOf(path: string): Promise<number | null> {
  try {
    const pid = Number((JSON.parse(await readFile(path, 'utf8')) as { pid?: unknown }).pid);
    return Number.isInteger(pid) && pid > 0 ? pid : null;
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
    const content = `${JSON.stringify({ pid: process.pid, since: new Date().toISOString() })}\n`;
    try {
      await writeFile(path, content, { flag: 'wx' });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = await ownerOf(path);
      if (owner !== null && owner !== process.pid && isAlive(owner)) {
        throw new Error(
          `The data directory ${dir} is in use by process ${owner} (a running bot or CLI command): stop it first. If no such process exists, delete ${path}.`,
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
