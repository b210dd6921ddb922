/**
 * Issue 10.8 end to end: hostile emails through the real webhook of the real bot plan bounded posts
 * (folded past the bound, and the card says so), and the bot keeps answering — /healthz is answered
 * while a hostile email is still being parsed, because the parse runs in the worker thread.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { headedParagraphs, manyLinks } from '../../bench/hostile.js';
import { MAX_SECTIONS } from '../../src/briefing/parse.js';
import { MAX_POSTED_SECTIONS, MAX_POSTS } from '../../src/slack/render/index.js';
import { until } from '../support/bot.js';
import { channelView, type Harness, postMail, renderedStrings, startHarness } from './harness.js';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

describe('bounded work per email', () => {
  it('5,000 headed paragraphs: 1,000 sections kept, at most 60 posts, the sections past 40 folded', async () => {
    harness = await startHarness();
    const reply = await postMail(harness.url, new Uint8Array(await headedParagraphs()), 'message/rfc822');
    expect(reply.status).toBe(202);
    expect(reply.json.sections).toBe(MAX_SECTIONS);
    await harness.bot.services.deliverer.idle();
    const posts = channelView(harness.standIn);
    expect(posts.length).toBeLessThanOrEqual(MAX_POSTS);
    expect(posts.length).toBeGreaterThan(MAX_POSTED_SECTIONS);
    const card = renderedStrings(posts[0]!).plain.join('\n');
    expect(card).toContain(`${MAX_SECTIONS - MAX_POSTED_SECTIONS} more sections folded into`);
    // The first sections are posted as themselves; the folded ones show up in the fold posts.
    const fold = posts.slice(MAX_POSTED_SECTIONS + 1).flatMap((post) => renderedStrings(post).plain);
    expect(fold.join('\n')).toContain(`HEADING NUMBER ${MAX_POSTED_SECTIONS + 1}`);
    expect(harness.bot.services.parser?.parsed).toBe(1);
  });

  it('/healthz answers while an email of 100,000 links is parsed in the worker, then the email posts bounded', async () => {
    harness = await startHarness();
    const parser = harness.bot.services.parser!;
    const mail = postMail(harness.url, new Uint8Array(await manyLinks()), 'message/rfc822');
    let mailAnswered = false;
    void mail.then(() => {
      mailAnswered = true;
    });
    await until(async () => parser.busy, 'the email in the parse worker', 60_000);
    const health = await fetch(`${harness.url}/healthz`);
    // Answered while the parse is still running: nothing of it ran on the bot's thread.
    expect(health.status).toBe(200);
    expect(parser.busy).toBe(true);
    expect(mailAnswered).toBe(false);
    const reply = await mail;
    expect(reply.status).toBe(202);
    await harness.bot.services.deliverer.idle();
    expect(channelView(harness.standIn).length).toBeLessThanOrEqual(MAX_POSTS);
  }, 120_000);
});
