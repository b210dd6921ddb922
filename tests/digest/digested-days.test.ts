/**
 * Issue 15: the digest of Dec 2 repeated the Oct 7 and Nov 24 briefings that had had their own digests
 * minutes before, and the Oct 7, 2021 digest ended "Last briefing received Dec 2, 2026…" (another
 * briefing's receipt).
 */
import { describe, expect, it } from 'vitest';
import { collectDigest } from '../../src/digest/collect.js';
import { digestAsText } from '../../src/digest/render.js';
import { openMemoryStore } from '../../src/store/index.js';
import type { Store } from '../../src/store/types.js';
import { postBriefing } from '../slack/events/posted-briefing.js';
import { seedBriefing } from '../slack/events/seed-briefing.js';

const CHANNEL = 'C0BRIEFING';
const NY = 'America/New_York';

async function add(store: Store, title: string, date: string, receivedAt: string) {
  const briefing = seedBriefing();
  briefing.subject = `${title} (${date})`;
  briefing.title = title;
  briefing.sections = [briefing.sections[1]!];
  return postBriefing(store, briefing, {
    channel: CHANNEL,
    date,
    receivedAt,
    baseTs: Date.parse(receivedAt) / 1000,
  });
}

async function digestOn(store: Store, date: string, postedAt: string): Promise<void> {
  await store.recordDigest({
    date,
    channel: 'C0DIGEST',
    ts: `${Date.parse(postedAt) / 1000}.000001`,
    postedAt,
  });
}

describe('late briefings that had their own digest', () => {
  it('are not repeated in the digest of the day they arrived; one that arrived after its day’s digest still is', async () => {
    const store = await openMemoryStore();
    await add(store, 'Old October', '2021-10-07', '2021-10-07T17:20:00.000Z');
    // Dec 2, 2026 (EST): an editor forwards two old issues, asks for their days' digests, then more mail comes.
    await add(store, 'October again', '2021-10-07', '2026-12-02T15:00:00.000Z');
    await add(store, 'November', '2026-11-24', '2026-12-02T15:01:00.000Z');
    await digestOn(store, '2021-10-07', '2026-12-02T15:05:00.000Z');
    await digestOn(store, '2026-11-24', '2026-12-02T15:06:00.000Z');
    await add(store, 'Late November', '2026-11-24', '2026-12-02T15:30:00.000Z');
    await add(store, 'December', '2026-12-02', '2026-12-02T16:00:00.000Z');

    const now = new Date('2026-12-02T22:00:00.000Z');
    const december = await collectDigest(store, '2026-12-02', NY, now);
    expect(december.briefings.map((b) => [b.title, b.datedOn])).toEqual([
      ['December', null],
      ['Late November', '2026-11-24'],
    ]);
    expect(december.lastReceivedAt).toBe('2026-12-02T16:00:00.000Z');

    const october = await collectDigest(store, '2021-10-07', NY, now);
    expect(october.briefings.map((b) => b.title)).toEqual(['Old October', 'October again']);
    // Its own briefings' newest receipt, not the archive's (Dec 2, 16:00).
    expect(october.lastReceivedAt).toBe('2026-12-02T15:00:00.000Z');
    const text = digestAsText(october);
    expect(text).toContain('Countries on Oct 7, 2021: 🇵🇪 Peru 2');
    expect(text).toContain('Last briefing received Dec 2, 2026 at 10:00 AM EST.');
  });

  it('an empty past day reports the last receipt up to its end, not a later one', async () => {
    const store = await openMemoryStore();
    await add(store, 'Monday', '2026-11-30', '2026-11-30T14:00:00.000Z');
    await add(store, 'Wednesday', '2026-12-02', '2026-12-02T14:00:00.000Z');
    const text = digestAsText(
      await collectDigest(store, '2026-12-01', NY, new Date('2026-12-02T20:00:00.000Z')),
    );
    expect(text).toBe(
      'No briefings received on Tue, Dec 1, 2026. Last briefing received Nov 30, 2026 at 9:00 AM EST.\n',
    );
  });
});
