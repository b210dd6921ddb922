/**
 * "Post as briefing" end to end: a signed message_action (Slack's message shortcut payload) reaches the
 * real Bolt HTTP receiver; an .eml shared in the stand-in is read with files.info and its url_private
 * (bot token, files:read), goes through the webhook's ingest, and the answer comes back ephemerally
 * through the response_url.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { SlackStandIn } from '../../src/local/slack-stand-in.js';
import { escapeMrkdwn } from '../../src/slack/escape.js';
import { SHORTCUT_POST_AS_BRIEFING } from '../../src/slack/shortcuts/index.js';
import { outcomeText, slackTextToPlain } from '../../src/slack/shortcuts/post-as-briefing.js';
import { downloadSlackFile, mayReceiveToken } from '../../src/slack/shortcuts/slack-file.js';
import { channelView, composeEml, type Harness, SEED_BODY, startHarness } from './harness.js';

const SIGNING_SECRET = 'e2e-signing-secret';
let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

async function shortcut(h: Harness, channel: string, messageTs: string): Promise<string> {
  const interaction = await h.standIn.sendMessageShortcut(`${h.url}/slack/events`, SIGNING_SECRET, {
    channel,
    messageTs,
    callbackId: SHORTCUT_POST_AS_BRIEFING,
  });
  expect(interaction.status).toBe(200);
  const [answer] = await interaction.waitForResponses(1, 10_000);
  expect(answer).toMatchObject({ response_type: 'ephemeral' });
  await h.bot.services.deliverer.idle();
  return String(answer?.text);
}

describe('the "Post as briefing" shortcut', () => {
  it('posts an .eml shared in Slack as one briefing thread, once', async () => {
    harness = await startHarness();
    const h = harness;
    // Slack's client often labels an .eml text/plain: the name is enough.
    const shared = h.standIn.shareFile({
      channel: 'briefings',
      name: 'Mexico security talks.eml',
      mimetype: 'text/plain',
      content: await composeEml(),
      text: 'for the desk',
    });
    const first = await shortcut(h, 'briefings', shared.ts);
    expect(first).toMatch(
      /^:white_check_mark: Accepted: Mexico security talks\.eml is briefing `\S+` \(6 sections\)/,
    );
    expect(h.standIn.calls('files.info')).toHaveLength(1);
    expect(h.standIn.callCount('files-pri')).toBe(1);
    const cards = h.standIn.messages('briefings').filter((m) => m.user === 'U_BOT');
    expect(cards).toHaveLength(1);
    expect(h.standIn.thread('briefings', cards[0]!.ts)).toHaveLength(7);

    const again = await shortcut(h, 'briefings', shared.ts);
    expect(again).toMatch(/^:information_source: Duplicate: Mexico security talks\.eml is already briefing/);
    expect(h.standIn.messages('briefings').filter((m) => m.user === 'U_BOT')).toHaveLength(1);
    expect(channelView(h.standIn).filter((m) => m.user === 'U_BOT')).toHaveLength(7);
  });

  it('posts a message’s own text, Slack’s markup read as the words shown', async () => {
    harness = await startHarness();
    const h = harness;
    const said = await h.standIn.userSays(`${h.url}/slack/events`, SIGNING_SECRET, {
      channel: 'briefings',
      text: escapeMrkdwn(SEED_BODY),
    });
    const answer = await shortcut(h, 'briefings', said.message.ts);
    expect(answer).toMatch(/^:white_check_mark: Accepted: the message is briefing `\S+` \(6 sections\)/);
    expect(h.standIn.messages('briefings').filter((m) => m.user === 'U_BOT')).toHaveLength(1);
    expect(slackTextToPlain('See <https://a.example/x|the story> &amp; <@U1> <!here> &lt;b&gt;')).toBe(
      'See the story (https://a.example/x) & @U1 @here <b>',
    );
  });

  it('refuses with the reason: too large, not from an allowed sender, not an email, no files:read', async () => {
    harness = await startHarness({ MAIL_MAX_BYTES: '2000', ALLOWED_SENDERS: 'editor@paper.org' });
    const h = harness;
    const big = h.standIn.shareFile({
      channel: 'briefings',
      name: 'big.eml',
      mimetype: 'message/rfc822',
      content: await composeEml(),
    });
    expect(await shortcut(h, 'briefings', big.ts)).toBe(
      ':no_entry: Not posted: big.eml is larger than MAIL_MAX_BYTES (2000 bytes).',
    );
    // Bounded before the download: the file was never fetched.
    expect(h.standIn.callCount('files-pri')).toBe(0);

    const said = await h.standIn.userSays(`${h.url}/slack/events`, SIGNING_SECRET, {
      channel: 'briefings',
      text: 'Peru: the cabinet resigns. A short note, no sender.',
    });
    expect(await shortcut(h, 'briefings', said.message.ts)).toBe(
      ':no_entry: Refused (403): The message has no sender address, and only ALLOWED_SENDERS may forward briefings.',
    );

    const picture = h.standIn.shareFile({
      channel: 'briefings',
      name: 'map.png',
      mimetype: 'image/png',
      content: 'png',
    });
    expect(await shortcut(h, 'briefings', picture.ts)).toBe(
      ':no_entry: Not posted: The message’s file is not an email (.eml or message/rfc822).',
    );
    expect(h.standIn.messages('briefings').filter((m) => m.user === 'U_BOT')).toHaveLength(0);
  });

  it('says the app needs files:read when Slack refuses files.info', async () => {
    harness = await startHarness();
    const h = harness;
    h.standIn.workspace.scopes.delete('files:read');
    const shared = h.standIn.shareFile({
      channel: 'briefings',
      name: 'briefing.eml',
      mimetype: 'message/rfc822',
      content: await composeEml(),
    });
    expect(await shortcut(h, 'briefings', shared.ts)).toBe(
      ':no_entry: Not posted: Slack refused to describe the file: missing_scope (the app needs the files:read scope: reinstall it from manifest.yml).',
    );
  });
});

describe('the shortcut’s answer', () => {
  it('escapes what came from the email: a refusal naming a hostile sender or file cannot ping', () => {
    const text = outcomeText(
      {
        status: 'rejected',
        code: 403,
        detail: 'Sender <!channel>@evil.example is not allowed to forward briefings.',
      },
      '<!here>.eml',
      '#briefings',
    );
    expect(text).toBe(
      ':no_entry: Refused (403): Sender &lt;!channel&gt;@evil.example is not allowed to forward briefings.',
    );
    expect(outcomeText({ status: 'duplicate', id: 'b_1' }, '<!here>.eml', 'briefings')).toContain(
      '&lt;!here&gt;.eml',
    );
  });
});

describe('downloading a Slack file', () => {
  it('takes the file only with the bot token, refuses the sign-in page, and stops past the limit', async () => {
    const slack = new SlackStandIn();
    await slack.listen();
    try {
      const file = slack.shareFile({
        channel: 'briefings',
        name: 'a.eml',
        mimetype: 'message/rfc822',
        content: 'x'.repeat(5000),
      });
      const url = String(file.files?.[0]?.url_private);
      expect(await downloadSlackFile(url, slack.token, 10_000)).toEqual({
        ok: true,
        bytes: Buffer.from('x'.repeat(5000)),
      });
      expect(await downloadSlackFile(url, 'xoxb-wrong', 10_000)).toMatchObject({
        ok: false,
        reason: expect.stringContaining('files:read'),
      });
      expect(await downloadSlackFile(url, slack.token, 4999)).toMatchObject({
        ok: false,
        reason: expect.stringContaining('MAIL_MAX_BYTES'),
      });
      slack.workspace.scopes.delete('files:read');
      expect(await downloadSlackFile(url, slack.token, 10_000)).toMatchObject({
        ok: false,
        reason: expect.stringContaining('files:read'),
      });
    } finally {
      await slack.close();
    }
    // The token goes to Slack's hosts and to SLACK_API_URL's host only.
    expect(mayReceiveToken('https://files.slack.com/files-pri/T1-F1/a.eml', 'https://slack.com/api/')).toBe(
      true,
    );
    expect(mayReceiveToken('https://evil.example/files-pri/T1-F1/a.eml', 'https://slack.com/api/')).toBe(
      false,
    );
    expect(mayReceiveToken('http://files.slack.com/a.eml', 'https://slack.com/api/')).toBe(false);
    expect(mayReceiveToken('https://slack.com.evil.example/a.eml', 'https://slack.com/api/')).toBe(false);
  });
});
