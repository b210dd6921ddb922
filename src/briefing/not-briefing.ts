/**
 * Mail that is not a briefing, told apart before any of it is stored or posted: auto-replies,
 * delivery status notifications, calendar invitations, binary or undecodable bodies, bodies with no
 * words. Each check says why, in words a desk can act on; the parser throws NotABriefing with it.
 * Subscription confirmations are not briefings either, but somebody must click them: they are thrown
 * as SubscriptionConfirmation, which carries the confirm link.
 */
import { BriefingParseError } from './errors.js';
import type { Link } from './types.js';

/** Not a briefing, and never will be: refused for good with `message` as the reason. */
export class NotABriefing extends BriefingParseError {}

/**
 * A newsletter asking the inbound address to confirm its subscription. Not a briefing; shown once in
 * the briefing channel as a short notice with the confirm link.
 */
export class SubscriptionConfirmation extends BriefingParseError {
  readonly subject: string;
  readonly sender: string | null;
  /** The confirm link (http or https), when the email has one. */
  readonly confirm: Link | null;
  constructor(subject: string, sender: string | null, confirm: Link | null) {
    super('The email is a subscription confirmation, not a briefing.');
    this.subject = subject;
    this.sender = sender;
    this.confirm = confirm;
  }
}

/** The headers the checks read, lower-cased names, values as sent (mailparser's structured ones flattened). */
export type HeaderValues = ReadonlyMap<string, string>;

/**
 * RFC 3834 `Auto-Submitted` (anything but "no"), the `X-Autoreply`/`X-Autorespond` headers Exchange,
 * Zimbra and vacation scripts set, and `Precedence: auto_reply`.
 */
export function autoReplyHeader(headers: HeaderValues): string | null {
  const submitted = headers.get('auto-submitted')?.trim().toLowerCase();
  if (submitted && !/^no\b/.test(submitted)) return `Auto-Submitted: ${submitted.slice(0, 40)}`;
  for (const name of ['x-autoreply', 'x-autorespond']) {
    const value = headers.get(name)?.trim().toLowerCase();
    if (value !== undefined && value !== 'no' && value !== 'false') return `${name}: ${value.slice(0, 40)}`;
  }
  const precedence = headers.get('precedence')?.trim().toLowerCase();
  if (precedence === 'auto_reply' || precedence === 'auto-reply') return `Precedence: ${precedence}`;
  return null;
}

/**
 * Out-of-office and automatic-reply subjects in English, Spanish and Portuguese, at the start of the
 * subject (a reply prefix allowed): "Automatic reply: …", "Out of Office: …", "Respuesta automática",
 * "Fuera de la oficina", "Resposta automática", "Ausente do escritório", "Fora do escritório".
 */
const AUTO_REPLY_SUBJECT =
  /^(?:(?:re|aw|rv|res)\s*:\s*)*(?:automatic reply|auto[- ]?reply|autoreply|auto[- ]?response|out of (?:the )?office|ooo\b|away from (?:the )?office|on vacation|vacation reply|respuesta autom[aá]tica|fuera de (?:la )?oficina|ausente de la oficina|estoy fuera|resposta autom[aá]tica|fora do escrit[oó]rio|ausente do escrit[oó]rio|aus[eê]ncia tempor[aá]ria|estou fora)\b/iu;

export function autoReplySubject(subject: string | null): boolean {
  return subject !== null && AUTO_REPLY_SUBJECT.test(subject.trim().slice(0, 200));
}

/** "multipart/report; report-type=delivery-status" (RFC 3464), and its disposition-notification cousin. */
export function reportKind(contentType: string | undefined, reportType: string | undefined): string | null {
  if (contentType?.toLowerCase() !== 'multipart/report') return null;
  return (reportType ?? 'report').toLowerCase().slice(0, 40);
}

/** An iCalendar body asking for an answer: an invitation (METHOD:REQUEST), not news. */
export function isInvitation(calendar: string): boolean {
  return /^METHOD:REQUEST\s*$/im.test(calendar.slice(0, 64 * 1024));
}

/**
 * Characters text never holds: C0/C1 controls other than tab, line breaks and form feed, and the
 * replacement character a decoder leaves for bytes that are not text in the declared charset.
 */
const UNREADABLE = /[\u0000-\u0008\u000e-\u001f\u007f-\u009f\ufffd]/g;
/** A real email may carry a stray one (a mis-encoded quote); this share of the text is not stray. */
const MAX_UNREADABLE_SHARE = 0.01;
const MIN_UNREADABLE = 8;

/** Why `text` is not text (binary bytes, a wrong charset), or null when it reads. */
export function unreadable(text: string): string | null {
  let count = 0;
  UNREADABLE.lastIndex = 0;
  while (UNREADABLE.exec(text) !== null) count++;
  if (count >= MIN_UNREADABLE && count > text.length * MAX_UNREADABLE_SHARE) {
    return `The email is not readable text (${count} control or undecodable characters in ${text.length}): binary data, or text in the wrong charset.`;
  }
  return null;
}

/** A word: letters (with marks, inner apostrophes or hyphens), no longer than any language's words. */
const WORD = /[\p{L}\p{M}]+(?:['’-][\p{L}\p{M}]+)*/gu;
const MAX_WORD = 45;
/** At least one word: a short note is still text, a run of one letter or of digits is not. */
const MIN_WORDS = 1;
/** Of the text's non-space characters, at least this share must be in words. */
const MIN_WORD_SHARE = 0.3;
/** "xxxxxxxx": one letter over and over is filler, not a word. */
const REPEATED_LETTER = /^(.)\1+$/u;

/** Why the text holds no words (a run of one letter, digits, symbols), or null when it does. */
export function wordless(text: string): string | null {
  let words = 0;
  let inWords = 0;
  // Past this many characters in words the text has them whatever the rest holds: most emails are
  // settled a third of the way in.
  const enough = text.length * MIN_WORD_SHARE;
  WORD.lastIndex = 0;
  for (let match = WORD.exec(text); match !== null; match = WORD.exec(text)) {
    const word = match[0];
    if (word.length > MAX_WORD || REPEATED_LETTER.test(word)) continue;
    words++;
    inWords += word.length;
    if (words >= MIN_WORDS && inWords >= enough) return null;
  }
  let visible = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code !== 0x20 && code !== 0x0a && code !== 0x0d && code !== 0x09) visible++;
  }
  if (words < MIN_WORDS || inWords < visible * MIN_WORD_SHARE) {
    return `The email has no words to post (${words} word${words === 1 ? '' : 's'} in ${visible} characters).`;
  }
  return null;
}

/**
 * "Confirm your subscription", "Confirma tu suscripción", "Confirme sua inscrição" and their close
 * variants, in the subject: the double opt-in mail of an ESP (Mailchimp, Substack, beehiiv …).
 */
const CONFIRMATION_SUBJECT =
  /\b(?:confirm (?:your |my )?(?:subscription|email(?: address)?|sign[- ]?up)|please confirm(?: your)? (?:subscription|email)|confirm(?:a|e)? (?:tu|su|sua|seu|a sua|o seu) (?:suscripci[oó]n|subscripci[oó]n|inscripci[oó]n|inscri[cç][aã]o|assinatura|correo|e-?mail)|confirm(?:a|e) (?:la |a )?(?:suscripci[oó]n|inscri[cç][aã]o|assinatura))\b/iu;

export function isConfirmationSubject(subject: string | null): boolean {
  return subject !== null && CONFIRMATION_SUBJECT.test(subject.slice(0, 300));
}

/** Link words of a confirm button in the three languages. */
const CONFIRM_LINK =
  /\b(?:confirm|confirmar|confirme|confirma|verify|verificar|subscribe|suscribir|inscrever)/iu;

/** The confirm link among the email's links: by its label, else by its address; http(s) only. */
export function confirmLink(links: readonly Link[]): Link | null {
  const web = links.filter((link) => /^https?:\/\//i.test(link.url));
  return (
    web.find((link) => CONFIRM_LINK.test(link.text)) ??
    web.find((link) => /confirm|verify|opt-?in|subscribe/i.test(link.url)) ??
    null
  );
}
