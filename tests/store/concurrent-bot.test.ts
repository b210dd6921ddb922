import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { rng } from '../../bench/random.js';
import { openStore } from '../../src/store/index.js';
import { composeEml, type Harness, postMail, SEED_BODY, startHarness } from '../app/harness.js';

const DISTINCT = 5;
const COPIES = 4;

let harness: Harness;
beforeEach(async () => {
  harness = await startHarness();
});
afterEach(() => harness.close());

describe('20 concurrent deliveries of 5 distinct briefings', () => {
  it('stores 5 briefings and posts exactly 5 threads', { timeout: 60_000 }, async () => {
    const emails = await Promise.all(
      Array.from({ length: DISTINCT }, (_, n) =>
        composeEml({
          subject: `Fwd: Concurrent story ${n} (Oct. 7, 2021)`,
          messageId: `<concurrent-${n}@mail.example.org>`,
          text: SEED_BODY,
        }),
      ),
    );
    // Every copy of every email, in a shuffled order, all at once (as a provider retrying would).
    const sends = rng(7).shuffle(Array.from({ length: DISTINCT * COPIES }, (_, i) => i % DISTINCT));
    // The webhook sheds bursts past 8 bodies in flight with 429; providers retry those, and so do we.
    const deliver = async (n: number) => {
      for (;;) {
        const reply = await postMail(harness.url, new Uint8Array(emails[n]!), 'message/rfc822');
        if (reply.status !== 429) return { n, ...reply };
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    };
    const replies = await Promise.all(sends.map(deliver));
    expect(replies.filter((r) => r.status === 202)).toHaveLength(DISTINCT);
    expect(replies.filter((r) => r.status === 200 && r.json.status === 'duplicate')).toHaveLength(
      DISTINCT * (COPIES - 1),
    );
    for (let n = 0; n < DISTINCT; n++) {
      const ids = new Set(replies.filter((r) => r.n === n).map((r) => r.json.id));
      expect(ids.size, `ids answered for email ${n}`).toBe(1);
    }

    await harness.bot.services.deliverer.idle();
    const cards = harness.standIn.messages('briefings');
    expect(cards).toHaveLength(DISTINCT);
    for (let n = 0; n < DISTINCT; n++) {
      const card = cards.filter((message) => message.text.includes(`Concurrent story ${n}`));
      expect(card, `card of email ${n}`).toHaveLength(1);
      const id = String(replies.find((r) => r.n === n)!.json.id);
      const sections = (await harness.bot.services.store.getBriefing(id))!.briefing.sections.length;
      expect(harness.standIn.thread('briefings', card[0]!.ts)).toHaveLength(1 + sections);
    }

    await harness.bot.stop();
    const store = await openStore({ dataDir: harness.dataDir });
    expect(await store.briefingCount()).toBe(DISTINCT);
    expect((await store.listDeliveries()).map((d) => d.state)).toEqual(Array(DISTINCT).fill('posted'));
    await store.close();
  });
});
