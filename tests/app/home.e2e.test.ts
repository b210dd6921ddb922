/**
 * App Home end to end: signed `app_home_opened` events and block_actions from the Home tab reach the
 * real Bolt HTTP receiver; the bot publishes through the stand-in's views.publish, which checks the
 * view as Slack does (100 blocks); Retry retries a failed delivery through the CLI's path.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Block } from '../../src/local/block-limits.js';
import { NOT_ALLOWED, RETRYING } from '../../src/slack/home/index.js';
import { ACTION_RETRY_DELIVERY } from '../../src/slack/home/render.js';
import { until } from '../support/bot.js';
import { channelView, composeEml, type Harness, okPosts, postMail, startHarness } from './harness.js';

const SIGNING_SECRET = 'e2e-signing-secret';
let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

/** The view's strings by how Slack reads them: mrkdwn objects are parsed, plain_text and rich text are not. */
function viewStrings(blocks: Block[]): { mrkdwn: string[]; literal: string[]; links: string[] } {
  const mrkdwn: string[] = [];
  const literal: string[] = [];
  const links: string[] = [];
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(walk);
    else if (value && typeof value === 'object') {
      const r = value as Record<string, unknown>;
      if (r.type === 'mrkdwn' && typeof r.text === 'string') mrkdwn.push(r.text);
      else if ((r.type === 'plain_text' || r.type === 'text') && typeof r.text === 'string')
        literal.push(r.text);
      else if (r.type === 'link' && typeof r.url === 'string') links.push(r.url);
      else Object.values(r).forEach(walk);
    }
  };
  walk(blocks);
  return { mrkdwn, literal, links };
}

async function openHome(h: Harness, user: string) {
  const before = h.standIn.callCount('views.publish');
  const reply = await h.standIn.openHome(`${h.url}/slack/events`, SIGNING_SECRET, { user });
  expect(reply.status).toBe(200);
  await until(() => h.standIn.callCount('views.publish') > before, 'views.publish', 10_000);
  return h.standIn.calls('views.publish').at(-1)!;
}

async function pressRetry(h: Harness, user: string, id: string) {
  const before = h.standIn.callCount('views.publish');
  const reply = await h.standIn.clickHomeButton(`${h.url}/slack/events`, SIGNING_SECRET, {
    user,
    actionId: ACTION_RETRY_DELIVERY,
    value: id,
  });
  expect(reply.status).toBe(200);
  // The tab says "Retrying…" at once, then the outcome.
  const notice = () => viewStrings(h.standIn.homeView(user)?.blocks ?? []).mrkdwn[0] ?? '';
  await until(
    () => h.standIn.callCount('views.publish') > before && !notice().startsWith(RETRYING),
    'views.publish after Retry',
    10_000,
  );
  return h.standIn.homeView(user)!;
}

const HOSTILE_SUBJECT = 'Fwd: <!channel> *Everyone* read <https://evil.example|nytimes.com> now';

describe('App Home', () => {
  it('publishes the latest briefings, the failed delivery with Retry, the settings and how to forward', async () => {
    harness = await startHarness({
      ADMIN_USERS: 'U_DESKCHIEF',
      SMTP_RECIPIENTS: 'briefings@inbound.example.org',
    });
    const h = harness;
    h.standIn.workspace.addUser({
      id: 'U_REPORTER',
      name: 'reporter',
      realName: 'A Reporter',
      isBot: false,
      tz: 'UTC',
    });

    const first = await postMail(h.url, new Uint8Array(await composeEml()), 'message/rfc822');
    await h.bot.services.deliverer.idle();
    const firstDelivery = await h.bot.services.store.getDelivery(String(first.json.id));
    expect(firstDelivery?.state).toBe('posted');
    const card = firstDelivery!.posts.find((p) => p.key === 'card')!;

    // The second briefing's card goes through, then the channel is gone: failed, with the reason.
    h.standIn.failAfter(1, 'channel_not_found');
    const second = await postMail(
      h.url,
      new Uint8Array(await composeEml({ subject: HOSTILE_SUBJECT, messageId: '<second@example.org>' })),
      'message/rfc822',
    );
    expect(second.status).toBe(202);
    await h.bot.services.deliverer.idle();
    const failedId = String(second.json.id);
    expect(await h.bot.services.store.getDelivery(failedId)).toMatchObject({
      state: 'failed',
      lastError: 'channel_not_found',
    });

    const call = await openHome(h, 'U_REPORTER');
    expect(call.ok).toBe(true);
    expect(call.args.user_id).toBe('U_REPORTER');
    const view = call.args.view as { type: string; blocks: Block[] };
    expect(view.type).toBe('home');
    expect(view.blocks.length).toBeLessThanOrEqual(100);
    const headers = view.blocks
      .filter((b) => b.type === 'header')
      .map((b) => (b.text as { text: string }).text);
    expect(headers).toEqual([
      'Latest briefings',
      'Deliveries waiting or failed',
      'Settings in force',
      'Forward mail to the bot',
    ]);

    const strings = viewStrings(view.blocks);
    const literal = strings.literal.join('\n');
    // The first briefing: publication, date, sections, and its thread's permalink.
    expect(literal).toContain('Latin America Daily Briefing');
    expect(literal).toContain('Thu, Oct 7, 2021');
    expect(literal).toMatch(/6 sections/);
    expect(strings.links).toContain(card.permalink);
    // The hostile subject is shown as typed, as literal text only, its brackets as look-alikes.
    expect(literal).toContain('‹!channel› *Everyone*');
    const mrkdwn = strings.mrkdwn.join('\n');
    expect(mrkdwn).not.toContain('Everyone');
    expect(mrkdwn).not.toMatch(/<!(channel|here|everyone)/);
    expect(strings.links.every((url) => !url.includes('evil.example'))).toBe(true);
    // The failed delivery has a button naming it; the posted one is not listed.
    const retry = view.blocks.find((b) => b.block_id === `delivery_${failedId}`);
    expect(retry?.accessory).toMatchObject({
      type: 'button',
      action_id: ACTION_RETRY_DELIVERY,
      value: failedId,
    });
    expect(retry?.text).toMatchObject({
      type: 'plain_text',
      text: expect.stringContaining('channel_not_found'),
    });
    expect(view.blocks.some((b) => b.block_id === `delivery_${first.json.id}`)).toBe(false);
    // Settings in force and the ways in.
    expect(mrkdwn).toContain('#briefings');
    expect(mrkdwn).toContain('#digest');
    expect(mrkdwn).toContain('17:00 (America/New_York)');
    expect(mrkdwn).toContain('anyone who has the webhook secret');
    expect(mrkdwn).toContain('Mail webhook: POST /mail/inbound');
    expect(mrkdwn).toContain('<@U_DESKCHIEF>');
    expect(mrkdwn).toContain('briefings@inbound.example.org');

    // A reporter may not retry: the tab says so, the delivery stays failed, nothing is posted.
    h.standIn.clearFaults();
    const postsBefore = okPosts(h.standIn).length;
    const refused = await pressRetry(h, 'U_REPORTER', failedId);
    expect(viewStrings(refused.blocks).mrkdwn[0]).toBe(NOT_ALLOWED);
    expect((await h.bot.services.store.getDelivery(failedId))?.state).toBe('failed');
    expect(okPosts(h.standIn).length).toBe(postsBefore);

    // The workspace's owner (users.info is_owner) retries: posted, once, in the card's thread.
    await openHome(h, 'U_LOCAL');
    const done = await pressRetry(h, 'U_LOCAL', failedId);
    const delivery = await h.bot.services.store.getDelivery(failedId);
    expect(delivery?.state).toBe('posted');
    expect(viewStrings(done.blocks).mrkdwn[0]).toBe(
      `:white_check_mark: Retried: delivery ${failedId}: posted, ${delivery!.posts.length} posts.`,
    );
    expect(done.blocks.some((b) => b.block_id === `delivery_${failedId}`)).toBe(false);
    const cards = h.standIn.messages('briefings');
    expect(cards).toHaveLength(2);
    expect(channelView(h.standIn)).toHaveLength(2 + 2 * 6);
  });

  it('lets a user in ADMIN_USERS retry without asking users.info', async () => {
    harness = await startHarness({ ADMIN_USERS: 'U_DESKCHIEF' });
    const h = harness;
    h.standIn.workspace.addUser({
      id: 'U_DESKCHIEF',
      name: 'chief',
      realName: 'Desk Chief',
      isBot: false,
      tz: 'UTC',
    });
    h.standIn.failNext(1, 'not_in_channel', 'chat.postMessage');
    const mail = await postMail(h.url, new Uint8Array(await composeEml()), 'message/rfc822');
    await h.bot.services.deliverer.idle();
    const id = String(mail.json.id);
    expect((await h.bot.services.store.getDelivery(id))?.state).toBe('failed');
    await openHome(h, 'U_DESKCHIEF');
    const lookups = h.standIn.callCount('users.info');
    const view = await pressRetry(h, 'U_DESKCHIEF', id);
    expect(h.standIn.callCount('users.info')).toBe(lookups);
    const notices = h.standIn
      .calls('views.publish')
      .slice(-2)
      .map((c) => viewStrings((c.args.view as { blocks: Block[] }).blocks).mrkdwn[0]);
    expect(notices[0]).toBe(`${RETRYING} ${id}…`);
    expect(viewStrings(view.blocks).mrkdwn[0]).toBe(
      `:white_check_mark: Retried: delivery ${id}: posted, 7 posts.`,
    );
    expect(h.standIn.messages('briefings')).toHaveLength(1);
    expect(channelView(h.standIn)).toHaveLength(7);
  });
});
