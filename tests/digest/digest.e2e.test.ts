/**
 * The digest through the real bot: createBot's scheduler catches up after a restart past DIGEST_TIME,
 * posts to DIGEST_CHANNEL in the Slack stand-in (which enforces Block Kit's limits), records the post,
 * and a further restart posts nothing.
 */
import { WebClient } from '@slack/web-api';
import { afterEach, expect, it } from 'vitest';
import type { Bot } from '../../src/app.js';
import { digestMark } from '../../src/digest/publish.js';
import { postMarker } from '../../src/posting/marker.js';
import {
  type EventsHarness,
  loggedErrors,
  SIGNING_SECRET,
  startBot,
  startEventsHarness,
  visibleText,
} from '../slack/events/harness.js';

let harness: EventsHarness | null = null;
let restarted: Bot | null = null;

afterEach(async () => {
  await restarted?.stop();
  restarted = null;
  await harness?.close();
  harness = null;
  expect(loggedErrors.splice(0)).toEqual([]);
});

it('posts the missed digest once after a restart past the digest time, then never again', async () => {
  let clock = new Date('2021-10-07T14:00:00Z'); // 10:00 EDT
  const now = () => clock;
  const h = await startEventsHarness({}, now);
  harness = h;
  const card = h.posts.find((post) => post.key === 'card')!;
  await h.standIn.userSays(h.boltUrl, SIGNING_SECRET, {
    channel: h.channel,
    text: 'Big day',
    thread_ts: card.ts,
  });
  h.standIn.workspace.addUser({
    id: 'U_ANA',
    name: 'ana',
    realName: 'Ana',
    isBot: false,
    tz: 'America/Lima',
  });
  await h.standIn.userSays(h.boltUrl, SIGNING_SECRET, {
    channel: h.channel,
    text: 'Indeed',
    thread_ts: card.ts,
    user: 'U_ANA',
  });
  await h.until(
    async () => Object.keys((await h.store.threadActivity(h.channel, card.ts))?.replies ?? {}).length === 2,
  );

  // The bot is down over 17:00 and comes back at 18:00 EDT.
  await h.bot.stop();
  clock = new Date('2021-10-07T22:00:00Z');
  const digests = () => h.standIn.workspace.messages('digest');
  expect(digests()).toEqual([]);
  restarted = (await startBot(h.config, h.store, now)).bot;
  // The record is written once Slack has answered, a moment after the message appears.
  await h.until(async () => digests().length === 1 && (await h.store.getDigest('2021-10-07')) !== undefined);

  const [digest] = digests();
  expect(await h.store.getDigest('2021-10-07')).toEqual({
    date: '2021-10-07',
    channel: digest!.channel,
    ts: digest!.ts,
    postedAt: '2021-10-07T22:00:00.000Z',
  });
  const text = visibleText(digest!);
  expect(text).toContain('Daily digest · Thu, Oct 7, 2021');
  expect(text).toContain(
    `*<${card.permalink!.replace(/&/g, '&amp;')}|Mexico - U.S. high-level security talks>*`,
  );
  expect(text).toContain('2. <');
  expect(text).toContain(
    '|Peru cabinet reshuffle> — Peruvian President Pedro Castillo named Mirtha Vásquez prime minister',
  );
  expect(text).toMatch(/\*Countries today\*\n.*🇲🇽 Mexico \d/);
  expect(text).toContain('Mexico - U.S. high-level security talks>: 2 replies from 2 people');
  expect(text).toContain(
    'Last briefing received <!date^1633615200^{date_short_pretty} at {time}|Oct 7, 2021 at 10:00 AM EDT>.',
  );
  expect(digest!.options).toMatchObject({ unfurl_links: false, unfurl_media: false });

  // Another restart the same evening: the digest is on record, nothing is posted.
  await restarted.stop();
  clock = new Date('2021-10-07T23:30:00Z');
  restarted = (await startBot(h.config, h.store, now)).bot;
  // stop() waits for the start-up catch-up to finish, so the count below is final.
  await restarted.stop();
  restarted = null;
  expect(digests()).toHaveLength(1);
});

it('adopts a digest the channel already shows but the store never recorded, instead of posting again', async () => {
  let clock = new Date('2021-10-07T14:00:00Z');
  const now = () => clock;
  const h = await startEventsHarness({}, now);
  harness = h;
  await h.bot.stop();
  // What a process that died between Slack's answer and the store's write leaves behind: the digest in
  // #digest, posted by the bot with its marker, and no record.
  const web = new WebClient(h.standIn.token, { slackApiUrl: h.config.slackApiUrl });
  const digestChannel = h.standIn.workspace.channel('digest')!.id;
  const earlier = await web.chat.postMessage({
    channel: digestChannel,
    text: 'Daily digest · Thu, Oct 7, 2021',
    blocks: [{ type: 'header', text: { type: 'plain_text', text: 'Daily digest · Thu, Oct 7, 2021' } }],
    metadata: postMarker(digestMark('2021-10-07')),
  });
  expect(await h.store.getDigest('2021-10-07')).toBeUndefined();

  clock = new Date('2021-10-07T22:00:00Z'); // 18:00 EDT: the catch-up runs at start
  restarted = (await startBot(h.config, h.store, now)).bot;
  await h.until(async () => (await h.store.getDigest('2021-10-07')) !== undefined);
  await restarted.stop();
  restarted = null;
  expect(h.standIn.workspace.messages('digest')).toHaveLength(1);
  expect(await h.store.getDigest('2021-10-07')).toMatchObject({ channel: digestChannel, ts: earlier.ts });
});
