import { spawn } from 'node:child_process';
import { access, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/index.js';
import { processStart } from '../../src/store/lock.js';
import { newBriefing, tempDir } from './helpers.js';

const HOLDER = fileURLToPath(new URL('./lock-holder.ts', import.meta.url));

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => {
  ({ dir, cleanup } = await tempDir());
});
afterEach(() => cleanup());

const lockExists = () =>
  access(join(dir, '.lock')).then(
    () => true,
    () => false,
  );

describe('one process per data directory', () => {
  it('refuses a store another live process holds, and takes it over once that process is killed', async () => {
    const holder = spawn(process.execPath, ['--import', 'tsx', HOLDER, dir], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      await new Promise<void>((resolve, reject) => {
        holder.stdout.on('data', (chunk: Buffer) => chunk.toString().includes('ready') && resolve());
        holder.once('exit', (code) => reject(new Error(`holder exited with ${code}`)));
      });
      await expect(openStore({ dataDir: dir })).rejects.toThrow(
        new RegExp(`in use by process ${holder.pid}.*${join(dir, '.lock').replaceAll('/', '\\/')}`),
      );
    } finally {
      holder.kill('SIGKILL');
      await new Promise((resolve) => holder.once('exit', resolve));
    }

    const store = await openStore({ dataDir: dir });
    expect(JSON.parse(await readFile(join(dir, '.lock'), 'utf8')).pid).toBe(process.pid);
    await store.addBriefing(newBriefing('2021-10-07'));
    await store.close();
    expect(await lockExists()).toBe(false);
  });

  it('lets one process open a directory twice and frees it when the last store closes', async () => {
    const first = await openStore({ dataDir: dir });
    const second = await openStore({ dataDir: dir });
    await first.close();
    expect(await lockExists()).toBe(true);
    await second.close();
    await second.close();
    expect(await lockExists()).toBe(false);
  });

  it('takes over a lock left by a process that no longer exists', async () => {
    // Pids are at most 2^22 on Linux; this one cannot be running.
    await writeFile(join(dir, '.lock'), JSON.stringify({ pid: 2 ** 22 + 1 }));
    const store = await openStore({ dataDir: dir });
    expect(await store.briefingCount()).toBe(0);
    await store.close();
  });

  it('knows a recycled pid: a live process that started after the lock was taken is not its owner', async () => {
    const other = process.ppid;
    const started = await processStart(other);
    if (started === null) return; // No /proc here: pids are all there is to go on.
    await writeFile(join(dir, '.lock'), JSON.stringify({ pid: other, started: `${Number(started) + 1}` }));
    const store = await openStore({ dataDir: dir });
    await store.close();

    await writeFile(join(dir, '.lock'), JSON.stringify({ pid: other, started }));
    await expect(openStore({ dataDir: dir })).rejects.toThrow(`in use by process ${other}`);
  });

  it('opens read-only beside the holder, without the lock, and writes nothing', async () => {
    const writer = await openStore({ dataDir: dir });
    const { briefing } = await writer.addBriefing(newBriefing('2021-10-07'));
    await writer.close();
    // Another live process (our parent, with its real start time) holds the directory.
    const other = process.ppid;
    const lock = JSON.stringify({ pid: other, started: await processStart(other) });
    await writeFile(join(dir, '.lock'), lock);
    await expect(openStore({ dataDir: dir })).rejects.toThrow(`in use by process ${other}`);

    const month = await readFile(join(dir, 'briefings', '2021-10.json'), 'utf8');
    const reader = await openStore({ dataDir: dir, readOnly: true });
    expect((await reader.getBriefing(briefing.id))?.briefing.title).toBe(briefing.briefing.title);
    expect((await reader.listDeliveries()).map((d) => d.state)).toEqual(['pending']);
    await expect(reader.updateDelivery(briefing.id, { state: 'posted' })).rejects.toThrow(/read-only/);
    await expect(reader.addBriefing(newBriefing('2021-10-08'))).rejects.toThrow(/read-only/);
    await expect(reader.markEventSeen('Ev1')).rejects.toThrow(/read-only/);
    await reader.close();
    expect(await readFile(join(dir, '.lock'), 'utf8')).toBe(lock);
    expect(await readFile(join(dir, 'briefings', '2021-10.json'), 'utf8')).toBe(month);
  });

  it('reads a directory no bot has used as empty, creating nothing', async () => {
    const missing = join(dir, 'never-used');
    const reader = await openStore({ dataDir: missing, readOnly: true });
    expect(await reader.briefingCount()).toBe(0);
    await reader.close();
    await expect(access(missing)).rejects.toThrow();
  });

  it('releases the lock when opening fails', async () => {
    await (await openStore({ dataDir: dir })).close();
    await writeFile(join(dir, 'index.json'), '{');
    await expect(openStore({ dataDir: dir })).rejects.toThrow(/index\.json is not valid JSON/);
    expect(await lockExists()).toBe(false);
  });
});
