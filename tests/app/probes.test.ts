/**
 * The probes on the real bot (HTTP receiver, store on disk, the Slack stand-in): /livez stays 200 through
 * everything a restart would not mend, /readyz names the part that is not ready, and /healthz keeps a
 * failed delivery in its report without answering 503 for it (a supervisor would restart in a loop).
 */
import { mkdir, rm } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { until } from '../support/bot.js';
import { composeEml, type Harness, postMail, startHarness } from './harness.js';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

async function get(path: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${harness?.url}${path}`);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function started(): Promise<Harness> {
  const h = await startHarness();
  await until(() => h.bot.services.deliverer.channelStatus() === 'ok', 'the channel look-up', 10_000);
  return h;
}

describe('probes', () => {
  it('are all green on a bot that can work', async () => {
    harness = await started();
    expect(await get('/livez')).toEqual({ status: 200, body: { ok: true } });
    expect(await get('/readyz')).toEqual({
      status: 200,
      body: { ready: true, store: 'ok', slack: 'ok', channel: 'ok' },
    });
    expect((await get('/healthz')).status).toBe(200);
  });

  it('a failed delivery leaves /livez and /readyz green and /healthz 200 with ok false', async () => {
    harness = await started();
    harness.standIn.failAfter(1, 'msg_too_long');
    const reply = await postMail(harness.url, new Uint8Array(await composeEml()), 'message/rfc822');
    await harness.bot.services.deliverer.idle();
    expect((await harness.bot.services.store.getDelivery(String(reply.json.id)))?.state).toBe('failed');

    expect((await get('/livez')).status).toBe(200);
    expect((await get('/readyz')).status).toBe(200);
    expect(await get('/healthz')).toMatchObject({
      status: 200,
      body: { ok: false, slack: 'ok', channel: 'ok', failedDeliveries: 1 },
    });
  });

  it('/readyz is 503 and says why when Slack does not answer; /livez stays 200', async () => {
    harness = await started();
    await harness.standIn.down('503');
    const ready = await get('/readyz');
    expect(ready.status).toBe(503);
    expect(ready.body).toMatchObject({ ready: false, store: 'ok', slack: 'error: HTTP 503' });
    expect((await get('/livez')).status).toBe(200);
    await harness.standIn.up();
  });

  it('/readyz is 503 when the store cannot take a write', async () => {
    harness = await started();
    // Root ignores file modes, so the directory goes away instead: every store write would fail.
    await rm(harness.dataDir, { recursive: true, force: true });
    const ready = await get('/readyz');
    expect(ready.status).toBe(503);
    expect(String(ready.body.store)).toMatch(/^error: ENOENT/);
    expect(ready.body.slack).toBe('ok');
    expect((await get('/livez')).status).toBe(200);
    await mkdir(harness.dataDir, { recursive: true });
  });

  it('/readyz names a channel the bot cannot find', async () => {
    harness = await startHarness({ BRIEFING_CHANNEL: 'no-such-channel' });
    const h = harness;
    await until(() => h.bot.services.deliverer.channelStatus().startsWith('error'), 'the look-up', 10_000);
    const ready = await get('/readyz');
    expect(ready.status).toBe(503);
    expect(String(ready.body.channel)).toMatch(/^error: .*no-such-channel/);
  });
});
