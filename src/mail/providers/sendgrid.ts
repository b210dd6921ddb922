import type { MailInput } from '../../ingest/types.js';
import type { FormFields } from '../form.js';
import { MailRefusal } from '../refusal.js';
import { sendgridVerdict } from '../sender-auth/verdicts.js';
import { decodeField, fieldBytes, nonBlank, parseHeaderBlock, toIsoDate } from '../text.js';
import { withAttachedOriginal } from './attached.js';
import type { FormProvider } from './types.js';

/** SendGrid's `charsets` field: JSON mapping field names to the charset of their bytes. */
function parseCharsets(raw: string | undefined): Record<string, string> {
  if (!raw) return {};
  try {
    const parsed: unknown = JSON.parse(raw);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return {};
    const charsets: Record<string, string> = {};
    for (const [field, charset] of Object.entries(parsed)) {
      if (typeof charset === 'string') charsets[field] = charset;
    }
    return charsets;
  } catch {
    return {};
  }
}

/** `envelope`: JSON `{"to": [...], "from": "molly@example.org"}`, the SMTP MAIL FROM. */
function envelopeFrom(raw: string | undefined): string | null {
  if (!raw) return null;
  try {
    const parsed: unknown = JSON.parse(raw);
    const from = (parsed as { from?: unknown } | null)?.from;
    return typeof from === 'string' ? from : null;
  } catch {
    return null;
  }
}

/**
 * Parsed mode posts attachments as file parts `attachment1`…`attachmentN`; only message parts are kept
 * (keepFormFile), so the first one present is the attached original. `attachment-info` is not needed:
 * the part's own content type said what it is.
 */
function attachedOriginal(fields: FormFields): Buffer | null {
  for (const [name, value] of fields) {
    if (/^attachment\d{1,3}$/.test(name) && value.trim() !== '') return fieldBytes(value);
  }
  return null;
}

/**
 * SendGrid Inbound Parse. Raw mode: the whole message in `email`. Parsed mode: `text`, `html`,
 * `subject`, `from` in the charsets listed in `charsets`, the original header block in `headers`.
 */
export const sendgrid: FormProvider = {
  name: 'sendgrid',
  markers: ['email', 'charsets', 'envelope', 'headers', 'text', 'html', 'SPF', 'dkim', 'spam_score'],
  rawFields: ['email'],
  async toInput(fields: FormFields): Promise<MailInput> {
    const verdict = sendgridVerdict(
      fields.get('SPF'),
      fields.get('dkim'),
      envelopeFrom(fields.get('envelope')),
    );
    const evidence = { verdicts: verdict ? [verdict] : [] };
    const email = fields.get('email');
    if (email !== undefined && email.trim() !== '') return { kind: 'raw', raw: fieldBytes(email), evidence };

    const charsets = parseCharsets(fields.get('charsets'));
    const decode = (name: string): string | null => {
      const value = fields.get(name);
      return value === undefined ? null : nonBlank(decodeField(value, charsets[name]));
    };
    const text = decode('text');
    const html = decode('html');
    if (text === null && html === null) {
      throw new MailRefusal(400, 'The SendGrid post has neither an "email" field nor a text or html body.');
    }
    const headers = parseHeaderBlock(decodeField(fields.get('headers') ?? '', charsets.headers));
    const parts = {
      subject: decode('subject') ?? nonBlank(headers.get('subject')),
      from: decode('from') ?? nonBlank(headers.get('from')),
      date: toIsoDate(headers.get('date')),
      messageId: nonBlank(headers.get('message-id')),
      text,
      html,
    };
    const original = attachedOriginal(fields);
    if (original !== null) return { kind: 'raw', raw: await withAttachedOriginal(parts, original), evidence };
    return { kind: 'parts', parts, evidence };
  },
};
