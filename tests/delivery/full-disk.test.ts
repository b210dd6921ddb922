/**
 * A full disk (issue 11.8): the store's month file is written through a temp file; pointing that temp
 * file at /dev/full makes every write of the month fail with the kernel's own ENOSPC, as a full
 * DATA_DIR does. Deliveries must keep trying with backoff, /healthz must say why (not ok), and posting
 * must resume by itself once space returns — no restart, nothing posted twice.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm, symlink, unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConsoleLogger, LogLevel } from '@slack/logger';
import { WebClient } from '@slack/web-api';
import { afterEach, describe, expect, it } from 'vitest';
import { createDeliverer } from '../../src/delivery/deliverer.js';
import { createHealthCheck } from '../../src/health.js';
import { SlackStandIn } from '../../src/local/slack-stand-in.js';
import { slackClientOptions } from '../../src/slack/api/call.js';
import { openStore } from '../../src/store/index.js';
import { monthPath } from '../../src/store/layout.js';
import { newBriefing } from '../store/helpers.js';
import { until } from '../support/bot.js';

const quiet = new ConsoleLogger();
quiet.setLevel(LogLevel.ERROR);
const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()?.();
});

describe.skipIf(!existsSync('/dev/full'))('deliveries on a full disk', () => {
  it('keep trying while writes fail with ENOSPC, say so in /healthz, and resume when space returns', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'briefing-full-disk-'));
    cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
    const standIn = new SlackStandIn({ rateLimit: null });
    const client = new WebClient(standIn.token, slackClientOptions(await standIn.listen()));
    cleanups.push(() => standIn.close());
    const store = await openStore({ dataDir });
    cleanups.push(() => store.close());
    // Stored (the 202 of the webhook) while there was room.
    const { briefing } = await store.addBriefing(newBriefing('2021-10-07', 'C1|full-disk'));

    const month = monthPath(dataDir, '2021-10');
    const temp = join(month, '..', '.2021-10.json.tmp');
    await symlink('/dev/full', temp);
    const deliverer = createDeliverer({
      store,
      client,
      logger: quiet,
      channel: 'briefings',
      layout: 'briefing',
      minPostIntervalMs: 0,
      // Short and capped: however long a loaded machine keeps the disk "full", the retry after it is soon.
      storeRetryBaseMs: 20,
      storeRetryMaxMs: 100,
    });
    cleanups.push(() => deliverer.stop());
    const health = createHealthCheck({ store, client, deliverer });

    deliverer.kick(briefing.id);
    await until(() => deliverer.storeStatus().startsWith('error'), 'the store error', 10_000);
    expect(deliverer.storeStatus()).toMatch(/ENOSPC/);
    const sick = await health();
    expect(sick).toMatchObject({ ok: false, pendingDeliveries: 1 });
    expect(sick.store).toMatch(/^error: .*ENOSPC/);
    // It keeps trying: more than one attempt reaches the store while the disk is full.
    const postsWhileFull = standIn.calls('chat.postMessage').filter((call) => call.ok).length;
    await new Promise((resolve) => setTimeout(resolve, 200));

    // Space returns: the next retry goes through, by itself.
    await unlink(temp);
    await until(
      async () =>
        deliverer.storeStatus() === 'ok' && (await store.getDelivery(briefing.id))?.state === 'posted',
      'the delivery',
      20_000,
    );
    // On disk too: the store's last write went through once there was room.
    const onDisk = await openStore({ dataDir, readOnly: true });
    expect((await onDisk.getDelivery(briefing.id))?.state).toBe('posted');
    await onDisk.close();
    expect(deliverer.storeStatus()).toBe('ok');
    expect((await health()).store).toBe('ok');
    // Exactly once: the card and three sections, whatever the failed writes left unrecorded.
    expect(standIn.messages('briefings')).toHaveLength(1);
    expect(standIn.thread('briefings', standIn.messages('briefings')[0]!.ts)).toHaveLength(4);
    expect(postsWhileFull).toBeLessThanOrEqual(1);
  });
});
