/**
 * The seed briefing (tests/fixtures/seed-briefing.txt) as an editor forwards it to the inbound address,
 * and that forward composed as an .eml by nodemailer, the way a mail client sends it.
 */
import { readFileSync } from 'node:fs';
import MailComposer from 'nodemailer/lib/mail-composer';
import type { Bot } from '../../src/app.js';
import type { PostRecord, StoredBriefing } from '../../src/store/types.js';

export const SEED_TEXT = readFileSync(new URL('../fixtures/seed-briefing.txt', import.meta.url), 'utf8');
export const SEED_SUBJECT = 'Fwd: Mexico - U.S. high-level security talks (Oct. 7, 2021)';
/** The seed's forwarded part: what a forwarding editor's mail client sends as the body. */
export const SEED_BODY = SEED_TEXT.slice(SEED_TEXT.indexOf('---------- Forwarded message'));
export const SEED_FROM = 'Molly Molloy <molly@example.org>';
export const SEED_MESSAGE_ID = '<CAF=seed.briefing.20211007@mail.gmail.com>';
export const SEED_DATE = 'Thu, 07 Oct 2021 13:20:13 -0400';

/** Composes the seed forward (or any text) as an .eml. */
export async function composeEml(
  options: {
    text?: string;
    html?: string;
    subject?: string;
    from?: string;
    messageId?: string;
    attachments?: { filename: string; content: Buffer }[];
  } = {},
): Promise<Buffer> {
  const composer = new MailComposer({
    from: options.from ?? SEED_FROM,
    to: 'briefings@inbound.example.org',
    subject: options.subject ?? SEED_SUBJECT,
    date: new Date(SEED_DATE),
    messageId: options.messageId ?? SEED_MESSAGE_ID,
    text: options.text ?? SEED_BODY,
    ...(options.html ? { html: options.html } : {}),
    ...(options.attachments ? { attachments: options.attachments } : {}),
  });
  return new Promise((resolve, reject) => {
    composer.compile().build((error, message) => (error ? reject(error) : resolve(message)));
  });
}

/**
 * The whole seed file through the bot's real ingest path (parser, store, deliverer posting to the
 * stand-in); fails unless it was accepted and posted.
 */
export async function ingestSeed(
  bot: Bot,
  messageId = '<seed-briefing@example.org>',
): Promise<{ briefing: StoredBriefing; posts: PostRecord[] }> {
  const outcome = await bot.services.ingest({
    kind: 'parts',
    parts: {
      subject: SEED_SUBJECT,
      from: SEED_FROM,
      date: '2021-10-07T17:20:13.000Z',
      messageId,
      text: SEED_TEXT,
      html: null,
    },
  });
  if (outcome.status !== 'accepted') throw new Error(`seed not accepted: ${JSON.stringify(outcome)}`);
  await bot.services.deliverer.idle();
  const { store } = bot.services;
  const delivery = await store.getDelivery(outcome.id);
  if (delivery?.state !== 'posted') throw new Error(`seed not posted: ${JSON.stringify(delivery)}`);
  return { briefing: (await store.getBriefing(outcome.id))!, posts: delivery.posts };
}
