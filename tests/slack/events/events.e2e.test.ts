/**
 * Thread discussion and mentions end to end: signed Events API callbacks from the Slack stand-in to the
 * real Bolt receiver of createBot, the real store, and the bot's answers read back from the stand-in.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { answerMention } from '../../../src/slack/events/mention-answer.js';
import { briefingThread } from '../../../src/slack/events/thread-of.js';
import {
  type EventsHarness,
  loggedErrors,
  SIGNING_SECRET,
  startEventsHarness,
  visibleText,
} from './harness.js';
import { permalinkOf, postBriefing } from './posted-briefing.js';
import { seedBriefing } from './seed-briefing.js';

let harness: EventsHarness | null = null;

afterEach(async () => {
  await harness?.close();
  harness = null;
  expect(loggedErrors.splice(0)).toEqual([]);
});

async function start(env: Record<string, string> = {}): Promise<EventsHarness> {
  harness = await startEventsHarness(env);
  harness.standIn.workspace.addUser({
    id: 'U_ANA',
    name: 'ana',
    realName: 'Ana Editor',
    isBot: false,
    tz: 'America/Lima',
  });
  return harness;
}

function cardTs(h: EventsHarness): string {
  return h.posts.find((post) => post.key === 'card')!.ts;
}

async function replyCount(h: EventsHarness, threadTs: string): Promise<number> {
  return Object.keys((await h.store.threadActivity(h.channel, threadTs))?.replies ?? {}).length;
}

/** A reply event as Slack sends it for a message the stand-in does not hold (edits, deletions, bots). */
function replyEvent(
  h: EventsHarness,
  threadTs: string,
  ts: string,
  user: string,
  extra: Record<string, unknown> = {},
) {
  return {
    type: 'message',
    channel: h.channel,
    channel_type: 'channel',
    user,
    text: 'x',
    ts,
    thread_ts: threadTs,
    event_ts: ts,
    ...extra,
  };
}

/** The bot's messages in a thread after the given ts. */
function botRepliesAfter(h: EventsHarness, threadTs: string, afterTs: string) {
  return h.thread(threadTs).filter((message) => message.bot_id && Number(message.ts) > Number(afterTs));
}

describe('thread discussion (THREAD_LAYOUT=briefing)', () => {
  it('counts replies and distinct participants in the briefing’s thread, ids only', async () => {
    const h = await start();
    const parent = cardTs(h);
    const said = [
      await h.standIn.userSays(h.boltUrl, SIGNING_SECRET, {
        channel: h.channel,
        text: 'Who covered the DEA angle?',
        thread_ts: parent,
      }),
      await h.standIn.userSays(h.boltUrl, SIGNING_SECRET, {
        channel: h.channel,
        text: 'Reuters did',
        thread_ts: parent,
        user: 'U_ANA',
      }),
      await h.standIn.userSays(h.boltUrl, SIGNING_SECRET, {
        channel: h.channel,
        text: 'thanks',
        thread_ts: parent,
      }),
    ];
    for (const { replies } of said) expect(replies.map((reply) => reply.status)).toEqual([200]);
    await h.until(async () => (await replyCount(h, parent)) === 3);

    const activity = (await h.store.threadActivity(h.channel, parent))!;
    expect(activity).toMatchObject({
      channel: h.channel,
      threadTs: parent,
      briefingId: h.briefing.id,
      sectionIndex: null,
    });
    expect(activity.replies).toEqual({
      [said[0]!.message.ts]: 'U_LOCAL',
      [said[1]!.message.ts]: 'U_ANA',
      [said[2]!.message.ts]: 'U_LOCAL',
    });
    expect(new Set(Object.values(activity.replies)).size).toBe(2);
    expect(activity.lastReplyAt).toBe(new Date(Math.floor(Number(said[2]!.message.ts) * 1000)).toISOString());
    expect(JSON.stringify(activity)).not.toContain('DEA');
    // The digest sees the same thread as the day's most discussed.
    expect((await h.store.threadsForDate('2021-10-07')).map((t) => Object.keys(t.replies).length)).toEqual([
      3,
    ]);
  });

  it('does not count chatter outside the bot’s threads', async () => {
    const h = await start();
    const top = await h.standIn.userSays(h.boltUrl, SIGNING_SECRET, { channel: h.channel, text: 'lunch?' });
    await h.standIn.userSays(h.boltUrl, SIGNING_SECRET, {
      channel: h.channel,
      text: 'yes',
      thread_ts: top.message.ts,
    });
    const parent = cardTs(h);
    await h.standIn.userSays(h.boltUrl, SIGNING_SECRET, {
      channel: h.channel,
      text: 'on topic',
      thread_ts: parent,
    });
    await h.until(async () => (await replyCount(h, parent)) === 1);
    expect(await h.store.threadActivity(h.channel, top.message.ts)).toBeUndefined();
  });

  it('counts a retried delivery (same event_id, X-Slack-Retry-Num) once', async () => {
    const h = await start();
    const parent = cardTs(h);
    const event = replyEvent(h, parent, '1795970000.000100', 'U_ANA');
    const first = await h.standIn.sendEvent(h.boltUrl, SIGNING_SECRET, event, { eventId: 'Ev0RETRY0001' });
    const retries = [
      await h.standIn.sendEvent(h.boltUrl, SIGNING_SECRET, event, { eventId: 'Ev0RETRY0001', retryNum: 1 }),
      await h.standIn.sendEvent(h.boltUrl, SIGNING_SECRET, event, {
        eventId: 'Ev0RETRY0001',
        retryNum: 2,
        retryReason: 'http_error',
      }),
    ];
    expect([first, ...retries].map((reply) => reply.status)).toEqual([200, 200, 200]);
    await h.until(async () => (await replyCount(h, parent)) === 1);
    // A second, distinct reply still counts: the dedupe is per event, not per thread.
    await h.standIn.sendEvent(h.boltUrl, SIGNING_SECRET, replyEvent(h, parent, '1795970001.000100', 'U_ANA'));
    await h.until(async () => (await replyCount(h, parent)) === 2);
    expect(Object.keys((await h.store.threadActivity(h.channel, parent))!.replies)).toEqual([
      '1795970000.000100',
      '1795970001.000100',
    ]);
  });

  it('keeps counts right through edits and deletions', async () => {
    const h = await start();
    const parent = cardTs(h);
    await h.standIn.sendEvent(h.boltUrl, SIGNING_SECRET, replyEvent(h, parent, '1795970000.000100', 'U_ANA'));
    await h.standIn.sendEvent(
      h.boltUrl,
      SIGNING_SECRET,
      replyEvent(h, parent, '1795970002.000100', 'U_LOCAL'),
    );
    await h.until(async () => (await replyCount(h, parent)) === 2);

    const edit = {
      type: 'message',
      subtype: 'message_changed',
      hidden: true,
      channel: h.channel,
      ts: '1795970009.000100',
      event_ts: '1795970009.000100',
      message: {
        type: 'message',
        user: 'U_ANA',
        text: 'edited',
        ts: '1795970000.000100',
        thread_ts: parent,
        edited: { user: 'U_ANA', ts: '1795970009.000000' },
      },
      previous_message: {
        type: 'message',
        user: 'U_ANA',
        text: 'first',
        ts: '1795970000.000100',
        thread_ts: parent,
      },
    };
    await h.standIn.sendEvent(h.boltUrl, SIGNING_SECRET, edit);
    const deletion = {
      type: 'message',
      subtype: 'message_deleted',
      hidden: true,
      channel: h.channel,
      ts: '1795970010.000100',
      event_ts: '1795970010.000100',
      deleted_ts: '1795970002.000100',
      previous_message: {
        type: 'message',
        user: 'U_LOCAL',
        text: 'gone',
        ts: '1795970002.000100',
        thread_ts: parent,
      },
    };
    await h.standIn.sendEvent(h.boltUrl, SIGNING_SECRET, deletion);
    await h.until(async () => (await replyCount(h, parent)) === 1);
    // The same deletion again (a new event id, as a second client might cause): nothing left to remove.
    await h.standIn.sendEvent(h.boltUrl, SIGNING_SECRET, deletion);
    await h.standIn.sendEvent(h.boltUrl, SIGNING_SECRET, replyEvent(h, parent, '1795970011.000100', 'U_ANA'));
    await h.until(async () => (await replyCount(h, parent)) === 2);
    expect((await h.store.threadActivity(h.channel, parent))!.replies).toEqual({
      '1795970000.000100': 'U_ANA',
      '1795970011.000100': 'U_ANA',
    });
  });

  it('never counts the bot’s own messages or another app’s', async () => {
    const h = await start();
    const parent = cardTs(h);
    await h.standIn.sendEvent(
      h.boltUrl,
      SIGNING_SECRET,
      replyEvent(h, parent, '1795970000.000100', 'U_BOT', { bot_id: 'B_BOT' }),
    );
    await h.standIn.sendEvent(h.boltUrl, SIGNING_SECRET, {
      ...replyEvent(h, parent, '1795970001.000100', 'U_OTHER'),
      subtype: 'bot_message',
      bot_id: 'B_OTHER',
    });
    // A person's reply afterwards proves the events above were processed, not merely slow.
    await h.standIn.sendEvent(h.boltUrl, SIGNING_SECRET, replyEvent(h, parent, '1795970002.000100', 'U_ANA'));
    await h.until(async () => (await replyCount(h, parent)) === 1);
    expect((await h.store.threadActivity(h.channel, parent))!.replies).toEqual({
      '1795970002.000100': 'U_ANA',
    });
  });
});

describe('mentions (THREAD_LAYOUT=briefing)', () => {
  async function ask(h: EventsHarness, text: string, threadTs?: string) {
    const said = await h.standIn.userSays(h.boltUrl, SIGNING_SECRET, {
      channel: h.channel,
      text: `<@U_BOT> ${text}`,
      ...(threadTs ? { thread_ts: threadTs } : {}),
    });
    expect(said.replies.map((reply) => [reply.type, reply.status])).toEqual([
      ['message', 200],
      ['app_mention', 200],
    ]);
    const where = threadTs ?? said.message.ts;
    // As many messages as the answer has (a long answer is several): wait for the last one.
    const expected = (
      await answerMention(h.store, said.message.text, await briefingThread(h.store, h.channel, threadTs))
    ).length;
    await h.until(() => botRepliesAfter(h, where, said.message.ts).length === expected);
    return botRepliesAfter(h, where, said.message.ts);
  }

  it('answers `sources peru` in the briefing’s thread with that section’s sources and links', async () => {
    const h = await start();
    const [answer, ...more] = await ask(h, 'sources peru', cardTs(h));
    expect(more).toEqual([]);
    expect(answer!.thread_ts).toBe(cardTs(h));
    const text = visibleText(answer!);
    expect(text).toContain('*2. Peru cabinet reshuffle*');
    expect(text).toMatch(/Sources: .*Reuters.*La República/);
    expect(text).not.toContain('Mexico - U.S.');
  });

  it('gives the sources of every section, grouped, when no section is named', async () => {
    const h = await start();
    const answers = await ask(h, 'sources', cardTs(h));
    const text = answers.map(visibleText).join('\n');
    expect(text).toContain('*1. Mexico - U.S. high-level security talks*');
    expect(text).toContain('*2. Peru cabinet reshuffle*');
    expect(text.indexOf('*1. ')).toBeLessThan(text.indexOf('*2. '));
  });

  it('posts the full text of a section for `more 2`', async () => {
    const h = await start();
    const answers = await ask(h, 'more 2', cardTs(h));
    const text = answers.map(visibleText).join('\n');
    expect(text).toContain('Peru cabinet reshuffle');
    expect(text).toContain("Vásquez's appointment is being seen as a concession to the moderate wing");
    expect(text).toContain('Deutsche Welle');
    expect(answers.every((answer) => answer.thread_ts === cardTs(h))).toBe(true);
  });

  it('finds earlier stories about a country named in the mention, with dates and links', async () => {
    const h = await start();
    const earlier = seedBriefing();
    earlier.subject = 'Haiti gangs (Sep. 30, 2021)';
    earlier.title = 'Haiti gangs';
    earlier.sections = [earlier.sections[2]!];
    const posted = await postBriefing(h.store, earlier, {
      channel: h.channel,
      date: '2021-09-30',
      receivedAt: '2021-09-30T15:00:00.000Z',
      baseTs: 1633014000,
    });
    const text = (await ask(h, 'what about haiti?', cardTs(h))).map(visibleText).join('\n');
    expect(text).toContain('🇭🇹 Haiti*: 1 earlier story');
    expect(text).toContain(
      `• Sep 30, 2021: <${permalinkOf(h.channel, posted.sectionTs[0]!, posted.cardTs)}|News Briefs>`,
    );
    expect(text).toContain("Haiti's political crisis");
  });

  it('shows what it can do for anything else, and a short help outside its threads', async () => {
    const h = await start();
    const help = (await ask(h, 'hello there', cardTs(h))).map(visibleText).join('\n');
    expect(help).toContain('`@briefing-bot more 2`');
    expect(help).toContain(
      '*Sections*\n1. Mexico - U.S. high-level security talks\n2. Peru cabinet reshuffle',
    );

    const outside = await ask(h, 'sources');
    expect(outside).toHaveLength(1);
    expect(visibleText(outside[0]!)).toContain('I answer questions in a briefing’s thread');
  });

  it('answers a retried mention once', async () => {
    const h = await start();
    const parent = cardTs(h);
    const before = h.thread(parent).at(-1)!.ts;
    const mention = {
      type: 'app_mention',
      channel: h.channel,
      user: 'U_ANA',
      text: '<@U_BOT> sources 1',
      ts: '1795970000.000100',
      event_ts: '1795970000.000100',
      thread_ts: parent,
    };
    await h.standIn.sendEvent(h.boltUrl, SIGNING_SECRET, mention, { eventId: 'Ev0MENTION01' });
    await h.standIn.sendEvent(h.boltUrl, SIGNING_SECRET, mention, { eventId: 'Ev0MENTION01', retryNum: 1 });
    await h.until(() => botRepliesAfter(h, parent, before).length > 0);
    // A different request afterwards: once it is answered, the retry has certainly been handled.
    await h.standIn.sendEvent(
      h.boltUrl,
      SIGNING_SECRET,
      { ...mention, text: '<@U_BOT> help' },
      { eventId: 'Ev0MENTION02' },
    );
    await h.until(() => botRepliesAfter(h, parent, before).length > 1);
    const answers = botRepliesAfter(h, parent, before).map(visibleText);
    expect(
      answers.filter((text) => text.includes('*1. Mexico - U.S. high-level security talks*')),
    ).toHaveLength(1);
  });
});

describe('THREAD_LAYOUT=sections', () => {
  it('counts replies per section thread and implies the section in mentions there', async () => {
    const h = await start({ THREAD_LAYOUT: 'sections' });
    const peru = h.posts.find((post) => post.key === 's1')!;
    expect(peru.threadTs).toBeNull();
    await h.standIn.userSays(h.boltUrl, SIGNING_SECRET, {
      channel: h.channel,
      text: 'Cerrón again',
      thread_ts: peru.ts,
      user: 'U_ANA',
    });
    await h.until(async () => (await replyCount(h, peru.ts)) === 1);
    expect(await h.store.threadActivity(h.channel, peru.ts)).toMatchObject({
      sectionIndex: 1,
      briefingId: h.briefing.id,
    });

    const said = await h.standIn.userSays(h.boltUrl, SIGNING_SECRET, {
      channel: h.channel,
      text: '<@U_BOT> sources',
      thread_ts: peru.ts,
    });
    await h.until(() => botRepliesAfter(h, peru.ts, said.message.ts).length > 0);
    const text = botRepliesAfter(h, peru.ts, said.message.ts).map(visibleText).join('\n');
    expect(text).toContain('*2. Peru cabinet reshuffle*');
    expect(text).not.toContain('*1. Mexico');
    // The mention is a reply too: two replies from two people.
    await h.until(async () => (await replyCount(h, peru.ts)) === 2);
  });
});
