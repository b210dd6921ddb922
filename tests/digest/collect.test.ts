import { describe, expect, it } from 'vitest';
import { collectDigest } from '../../src/digest/collect.js';
import { openMemoryStore } from '../../src/store/index.js';
import { permalinkOf, postBriefing } from '../slack/events/posted-briefing.js';
import { seedBriefing } from '../slack/events/seed-briefing.js';

const CHANNEL = 'C0BRIEFING';

async function newsroom() {
  const store = await openMemoryStore({ now: () => new Date('2021-10-07T21:00:00Z') });
  // Four days earlier: Mexico and the U.S. were covered, the rest of today's countries were not.
  const earlier = seedBriefing();
  earlier.subject = 'Mexico arms (Oct. 3, 2021)';
  earlier.title = 'Mexico arms';
  earlier.sections = [earlier.sections[0]!];
  await postBriefing(store, earlier, {
    channel: CHANNEL,
    date: '2021-10-03',
    receivedAt: '2021-10-03T16:00:00.000Z',
    baseTs: 1633276800,
  });
  // Eight days earlier: outside the week, so Peru still counts as new today.
  const old = seedBriefing();
  old.subject = 'Peru (Sep. 29, 2021)';
  old.sections = [old.sections[1]!];
  await postBriefing(store, old, {
    channel: CHANNEL,
    date: '2021-09-29',
    receivedAt: '2021-09-29T16:00:00.000Z',
    baseTs: 1632931200,
  });
  const today = await postBriefing(store, seedBriefing(), {
    channel: CHANNEL,
    date: '2021-10-07',
    receivedAt: '2021-10-07T17:20:13.000Z',
    baseTs: 1633627213,
  });
  return { store, today };
}

describe('collectDigest', () => {
  it('summarises the day’s briefings with links to their posts', async () => {
    const { store, today } = await newsroom();
    const model = collectDigest(store, '2021-10-07', 'America/New_York');
    expect(model.date).toBe('2021-10-07');
    expect(model.briefings).toHaveLength(1);
    const [briefing] = model.briefings;
    expect(briefing?.title).toBe('Mexico - U.S. high-level security talks');
    expect(briefing?.link).toBe(permalinkOf(CHANNEL, today.cardTs));
    expect(briefing?.sections.map((s) => [s.number, s.title, s.link])).toEqual([
      [1, 'Mexico - U.S. high-level security talks', permalinkOf(CHANNEL, today.sectionTs[0]!, today.cardTs)],
      [2, 'Peru cabinet reshuffle', permalinkOf(CHANNEL, today.sectionTs[1]!, today.cardTs)],
      [3, 'News Briefs', permalinkOf(CHANNEL, today.sectionTs[2]!, today.cardTs)],
      [4, 'Regional Relations', permalinkOf(CHANNEL, today.sectionTs[3]!, today.cardTs)],
    ]);
    expect(briefing?.sections[1]?.summary).toBe(
      'Peruvian President Pedro Castillo named Mirtha Vásquez prime minister yesterday evening, a bid at political stability after ousting her controversial predecessor Guido Bellido in the afternoon.',
    );
    expect(model.lastReceivedAt).toBe('2021-10-07T17:20:13.000Z');
  });

  it('counts stories per country and marks the ones not covered in the previous 7 days', async () => {
    const { store } = await newsroom();
    const model = collectDigest(store, '2021-10-07', 'America/New_York');
    // Stories: the lead (MX, US), Peru (PE), two briefs (HT+US, BR), one regional brief (CO+VE).
    expect(model.countries.map((c) => [c.code, c.stories, c.newThisWeek])).toEqual([
      ['US', 2, false],
      ['BR', 1, true],
      ['CO', 1, true],
      ['HT', 1, true],
      ['MX', 1, false],
      ['PE', 1, true],
      ['VE', 1, true],
    ]);
    expect(model.countries[0]).toMatchObject({ name: 'United States', flag: '🇺🇸' });
  });

  it('ranks the day’s threads by replies, then participants, and leaves quiet ones out', async () => {
    const store = await openMemoryStore({ now: () => new Date('2021-10-07T21:00:00Z') });
    const a = await postBriefing(store, seedBriefing(), {
      channel: CHANNEL,
      date: '2021-10-07',
      receivedAt: '2021-10-07T12:00:00.000Z',
      baseTs: 1633608000,
      layout: 'sections',
    });
    const thread = (index: number) => ({
      channel: CHANNEL,
      threadTs: a.sectionTs[index]!,
      briefingId: a.stored.id,
      sectionIndex: index,
    });
    await store.recordReply(thread(1), '1633620000.000001', 'U1', '2021-10-07T15:20:00.000Z');
    await store.recordReply(thread(1), '1633620001.000001', 'U1', '2021-10-07T15:20:01.000Z');
    await store.recordReply(thread(0), '1633620002.000001', 'U1', '2021-10-07T15:20:02.000Z');
    await store.recordReply(thread(0), '1633620003.000001', 'U2', '2021-10-07T15:20:03.000Z');
    await store.recordReply(thread(2), '1633620004.000001', 'U3', '2021-10-07T15:20:04.000Z');
    await store.removeReply(CHANNEL, a.sectionTs[2]!, '1633620004.000001');

    const model = collectDigest(store, '2021-10-07', 'America/New_York');
    expect(model.threads).toEqual([
      {
        briefingTitle: 'Mexico - U.S. high-level security talks',
        sectionTitle: 'Mexico - U.S. high-level security talks',
        replies: 2,
        participants: 2,
        link: permalinkOf(CHANNEL, a.sectionTs[0]!),
      },
      {
        briefingTitle: 'Mexico - U.S. high-level security talks',
        sectionTitle: 'Peru cabinet reshuffle',
        replies: 2,
        participants: 1,
        link: permalinkOf(CHANNEL, a.sectionTs[1]!),
      },
    ]);
  });

  it('is empty on a day without briefings, still knowing the last receipt', async () => {
    const { store } = await newsroom();
    const model = collectDigest(store, '2021-10-08', 'America/New_York');
    expect(model.briefings).toEqual([]);
    expect(model.countries).toEqual([]);
    expect(model.lastReceivedAt).toBe('2021-10-07T17:20:13.000Z');
  });
});
