import type { MailInput } from '../../ingest/types.js';
import { MailRefusal } from '../refusal.js';
import { receivedSpfVerdict } from '../sender-auth/verdicts.js';
import { nonBlank, toIsoDate } from '../text.js';
import { isMessageAttachment, withAttachedOriginal } from './attached.js';

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function stringField(body: Json, name: string): string | null {
  const value = body[name];
  return typeof value === 'string' ? nonBlank(value) : null;
}

function header(body: Json, name: string): string | null {
  const headers = body.Headers;
  if (!Array.isArray(headers)) return null;
  for (const entry of headers) {
    if (isObject(entry) && typeof entry.Name === 'string' && entry.Name.toLowerCase() === name) {
      return typeof entry.Value === 'string' ? nonBlank(entry.Value) : null;
    }
  }
  return null;
}

/** "Name <address>" from `FromFull` when Postmark gives it (its `From` is the bare address). */
function sender(body: Json): string | null {
  const full = body.FromFull;
  if (isObject(full) && typeof full.Email === 'string' && full.Email.trim() !== '') {
    const name = typeof full.Name === 'string' ? full.Name.trim() : '';
    return name ? `${name} <${full.Email.trim()}>` : full.Email.trim();
  }
  return stringField(body, 'From');
}

/** `Attachments[]`: `{Name, Content (base64), ContentType}`; the first attached message is the original. */
function attachedOriginal(body: Json): Buffer | null {
  const attachments = body.Attachments;
  if (!Array.isArray(attachments)) return null;
  for (const entry of attachments) {
    if (!isObject(entry) || typeof entry.Content !== 'string') continue;
    const type = typeof entry.ContentType === 'string' ? entry.ContentType : undefined;
    const name = typeof entry.Name === 'string' ? entry.Name : undefined;
    if (!isMessageAttachment(type, name)) continue;
    const content = Buffer.from(entry.Content, 'base64');
    if (content.length > 0) return content;
  }
  return null;
}

/**
 * Postmark inbound JSON. `RawEmail` (only when the server enables it) is the whole message; else the
 * full `TextBody`/`HtmlBody` — never `StrippedTextReply`, which drops the forwarded briefing.
 * `MessageID` is Postmark's own id, so the original Message-ID header is preferred.
 */
export async function postmarkInput(body: unknown): Promise<MailInput> {
  if (!isObject(body)) throw new MailRefusal(400, 'The JSON body is not a Postmark inbound message object.');
  // Postmark prepends its own Received-SPF: the first one in Headers is Postmark's verdict.
  const spf = receivedSpfVerdict(header(body, 'received-spf') ?? undefined, 'Postmark');
  const evidence = { verdicts: spf ? [spf] : [] };
  const raw = stringField(body, 'RawEmail');
  if (raw !== null) return { kind: 'raw', raw: Buffer.from(raw, 'utf8'), evidence };

  const text = stringField(body, 'TextBody');
  const html = stringField(body, 'HtmlBody');
  if (text === null && html === null) {
    throw new MailRefusal(400, 'The Postmark message has neither RawEmail nor TextBody/HtmlBody.');
  }
  const parts = {
    subject: stringField(body, 'Subject'),
    from: sender(body),
    date: toIsoDate(stringField(body, 'Date') ?? header(body, 'date')),
    messageId: header(body, 'message-id') ?? stringField(body, 'MessageID'),
    text,
    html,
  };
  const original = attachedOriginal(body);
  if (original !== null) return { kind: 'raw', raw: await withAttachedOriginal(parts, original), evidence };
  return { kind: 'parts', parts, evidence };
}
