/**
 * Forward markers that email-forward-parser does not know, or knows only in other shapes. It covers
 * Gmail, Outlook, Apple Mail, Thunderbird, Yahoo… in ~20 locales; these fill the gaps we meet in
 * newsroom mail (Outlook desktop's "Original Message", Spanish/Portuguese Apple Mail, mailparser's
 * rendering of an attached message).
 */

/** The separators that open a forward, the header block right below. */
export const FORWARD_SEPARATOR_LINES: readonly RegExp[] = [
  /^-{2,}\s*(?:forwarded message|mensaje reenviado|mensagem encaminhada)\s*-{2,}$/i,
  /^(?:begin forwarded message|inicio del mensaje reenviado|in[ií]cio da mensagem encaminhada|comienza el mensaje reenviado):?$/i,
  /^_{20,}$/,
];

/** A line that starts a forwarded message (or a reply's quoted one); the header block follows it. */
export const SEPARATOR_LINES: readonly RegExp[] = [
  /^-{2,}\s*(?:original message|mensaje original|mensagem original)\s*-{2,}$/i,
  ...FORWARD_SEPARATOR_LINES,
];

/** Header labels inside the forwarded header block, per field (en, es, pt). */
export const HEADER_LABELS: Readonly<Record<'from' | 'date' | 'subject' | 'to' | 'cc', readonly string[]>> = {
  from: ['from', 'de', 'remitente', 'remetente'],
  date: ['date', 'sent', 'fecha', 'enviado', 'enviado el', 'data', 'enviada em', 'enviado em'],
  subject: ['subject', 'asunto', 'assunto'],
  to: ['to', 'para'],
  cc: ['cc', 'cco', 'bcc'],
};

/** Subject prefixes of forwards (and replies, which may wrap a forward), stacked in any order. */
export const SUBJECT_PREFIX = /^\s*(?:(?:fwd?|fw|rv|enc|tr|wg|re|res|aw|sv|vs)\s*(?:\[\d+\])?\s*:\s*)+/i;

/** A subject prefix that marks a reply: its quoted thread is not a forward. */
export const REPLY_SUBJECT_PREFIX = /^\s*(?:re|res|aw|sv|vs)\s*(?:\[\d+\])?\s*:/i;
