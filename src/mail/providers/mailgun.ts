import type { MailInput } from '../../ingest/types.js';
import type { FormFields } from '../form.js';
import type { MailgunSignatureFields } from '../mailgun-signature.js';
import { MailRefusal } from '../refusal.js';
import { mailgunVerdict } from '../sender-auth/verdicts.js';
import { decodeField, fieldBytes, nonBlank, toIsoDate } from '../text.js';
import type { FormProvider } from './types.js';

/**
 * `message-headers`: a JSON list of [name, value] pairs, names in their original case, in message order.
 * Mailgun puts its own X-Mailgun-Spf / X-Mailgun-Dkim-Check-Result first, so the first of a name wins.
 */
function parseMessageHeaders(raw: string | undefined, dkimSignatures: string[] = []): Map<string, string> {
  const headers = new Map<string, string>();
  if (!raw) return headers;
  try {
    const parsed: unknown = JSON.parse(decodeField(raw, 'utf-8'));
    if (!Array.isArray(parsed)) return headers;
    for (const pair of parsed) {
      if (!Array.isArray(pair) || typeof pair[0] !== 'string' || typeof pair[1] !== 'string') continue;
      const name = pair[0].toLowerCase();
      if (name === 'dkim-signature') dkimSignatures.push(pair[1]);
      if (!headers.has(name)) headers.set(name, pair[1]);
    }
  } catch {
    // Headers only add the date and Message-ID; the body fields still make a briefing.
  }
  return headers;
}

/** The signature fields Mailgun adds to every forwarded post, or null when any is missing. */
export function mailgunSignatureFields(fields: FormFields): MailgunSignatureFields | null {
  const timestamp = fields.get('timestamp');
  const token = fields.get('token');
  const signature = fields.get('signature');
  if (!timestamp || !token || !signature) return null;
  return { timestamp, token, signature };
}

/**
 * Mailgun routes. A forward URL ending in "mime" gets the whole message in `body-mime`; otherwise
 * `body-plain`/`body-html` (the full bodies, never `stripped-*`) plus `message-headers`.
 * Mailgun posts UTF-8.
 */
export const mailgun: FormProvider = {
  name: 'mailgun',
  markers: ['body-mime', 'body-plain', 'body-html', 'message-headers', 'stripped-text', 'signature'],
  rawFields: ['body-mime'],
  async toInput(fields: FormFields): Promise<MailInput> {
    const mime = fields.get('body-mime');
    // Raw mode posts no verdict of Mailgun's, and headers inside the message are the sender's to write:
    // the message is verified as it is.
    if (mime !== undefined && mime.trim() !== '') return { kind: 'raw', raw: fieldBytes(mime) };

    const field = (name: string): string | null => {
      const value = fields.get(name);
      return value === undefined ? null : nonBlank(decodeField(value, 'utf-8'));
    };
    const text = field('body-plain');
    const html = field('body-html');
    if (text === null && html === null) {
      throw new MailRefusal(400, 'The Mailgun post has neither "body-mime" nor "body-plain"/"body-html".');
    }
    const dkimSignatures: string[] = [];
    const headers = parseMessageHeaders(fields.get('message-headers'), dkimSignatures);
    const verdict = mailgunVerdict((name) => headers.get(name), dkimSignatures, fields.get('sender') ?? null);
    return {
      kind: 'parts',
      evidence: { verdicts: verdict ? [verdict] : [] },
      parts: {
        subject: field('subject') ?? nonBlank(headers.get('subject')),
        from: field('from') ?? nonBlank(headers.get('from')) ?? field('sender'),
        date: toIsoDate(headers.get('date')),
        messageId: nonBlank(headers.get('message-id')),
        text,
        html,
      },
    };
  },
};
