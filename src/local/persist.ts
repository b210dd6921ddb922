/**
 * Keeps the local workspace's messages in DATA_DIR next to the bot's store, so a restart shows the
 * same channels the store remembers posting to. Same policy as the store: a file that cannot be read
 * stops start-up with its name and is never overwritten. Private ("only visible to you") answers are
 * neither saved nor restored: Slack drops them when its client restarts, and so does the page.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { SlackStandIn } from './slack-stand-in.js';
import type { WorkspaceSnapshot } from './workspace.js';

export const WORKSPACE_FILE = 'local-workspace.json';
/** Bursts of posts (a briefing is ~15) become one write instead of fifteen. */
const SAVE_DEBOUNCE_MS = 250;

export async function loadWorkspace(standIn: SlackStandIn, dataDir: string): Promise<boolean> {
  const file = join(dataDir, WORKSPACE_FILE);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
  try {
    const snapshot = JSON.parse(text) as WorkspaceSnapshot;
    // Files written before ephemerals were left out still hold them.
    standIn.workspace.restore({ ...snapshot, ephemerals: [] });
  } catch (error) {
    throw new Error(
      `The local workspace file ${file} is unreadable (${(error as Error).message}). Move it away to start with an empty workspace.`,
    );
  }
  return true;
}

/** Saves after every change (debounced); `flush` writes what is pending and stops saving. */
export function autosaveWorkspace(
  standIn: SlackStandIn,
  dataDir: string,
  onError: (error: unknown) => void,
): { flush(): Promise<void> } {
  const file = join(dataDir, WORKSPACE_FILE);
  let timer: NodeJS.Timeout | null = null;
  let writing: Promise<void> = Promise.resolve();
  let stopped = false;

  const save = (): Promise<void> => {
    timer = null;
    const snapshot = JSON.stringify({ ...standIn.workspace.snapshot(), ephemerals: [] });
    writing = writing
      .catch(() => {})
      .then(async () => {
        await mkdir(dataDir, { recursive: true });
        // Write then rename: a crash mid-write leaves the previous file intact.
        await writeFile(`${file}.tmp`, snapshot);
        await rename(`${file}.tmp`, file);
      });
    return writing;
  };
  const unsubscribe = standIn.onChange(() => {
    if (stopped || timer) return;
    // A failed save is reported and retried with the next change; the page keeps working from memory.
    timer = setTimeout(() => void save().catch(onError), SAVE_DEBOUNCE_MS);
  });
  return {
    async flush() {
      stopped = true;
      unsubscribe();
      if (timer) {
        clearTimeout(timer);
        await save();
      }
      await writing;
    },
  };
}
