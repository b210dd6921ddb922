import type { EmailParts } from '../../briefing/types.js';

/** A forward as attachment carries the original as a message/rfc822 part (Outlook, Apple Mail: `.eml`). */
export function isMessageAttachment(mimeType: string | undefined, filename: string | undefined): boolean {
  const type = (mimeType ?? '').split(';', 1)[0]!.trim().toLowerCase();
  return type === 'message/rfc822' || /\.eml$/i.test(filename ?? '');
}

/** Header text from a provider's field, on one line: a line break in a value would start a new header. */
function oneLine(value: string | null): string | undefined {
  const flat = value?.replace(/[\r\n]+/g, ' ').trim();
  return flat ? flat : undefined;
}

/**
 * A provider's parsed fields plus the original it found attached, put back together as the message the
 * forwarder sent: the same raw path as every other forward-as-attachment then reads it (the original's
 * own subject, sender and Message-ID; the outer text as the forwarder's note). MailComposer encodes
 * the headers, so nothing from the fields can add one.
 */
export async function withAttachedOriginal(parts: EmailParts, original: Buffer): Promise<Buffer> {
  const date = parts.date ? new Date(parts.date) : undefined;
  // Loaded on the first such upload only: most mail never needs it.
  const { default: MailComposer } = await import('nodemailer/lib/mail-composer');
  const composer = new MailComposer({
    from: oneLine(parts.from),
    subject: oneLine(parts.subject),
    ...(date && !Number.isNaN(date.getTime()) ? { date } : {}),
    ...(oneLine(parts.messageId) ? { messageId: oneLine(parts.messageId) } : {}),
    text: parts.text ?? '',
    ...(parts.html ? { html: parts.html } : {}),
    attachments: [{ content: original, contentType: 'message/rfc822', filename: 'original.eml' }],
  });
  return new Promise((resolve, reject) => {
    composer.compile().build((error, message) => (error ? reject(error) : resolve(message)));
  });
}
