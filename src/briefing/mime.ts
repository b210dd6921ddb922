import type { AddressObject, ParsedMail, SimpleParserOptions } from 'mailparser';
import { BriefingParseError } from './errors.js';
import {
  autoReplyHeader,
  autoReplySubject,
  type HeaderValues,
  isInvitation,
  NotABriefing,
  reportKind,
} from './not-briefing.js';
import { type Original, parsePartsWith } from './parse.js';
import { MAX_SUBJECT } from './subject.js';
import type { EmailParts, ParsedEmail } from './types.js';

/**
 * Larger than any mail server delivers (Gmail and Outlook cap whole messages at 25 MB); refusing it
 * keeps a hostile upload from holding the parser's memory.
 */
export const MAX_INPUT_BYTES = 25 * 1024 * 1024;
/** Attached originals inside attached originals: a real forward chain is 2–3 deep. */
const MAX_ATTACHMENT_DEPTH = 4;
/** The header block of a real message is well under this; a paste is recognised before it. */
const MAX_HEADER_SCAN = 64 * 1024;
/** A header block names at least one of these, which a pasted body never starts with. */
const KNOWN_HEADERS = new Set([
  'from',
  'to',
  'subject',
  'date',
  'received',
  'message-id',
  'mime-version',
  'return-path',
  'delivered-to',
  'content-type',
  'x-mailer',
  'reply-to',
  'sender',
  'dkim-signature',
  'arc-seal',
]);
const HEADER_LINE = /^([!-9;-~]{1,76}):/;
/** A headerless paste whose first line is the subject ("Fwd: Headline (Oct. 7, 2021)") keeps it. */
const SUBJECT_LINE =
  /^(?:(?:fwd?|fw|rv|enc|tr)\s*:\s*|.{10,300}\(\s*\p{L}{3,10}\.?\s+\d{1,2},?\s+\d{4}\s*\)\s*$)/iu;
const MAX_SUBJECT_LINE = 300;

/** True when the bytes start with an RFC 822 header block (not a pasted body that happens to contain colons). */
export function looksLikeMime(head: string): boolean {
  const lines = head
    .slice(0, MAX_HEADER_SCAN)
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/);
  let known = 0;
  let index = 0;
  if (lines[0]?.startsWith('From ')) index = 1; // mbox envelope line
  for (; index < lines.length; index++) {
    const line = lines[index] ?? '';
    if (line === '') break;
    if (/^[ \t]/.test(line)) {
      if (index === 0) return false;
      continue;
    }
    const match = HEADER_LINE.exec(line);
    if (!match) return false;
    if (KNOWN_HEADERS.has((match[1] ?? '').toLowerCase())) known++;
  }
  return known > 0 && index < lines.length;
}

function looksLikeHtml(text: string): boolean {
  return /^\s*(?:<!doctype html|<html|<body|<div|<p[\s>]|<table|<h[1-6][\s>]|<meta|<head)/i.test(
    text.slice(0, 2048),
  );
}

function decode(raw: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(raw);
  } catch {
    // Pastes saved by Windows tools are often cp1252; it maps every byte, so this cannot fail.
    return new TextDecoder('windows-1252').decode(raw);
  }
}

function mailbox(address: AddressObject | AddressObject[] | undefined): {
  text: string | null;
  name: string | null;
  address: string | null;
} {
  const first = Array.isArray(address) ? address[0] : address;
  const entry = first?.value[0];
  return {
    text: first?.text?.slice(0, MAX_SUBJECT) || null,
    name: entry?.name?.trim() || null,
    address: entry?.address?.trim() || null,
  };
}

/** Google Groups rewrites the sender as "'Molly Molloy' via Group <group@googlegroups.com>". */
const VIA_GROUP = /^['"]?(.+?)['"]? via .+$/;

/** The person behind a group-rewritten From: their name, and the Reply-To address the group keeps. */
function groupRewrite(
  from: ReturnType<typeof mailbox>,
  replyTo: ReturnType<typeof mailbox>,
): ReturnType<typeof mailbox> {
  const via = from.name ? VIA_GROUP.exec(from.name.slice(0, MAX_SUBJECT)) : null;
  if (!via?.[1]) return from;
  const name = via[1].trim();
  const address = replyTo.address ?? from.address;
  return { name, address, text: address ? `${name} <${address}>` : name };
}

interface Read {
  parts: EmailParts;
  /** The raw Date header (keeps the sender's own day, which an ISO conversion to UTC may shift). */
  rawDate: string | null;
  attached: Buffer | null;
  fromName: string | null;
  fromAddress: string | null;
}

/**
 * ignoreEmbedded (passed through to mailsplit, not in the typings): an attached message/rfc822 stays
 * one attachment, so its own headers and Message-ID survive instead of being inlined into the text.
 */
const PARSER_OPTIONS = {
  ignoreEmbedded: true,
  skipImageLinks: true,
  skipTextLinks: true,
  // We read the HTML part ourselves and never use text-as-HTML: both conversions are wasted work.
  skipHtmlToText: true,
  skipTextToHtml: true,
} as SimpleParserOptions;

/**
 * Loaded with the first email, not at start-up: mailparser and its charset tables are ~30 MB of RSS
 * that a bot waiting for the morning's mail does not need. The promise is kept: each `import()` asks
 * the module loader again (under tsx, a round trip to its hooks), which cost more than a parse.
 */
let mailparser: Promise<typeof import('mailparser')> | null = null;
const loadMailparser = () => {
  mailparser ??= import('mailparser');
  return mailparser;
};

/** Header values as text: mailparser keeps some structured (`{ value, params }`), some as strings. */
function headerValues(mail: ParsedMail): HeaderValues {
  const values = new Map<string, string>();
  for (const [name, value] of mail.headers) {
    if (typeof value === 'string') values.set(name, value);
    else if (value && typeof value === 'object' && 'value' in value) values.set(name, String(value.value));
  }
  return values;
}

/**
 * The outer message is mail a machine sent by itself, never a briefing: an auto-reply, a bounce or
 * other report, a calendar invitation. Throws NotABriefing saying which.
 */
function refuseAutomatic(mail: ParsedMail): void {
  const headers = headerValues(mail);
  const auto = autoReplyHeader(headers);
  if (auto) throw new NotABriefing(`The email is an automatic reply (${auto}).`);
  if (autoReplySubject(mail.subject ?? null)) {
    throw new NotABriefing('The email is an automatic reply (out-of-office subject).');
  }
  const type = mail.headers.get('content-type');
  const params =
    type && typeof type === 'object' && 'params' in type ? (type.params as Record<string, string>) : {};
  const report = reportKind(headers.get('content-type'), params['report-type']);
  if (report === 'delivery-status') {
    throw new NotABriefing('The email is a delivery status notification (a bounce), not a briefing.');
  }
  if (report !== null) throw new NotABriefing(`The email is a ${report} report, not a briefing.`);
  const hasBody = Boolean(mail.text?.trim() || (typeof mail.html === 'string' && mail.html.trim()));
  const invitation = mail.attachments.find(
    (part) =>
      part.contentType === 'text/calendar' &&
      (part.contentDisposition !== 'attachment' || !hasBody) &&
      isInvitation(part.content.toString('utf8')),
  );
  if (invitation || (headers.get('content-type') === 'text/calendar' && isInvitation(mail.text ?? ''))) {
    throw new NotABriefing('The email is a calendar invitation, not a briefing.');
  }
}

async function readMime(raw: Buffer, options: { outer: boolean }): Promise<Read> {
  let mail: ParsedMail;
  try {
    const { simpleParser } = await loadMailparser();
    mail = await simpleParser(raw, PARSER_OPTIONS);
  } catch (error) {
    throw new BriefingParseError(
      `The email could not be read: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  if (options.outer) refuseAutomatic(mail);
  const from = groupRewrite(mailbox(mail.from), mailbox(mail.replyTo));
  const dateLine = mail.headerLines?.find((line) => line.key === 'date')?.line ?? null;
  const attachment = mail.attachments.find((part) => part.contentType === 'message/rfc822');
  return {
    parts: {
      subject: mail.subject ?? null,
      from: from.text,
      date: mail.date && !Number.isNaN(mail.date.getTime()) ? mail.date.toISOString() : null,
      messageId: mail.messageId ?? null,
      listName: listName(mail.headerLines?.find((line) => line.key === 'list-id')?.line ?? null),
      text: mail.text ?? null,
      html: typeof mail.html === 'string' ? mail.html : null,
    },
    rawDate: dateLine ? dateLine.replace(/^date:\s*/i, '') : null,
    attached: attachment ? attachment.content : null,
    fromName: from.name,
    fromAddress: from.address,
  };
}

/** `List-Id: "AS/COA Online" <8a1f3c.list-id.mcsv.net>` → "AS/COA Online"; null without a display name. */
function listName(line: string | null): string | null {
  const value = (line ?? '').replace(/^list-id:\s*/i, '').slice(0, 300);
  const name = /^\s*"?([^"<]{2,120}?)"?\s*</u.exec(value)?.[1]?.trim();
  return name || null;
}

function formatMailbox(name: string | null, address: string | null): string | null {
  if (name && address) return `${name} <${address}>`;
  return address ?? name;
}

function hasBody(parts: EmailParts): boolean {
  return Boolean(parts.text?.trim() || parts.html?.replace(/<[^>]{0,2000}>/g, '').trim());
}

/** Follows forward-as-attachment chains to the innermost original. */
async function readWithAttachments(raw: Buffer): Promise<{ parts: EmailParts; inner: Partial<Original> }> {
  const outer = await readMime(raw, { outer: true });
  let current = outer;
  let depth = 0;
  const notes: string[] = [];
  while (current.attached && depth < MAX_ATTACHMENT_DEPTH) {
    const attached = await readMime(current.attached, { outer: false });
    // An attached message without a body (an empty message/rfc822 part, as some old clients sent)
    // is not the original: the briefing is the text we already have.
    if (!hasBody(attached.parts)) break;
    const note = (current.parts.text ?? '').trim();
    if (note) notes.push(note);
    current = attached;
    depth++;
  }
  if (current === outer) return { parts: outer.parts, inner: {} };
  const parts: EmailParts = {
    ...current.parts,
    from: outer.parts.from,
    date: outer.parts.date,
    messageId: outer.parts.messageId,
  };
  return {
    parts,
    inner: {
      subject: current.parts.subject,
      from: formatMailbox(current.fromName, current.fromAddress),
      fromName: current.fromName,
      date: current.rawDate ?? current.parts.date,
      messageId: current.parts.messageId,
      note: notes[0] ?? null,
    },
  };
}

function headerless(text: string): EmailParts {
  const body = text.replace(/^\uFEFF/, '');
  if (looksLikeHtml(body))
    return { subject: null, from: null, date: null, messageId: null, text: null, html: body };
  const firstBreak = body.search(/\r?\n/);
  const first = (firstBreak === -1 ? body : body.slice(0, firstBreak)).trim();
  if (first.length <= MAX_SUBJECT_LINE && SUBJECT_LINE.test(first)) {
    return {
      subject: first,
      from: null,
      date: null,
      messageId: null,
      text: body.slice(first.length + 1),
      html: null,
    };
  }
  return { subject: null, from: null, date: null, messageId: null, text: body, html: null };
}

/**
 * Raw RFC 822 bytes, or a plain-text / HTML body with no headers → briefing. Throws only
 * BriefingParseError (empty, unreadable, oversized, no text).
 */
export async function parseEmail(raw: Buffer | string): Promise<ParsedEmail> {
  const size = typeof raw === 'string' ? Buffer.byteLength(raw) : raw.length;
  if (size === 0) throw new BriefingParseError('The email is empty.');
  if (size > MAX_INPUT_BYTES)
    throw new BriefingParseError(`The email is larger than ${MAX_INPUT_BYTES} bytes.`);
  const text = typeof raw === 'string' ? raw : decode(raw.subarray(0, MAX_HEADER_SCAN));
  if (!looksLikeMime(text)) {
    return parsePartsWith(headerless(typeof raw === 'string' ? raw : decode(raw)));
  }
  const { parts, inner } = await readWithAttachments(typeof raw === 'string' ? Buffer.from(raw) : raw);
  return parsePartsWith(parts, inner);
}
