/**
 * The real bot (createBot: Bolt's HTTPReceiver, signature checks, the real deliverer and listeners)
 * against the Slack stand-in. The seed briefing comes in through the real ingest path, so its card and
 * section posts — the threads people reply in — are real stand-in messages with real ts values.
 */
import type { Bot } from '../../../src/app.js';
import type { Config } from '../../../src/config.js';
import { SlackStandIn } from '../../../src/local/slack-stand-in.js';
import type { StoredMessage } from '../../../src/local/workspace.js';
import { openMemoryStore } from '../../../src/store/index.js';
import type { PostRecord, Store, StoredBriefing } from '../../../src/store/types.js';
import { blockTexts, recordingLogger, standInConfig, startBotOnLoopback, until } from '../../support/bot.js';
import { ingestSeed } from '../../support/seed.js';

export const SIGNING_SECRET = 'events-test-signing-secret';

export const loggedErrors: string[] = [];
const quiet = recordingLogger((args) => loggedErrors.push(args.map(String).join(' ')));

export interface EventsHarness {
  standIn: SlackStandIn;
  bot: Bot;
  config: Config;
  store: Store;
  boltUrl: string;
  channel: string;
  briefing: StoredBriefing;
  posts: PostRecord[];
  /** Messages of a thread (parent first) as the stand-in holds them. */
  thread(ts: string): StoredMessage[];
  /** Resolves once `check` is true (the bot answers after acking); rejects after `timeoutMs`. */
  until(check: () => boolean | Promise<boolean>, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

/** Starts a bot against the stand-in, the way the harness does (for restarts on the same store). */
export async function startBot(
  config: Config,
  store: Store,
  now: () => Date,
): Promise<{ bot: Bot; boltUrl: string }> {
  const { bot, url } = await startBotOnLoopback(config, { store, now, logger: quiet, minPostIntervalMs: 0 });
  return { bot, boltUrl: `${url}/slack/events` };
}

export async function startEventsHarness(
  env: Record<string, string> = {},
  // 10:00 in New York, before the digest time: the digest job stays quiet unless a test moves the clock.
  now: () => Date = () => new Date('2021-10-07T14:00:00Z'),
): Promise<EventsHarness> {
  // Message ts follow the bot's clock, as Slack's follow real time: a reply posted "today" has today's ts
  // (the digest counts replies by their ts).
  const standIn = new SlackStandIn({ now: () => now().getTime() });
  const apiUrl = await standIn.listen();
  const config = standInConfig(apiUrl, standIn.token, {
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    DIGEST_CHANNEL: 'digest',
    NEWSROOM_TZ: 'America/New_York',
    ...env,
  });
  const store = await openMemoryStore({ now });
  const { bot, boltUrl } = await startBot(config, store, now);

  let seeded: { briefing: StoredBriefing; posts: PostRecord[] };
  try {
    seeded = await ingestSeed(bot);
  } catch (error) {
    // Nothing may keep listening after a failed start, or the test run hangs instead of failing.
    await bot.stop();
    await standIn.close();
    throw error;
  }
  const { briefing, posts } = seeded;
  const channel = posts[0]!.channel;

  const harness: EventsHarness = {
    standIn,
    bot,
    config,
    store,
    boltUrl,
    channel,
    briefing,
    posts,
    thread: (ts) => standIn.workspace.thread(channel, ts),
    until: (check, timeoutMs = 5000) => until(check, 'the bot', timeoutMs),
    async close() {
      await bot.stop();
      await standIn.close();
    },
  };
  return harness;
}

/** All text a reader sees in a message: its blocks' mrkdwn and plain text, else its `text`. */
export function visibleText(message: { text?: string; blocks?: unknown[] }): string {
  const texts = blockTexts(message.blocks ?? []);
  return texts.length > 0 ? texts.map((t) => t.text).join('\n') : (message.text ?? '');
}
