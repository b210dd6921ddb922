/**
 * The real bot (Bolt HTTPReceiver, the real mail route, a real store on disk) against the Slack stand-in
 * on loopback, plus helpers to send it mail the way providers do.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Bot, BotOverrides } from '../../src/app.js';
import { type CallRecord, SlackStandIn } from '../../src/local/slack-stand-in.js';
import type { StoredMessage } from '../../src/local/workspace.js';
import { quietLogger, standInConfig, startBotOnLoopback } from '../support/bot.js';

export const SECRET = 'e2e-webhook-secret';
/** Where these bots post the daily digest: out of the briefing channel the tests count. */
export const DIGEST_CHANNEL = 'digest';
export { composeEml, SEED_BODY } from '../support/seed.js';

export interface Harness {
  standIn: SlackStandIn;
  dataDir: string;
  bot: Bot;
  url: string;
  /** A new bot on the same store and stand-in (the old one must be stopped first). */
  restart(overrides?: BotOverrides): Promise<void>;
  close(): Promise<void>;
}

export async function startHarness(
  env: Record<string, string> = {},
  overrides: BotOverrides = {},
): Promise<Harness> {
  const standIn = new SlackStandIn({ rateLimit: null });
  const apiUrl = await standIn.listen();
  const dataDir = await mkdtemp(join(tmpdir(), 'briefing-bot-e2e-'));
  const config = standInConfig(apiUrl, standIn.token, {
    SLACK_SIGNING_SECRET: 'e2e-signing-secret',
    MAIL_WEBHOOK_SECRET: SECRET,
    DATA_DIR: dataDir,
    // The digest is due at a wall-clock time, so whether it posts during a test depends on when the
    // test runs (a restart with a later clock can catch it up): its own channel keeps it out of the
    // briefing channel these tests count.
    DIGEST_CHANNEL,
    ...env,
  });
  const base: BotOverrides = { logger: quietLogger(), minPostIntervalMs: 0, sleep: async () => {} };
  const started = await startBotOnLoopback(config, { ...base, ...overrides });

  const harness: Harness = {
    standIn,
    dataDir,
    ...started,
    async restart(next = {}) {
      Object.assign(harness, await startBotOnLoopback(config, { ...base, ...next }));
    },
    async close() {
      await harness.bot.stop();
      await standIn.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
  return harness;
}

/**
 * The posts Slack took outside the digest channel. The digest is due at a wall-clock time (17:00 in
 * New York), so a bot started, or restarted with a later clock, near that hour posts it: a count of
 * every chat.postMessage would then depend on when the suite runs.
 */
export function okPosts(standIn: SlackStandIn): CallRecord[] {
  return briefingCalls(standIn, 'chat.postMessage').filter((call) => call.ok);
}

/** The calls (of `method`, if given) that are not about the digest channel; see okPosts. */
export function briefingCalls(standIn: SlackStandIn, method?: string): CallRecord[] {
  return standIn
    .calls(method)
    .filter((call) => standIn.channel(String(call.args.channel ?? ''))?.name !== DIGEST_CHANNEL);
}

export async function postMail(
  url: string,
  body: BodyInit,
  contentType: string | null,
  secret = SECRET,
): Promise<{ status: number; json: Record<string, unknown> }> {
  const headers: Record<string, string> = { authorization: `Bearer ${secret}` };
  if (contentType) headers['content-type'] = contentType;
  const response = await fetch(`${url}/mail/inbound`, { method: 'POST', body, headers });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

/** Every string Slack would render from a message, by how Slack reads it (the fallback is mrkdwn). */
/**
 * The strings of a message by how Slack reads them: `mrkdwn` (the fallback text and mrkdwn text
 * objects: entities and `<…>` markup are parsed) and `plain` (plain_text objects and rich text
 * `text` elements: shown literally). Rich text links are in `links`.
 */
export function renderedStrings(message: StoredMessage): {
  mrkdwn: string[];
  plain: string[];
  links: Array<{ url: string; text: string }>;
} {
  const mrkdwn = [message.text];
  const plain: string[] = [];
  const links: Array<{ url: string; text: string }> = [];
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(walk);
    else if (value && typeof value === 'object') {
      const r = value as Record<string, unknown>;
      if (r.type === 'mrkdwn' && typeof r.text === 'string') mrkdwn.push(r.text);
      else if ((r.type === 'plain_text' || r.type === 'text') && typeof r.text === 'string')
        plain.push(r.text);
      else if (r.type === 'link' && typeof r.url === 'string')
        links.push({ url: r.url, text: String(r.text ?? '') });
      else Object.values(r).forEach(walk);
    }
  };
  walk(message.blocks);
  return { mrkdwn, plain, links };
}

/** The channel's messages as the desk sees them: each top-level post followed by its replies. */
export function channelView(standIn: SlackStandIn, channel = 'briefings'): StoredMessage[] {
  return standIn.messages(channel).flatMap((top) => standIn.thread(channel, top.ts));
}
