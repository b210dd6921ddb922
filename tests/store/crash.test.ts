import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/index.js';
import { tempDir } from './helpers.js';

const writer = fileURLToPath(new URL('./crash-writer.ts', import.meta.url));
/** Several kills at different moments: each lands somewhere else in the write cycle. */
const ROUNDS = 4;

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => {
  ({ dir, cleanup } = await tempDir());
});
afterEach(() => cleanup());

/** Runs the writer until it has acknowledged `acks` briefings, then SIGKILLs it. */
function runAndKill(round: number, acks: number): Promise<{ acked: string[]; posted: string[] }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', writer, dir, String(round)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const acked: string[] = [];
    const posted: string[] = [];
    let buffered = '';
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        if (line.startsWith('ack ')) acked.push(line.slice(4));
        if (line.startsWith('post ')) posted.push(line.slice(5));
      }
      if (acked.length >= acks && !child.killed) child.kill('SIGKILL');
    });
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL') resolve({ acked, posted });
      else reject(new Error(`writer exited with ${code}: ${stderr}`));
    });
  });
}

describe('a process killed (SIGKILL) in the middle of writes', () => {
  it('leaves files that load, holding every acknowledged briefing and post', {
    timeout: 120_000,
  }, async () => {
    const acked: string[] = [];
    const posted: string[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const result = await runAndKill(round, 15 + round * 7);
      acked.push(...result.acked);
      posted.push(...result.posted);

      const store = await openStore({ dataDir: dir });
      for (const key of acked) expect(await store.findByDedupeKey(key), key).toBeDefined();
      for (const id of posted)
        expect((await store.getDelivery(id))?.posts.map((p) => p.key)).toEqual(['card']);
      // Acknowledged but not yet posted: waiting to be resumed, not lost.
      const unfinished = new Set((await store.unfinishedDeliveries()).map((d) => d.briefingId));
      for (const key of acked) {
        const id = (await store.findByDedupeKey(key))!.id;
        expect(unfinished.has(id)).toBe(true);
      }
      await store.close();
    }
    expect(acked.length).toBeGreaterThanOrEqual(15 + 22 + 29 + 36);
    // The month files are whole JSON; a leftover steno temp file (if the kill hit a write) is not a month.
    const names = await readdir(join(dir, 'briefings'));
    expect(names.filter((name) => /^\d{4}-\d{2}\.json$/.test(name)).sort()).toEqual([
      '2021-10.json',
      '2021-11.json',
      '2021-12.json',
    ]);
    for (const name of names.filter((n) => !n.startsWith('.'))) {
      expect(() => JSON.parse(readFileSync(join(dir, 'briefings', name), 'utf8'))).not.toThrow();
    }
  });
});
