/**
 * The local workspace in a real browser (Debian's chromium through playwright-core): the page a
 * developer sees after `npm start` without Slack tokens. Screenshots land in tests/artifacts/.
 *
 * Without /usr/bin/chromium the suite is skipped, and says so — except on CI (CI set), which installs
 * it (.ci/run): there a missing browser fails the run instead of passing it quietly.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { type LocalWorkspace, startLocalWorkspace } from '../../src/local/index.js';
import { LOCAL_API_HEADER, SAMPLE_EML } from '../../src/local/routes.js';
import { composeEml } from '../support/seed.js';

const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const ARTIFACTS = new URL('../artifacts/', import.meta.url);
/** Answers go through Bolt, the stand-in and the page's 1 s poll; a few seconds is plenty, 15 is safe on slow CI. */
const UI_TIMEOUT_MS = 15_000;
/** Ingesting posts a card and six sections at Slack's pace (about one a second): more than one UI wait. */
const DELIVERY_TEST_TIMEOUT_MS = 90_000;
const CHROMIUM_MISSING = !existsSync(CHROMIUM);
const SKIP = CHROMIUM_MISSING && !process.env.CI;
if (SKIP) {
  console.warn(
    `SKIPPED tests/browser: ${CHROMIUM} is missing (apt-get install -y chromium; .ci/run installs it). ` +
      'With CI set, a missing browser fails instead.',
  );
}

let dataDir: string;
let local: LocalWorkspace;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];
/** The browser console's errors: a failed request (a 404, a 500) or a script error shows up here. */
const consoleErrors: string[] = [];

async function setUp() {
  if (CHROMIUM_MISSING) {
    throw new Error(`${CHROMIUM} is missing: install Debian's chromium (apt-get install -y chromium).`);
  }
  dataDir = await mkdtemp(join(tmpdir(), 'briefing-local-'));
  const { config, problems } = loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'error' });
  expect(problems).toEqual([]);
  local = await startLocalWorkspace({ config: { ...config, port: 0 } });
  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  page.setDefaultTimeout(UI_TIMEOUT_MS);
  page.on('pageerror', (error) => pageErrors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(`${message.text()} ${message.location().url}`);
  });
  await mkdir(ARTIFACTS, { recursive: true });
}

async function tearDown() {
  await browser?.close();
  await local?.stop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
}

const messageRows = () => page.locator('#messages .message');

describe.skipIf(SKIP)('the local workspace page', () => {
  beforeAll(setUp);
  afterAll(tearDown);

  it('says it is not Slack and offers the sample while the store is empty', async () => {
    await page.goto(local.url);
    await expect
      .poll(() => page.locator('.notice').textContent(), { timeout: UI_TIMEOUT_MS })
      .toContain('not Slack');
    await page.locator('#ingest-sample').waitFor();
    expect(await page.locator('.channel-list a').allTextContents()).toEqual(['# briefings', '# digest']);
  });

  it('ingests the sample through the mail form and shows the card with its section posts', {
    timeout: DELIVERY_TEST_TIMEOUT_MS,
  }, async () => {
    await page.click('#open-mail');
    await page.setInputFiles('#mail-file', SAMPLE_EML.pathname);
    await page.click('#mail-send');
    await expect
      .poll(() => page.locator('#mail-result').textContent(), { timeout: UI_TIMEOUT_MS })
      .toMatch(/^Accepted: 6 sections/);
    await local.bot.services.deliverer.idle();

    const [card] = local.standIn.messages('briefings');
    expect(card?.reply_count).toBeGreaterThanOrEqual(6);
    const cardRow = page.locator(`.message[data-ts="${card?.ts}"]`);
    await cardRow.locator('.b-header', { hasText: 'Mexico - U.S. high-level security talks' }).waitFor();
    await cardRow.locator('.author', { hasText: 'briefing-bot' }).waitFor();
    // As in Slack: the day above the messages, the time beside the name (the full date on hover).
    expect(await page.locator('#messages .day-divider').first().textContent()).toMatch(/^(Today|Yesterday)$/);
    expect(await cardRow.locator('.time').textContent()).toMatch(/^\d{1,2}:\d{2}/);
    // Rich text styles became markup: the section index's titles are bold, and flags are emoji.
    await expect
      .poll(() => cardRow.locator('.b-rich strong').allTextContents(), { timeout: UI_TIMEOUT_MS })
      .toContain('Peru cabinet reshuffle');
    await expect.poll(() => cardRow.textContent(), { timeout: UI_TIMEOUT_MS }).toContain('🇵🇪');
    await cardRow.locator('.replies-link', { hasText: `${card?.reply_count} replies` }).waitFor();
    await expect.poll(() => page.locator('#ingest-sample').count(), { timeout: UI_TIMEOUT_MS }).toBe(0);
    await page.click('#mail-close');
    await page.screenshot({ path: new URL('local-channel.png', ARTIFACTS).pathname, fullPage: true });
  });

  it('opens the thread with one post per section', async () => {
    const [card] = local.standIn.messages('briefings');
    await page.locator(`.message[data-ts="${card?.ts}"] .replies-link`).click();
    const pane = page.locator('#thread-pane');
    await pane.locator('.b-header', { hasText: 'Peru cabinet reshuffle' }).waitFor();
    const headers = await pane.locator('.b-header').allTextContents();
    for (const title of [
      'Mexico - U.S. high-level security talks',
      'Peru cabinet reshuffle',
      'News Briefs',
      'Regional Relations',
    ]) {
      expect(
        headers.some((h) => h.startsWith(title)),
        title,
      ).toBe(true);
    }
    // Each section post ends with its context line: flags and sources.
    const peru = pane.locator('.message', {
      has: page.locator('.b-header', { hasText: 'Peru cabinet reshuffle' }),
    });
    await expect
      .poll(() => peru.locator('.b-context').textContent(), { timeout: UI_TIMEOUT_MS })
      .toContain('Sources: Reuters');
    // A thread opens at its top, the card, like a briefing is read (and the review screenshot shows).
    expect(await page.locator('#thread-messages').evaluate((node) => node.scrollTop)).toBe(0);
    await page.screenshot({ path: new URL('local-thread.png', ARTIFACTS).pathname, fullPage: true });
  });

  it('gives an open thread the whole width of a narrow (800px) window, and the channel back when wide', async () => {
    await page.setViewportSize({ width: 800, height: 900 });
    await expect.poll(() => page.locator('#messages').isVisible(), { timeout: UI_TIMEOUT_MS }).toBe(false);
    const pane = await page.locator('#thread-pane').boundingBox();
    expect(pane?.width).toBeGreaterThan(560);
    await page.screenshot({ path: new URL('local-narrow-thread.png', ARTIFACTS).pathname });
    await page.setViewportSize({ width: 1400, height: 900 });
    await expect.poll(() => page.locator('#messages').isVisible(), { timeout: UI_TIMEOUT_MS }).toBe(true);
  });

  it('runs /briefing 2021-10-07 from the message box and shows the private answer', async () => {
    const before = await page.locator('#messages .message.ephemeral').count();
    await page.fill('#composer-input', '/briefing 2021-10-07');
    await page.press('#composer-input', 'Enter');
    const answer = page.locator('#messages .message.ephemeral').nth(before);
    await answer.waitFor();
    expect(await answer.locator('.only-you').textContent()).toBe('Only visible to you');
    await expect
      .poll(() => answer.textContent(), { timeout: UI_TIMEOUT_MS })
      .toContain('Peru cabinet reshuffle');
  });

  it('runs /country Peru and shows stories about Peru', async () => {
    const before = await page.locator('#messages .message.ephemeral').count();
    await page.fill('#composer-input', '/country Peru');
    await page.press('#composer-input', 'Enter');
    const answer = page.locator('#messages .message.ephemeral').nth(before);
    await answer.waitFor();
    await expect.poll(() => answer.textContent(), { timeout: UI_TIMEOUT_MS }).toMatch(/Peru/);
    await expect.poll(() => answer.textContent(), { timeout: UI_TIMEOUT_MS }).toContain('Castillo');
    await page.screenshot({ path: new URL('local-commands.png', ARTIFACTS).pathname, fullPage: true });
  });

  it('clicks "Share in channel" and the answer is posted for everyone', async () => {
    const topLevel = () => local.standIn.messages('briefings').length;
    const before = topLevel();
    const countryAnswer = page.locator('#messages .message.ephemeral', { hasText: 'Castillo' }).last();
    await countryAnswer.locator('button', { hasText: 'Share in channel' }).click();
    await expect.poll(topLevel, { timeout: UI_TIMEOUT_MS }).toBe(before + 1);
    const shared = local.standIn.messages('briefings').at(-1);
    expect(shared?.bot_id).toBe('B_BOT');
    const row = page.locator(`#messages .message[data-ts="${shared?.ts}"]`);
    await row.waitFor();
    expect(await row.locator('.only-you').count()).toBe(0);
    await expect
      .poll(() => row.textContent(), { timeout: UI_TIMEOUT_MS })
      .toContain('Peru cabinet reshuffle');
  });

  it('replaces an answer in place when its button pages on (the way More does)', async () => {
    const answers = page.locator('#messages .message.ephemeral');
    const before = await answers.count();
    await page.fill('#composer-input', '/briefing 2021-10-06');
    await page.press('#composer-input', 'Enter');
    const answer = answers.nth(before);
    await answer.waitFor();
    await expect.poll(() => answer.textContent(), { timeout: UI_TIMEOUT_MS }).toContain('No briefing on');
    const ts = await answer.getAttribute('data-ts');
    await answer.locator('button', { hasText: 'Thu, Oct 7, 2021' }).click();
    const replaced = page.locator(`#messages .message.ephemeral[data-ts="${ts}"]`);
    await expect
      .poll(() => replaced.textContent(), { timeout: UI_TIMEOUT_MS })
      .toContain('Peru cabinet reshuffle');
    expect(await replaced.textContent()).not.toContain('No briefing on');
    expect(await answers.count()).toBe(before + 1);
    // "Dismiss message", as under any ephemeral in Slack.
    await replaced.locator('button', { hasText: 'Dismiss message' }).click();
    await expect.poll(() => replaced.count(), { timeout: UI_TIMEOUT_MS }).toBe(0);
    expect(await answers.count()).toBe(before);
  });

  it('sends with Enter and starts a new line with Shift+Enter', async () => {
    await page.click('#composer-input');
    await page.keyboard.type('first line');
    await page.keyboard.press('Shift+Enter');
    await page.keyboard.type('second *line*');
    expect(await page.inputValue('#composer-input')).toBe('first line\nsecond *line*');
    await page.keyboard.press('Enter');
    const row = messageRows().filter({ hasText: 'first line' });
    await row.waitFor();
    expect(await row.locator('.line').allTextContents()).toEqual(['first line', 'second line']);
    expect(await row.locator('strong').allTextContents()).toEqual(['line']);
    expect(await row.locator('.author').textContent()).toBe('newsroom editor');
    expect(await page.inputValue('#composer-input')).toBe('');
  });

  it('refuses a slash command the app does not have, as Slack does, and keeps the text', async () => {
    await page.fill('#composer-input', '/weather Lima');
    await page.press('#composer-input', 'Enter');
    const status = page.locator('#status.error');
    await expect
      .poll(() => status.textContent(), { timeout: UI_TIMEOUT_MS })
      .toContain('/weather is not a valid command');
    expect(await page.inputValue('#composer-input')).toBe('/weather Lima');
    await page.fill('#composer-input', '');
  });

  it('answers a mention in the thread', async () => {
    const [card] = local.standIn.messages('briefings');
    const before = local.standIn.thread('briefings', card!.ts).length;
    // A slash command typed in a thread stays in the box with Slack's answer, and is not sent.
    await page.fill('#reply-input', '/country Peru');
    await page.press('#reply-input', 'Enter');
    await expect
      .poll(() => page.locator('#status.error').textContent(), { timeout: UI_TIMEOUT_MS })
      .toContain('/country is not supported in threads');
    expect(await page.inputValue('#reply-input')).toBe('/country Peru');
    expect(local.standIn.thread('briefings', card!.ts)).toHaveLength(before);
    await page.fill('#reply-input', '@briefing-bot sources');
    await page.press('#reply-input', 'Enter');
    await expect.poll(() => page.locator('#status').textContent(), { timeout: UI_TIMEOUT_MS }).toBe('');
    const pane = page.locator('#thread-messages');
    // The reply as Slack stores it (a real mention), then the bot's answer below it.
    await pane.locator('.message .mention', { hasText: '@briefing-bot' }).waitFor();
    await expect
      .poll(() => local.standIn.thread('briefings', card!.ts).length, { timeout: UI_TIMEOUT_MS })
      .toBeGreaterThanOrEqual(before + 2);
    const thread = local.standIn.thread('briefings', card!.ts);
    const mine = thread.findIndex((m) => m.user === 'U_LOCAL');
    expect(thread[mine]?.text).toBe('<@U_BOT> sources');
    const answer = thread[mine + 1];
    expect(answer?.bot_id).toBe('B_BOT');
    await pane.locator(`.message[data-ts="${answer?.ts}"] .author`, { hasText: 'briefing-bot' }).waitFor();
    await page.screenshot({ path: new URL('local-mention.png', ARTIFACTS).pathname, fullPage: true });
  });

  it('posts the digest from #digest (what `digest --post` does; the CLI cannot while the bot runs)', async () => {
    await page.locator('.channel-list a', { hasText: 'digest' }).click();
    const offer = page.locator('#messages [data-action="post-digest"]');
    await expect
      .poll(() => offer.textContent(), { timeout: UI_TIMEOUT_MS })
      .toBe('Post the digest for Thu, Oct 7, 2021');
    await offer.click();
    const digest = messageRows().filter({ has: page.locator('.b-header', { hasText: 'Daily digest' }) });
    await digest.waitFor();
    expect(await digest.locator('.b-header').textContent()).toBe('Daily digest · Thu, Oct 7, 2021');
    await expect
      .poll(() => digest.locator('a').allTextContents(), { timeout: UI_TIMEOUT_MS })
      .toContain('Peru cabinet reshuffle');
    // Slack's <!date^…^{date_short_pretty} at {time}|…> token, shown in the reader's zone as Slack does.
    expect(await digest.locator('.date').first().textContent()).toMatch(
      /^(Today|Yesterday|\w{3} \d{1,2}, \d{4}) at \d{1,2}:\d{2}/,
    );
    expect((await local.bot.services.store.getDigest('2021-10-07'))?.ts).toBe(
      local.standIn.messages('digest')[0]?.ts,
    );
    // Once per day: asking again says where it is and posts nothing.
    await page.click('#post-digest');
    await expect
      .poll(() => page.locator('#status').textContent(), { timeout: UI_TIMEOUT_MS })
      .toContain('already in #digest');
    expect(local.standIn.messages('digest')).toHaveLength(1);
    await page.screenshot({ path: new URL('local-digest.png', ARTIFACTS).pathname });
    await page.locator('.channel-list a', { hasText: 'briefings' }).click();
    await expect.poll(() => page.locator('#post-digest').isHidden(), { timeout: UI_TIMEOUT_MS }).toBe(true);
  });

  it('shows a refused email as an error: nothing pasted, then an email without text', async () => {
    await page.click('#open-mail');
    const result = page.locator('#mail-result');
    await page.click('#mail-send');
    await expect
      .poll(() => result.textContent(), { timeout: UI_TIMEOUT_MS })
      .toBe('Paste an email or choose a file first.');
    await page.fill('#mail-text', 'Subject: nothing here\nFrom: editor@newsroom.local\n\n');
    await page.click('#mail-send');
    await expect
      .poll(() => result.textContent(), { timeout: UI_TIMEOUT_MS })
      .toMatch(/^The mail webhook answered 400: .*no text/);
    expect(await result.evaluate((node) => node.classList.contains('error'))).toBe(true);
    expect(await result.evaluate((node) => getComputedStyle(node).color)).toBe('rgb(204, 0, 0)');
  });

  it('posts an email carrying <script> and <img onerror> as text', {
    timeout: DELIVERY_TEST_TIMEOUT_MS,
  }, async () => {
    await page.fill(
      '#mail-text',
      'Peru <script>window.__pwned=1</script> cabinet news\n\n' +
        'Peru named a prime minister <img src=x onerror="window.__pwned=2">, reports <b>Reuters</b>. ' +
        'The cabinet of Pedro Castillo was sworn in in Lima.\n',
    );
    await page.click('#mail-send');
    await expect
      .poll(() => page.locator('#mail-result').textContent(), { timeout: UI_TIMEOUT_MS })
      .toMatch(/^Accepted: 1 section/);
    await page.click('#mail-close');
    await local.bot.services.deliverer.idle();
    const card = messageRows().filter({ has: page.locator('.b-header', { hasText: 'cabinet news' }) });
    await card.waitFor();
    expect(await card.locator('.b-header').textContent()).toContain('window.__pwned=1');
    await card.locator('.replies-link').click();
    const post = page.locator('#thread-messages .message', { hasText: 'onerror' });
    await post.waitFor();
    // Shown as typed, the angle brackets as their look-alikes (see rich.ts: nothing shaped like markup).
    expect(await post.textContent()).toContain('‹img src=x onerror="window.__pwned=2"›');
    expect(await page.locator('#messages img, #thread-messages img, body script:not([src])').count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
  });

  it('opens a reply’s permalink as its thread, scrolled to the reply and highlighted', async () => {
    const [card] = local.standIn.messages('briefings');
    const section = local.standIn.thread('briefings', card!.ts).at(5)!;
    const link = await local.bot.services.client.chat.getPermalink({
      channel: 'CBRIEFINGS',
      message_ts: section.ts,
    });
    await page.goto(link.permalink!);
    const focused = page.locator('#thread-messages .message.focused');
    await focused.waitFor();
    expect(await focused.getAttribute('data-ts')).toBe(section.ts);
    const [pane, row] = await Promise.all([
      page.locator('#thread-messages').boundingBox(),
      focused.boundingBox(),
    ]);
    expect(Math.abs((row?.y ?? -1000) - (pane?.y ?? 0))).toBeLessThan(5);
    // A change re-renders the thread: the reply stays highlighted.
    await local.bot.services.client.chat.postMessage({
      channel: 'briefings',
      thread_ts: card!.ts,
      text: 'a later reply',
    });
    await page.locator('#thread-messages .message', { hasText: 'a later reply' }).waitFor();
    expect(await focused.getAttribute('data-ts')).toBe(section.ts);
  });

  it('never turns message content into HTML', async () => {
    local.standIn.workspace.postAsUser({
      channel: 'briefings',
      user: 'U_LOCAL',
      text: '<img src=x onerror="window.__pwned=1"> <script>window.__pwned=2</script> <javascript:alert(1)|click me> *still bold*',
    });
    await page.goto(`${local.url}?channel=briefings`);
    const row = page.locator('.message', { hasText: 'onerror' });
    await row.waitFor();
    expect(await row.locator('img, script').count()).toBe(0);
    expect(await row.locator('a').count()).toBe(0);
    expect(await row.locator('strong').allTextContents()).toEqual(['still bold']);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(pageErrors).toEqual([]);
  });

  it('renders hostile blocks as text and opens only web links from buttons', async () => {
    const button = (id: string, url: string) => ({
      type: 'button' as const,
      action_id: id,
      url,
      text: { type: 'plain_text' as const, text: id },
    });
    await local.bot.services.client.chat.postMessage({
      channel: 'briefings',
      text: 'hostile blocks',
      blocks: [
        { type: 'header', text: { type: 'plain_text', text: '<img src=x onerror="window.__pwned=4">' } },
        {
          type: 'section',
          text: { type: 'mrkdwn', text: '<javascript:window.__pwned=5|run> and <https://example.org/|safe>' },
        },
        {
          type: 'actions',
          elements: [
            button('web-link', 'https://example.org/'),
            button('script-link', 'javascript:window.__pwned=6'),
          ],
        },
      ],
    });
    await page.goto(`${local.url}?channel=briefings`);
    const row = page.locator('.message', { hasText: 'safe' }).last();
    await row.waitFor();
    expect(await row.locator('.b-header').textContent()).toBe('<img src=x onerror="window.__pwned=4">');
    expect(await row.locator('img').count()).toBe(0);
    expect(
      await row.locator('a').evaluateAll((links) => links.map((a) => (a as HTMLAnchorElement).href)),
    ).toEqual(['https://example.org/']);
    await page.evaluate(() => {
      const w = window as unknown as { __opened: string[]; open: (url: string) => null };
      w.__opened = [];
      w.open = (url: string) => {
        w.__opened.push(url);
        return null;
      };
    });
    await row.locator('button', { hasText: 'script-link' }).click();
    await row.locator('button', { hasText: 'web-link' }).click();
    expect(await page.evaluate(() => (window as unknown as { __opened: string[] }).__opened)).toEqual([
      'https://example.org/',
    ]);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
  });

  // Issue 15: a 150-character URL cut its paragraph at the pane's edge instead of wrapping.
  it('wraps long unbroken text inside the pane, in the channel and in a thread', async () => {
    const [card] = local.standIn.messages('briefings');
    const url = `https://example.org/${'a1b2c3d4e5'.repeat(15)}`;
    const long = `See ${url} and ${'x'.repeat(150)}`;
    await page.evaluate(
      async ({ thread, text }) => {
        await fetch('/local/api/reply', {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-briefing-bot-local': '1' },
          body: JSON.stringify({ thread_ts: thread, text }),
        });
      },
      { thread: card!.ts, text: long },
    );
    await page.setViewportSize({ width: 900, height: 900 });
    await page.goto(`${local.url}?channel=briefings&thread=${card!.ts}`);
    const row = page.locator('#thread-messages .message', { hasText: 'xxxxxxxxxx' }).last();
    await row.waitFor();
    const fits = (selector: string) =>
      page.evaluate((sel) => {
        const pane = document.querySelector(sel) as HTMLElement;
        return pane.scrollWidth <= pane.clientWidth;
      }, selector);
    expect(await fits('#thread-messages')).toBe(true);
    const box = await row.boundingBox();
    const paneBox = await page.locator('#thread-messages').boundingBox();
    expect(box!.x + box!.width).toBeLessThanOrEqual(paneBox!.x + paneBox!.width + 1);
    // The same text in the channel, in a private answer that echoes it.
    await page.goto(`${local.url}?channel=briefings`);
    await page.fill('#composer-input', `/country ${'x'.repeat(150)}`);
    await page.press('#composer-input', 'Enter');
    await page.locator('#messages .message.ephemeral', { hasText: 'xxxxxxxxxx' }).last().waitFor();
    expect(await fits('#messages')).toBe(true);
    await page.screenshot({ path: new URL('local-wrap.png', ARTIFACTS).pathname, fullPage: true });
    await page.setViewportSize({ width: 1400, height: 900 });
  });

  // Issue 15: "only visible to you" answers survived reloads and restarts (31 after one restart).
  it('drops the private answers on reload and on restart, as Slack does', async () => {
    await page.goto(`${local.url}?channel=briefings`);
    await page.locator('#messages .message').first().waitFor();
    expect(await page.locator('#messages .message.ephemeral').count()).toBe(0);
    // A new answer after the reload shows, and stays through the page's polling.
    await page.fill('#composer-input', '/briefing 2021-10-07');
    await page.press('#composer-input', 'Enter');
    await page.locator('#messages .message.ephemeral').first().waitFor();
    await page.waitForTimeout(1500);
    expect(await page.locator('#messages .message.ephemeral').count()).toBe(1);
    // A restart (same DATA_DIR) keeps the channel's messages and none of the private answers.
    const messages = local.standIn.messages('briefings').length;
    // The page leaves first: its poll would otherwise log the refused connections of the restart.
    await page.goto('about:blank');
    await local.stop();
    const { config } = loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'error' });
    local = await startLocalWorkspace({ config: { ...config, port: 0 } });
    expect(local.standIn.messages('briefings')).toHaveLength(messages);
    expect(local.standIn.ephemerals()).toEqual([]);
    await page.goto(`${local.url}?channel=briefings`);
    await page.locator('#messages .message').first().waitFor();
    expect(await page.locator('#messages .message.ephemeral').count()).toBe(0);
  });

  it('shows the Home tab: latest briefings, a failed delivery and its Retry, settings, how to forward', {
    timeout: DELIVERY_TEST_TIMEOUT_MS,
  }, async () => {
    // A second briefing whose delivery fails for good (the channel is gone), as the CLI would list it.
    local.standIn.failNext(1, 'channel_not_found', 'chat.postMessage');
    const email = await composeEml({
      subject: 'Fwd: Second briefing of the day',
      messageId: '<second@example.org>',
    });
    const mail = await fetch(new URL('local/api/mail', local.url), {
      method: 'POST',
      headers: { [LOCAL_API_HEADER]: '1', 'content-type': 'message/rfc822' },
      body: new Uint8Array(email),
    });
    const { body } = (await mail.json()) as { body: { id: string } };
    await local.bot.services.deliverer.idle();
    expect((await local.bot.services.store.getDelivery(body.id))?.state).toBe('failed');

    await page.click('#open-home');
    const home = page.locator('#home-view');
    await home.locator('.b-header', { hasText: 'Latest briefings' }).waitFor();
    expect(await page.locator('#messages').isVisible()).toBe(false);
    expect(await home.locator('.b-header').allTextContents()).toEqual([
      'Latest briefings',
      'Deliveries waiting or failed',
      'Settings in force',
      'Forward mail to the bot',
    ]);
    await expect
      .poll(() => home.textContent(), { timeout: UI_TIMEOUT_MS })
      .toContain('Latin America Daily Briefing');
    expect(await home.textContent()).toContain('channel_not_found');
    expect(await home.textContent()).toContain('17:00 (America/New_York)');
    await page.screenshot({ path: new URL('local-home.png', ARTIFACTS).pathname, fullPage: true });

    // The local user owns the local workspace: Retry posts the briefing, and the tab says so.
    await home.locator('button[data-action-id="home_retry_delivery"]').click();
    await expect
      .poll(() => home.textContent(), { timeout: DELIVERY_TEST_TIMEOUT_MS / 2 })
      .toContain('Retried: delivery');
    expect((await local.bot.services.store.getDelivery(body.id))?.state).toBe('posted');
    expect(await home.locator('button[data-action-id="home_retry_delivery"]').count()).toBe(0);
    await page.locator('.channel-list a', { hasText: '# briefings' }).click();
    await page.locator('#messages .message').first().waitFor();
    expect(await page.locator('#home-pane').isVisible()).toBe(false);
  });

  it('shares an .eml from the message box and posts it with the message’s “Post as briefing” shortcut', {
    timeout: DELIVERY_TEST_TIMEOUT_MS,
  }, async () => {
    const file = join(dataDir, 'third-briefing.eml');
    await writeFile(
      file,
      await composeEml({ subject: 'Fwd: Third briefing', messageId: '<third@example.org>' }),
    );
    const cards = local.standIn.messages('briefings').filter((m) => m.user === 'U_BOT').length;
    await page.setInputFiles('#composer-file', file);
    const row = page.locator('#messages .message', { hasText: 'third-briefing.eml' });
    await row.locator('.file-chip').waitFor();
    await row.locator('.more-toggle').click();
    await row.locator('button.shortcut', { hasText: 'Post as briefing' }).click();
    await expect
      .poll(() => page.locator('#status').textContent(), { timeout: UI_TIMEOUT_MS })
      .toMatch(/^Post as briefing: :white_check_mark: Accepted: third-briefing\.eml is briefing/);
    await page.locator('#messages .message.ephemeral', { hasText: 'third-briefing.eml' }).waitFor();
    await local.bot.services.deliverer.idle();
    expect(local.standIn.messages('briefings').filter((m) => m.user === 'U_BOT')).toHaveLength(cards + 1);
    await page.screenshot({ path: new URL('local-shortcut.png', ARTIFACTS).pathname, fullPage: true });
  });

  it('logs no errors in the browser console all along', () => {
    expect(consoleErrors).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});
