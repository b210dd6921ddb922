/**
 * The "Post as briefing" message shortcut: the message's email file (.eml, message/rfc822), or else
 * its text, goes through the same ingest as the mail webhook (parse → sender check → store → post),
 * and the person who chose it gets the outcome as an ephemeral answer (response_url).
 *
 * The same rules hold as for mail: with ALLOWED_SENDERS, an .eml must come from (and, with
 * SENDER_AUTH=require, be proven by) an allowed sender — its raw bytes keep their DKIM signature — and
 * a message's bare text, which has no sender address, is refused with the webhook's reason.
 */
import type { AllMiddlewareArgs, MessageShortcut, SlackShortcutMiddlewareArgs } from '@slack/bolt';
import type { IngestOutcome, MailInput } from '../../ingest/types.js';
import type { Services } from '../../services.js';
import { escapeInline, unescapeMrkdwn } from '../escape.js';
import { downloadSlackFile, mayReceiveToken } from './slack-file.js';

export const SHORTCUT_POST_AS_BRIEFING = 'post_as_briefing';

interface SlackFile {
  id?: string;
  name?: string;
  mimetype?: string;
  filetype?: string;
  size?: number;
  url_private?: string;
}

/** An email file as Slack describes it: `message/rfc822`, or an .eml name (Slack often says text/plain). */
export function isEmailFile(file: SlackFile): boolean {
  return (
    file.mimetype?.toLowerCase() === 'message/rfc822' ||
    file.filetype?.toLowerCase() === 'eml' ||
    /\.eml$/i.test(file.name ?? '')
  );
}

/**
 * A Slack message's text as an email's plain text: Slack's markup (`<url|label>`, `<url>`, `<@U…>`,
 * `<#C…|name>`, `<!here>`) as the words a reader saw, then `&amp;`, `&lt;`, `&gt;` decoded.
 */
export function slackTextToPlain(text: string): string {
  const plain = text.replace(/<([^<>]*)>/g, (_whole, inner: string) => {
    const [target = '', label] = inner.split('|', 2);
    if (target.startsWith('@') || target.startsWith('#')) return label ? `${target[0]}${label}` : target;
    if (target.startsWith('!')) return `@${label ?? target.slice(1).split('^')[0]}`;
    return label && label !== target ? `${label} (${target})` : target;
  });
  return unescapeMrkdwn(plain);
}

type Source = { ok: true; input: MailInput; what: string } | { ok: false; reason: string };

async function emailFrom(services: Services, message: MessageShortcut['message']): Promise<Source> {
  const { config, client } = services;
  const files = ((message as { files?: SlackFile[] }).files ?? []).filter((f) => f && typeof f === 'object');
  const listed = files.find(isEmailFile);
  if (listed?.id) {
    // The message's copy of the file may be partial (file_access: check_file_info): ask for it.
    let info: SlackFile | undefined;
    try {
      info = (await client.files.info({ file: listed.id })).file as SlackFile | undefined;
    } catch (error) {
      const code = (error as { data?: { error?: string } }).data?.error;
      if (!code) throw error;
      const hint =
        code === 'missing_scope'
          ? ' (the app needs the files:read scope: reinstall it from manifest.yml)'
          : '';
      return { ok: false, reason: `Slack refused to describe the file: ${code}${hint}.` };
    }
    const file = { ...listed, ...info };
    const name = file.name ?? file.id ?? 'the file';
    if ((file.size ?? 0) > config.mailMaxBytes) {
      return { ok: false, reason: `${name} is larger than MAIL_MAX_BYTES (${config.mailMaxBytes} bytes).` };
    }
    if (!file.url_private || !mayReceiveToken(file.url_private, config.slackApiUrl)) {
      return { ok: false, reason: `Slack gave no address to download ${name} from.` };
    }
    const download = await downloadSlackFile(file.url_private, client.token ?? '', config.mailMaxBytes);
    if (!download.ok) return { ok: false, reason: `${name} could not be read: ${download.reason}.` };
    return { ok: true, input: { kind: 'raw', raw: download.bytes }, what: name };
  }
  if (files.length > 0 && !message.text?.trim()) {
    return { ok: false, reason: 'The message’s file is not an email (.eml or message/rfc822).' };
  }
  const text = slackTextToPlain(message.text ?? '').trim();
  if (!text) return { ok: false, reason: 'The message has no text and no email file.' };
  if (Buffer.byteLength(text) > config.mailMaxBytes) {
    return { ok: false, reason: `The message is larger than MAIL_MAX_BYTES (${config.mailMaxBytes} bytes).` };
  }
  return {
    ok: true,
    what: 'the message',
    input: {
      kind: 'parts',
      parts: { subject: null, from: null, date: null, messageId: null, text, html: null },
    },
  };
}

/** The ephemeral answer, in the bot's words; what came from the email (a refusal's detail) is escaped. */
export function outcomeText(outcome: IngestOutcome, what: string, channel: string): string {
  const source = escapeInline(what);
  switch (outcome.status) {
    case 'accepted':
      return `:white_check_mark: Accepted: ${source} is briefing \`${outcome.id}\` (${outcome.sections} section${outcome.sections === 1 ? '' : 's'}); its thread is being posted in #${escapeInline(channel.replace(/^#/, ''))}.`;
    case 'duplicate':
      return `:information_source: Duplicate: ${source} is already briefing \`${outcome.id}\`; nothing is posted twice.`;
    case 'notice':
      return `:envelope: ${source} is a subscription confirmation, not a briefing: ${outcome.posted ? 'posted' : 'already posted'} once in #${escapeInline(channel.replace(/^#/, ''))} as a notice with its confirm link.`;
    case 'rejected':
      return `:no_entry: Refused (${outcome.code}): ${escapeInline(outcome.detail)}`;
  }
}

export function postAsBriefing(services: Services) {
  return async ({
    ack,
    shortcut,
    respond,
    logger,
  }: SlackShortcutMiddlewareArgs<MessageShortcut> & AllMiddlewareArgs): Promise<void> => {
    await ack();
    const answer = (text: string) => respond({ response_type: 'ephemeral', replace_original: false, text });
    try {
      const source = await emailFrom(services, shortcut.message);
      if (!source.ok) {
        logger.warn(`Post as briefing refused: ${source.reason}`);
        await answer(`:no_entry: Not posted: ${escapeInline(source.reason)}`);
        return;
      }
      const outcome = await services.ingest(source.input);
      logger.info(`Post as briefing by ${shortcut.user.id}: ${outcome.status}`);
      await answer(outcomeText(outcome, source.what, services.config.briefingChannel));
    } catch (error) {
      logger.error('Post as briefing failed', error);
      await answer(
        ':warning: Something went wrong posting that as a briefing; it is logged. Try again later.',
      );
    }
  };
}
