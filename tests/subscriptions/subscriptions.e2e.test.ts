/**
 * Desks, follows and "Previously" end to end: the real bot (Bolt's HTTP receiver, signature checks,
 * the real deliverer) against the Slack stand-in, driven by signed slash commands and mentions, with
 * briefings arriving through the real ingest path or the store plus the deliverer.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Section } from '../../src/briefing/types.js';
import type { WorkspaceUser } from '../../src/local/workspace.js';
import { openMemoryStore } from '../../src/store/index.js';
import type { Store, StoredBriefing } from '../../src/store/types.js';
import { addBriefing, briefing, prose } from '../query/archive.js';
import {
  type Harness,
  loggedErrors,
  SIGNING_SECRET,
  startHarness,
  textOf,
} from '../slack/commands/harness.js';
import { visibleText } from '../slack/events/harness.js';
import { until } from '../support/bot.js';
import { ingestSeed } from '../support/seed.js';

const NOW = new Date('2021-10-12T15:00:00Z');

let harness: Harness | null = null;
afterEach(async () => {
  await harness?.close();
  harness = null;
  expect(loggedErrors.splice(0)).toEqual([]);
});

function person(id: string, name: string): WorkspaceUser {
  return { id, name, realName: name, isBot: false, tz: 'America/New_York' };
}

async function start(env: Record<string, string> = {}): Promise<{ h: Harness; store: Store }> {
  const store = await openMemoryStore({ now: () => NOW });
  harness = await startHarness(store, NOW, env);
  return { h: harness, store };
}

/** Stores a briefing as ingest would (nothing posted yet) and waits for its delivery to finish. */
async function deliver(
  h: Harness,
  store: Store,
  input: ReturnType<typeof briefing>,
): Promise<StoredBriefing> {
  const stored = await addBriefing(store, input, { posted: false });
  h.bot.services.deliverer.kick(stored.id);
  await h.bot.services.deliverer.idle();
  expect((await store.getDelivery(stored.id))?.state).toBe('posted');
  return stored;
}

/** Link targets in block order, whether in mrkdwn (`<url|text>`) or rich text (`link` elements). */
const linksIn = (message: { blocks?: unknown[] }) =>
  [
    ...JSON.stringify(message.blocks).matchAll(/<(https?:[^|>]+)\||"type":"link","url":"(https?:[^"]+)"/g),
  ].map((m) => (m[1] ?? m[2]!).replace(/&amp;/g, '&'));

describe('desks', () => {
  it('/desk add, list and remove; each desk gets one post per briefing listing its sections, linked to their posts', {
    timeout: 60_000,
  }, async () => {
    const { h, store } = await start({ DESKS: 'caribbean: Haiti, Cuba' });
    h.standIn.addChannel({ name: 'andes' });
    h.standIn.addChannel({ name: 'caribbean' });
    h.standIn.addChannel({ name: 'secret', isPrivate: true });

    const added = await h.command('/desk', 'add #andes Peru and Bolivia');
    expect(textOf(added.answer)).toContain('<#CANDES000> is now a desk for 🇵🇪 Peru, 🇧🇴 Bolivia');
    // The bot joined the public channel itself, as it does BRIEFING_CHANNEL.
    expect(h.standIn.channel('andes')?.members.has('U_BOT')).toBe(true);
    const secret = await h.command('/desk', 'add #secret Haiti');
    expect(textOf(secret.answer)).toMatch(
      /I cannot post in #secret \(channel_not_found.*\/invite @briefing-bot/s,
    );
    const typo = await h.command('/desk', 'add #andes Ecuador Narnia');
    expect(textOf(typo.answer)).toContain('No country is named “Narnia”. Nothing was changed.');

    const listed = textOf((await h.command('/desk', 'list')).answer);
    expect(listed).toContain('• #caribbean: 🇭🇹 Haiti, 🇨🇺 Cuba _(DESKS)_');
    expect(listed).toContain('• <#CANDES000>: 🇵🇪 Peru, 🇧🇴 Bolivia _(added by <@U_LOCAL>)_');

    const { briefing: seed, posts } = await ingestSeed(h.bot);
    const link = (key: string) => posts.find((post) => post.key === key)!.permalink;
    const andes = h.standIn.messages('andes');
    expect(andes).toHaveLength(1);
    // Peru cabinet reshuffle (s1). The Puerto Rico briefs only mention Peru ("as happened in Peru").
    expect(linksIn(andes[0]!)).toEqual([link('card'), link('s1')]);
    expect(visibleText(andes[0]!)).toContain('1 section about 🇵🇪 Peru');
    const caribbean = h.standIn.messages('caribbean');
    expect(caribbean).toHaveLength(1);
    // Haiti's briefs (s2) and the Afro-Cuban brief (s4); the CNN article only mentions Haitians (s5).
    expect(linksIn(caribbean[0]!)).toEqual([link('card'), link('s2'), link('s4')]);
    expect(h.standIn.messages('secret')).toHaveLength(0);
    expect((await store.getDelivery(seed.id))?.posts.map((post) => post.key)).toEqual(
      expect.arrayContaining(['desk:candes000', 'desk:caribbean']),
    );

    // The same briefing again is a duplicate: no second desk post.
    await ingestSeed(h.bot).catch(() => {});
    await h.bot.services.deliverer.idle();
    expect(h.standIn.messages('andes')).toHaveLength(1);

    // A briefing with nothing about a desk's countries posts nothing there.
    await deliver(h, store, briefing('Brazil only', '2021-10-08', [prose('Brazil', ['BR'], 'Lula spoke.')]));
    expect(h.standIn.messages('andes')).toHaveLength(1);

    const removed = await h.command('/desk', 'remove #andes Bolivia');
    expect(textOf(removed.answer)).toContain('<#CANDES000> is now a desk for 🇵🇪 Peru.');
    expect(textOf((await h.command('/desk', 'remove #andes')).answer)).toContain(
      '<#CANDES000> is no longer a desk.',
    );
    expect(textOf((await h.command('/desk', 'remove #caribbean')).answer)).toContain(
      'is a desk set in DESKS (the bot’s environment): change it there.',
    );
    expect(await store.listDesks()).toEqual([]);
  });

  it('a private desk the bot was not invited to fails the delivery with the desk named; a retry after the invite posts only the desk post', {
    timeout: 60_000,
  }, async () => {
    const { h, store } = await start({ DESKS: 'secret: Peru' });
    const secret = h.standIn.addChannel({ name: 'secret', isPrivate: true });
    const stored = await addBriefing(
      store,
      briefing('Peru <!channel> & co', '2021-10-12', [prose('Peru <@U123>', ['PE'], 'Castillo spoke.')]),
      { posted: false },
    );
    h.bot.services.deliverer.kick(stored.id);
    await h.bot.services.deliverer.idle();
    expect(await store.getDelivery(stored.id)).toMatchObject({ state: 'failed' });
    expect((await store.getDelivery(stored.id))?.lastError).toMatch(/^desk secret: channel_not_found/);
    // BRIEFING_CHANNEL itself is fine.
    expect(h.bot.services.deliverer.channelStatus()).toBe('ok');
    expect(loggedErrors.splice(0).map(String)).toEqual([
      expect.stringContaining('failed: desk secret: channel_not_found'),
    ]);
    const before = h.standIn.calls('chat.postMessage').filter((call) => call.ok).length;

    secret.members.add('U_BOT');
    await h.bot.services.deliverer.retry(stored.id);
    expect((await store.getDelivery(stored.id))?.state).toBe('posted');
    expect(h.standIn.calls('chat.postMessage').filter((call) => call.ok).length).toBe(before + 1);
    const [post] = h.standIn.messages('secret');
    // Email text is shown as typed, in rich text: no ping, no user mention, no entity.
    expect(post?.text).not.toContain('<!channel>');
    expect(JSON.stringify(post?.blocks)).not.toMatch(/<!channel>|<@U123>/);
    expect(visibleText(post!)).toContain('Peru ‹!channel› & co');
    expect(visibleText(post!)).toContain('Peru ‹@U123›');
  });
});

describe('follows', () => {
  it('one direct message per briefing about a followed country; passing mentions do not count; a user who left is muted', {
    timeout: 60_000,
  }, async () => {
    const { h, store } = await start();
    for (const [id, name] of [
      ['U_REPORTER', 'reporter'],
      ['U_OTHER', 'other'],
      ['U_CHILE', 'chile.watcher'],
    ] as const) {
      h.standIn.workspace.addUser(person(id, name));
    }
    const followed = await h.command('/country', 'follow Peru', { user: 'U_REPORTER' });
    expect(textOf(followed.answer)).toContain('You now follow 🇵🇪 *Peru*');
    await h.command('/country', 'follow haiti', { user: 'U_REPORTER' });
    expect(textOf((await h.command('/country', 'follow Peru', { user: 'U_REPORTER' })).answer)).toContain(
      'You already follow',
    );
    expect(textOf((await h.command('/country', 'following', { user: 'U_REPORTER' })).answer)).toContain(
      'You follow 🇵🇪 Peru, 🇭🇹 Haiti.',
    );
    await h.command('/country', 'follow Mexico', { user: 'U_OTHER' });
    expect(textOf((await h.command('/country', 'unfollow Mexico', { user: 'U_OTHER' })).answer)).toContain(
      'You no longer follow 🇲🇽 *Mexico*.',
    );
    expect(textOf((await h.command('/country', 'follow Narnia', { user: 'U_OTHER' })).answer)).toContain(
      'No country matches “Narnia”',
    );
    await h.command('/country', 'follow Chile', { user: 'U_CHILE' });
    // The search itself still works beside the new words.
    expect(textOf((await h.command('/country', 'Peru')).answer)).toContain('Peru');

    const { posts } = await ingestSeed(h.bot);
    const link = (key: string) => posts.find((post) => post.key === key)!.permalink;
    const dm = h.standIn.channel('dm-reporter');
    expect(dm?.id).toMatch(/^D/);
    const notices = h.standIn.messages(dm!.id);
    // Peru (s1) and Haiti (s2) in one message, not one per section; the passing mentions (s4, s5) do not count.
    expect(notices).toHaveLength(1);
    expect(linksIn(notices[0]!)).toEqual([link('card'), link('s1'), link('s2')]);
    expect(visibleText(notices[0]!)).toContain('New about 🇵🇪 Peru, 🇭🇹 Haiti in');
    expect(h.standIn.channel('dm-other')).toBeUndefined();

    // Chile only in passing (the parse contract's `mentions`): no notice.
    const chileInPassing = prose('Peru and the region', ['PE'], 'Castillo met Boric of Chile.');
    (chileInPassing as Section & { mentions: string[] }).mentions = ['CL'];
    await deliver(h, store, briefing('Andes', '2021-10-12', [chileInPassing]));
    expect(h.standIn.channel('dm-chile.watcher')).toBeUndefined();
    expect(h.standIn.messages(dm!.id)).toHaveLength(2);

    // The reporter leaves: the next briefing is delivered, nothing is sent, the follows are muted.
    h.standIn.workspace.deactivateUser('U_REPORTER');
    await deliver(h, store, briefing('More Peru', '2021-10-13', [prose('Peru', ['PE'], 'Congress met.')]));
    expect(h.standIn.messages(dm!.id)).toHaveLength(2);
    expect(await store.mutedFollower('U_REPORTER')).toMatchObject({
      reason: expect.stringContaining('user_disabled'),
    });
    expect(await store.followersOf(['PE'])).toEqual(new Map());
    expect(textOf((await h.command('/country', 'following', { user: 'U_REPORTER' })).answer)).toContain(
      'paused',
    );
  });
});

describe('previously', () => {
  it('ends each section post with the last earlier story about its main country, within PREVIOUSLY_DAYS; `more previously` pages back', {
    timeout: 60_000,
  }, async () => {
    const { h, store } = await start();
    // Twelve September stories about Peru, then the seed on Oct 7.
    for (let day = 1; day <= 12; day++) {
      const date = `2021-09-${String(day).padStart(2, '0')}`;
      await addBriefing(
        store,
        briefing(`Sept ${day}`, date, [prose(`Peru story ${day}`, ['PE'], `Peru on ${date}.`)]),
      );
    }
    const { posts: seedPosts } = await ingestSeed(h.bot);
    const seedLink = (key: string) => seedPosts.find((post) => post.key === key)!.permalink!;

    const oct12 = await deliver(
      h,
      store,
      briefing('Oct 12', '2021-10-12', [
        prose('Lima protests', ['PE'], 'Protesters marched in Lima.'),
        prose('Nowhere', [], 'No country here.'),
      ]),
    );
    const posted = (await store.getDelivery(oct12.id))!.posts;
    const card = posted.find((post) => post.key === 'card')!;
    const thread = h.standIn.thread('briefings', card.ts);
    const limaPost = thread.find((m) => m.ts === posted.find((post) => post.key === 's0')!.ts)!;
    const lastBlock = JSON.stringify(limaPost.blocks?.at(-1)).replace(/&amp;/g, '&');
    // The seed's Peru story is the cabinet reshuffle (s1); the Puerto Rico brief only mentions Peru.
    expect(lastBlock).toContain('Previously on 🇵🇪 Peru · Oct 7 · ');
    expect(lastBlock).toContain(seedLink('s1'));
    const nowherePost = thread.find((m) => m.ts === posted.find((post) => post.key === 's1')!.ts)!;
    expect(JSON.stringify(nowherePost.blocks)).not.toContain('Previously');

    // Past the 30-day window there is no line.
    const dec = await deliver(
      h,
      store,
      briefing('Dec', '2021-12-20', [prose('Peru in December', ['PE'], 'Quiet.')]),
    );
    const decPost = (await store.getDelivery(dec.id))!.posts.find((post) => post.key === 's0')!;
    const decMessage = h.standIn.thread('briefings', decPost.threadTs!).find((m) => m.ts === decPost.ts)!;
    expect(JSON.stringify(decMessage.blocks)).not.toContain('Previously');

    // In the Oct 12 thread: the stories before it, ten at a time, and the mention for the next page.
    const ask = async (text: string) => {
      const before = h.standIn.thread('briefings', card.ts).length;
      await h.standIn.userSays(h.boltUrl, SIGNING_SECRET, { channel: 'briefings', thread_ts: card.ts, text });
      await until(() => h.standIn.thread('briefings', card.ts).length > before + 1, 'the answer', 10_000);
      return visibleText(h.standIn.thread('briefings', card.ts).at(-1)!);
    };
    const first = await ask('<@U_BOT> previously lima');
    // Twelve September stories and the seed's one (the cabinet reshuffle).
    expect(first).toContain('Previously on 🇵🇪 Peru*: 1–10 of 13, newest first');
    expect(first).toContain('Further back: `@briefing-bot more previously 1 page 2`');
    const second = await ask('<@U_BOT> more previously 1 page 2');
    expect(second).toContain('11–13 of 13');
    expect(second).toContain('Peru story 1');
    expect(second).toContain('That is the first story about it in the archive.');
  });
});
