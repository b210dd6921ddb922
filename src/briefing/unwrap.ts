import EmailForwardParser from 'email-forward-parser';
import {
  FORWARD_SEPARATOR_LINES,
  HEADER_LABELS,
  REPLY_SUBJECT_PREFIX,
  SEPARATOR_LINES,
} from './data/forward.js';

/** What one level of forward unwrapping found. */
export interface Unwrapped {
  forwarded: boolean;
  /** The original sender as written ("Name <address>", or the address, or the name). */
  from: string | null;
  fromAddress: string | null;
  fromName: string | null;
  subject: string | null;
  /** The original date exactly as the client wrote it (localised; parse it with dates.ts). */
  date: string | null;
  /** What the forwarder wrote above the forward. */
  note: string | null;
  /** The original message's body. */
  body: string;
}

/**
 * email-forward-parser's regexes take quadratic time on long runs of blank lines or spaces (measured:
 * 16k newlines ≈ 6 s). Those runs carry no meaning, so they are squeezed before it sees the text;
 * 8 columns keeps Outlook's four-space quote indent intact.
 */
const MAX_INDENT = 8;
/**
 * The forward header sits near the top; the library only sees this much of the text and the rest is
 * appended to the body it returns. Its cost grows with the text it sees (the seed's 20 kB took
 * 8 ms, most of a parse; some hostile shapes are quadratic: 64 kB of "<div>" took 650 ms), so the
 * window is as small as real forwards allow: headers start within the first few hundred characters,
 * behind the forwarder's note. Our own separator scan below still covers the whole text.
 */
const FORWARD_WINDOW_CHARS = 8 * 1024;
/** How many lines after a separator may hold the header block. */
const HEADER_BLOCK_MAX_LINES = 12;
/** Header values longer than this are not header values. */
const MAX_HEADER_VALUE = 500;

/**
 * Every forward the library recognises has a sender address in its header block or a separator rule
 * ("-----Original Message-----", underscores): without either, it is not asked (a body without a
 * forward is the common case on the second unwrap pass, and the library's full scan is its slowest).
 */
const RULE_HINT = /^[ \t>*]*[-_=]{5,}/m;
/**
 * The window ends at the blank line closing the header block (searched from this far past the first
 * hint, so the hint's own line and its neighbours are inside)…
 */
const HEADER_MIN_SPAN = 300;
/** …plus enough of the body for the library to return its first lines (where our lines resume). */
const BODY_PEEK_CHARS = 400;
/** The library always sees at least this much (short notes, headers without an address). */
const MIN_WINDOW_CHARS = 1024;

/** How many lines from the hint's line the labelled header block may start. */
const LABEL_SCAN_LINES = 12;

/**
 * Where the header block after the hint ends, when its labels are ones we know (en/es/pt "From:",
 * "Asunto:", "Enviado em:"…): the blank line after the first run of label lines, or -1. With it the
 * window is the header plus BODY_PEEK_CHARS, without the MIN_WINDOW_CHARS slack kept for headers we
 * cannot read (the library's cost grows faster than the text it sees: 1.3 kB took twice 0.8 kB).
 */
function labelledHeaderEnd(text: string, hint: number): number {
  let at = text.lastIndexOf('\n', hint) + 1;
  let labels = 0;
  for (let line = 0; line < LABEL_SCAN_LINES + labels && at < text.length; line++) {
    const next = text.indexOf('\n', at);
    const stop = next === -1 ? text.length : next;
    const content = text.slice(at, stop).trim();
    if (labelOf(content)) labels++;
    else if (labels > 0) return content === '' ? at : -1;
    at = stop + 1;
  }
  return -1;
}

/** Position of the first address or separator rule, or -1. */
function firstHint(text: string): number {
  const at = text.indexOf('@');
  const rule = RULE_HINT.exec(text)?.index ?? -1;
  if (at === -1) return rule;
  return rule === -1 ? at : Math.min(at, rule);
}

let library: EmailForwardParser | null = null;

function squeezeWhitespace(text: string): string {
  return text
    .replace(/^\uFEFF/, '')
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((line) => line.trimEnd())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .replace(/^[ \t]{9,}/gm, ' '.repeat(MAX_INDENT))
    .replace(/(\S)[ \t]{9,}/g, '$1 ');
}

/** "Name <address>", or whichever part is known. */
export function formatMailbox(name: string | null, address: string | null): string | null {
  const cleanName = name?.trim() || null;
  const cleanAddress = address?.trim() || null;
  if (cleanName && cleanAddress && cleanName !== cleanAddress) return `${cleanName} <${cleanAddress}>`;
  return cleanAddress ?? cleanName;
}

const NOT_FORWARDED = (text: string): Unwrapped => ({
  forwarded: false,
  from: null,
  fromAddress: null,
  fromName: null,
  subject: null,
  date: null,
  note: null,
  body: text,
});

/**
 * One level of forward: email-forward-parser first (or our reading of the forwards every client writes
 * alike, which gives what it would), then our own separator list for what it misses. Pure; never throws.
 */
export function unwrapOnce(
  text: string,
  subject: string | null,
  options: { shortcut?: boolean } = {},
): Unwrapped {
  const squeezed = squeezeWhitespace(text);
  const hint = firstHint(squeezed.slice(0, FORWARD_WINDOW_CHARS));
  // Without a hint in reach the library would find nothing; only our separator scan runs.
  const found = hint === -1 ? null : readForward(squeezed, hint, subject, options.shortcut !== false);
  if (found) return found;
  // A reply quoting its thread carries the same separators; only a non-reply falls through to ours.
  if (subject && REPLY_SUBJECT_PREFIX.test(subject)) return NOT_FORWARDED(squeezed);
  return unwrapBySeparator(squeezed);
}

/**
 * The forward the library finds from the first hint on, or null. `shortcut: false` asks the library
 * even for the forwards `knownForward` reads: the reference the shortcut is tested against.
 */
function readForward(
  squeezed: string,
  hint: number,
  subject: string | null,
  shortcut: boolean,
): Unwrapped | null {
  // The library reads a body only under a forward's subject, or with none.
  const forwardSubject = subject ? libraryForwardSubject(subject) : null;
  if (subject && forwardSubject === null) return null;
  const known =
    shortcut && forwardSubject !== undefined ? knownForward(squeezed, hint, forwardSubject) : null;
  return known ?? libraryForward(squeezed, hint, subject);
}

/** The part of the library that reads a subject; not in its types, so looked up with care. */
interface SubjectReader {
  parseSubject(subject: string): string | null;
}

/**
 * The subject without its forward prefix, as the library reads it ("" for a bare "Fwd:"); null when it
 * is not a forward's; undefined if the library's subject reader is not where it was (then only the
 * library itself is asked). `read('', subject)` would not do: it also runs every body pattern over the
 * empty body (more than the rest of a shortcut read) and reports "" as no subject.
 */
function libraryForwardSubject(subject: string): string | null | undefined {
  try {
    library ??= new EmailForwardParser();
    const reader = (library as unknown as { parser?: Partial<SubjectReader> }).parser;
    return typeof reader?.parseSubject === 'function' ? reader.parseSubject(subject) : undefined;
  } catch {
    return undefined;
  }
}

/** email-forward-parser on a window around the header block (see FORWARD_WINDOW_CHARS); null if none. */
function libraryForward(squeezed: string, hint: number, subject: string | null): Unwrapped | null {
  let head = squeezed;
  let tail = '';
  const labelled = labelledHeaderEnd(squeezed, hint);
  let end: number;
  if (labelled !== -1) {
    end = Math.min(FORWARD_WINDOW_CHARS, labelled + BODY_PEEK_CHARS);
  } else {
    const blank = squeezed.indexOf('\n\n', hint + HEADER_MIN_SPAN);
    const headerEnd = blank === -1 ? FORWARD_WINDOW_CHARS : blank + BODY_PEEK_CHARS;
    end = Math.min(FORWARD_WINDOW_CHARS, Math.max(MIN_WINDOW_CHARS, headerEnd));
  }
  if (squeezed.length > end) {
    const cut = squeezed.indexOf('\n', end);
    if (cut !== -1) {
      head = squeezed.slice(0, cut);
      tail = squeezed.slice(cut);
    }
  }
  try {
    library ??= new EmailForwardParser();
    const result = library.read(head, subject ?? undefined);
    if (!result.forwarded) return null;
    const email = result.email;
    return {
      forwarded: true,
      from: formatMailbox(email.from.name, email.from.address),
      fromAddress: email.from.address?.trim() || null,
      fromName: email.from.name?.trim() || null,
      subject: email.subject?.trim() || null,
      date: email.date?.trim() || null,
      note: result.message?.trim() || null,
      body: (email.body ?? '') + tail,
    };
  } catch {
    // The library is a heuristic; if it trips on odd input our own markers still apply.
    return null;
  }
}

/** What `unwrapOnce` reads a text as before it looks for a forward (for the shortcut's test). */
export function forwardInput(text: string): { squeezed: string; hint: number } {
  const squeezed = squeezeWhitespace(text);
  return { squeezed, hint: firstHint(squeezed.slice(0, FORWARD_WINDOW_CHARS)) };
}

/** A line opening with a quote mark or four spaces. */
const QUOTED_OR_INDENTED = /^(?:>| {4})/m;

/** Lines between a separator and the header block it introduces (Apple Mail leaves one blank). */
const MAX_BLANKS_AFTER_SEPARATOR = 2;

/**
 * The forwards every mail client writes the same way, read without the library: a separator line of
 * ours that opens a forward (Gmail's "---------- Forwarded message ---------", Apple Mail's "Begin
 * forwarded message:", Outlook's rule, in en/es/pt; the library keeps "-----Original Message-----" in
 * the note) at or just above the first hint, then
 * a block of one-line labelled headers closed by a blank line, with a sender. What the library returns
 * for them is the same (checked on its own fixtures and ours), at a tenth of the cost: it tries every
 * language's separators and header patterns over the window, and To and Cc we never use. Anything
 * else (quoted or indented headers, values wrapped onto a second line, labels we do not know) is
 * left to the library. `forwardSubject` is the forward's subject without its prefix, as the library
 * reports it.
 */
export function knownForward(text: string, hint: number, forwardSubject: string | null): Unwrapped | null {
  const hintLineStart = text.lastIndexOf('\n', hint) + 1;
  // The separator: the hint's own line (a rule) or the line a blank or two above the sender's.
  let separatorStart = hintLineStart;
  for (let above = 0; ; above++) {
    const end = text.indexOf('\n', separatorStart);
    const line = text.slice(separatorStart, end === -1 ? text.length : end).trim();
    if (line.length <= 80 && FORWARD_SEPARATOR_LINES.some((pattern) => pattern.test(line))) break;
    if (above > MAX_BLANKS_AFTER_SEPARATOR || separatorStart === 0) return null;
    if (above > 0 && line !== '') return null;
    separatorStart = text.lastIndexOf('\n', separatorStart - 2) + 1;
  }
  const separatorEnd = text.indexOf('\n', separatorStart);
  if (separatorEnd === -1) return null;
  const fields: Partial<Record<keyof typeof HEADER_LABELS, string>> = {};
  let at = separatorEnd + 1;
  let labels = 0;
  let closed = false;
  for (let line = 0; !closed && line < HEADER_BLOCK_MAX_LINES + MAX_BLANKS_AFTER_SEPARATOR; line++) {
    const next = text.indexOf('\n', at);
    if (next === -1) return null;
    const raw = text.slice(at, next);
    at = next + 1;
    if (raw.trim() === '') {
      if (labels === 0 && line < MAX_BLANKS_AFTER_SEPARATOR) continue;
      closed = labels > 0;
      if (!closed) return null;
      continue;
    }
    if (/^[\s>*]/u.test(raw)) return null;
    const header = labelOf(raw);
    if (!header || header.value === '' || fields[header.field] !== undefined) return null;
    fields[header.field] = header.value;
    labels++;
  }
  // A block without a sender (Google Groups' "Subject:" and "To:" only, as the seed has) still needs
  // a subject to be a forward's header.
  if (!closed || (fields.from === undefined && fields.subject === undefined)) return null;
  const mailbox = fields.from === undefined ? { name: null, address: null } : splitMailbox(fields.from);
  // "Name<mailto:…> <…> on behalf of …": the library picks the first of several mailboxes.
  if (fields.from !== undefined && (mailbox.address === null || /[<>@[\]]/u.test(mailbox.name ?? '')))
    return null;
  // The library unquotes "> " lines and Outlook's four-space indent; such bodies stay with it.
  if (QUOTED_OR_INDENTED.test(text.slice(at))) return null;
  const note = text.slice(0, separatorStart).trim();
  return {
    forwarded: true,
    from: formatMailbox(mailbox.name, mailbox.address),
    fromAddress: mailbox.address,
    fromName: mailbox.name,
    // As the library: the forward's own subject unless it is empty ("Fwd:" alone).
    subject: forwardSubject || fields.subject || null,
    date: fields.date ?? null,
    note: note || null,
    body: text.slice(at).replace(/^\n+/, '').trimEnd(),
  };
}

function labelOf(line: string): { field: keyof typeof HEADER_LABELS; value: string } | null {
  const colon = line.indexOf(':');
  if (colon <= 0 || colon > 20) return null;
  const label = line
    .slice(0, colon)
    .replace(/^[*>\s]+|[*\s]+$/g, '')
    .toLowerCase();
  for (const [field, labels] of Object.entries(HEADER_LABELS) as [
    keyof typeof HEADER_LABELS,
    readonly string[],
  ][]) {
    if (labels.includes(label)) {
      return {
        field,
        value: line
          .slice(colon + 1)
          .replace(/^[*\s]+/, '')
          .trim()
          .slice(0, MAX_HEADER_VALUE),
      };
    }
  }
  return null;
}

/** Splits "Name <address>" / "address" / "Name [mailto:address]". */
export function splitMailbox(value: string): { name: string | null; address: string | null } {
  const angle = /^(.*?)\s*[<[](?:mailto:)?([^\s<>[\]]+@[^\s<>[\]]+)[>\]]\s*$/.exec(value);
  if (angle) {
    const name = angle[1]?.replace(/^["'\s]+|["'\s]+$/g, '') || null;
    return { name, address: angle[2] ?? null };
  }
  if (/^[^\s@]+@[^\s@]+$/.test(value)) return { name: null, address: value };
  return { name: value.replace(/^["'\s]+|["'\s]+$/g, '') || null, address: null };
}

/** Fallback: a separator line from our data, then a header block with at least From or Subject. */
function unwrapBySeparator(text: string): Unwrapped {
  const lines = text.split('\n');
  for (let index = 0; index < lines.length; index++) {
    const line = (lines[index] ?? '').trim();
    if (line.length > 80 || !SEPARATOR_LINES.some((pattern) => pattern.test(line))) continue;
    const fields: Partial<Record<keyof typeof HEADER_LABELS, string>> = {};
    let cursor = index + 1;
    while (cursor < lines.length && (lines[cursor] ?? '').trim() === '') cursor++;
    const start = cursor;
    while (cursor < lines.length && cursor - start < HEADER_BLOCK_MAX_LINES) {
      const header = labelOf((lines[cursor] ?? '').trim());
      if (!header) break;
      fields[header.field] ??= header.value;
      cursor++;
    }
    if (fields.from === undefined && fields.subject === undefined) continue;
    const mailbox = splitMailbox(fields.from ?? '');
    const note = lines.slice(0, index).join('\n').trim();
    return {
      forwarded: true,
      from: formatMailbox(mailbox.name, mailbox.address),
      fromAddress: mailbox.address,
      fromName: mailbox.name,
      subject: fields.subject || null,
      date: fields.date || null,
      note: note || null,
      body: lines.slice(cursor).join('\n').replace(/^\n+/, '').trimEnd(),
    };
  }
  return NOT_FORWARDED(text);
}
