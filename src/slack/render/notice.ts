/**
 * The short notice a subscription confirmation becomes in the briefing channel: who asks, the subject,
 * and the confirm link — all from the email, so all literal rich text, the link's label vetted like
 * every email link (it cannot name another host), nothing that can ping, format or spoof.
 */
import { escapeInline, plainText } from '../escape.js';
import { type Block, MAX_FALLBACK_TEXT, type SlackMessage, truncateAtWord } from './blocks.js';
import { link, para, type RichInline, richText, txt } from './rich.js';

export interface ConfirmationNotice {
  subject: string;
  sender: string | null;
  confirm: { url: string; text: string } | null;
}

const MAX_PART = 200;

function short(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > MAX_PART ? `${flat.slice(0, MAX_PART - 1)}…` : flat;
}

export function renderConfirmationNotice(notice: ConfirmationNotice): SlackMessage {
  const sender = notice.sender ? short(notice.sender) : 'A newsletter';
  const subject = short(notice.subject) || '(no subject)';
  const line: RichInline[] = [
    txt('Subscription confirmation', { bold: true }),
    txt(` from ${sender}: “${subject}”. Not a briefing; someone on the desk must confirm it: `),
  ];
  if (notice.confirm) line.push(...link(notice.confirm.url, short(notice.confirm.text) || 'confirm'));
  else line.push(txt('the email has no confirm link (look for it in the mailbox).', { italic: true }));
  const blocks: Block[] = [richText([para(line)])];
  const text = truncateAtWord(
    `Subscription confirmation from ${escapeInline(plainText(sender))}: ${escapeInline(plainText(subject))}`,
    MAX_FALLBACK_TEXT,
  );
  return { text, blocks };
}
