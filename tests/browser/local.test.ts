/**
 * The local workspace in a real browser (Debian's chromium through playwright-core): the page a
 * developer sees after `npm start` without Slack tokens. Screenshots land in tests/artifacts/.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { type LocalWorkspace, startLocalWorkspace } from '../../src/local/index.js';
import { SAMPLE_EML } from '../../src/local/routes.js';

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

let dataDir: string;
let local: LocalWorkspace;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
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
  await mkdir(ARTIFACTS, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  await local?.stop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe('the local workspace page', () => {
  it('says it is not Slack and offers the sample while the store is empty', async () => {
    await page.goto(local.url);
    await expect
      .poll(() => page.locator('.notice').textContent(), { timeout: UI_TIMEOUT_MS })
      .toContain('not Slack');
    await page.locator('#ingest-sample').waitFor();
    expect(await page.locator('.channel-list a').allTextContents()).toEqual(['# briefings', '# digest']);
  });

  it('ingests the sample through the mail form and shows the card with its section posts', async () => {
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
    // mrkdwn became markup: the section index's titles are bold, and flags are emoji.
    await expect
      .poll(() => cardRow.locator('.b-section strong').allTextContents(), { timeout: UI_TIMEOUT_MS })
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
    // The review screenshot shows the thread from its top: the card, then the first sections.
    await page.locator('#thread-messages').evaluate((node) => node.scrollTo(0, 0));
    await page.screenshot({ path: new URL('local-thread.png', ARTIFACTS).pathname, fullPage: true });
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

  it('answers a mention in the thread', async () => {
    const [card] = local.standIn.messages('briefings');
    const before = local.standIn.thread('briefings', card!.ts).length;
    await page.fill('#reply-input', '@briefing-bot sources');
    await page.press('#reply-input', 'Enter');
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
});
