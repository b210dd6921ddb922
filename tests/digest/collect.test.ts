import { describe, expect, it } from 'vitest';
import { collectDigest } from '../../src/digest/collect.js';
import { openMemoryStore } from '../../src/store/index.js';
import { cardThread, permalinkOf, postBriefing } from '../slack/events/posted-briefing.js';
import { seedBriefing } from '../slack/events/seed-briefing.js';

const CHANNEL = 'C0BRIEFING';
/** Digests asked for long after their day (no digest recorded): each window is the whole local day. */
const LATER = new Date('2030-01-01T00:00:00Z');

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
    const model = await collectDigest(store, '2021-10-07', 'America/New_York', LATER);
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
    const model = await collectDigest(store, '2021-10-07', 'America/New_York', LATER);
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

  it('counts only what stories are about, never what they mention', async () => {
    const store = await openMemoryStore({ now: () => new Date('2021-10-07T21:00:00Z') });
    const briefing = seedBriefing();
    // The Peru story compares with Chile and Bolivia; a brief mentions Haiti in passing.
    briefing.sections[1] = { ...briefing.sections[1]!, mentions: ['CL', 'BO'] };
    const briefs = briefing.sections[2]!;
    briefing.sections[2] = {
      ...briefs,
      items: briefs.items.map((item, index) => (index === 1 ? { ...item, mentions: ['CL'] } : item)),
    };
    await postBriefing(store, briefing, {
      channel: CHANNEL,
      date: '2021-10-07',
      receivedAt: '2021-10-07T17:20:13.000Z',
      baseTs: 1633627213,
    });
    const model = await collectDigest(store, '2021-10-07', 'America/New_York', LATER);
    const codes = model.countries.map((c) => c.code);
    expect(codes).toContain('PE');
    expect(codes).not.toContain('CL');
    expect(codes).not.toContain('BO');
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

    const model = await collectDigest(store, '2021-10-07', 'America/New_York', LATER);
    expect(model.threads).toEqual([
      {
        briefingTitle: 'Mexico - U.S. high-level security talks',
        sectionTitle: 'Mexico - U.S. high-level security talks',
        datedOn: null,
        replies: 2,
        participants: 2,
        link: permalinkOf(CHANNEL, a.sectionTs[0]!),
      },
      {
        briefingTitle: 'Mexico - U.S. high-level security talks',
        sectionTitle: 'Peru cabinet reshuffle',
        datedOn: null,
        replies: 2,
        participants: 1,
        link: permalinkOf(CHANNEL, a.sectionTs[1]!),
      },
    ]);
  });

  it('is empty on a day without briefings, still knowing the last receipt', async () => {
    const { store } = await newsroom();
    const model = await collectDigest(store, '2021-10-08', 'America/New_York', LATER);
    expect(model.briefings).toEqual([]);
    expect(model.countries).toEqual([]);
    expect(model.lastReceivedAt).toBe('2021-10-07T17:20:13.000Z');
  });

  it('adds the briefings received that day but dated earlier, marked, and counts each briefing once', async () => {
    const { store, today } = await newsroom();
    // Wednesday's briefing forwarded Thursday morning (New York): after Wednesday's digest.
    const wednesday = seedBriefing();
    wednesday.subject = 'Venezuela (Oct. 6, 2021)';
    wednesday.title = 'Venezuela talks';
    wednesday.sections = [wednesday.sections[3]!];
    const late = await postBriefing(store, wednesday, {
      channel: CHANNEL,
      date: '2021-10-06',
      receivedAt: '2021-10-07T13:30:00.000Z',
      baseTs: 1633613400,
    });
    // Tuesday's, forwarded at 23:30 Thursday New York time: already Friday in UTC, still Thursday here.
    const tuesday = seedBriefing();
    tuesday.subject = 'Peru (Oct. 5, 2021)';
    tuesday.title = 'Peru again';
    tuesday.sections = [tuesday.sections[1]!];
    await postBriefing(store, tuesday, {
      channel: CHANNEL,
      date: '2021-10-05',
      receivedAt: '2021-10-08T03:30:00.000Z',
      baseTs: 1633663800,
    });
    // Friday's, received Thursday evening: Friday's digest has it, Thursday's does not.
    const friday = seedBriefing();
    friday.subject = 'Friday (Oct. 8, 2021)';
    friday.title = 'Friday early';
    await postBriefing(store, friday, {
      channel: CHANNEL,
      date: '2021-10-08',
      receivedAt: '2021-10-07T23:00:00.000Z',
      baseTs: 1633647600,
    });

    const model = await collectDigest(store, '2021-10-07', 'America/New_York', LATER);
    expect(model.briefings.map((b) => [b.title, b.datedOn])).toEqual([
      ['Mexico - U.S. high-level security talks', null],
      ['Venezuela talks', '2021-10-06'],
      ['Peru again', '2021-10-05'],
    ]);
    expect(model.briefings[1]).toMatchObject({
      link: permalinkOf(CHANNEL, late.cardTs),
      sections: [
        {
          number: 1,
          title: 'Regional Relations',
          link: permalinkOf(CHANNEL, late.sectionTs[0]!, late.cardTs),
        },
      ],
    });
    // Today's own briefing plus the late ones' stories (Regional Relations: CO+VE; Peru: PE), each once.
    // The late briefings are filed within the previous week but do not make their own countries old.
    expect(model.countries.map((c) => [c.code, c.stories, c.newThisWeek])).toEqual([
      ['CO', 2, true],
      ['PE', 2, true],
      ['US', 2, false],
      ['VE', 2, true],
      ['BR', 1, true],
      ['HT', 1, true],
      ['MX', 1, false],
    ]);
    expect(model.lastReceivedAt).toBe('2021-10-08T03:30:00.000Z');
    expect(today.stored.date).toBe('2021-10-07');

    // Friday's digest: Friday's briefing (filed), nothing received late that day.
    expect(
      (await collectDigest(store, '2021-10-08', 'America/New_York', LATER)).briefings.map((b) => [
        b.title,
        b.datedOn,
      ]),
    ).toEqual([['Friday early', null]]);
    // Wednesday's digest is unchanged: the late one was filed there, so a digest asked for again shows it.
    expect(
      (await collectDigest(store, '2021-10-06', 'America/New_York', LATER)).briefings.map((b) => [
        b.title,
        b.datedOn,
      ]),
    ).toEqual([['Venezuela talks', null]]);
  });

  it('counts the day’s replies in the threads of older briefings, and only the day’s', async () => {
    const store = await openMemoryStore({ now: () => new Date('2021-10-07T21:00:00Z') });
    const monday = seedBriefing();
    monday.subject = 'Mexico arms (Oct. 4, 2021)';
    monday.title = 'Mexico arms';
    const old = await postBriefing(store, monday, {
      channel: CHANNEL,
      date: '2021-10-04',
      receivedAt: '2021-10-04T16:00:00.000Z',
      baseTs: 1633363200,
    });
    const today = await postBriefing(store, seedBriefing(), {
      channel: CHANNEL,
      date: '2021-10-07',
      receivedAt: '2021-10-07T17:20:13.000Z',
      baseTs: 1633627213,
    });
    const card = (posted: typeof old) => cardThread(posted, CHANNEL);
    const reply = (posted: typeof old, iso: string, user: string) =>
      store.recordReply(card(posted), `${Date.parse(iso) / 1000}.000300`, user, iso);
    // Monday's thread: busy on Monday, and three replies from two people on Thursday.
    await reply(old, '2021-10-04T17:00:00.000Z', 'U1');
    await reply(old, '2021-10-04T17:01:00.000Z', 'U2');
    await reply(old, '2021-10-04T17:02:00.000Z', 'U3');
    await reply(old, '2021-10-04T17:03:00.000Z', 'U4');
    await reply(old, '2021-10-07T14:00:00.000Z', 'U1');
    await reply(old, '2021-10-07T14:05:00.000Z', 'U5');
    await reply(old, '2021-10-08T03:59:00.000Z', 'U5'); // 23:59 Thursday in New York
    // Today's thread: two replies on Thursday, one after New York midnight (Friday's).
    await reply(today, '2021-10-07T18:00:00.000Z', 'U2');
    await reply(today, '2021-10-07T18:10:00.000Z', 'U3');
    await reply(today, '2021-10-08T04:00:00.000Z', 'U4');

    const model = await collectDigest(store, '2021-10-07', 'America/New_York', LATER);
    expect(model.threads).toEqual([
      {
        briefingTitle: 'Mexico arms',
        sectionTitle: null,
        datedOn: '2021-10-04',
        replies: 3,
        participants: 2,
        link: permalinkOf(CHANNEL, old.cardTs),
      },
      {
        briefingTitle: 'Mexico - U.S. high-level security talks',
        sectionTitle: null,
        datedOn: null,
        replies: 2,
        participants: 2,
        link: permalinkOf(CHANNEL, today.cardTs),
      },
    ]);
    // Monday's old discussion is not Thursday's, and Monday's briefing is not listed again.
    expect(model.briefings.map((b) => b.title)).toEqual(['Mexico - U.S. high-level security talks']);
    expect((await collectDigest(store, '2021-10-08', 'America/New_York', LATER)).threads).toEqual([
      expect.objectContaining({
        briefingTitle: 'Mexico - U.S. high-level security talks',
        replies: 1,
        participants: 1,
      }),
    ]);
    expect((await collectDigest(store, '2021-10-04', 'America/New_York', LATER)).threads).toEqual([
      expect.objectContaining({ briefingTitle: 'Mexico arms', datedOn: null, replies: 4, participants: 4 }),
    ]);
  });

  it('takes the day from midnight to midnight in New York on the 25-hour fall-back day and the 23-hour spring-forward day', async () => {
    const store = await openMemoryStore({ now: () => new Date('2021-11-08T12:00:00Z') });
    const add = async (subject: string, date: string, receivedAt: string, baseTs: number) => {
      const briefing = seedBriefing();
      briefing.subject = subject;
      briefing.title = subject;
      return postBriefing(store, briefing, { channel: CHANNEL, date, receivedAt, baseTs });
    };
    // Sun Nov 7, 2021: EDT until 2:00, then EST; the day runs 04:00Z Nov 7 → 05:00Z Nov 8.
    await add('Before Sunday', '2021-11-05', '2021-11-07T03:59:59.000Z', 1636257599);
    const first = await add('First hour', '2021-11-05', '2021-11-07T04:00:00.000Z', 1636257600);
    await add('Last hour', '2021-11-06', '2021-11-08T04:59:59.000Z', 1636347599);
    await add('Monday', '2021-11-06', '2021-11-08T05:00:00.000Z', 1636347600);
    const thread = cardThread(first, CHANNEL);
    // 01:30 happens twice on Nov 7: at 05:30Z (EDT) and 06:30Z (EST); both are Sunday.
    await store.recordReply(thread, '1636263000.000100', 'U1', '2021-11-07T05:30:00.000Z');
    await store.recordReply(thread, '1636266600.000100', 'U2', '2021-11-07T06:30:00.000Z');
    await store.recordReply(thread, '1636347599.000100', 'U3', '2021-11-08T04:59:59.000Z');
    await store.recordReply(thread, '1636347600.000100', 'U4', '2021-11-08T05:00:00.000Z');

    const sunday = await collectDigest(store, '2021-11-07', 'America/New_York', LATER);
    expect(sunday.briefings.map((b) => [b.title, b.datedOn])).toEqual([
      ['First hour', '2021-11-05'],
      ['Last hour', '2021-11-06'],
    ]);
    expect(sunday.threads).toEqual([
      expect.objectContaining({
        briefingTitle: 'First hour',
        datedOn: '2021-11-05',
        replies: 3,
        participants: 3,
      }),
    ]);
    const monday = await collectDigest(store, '2021-11-08', 'America/New_York', LATER);
    expect(monday.briefings.map((b) => [b.title, b.datedOn])).toEqual([['Monday', '2021-11-06']]);
    expect(monday.threads).toEqual([expect.objectContaining({ replies: 1, participants: 1 })]);

    // Sun Mar 14, 2021: 2:00 EST jumps to 3:00 EDT; the day runs 05:00Z Mar 14 → 04:00Z Mar 15.
    await add('Spring first', '2021-03-12', '2021-03-14T05:00:00.000Z', 1615698000);
    await add('Spring last', '2021-03-12', '2021-03-15T03:59:59.000Z', 1615780799);
    await add('Spring after', '2021-03-12', '2021-03-15T04:00:00.000Z', 1615780800);
    await add('Spring before', '2021-03-12', '2021-03-14T04:59:59.000Z', 1615697999);
    expect(
      (await collectDigest(store, '2021-03-14', 'America/New_York', LATER)).briefings.map((b) => b.title),
    ).toEqual(['Spring first', 'Spring last']);
  });
});
