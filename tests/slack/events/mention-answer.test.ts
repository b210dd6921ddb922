import { describe, expect, it } from 'vitest';
import { answerMention } from '../../../src/slack/events/mention-answer.js';
import { briefingThread } from '../../../src/slack/events/thread-of.js';
import { openMemoryStore } from '../../../src/store/index.js';
import { postBriefing } from './posted-briefing.js';
import { seedBriefing } from './seed-briefing.js';

const CHANNEL = 'C0BRIEFING';

async function archive() {
  const store = await openMemoryStore({ now: () => new Date('2021-10-07T21:00:00Z') });
  const haiti = (date: string, baseTs: number) => {
    const briefing = seedBriefing();
    briefing.subject = `Haiti (${date})`;
    briefing.title = `Haiti ${date}`;
    briefing.sections = [seedBriefing().sections[2]!];
    return postBriefing(store, briefing, {
      channel: CHANNEL,
      date,
      receivedAt: `${date}T12:00:00.000Z`,
      baseTs,
    });
  };
  await haiti('2020-09-01', 1598961600); // more than a year before: out of reach
  await haiti('2021-09-20', 1632139200);
  const today = await postBriefing(store, seedBriefing(), {
    channel: CHANNEL,
    date: '2021-10-07',
    receivedAt: '2021-10-07T17:20:13.000Z',
    baseTs: 1633627213,
  });
  await haiti('2021-10-08', 1633694400); // after the briefing: not "earlier"
  return { store, today };
}

function allText(messages: { blocks: unknown[] }[]): string {
  return JSON.stringify(messages.flatMap((message) => message.blocks));
}

describe('briefingThread', () => {
  it('knows the card’s thread and a section’s thread, and nothing else', async () => {
    const { store, today } = await archive();
    expect(await briefingThread(store, CHANNEL, today.cardTs)).toMatchObject({
      threadTs: today.cardTs,
      sectionIndex: null,
      briefing: { id: today.stored.id },
    });
    // In the briefing layout a section post is itself a reply in the card's thread: never a parent.
    expect(await briefingThread(store, CHANNEL, today.sectionTs[1])).toBeNull();
    expect(await briefingThread(store, CHANNEL, '1633627299.000000')).toBeNull();
    expect(await briefingThread(store, 'C0OTHER', today.cardTs)).toBeNull();
    expect(await briefingThread(store, CHANNEL, undefined)).toBeNull();

    const sections = await postBriefing(
      store,
      { ...seedBriefing(), subject: 'Sections layout' },
      {
        channel: CHANNEL,
        date: '2021-10-07',
        receivedAt: '2021-10-07T18:00:00.000Z',
        baseTs: 1633629600,
        layout: 'sections',
      },
    );
    expect(await briefingThread(store, CHANNEL, sections.sectionTs[1])).toMatchObject({ sectionIndex: 1 });
  });
});

describe('answerMention', () => {
  it('looks up earlier stories only: within a year before the briefing’s date', async () => {
    const { store, today } = await archive();
    const thread = await briefingThread(store, CHANNEL, today.cardTs);
    const text = allText(await answerMention(store, '<@U0BOT> Haiti', thread));
    expect(text).toContain('1 earlier story');
    expect(text).toContain('Sep 20, 2021');
    expect(text).not.toContain('Oct 8, 2021');
    expect(text).not.toContain('Sep 1, 2020');
    expect(text).toContain('Stories from Oct 7, 2020 to Oct 6, 2021.');
  });

  // Issue 15: "@briefing-bot Venezuela all" said "no earlier stories" for the past year although older
  // stories existed; "all" must mean all.
  it('searches the whole archive when the mention says all, and points there from an empty year', async () => {
    const { store, today } = await archive();
    const thread = await briefingThread(store, CHANNEL, today.cardTs);
    for (const mention of [
      '<@U0BOT> Haiti all',
      '<@U0BOT> related haiti all time',
      '<@U0BOT> haiti, ever?',
    ]) {
      const text = allText(await answerMention(store, mention, thread));
      expect(text).toContain('2 earlier stories');
      expect(text).toContain('Sep 1, 2020');
      expect(text).toContain('Sep 20, 2021');
      expect(text).not.toContain('Oct 8, 2021');
      expect(text).toContain('Stories from the whole archive before Thu, Oct 7, 2021.');
    }
    // A briefing a year and more after the last Haiti story: the past year is empty, and says where to look.
    const later = await postBriefing(
      store,
      { ...seedBriefing(), subject: 'Much later' },
      {
        channel: CHANNEL,
        date: '2023-03-01',
        receivedAt: '2023-03-01T12:00:00.000Z',
        baseTs: 1677672000,
      },
    );
    const laterThread = await briefingThread(store, CHANNEL, later.cardTs);
    const empty = allText(await answerMention(store, '<@U0BOT> Haiti', laterThread));
    expect(empty).toContain('no stories in this period; the most recent earlier one is from Oct 8, 2021: ');
    expect(empty).toContain('{"type":"text","text":"@briefing-bot Haiti all","style":{"code":true}}');
    expect(allText(await answerMention(store, '<@U0BOT> Haiti all', laterThread))).toContain(
      '4 earlier stories',
    );
  });

  it('answers a section’s request with that section, by number or words', async () => {
    const { store, today } = await archive();
    const thread = await briefingThread(store, CHANNEL, today.cardTs);
    expect(allText(await answerMention(store, '<@U0BOT> sources 2', thread))).toEqual(
      allText(await answerMention(store, '<@U0BOT> sources peru', thread)),
    );
    expect(allText(await answerMention(store, '<@U0BOT> more regional', thread))).toContain(
      'Colombia deployed a new unit',
    );
  });

  it('gives the short help outside the bot’s threads', async () => {
    const { store } = await archive();
    expect(allText(await answerMention(store, '<@U0BOT> more 2', null))).toContain(
      'I answer questions in a briefing’s thread',
    );
  });
});
