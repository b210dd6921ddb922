/**
 * /healthz's figures come from counts the store keeps as delivery states change, so a probe costs the
 * same at ten years as on the first day (it used to copy every delivery ever made on each call).
 */
import type { WebClient } from '@slack/web-api';
import { describe, expect, it, vi } from 'vitest';
import { createHealthCheck } from '../../src/health.js';
import { openMemoryStore } from '../../src/store/index.js';
import { newBriefing } from '../store/helpers.js';

/** A WebClient whose auth.test answers like Slack; nothing else is used by the check. */
function slackClient(ok = true): WebClient {
  const test = ok ? async () => ({ ok: true }) : async () => Promise.reject(new Error('boom'));
  return { auth: { test } } as unknown as WebClient;
}

describe('createHealthCheck', () => {
  it('reports pending and failed deliveries from the store’s counts, without listing deliveries', async () => {
    const store = await openMemoryStore();
    const listDeliveries = vi.spyOn(store, 'listDeliveries');
    const unfinishedDeliveries = vi.spyOn(store, 'unfinishedDeliveries');
    const check = createHealthCheck({ store, client: slackClient() });

    expect(await check()).toEqual({
      ok: true,
      slack: 'ok',
      channel: 'not checked yet',
      pendingDeliveries: 0,
      failedDeliveries: 0,
      lastBriefingAt: null,
      store: 'ok',
    });

    const ids: string[] = [];
    for (let day = 1; day <= 30; day++) {
      const date = `2021-10-${String(day).padStart(2, '0')}`;
      ids.push((await store.addBriefing(newBriefing(date))).briefing.id);
    }
    for (const id of ids.slice(0, 27)) await store.updateDelivery(id, { state: 'posted' });
    await store.updateDelivery(ids[27]!, { state: 'posting' });
    await store.updateDelivery(ids[28]!, { state: 'failed', lastError: 'channel_not_found' });

    expect(await check()).toEqual({
      // A failed delivery needs a person, so it turns the check red.
      ok: false,
      slack: 'ok',
      channel: 'not checked yet',
      pendingDeliveries: 2,
      failedDeliveries: 1,
      lastBriefingAt: '2021-10-30T17:20:13.000Z',
      store: 'ok',
    });

    await store.updateDelivery(ids[28]!, { state: 'posted' });
    expect(await check()).toMatchObject({ ok: true, pendingDeliveries: 2, failedDeliveries: 0 });
    expect(listDeliveries).not.toHaveBeenCalled();
    expect(unfinishedDeliveries).not.toHaveBeenCalled();
    await store.close();
  });

  it('is not ok when BRIEFING_CHANNEL is unusable, before any mail has failed', async () => {
    const store = await openMemoryStore();
    let status = 'error: channel_not_found: no channel "briefngs" visible to the bot';
    const check = createHealthCheck({
      store,
      client: slackClient(),
      deliverer: { channelStatus: () => status },
    });
    expect(await check()).toMatchObject({ ok: false, slack: 'ok', channel: status, failedDeliveries: 0 });
    status = 'ok';
    expect(await check()).toMatchObject({ ok: true, channel: 'ok' });
    await store.close();
  });

  it('is not ok when Slack does not answer auth.test', async () => {
    const store = await openMemoryStore();
    const check = createHealthCheck({ store, client: slackClient(false) });
    expect(await check()).toMatchObject({ ok: false, slack: 'error: boom', pendingDeliveries: 0 });
    await store.close();
  });
});
