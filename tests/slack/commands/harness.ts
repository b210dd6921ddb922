/**
 * The real bot (createBot: Bolt's HTTPReceiver with signature checks) against the Slack stand-in, which
 * sends slash commands and button clicks the way Slack does: signed, with a response_url it serves.
 */
import type { Bot } from '../../../src/app.js';
import { type Interaction, type ResponsePayload, SlackStandIn } from '../../../src/local/slack-stand-in.js';
import type { Store } from '../../../src/store/types.js';
import { blockTexts, recordingLogger, standInConfig, startBotOnLoopback } from '../../support/bot.js';

export const SIGNING_SECRET = 'commands-test-signing-secret';

/** What the bot logged as errors; a test that expects none checks it is empty. */
export const loggedErrors: unknown[][] = [];

const quiet = recordingLogger((args) => loggedErrors.push(args));

export interface Harness {
  standIn: SlackStandIn;
  bot: Bot;
  boltUrl: string;
  /** Runs a slash command and waits for its respond() answer. */
  command(
    command: string,
    text: string,
    where?: { user?: string; channel?: string },
  ): Promise<{ interaction: Interaction; answer: ResponsePayload }>;
  /** Clicks a button on the newest ephemeral answer the user got, and waits for the respond(). */
  click(actionId: string, user?: string): Promise<ResponsePayload>;
  close(): Promise<void>;
}

export async function startHarness(
  store: Store,
  now: Date,
  env: Record<string, string> = {},
): Promise<Harness> {
  const standIn = new SlackStandIn();
  const apiUrl = await standIn.listen();
  const config = standInConfig(apiUrl, standIn.token, {
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    MAIL_WEBHOOK_SECRET: 'mail-secret',
    NEWSROOM_TZ: 'America/New_York',
    ...env,
  });
  const { bot, url } = await startBotOnLoopback(config, {
    store,
    now: () => now,
    logger: quiet,
    minPostIntervalMs: 0,
  });
  const boltUrl = `${url}/slack/events`;
  return {
    standIn,
    bot,
    boltUrl,
    async command(command, text, where = {}) {
      const interaction = await standIn.sendSlashCommand(boltUrl, SIGNING_SECRET, {
        command,
        text,
        ...where,
      });
      if (interaction.status !== 200) throw new Error(`${command} ${text}: HTTP ${interaction.status}`);
      const [answer] = await interaction.waitForResponses(1);
      return { interaction, answer: answer! };
    },
    async click(actionId, user) {
      const mine = standIn.workspace
        .ephemerals(user)
        .filter((e) => JSON.stringify(e.blocks ?? []).includes(actionId));
      const target = mine.at(-1);
      if (!target) throw new Error(`No ephemeral answer with a ${actionId} button`);
      const interaction = await standIn.sendBlockAction(boltUrl, SIGNING_SECRET, {
        channel: target.channel,
        ephemeralTs: target.ts,
        actionId,
        user,
      });
      if (interaction.status !== 200) throw new Error(`click ${actionId}: HTTP ${interaction.status}`);
      const [answer] = await interaction.waitForResponses(1);
      return answer!;
    },
    async close() {
      await bot.stop();
      await standIn.close();
    },
  };
}

/** All mrkdwn, plain and rich text of an answer in block order, for assertions on what a reader sees. */
export function textOf(payload: { blocks?: unknown[] }): string {
  return (payload.blocks ?? [])
    .flatMap((block) => [...blockTexts([block]).map((t) => t.text), ...richLines(block)])
    .join('\n');
}

interface RichNode {
  type: string;
  text?: string;
  url?: string;
  style?: { bold?: boolean; italic?: boolean; strike?: boolean };
  elements?: RichNode[];
}

/**
 * A rich_text block written out for assertions: bold as *x*, italic as _x_, a link as <url|label>.
 * Only a notation for the test — Slack shows rich text literally, so these marks are not in the payload.
 */
function richLines(block: unknown): string[] {
  const node = block as RichNode;
  if (node.type !== 'rich_text') return [];
  const inline = (element: RichNode): string => {
    let text =
      element.type === 'link' ? `<${element.url}|${element.text ?? element.url}>` : (element.text ?? '');
    if (element.style?.italic) text = `_${text}_`;
    if (element.style?.bold) text = `*${text}*`;
    return text;
  };
  const section = (element: RichNode): string => (element.elements ?? []).map(inline).join('');
  return (node.elements ?? []).flatMap((element) =>
    element.type === 'rich_text_list'
      ? [(element.elements ?? []).map((item) => `• ${section(item)}`).join('\n')]
      : [section(element)],
  );
}
