import { afterEach, describe, expect, it } from 'vitest';
import { until } from '../support/bot.js';
import { channelView, composeEml, type Harness, okPosts, postMail, startHarness } from './harness.js';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

/** Long enough for a loaded machine; the attempts themselves take well under a second. */
const WAIT_MS = 20_000;

describe('a long Slack outage', () => {
  it('keeps the briefing pending through many attempts, shows it in /healthz, then posts it once', async () => {
    // Hours compressed: per-call waits are skipped and redeliveries start at 5 ms (capped at 40 ms), so
    // dozens of attempts happen in well under a second — more than any fixed attempt budget would allow.
    harness = await startHarness({}, { redeliveryBaseDelayMs: 5 });
    const h = harness;
    await h.standIn.down();

    const reply = await postMail(h.url, new Uint8Array(await composeEml()), 'message/rfc822');
    expect(reply.status).toBe(202);
    const id = String(reply.json.id);
    const delivery = async () => (await h.bot.services.store.getDelivery(id))!;

    await until(async () => (await delivery()).attempts >= 12, 'a dozen attempts', WAIT_MS);
    expect(await delivery()).toMatchObject({ state: expect.stringMatching(/^(pending|posting)$/) });
    expect((await delivery()).posts).toEqual([]);
    expect((await delivery()).lastError).toMatch(/^network: /);

    const health = await fetch(`${h.url}/healthz`);
    expect(health.status).toBe(503);
    expect(await health.json()).toMatchObject({ ok: false, pendingDeliveries: 1, failedDeliveries: 0 });

    await h.standIn.up();
    await until(async () => (await delivery()).state === 'posted', 'the delivery to finish', WAIT_MS);
    await h.bot.services.deliverer.idle();

    const sections = Number(reply.json.sections);
    expect(channelView(h.standIn)).toHaveLength(1 + sections);
    expect(okPosts(h.standIn)).toHaveLength(1 + sections);
    const after = await fetch(`${h.url}/healthz`);
    // `slack` may still report the outage: /healthz caches auth.test for 30 s so monitors cannot hammer Slack.
    expect(await after.json()).toMatchObject({ pendingDeliveries: 0, failedDeliveries: 0 });
  });
});
