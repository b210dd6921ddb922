/**
 * What the page's "forward an email" form sends: a whole MIME message as the webhook expects it.
 * Pasted text that is not one (no header block) is wrapped as a plain-text email from the local
 * editor, the way a mail client would send a forward typed into it.
 */

/** A MIME message starts with header lines; these are the ones any real email has near the top. */
const HEADER_LINE = /^[!-9;-~]+:[^\n]*$/;
const KNOWN_HEADERS =
  /^(from|subject|date|to|message-id|mime-version|content-type|received|return-path|delivered-to):/i;
/** How many leading lines to look at before deciding the text has no header block. */
const HEADER_SCAN_LINES = 40;
/** Subject lines longer than this are cut: RFC 5322 recommends 78 characters per header line. */
const MAX_SUBJECT = 200;

export const LOCAL_EDITOR_ADDRESS = 'newsroom editor <editor@newsroom.local>';

export function looksLikeMime(text: string): boolean {
  const lines = text.replace(/\r\n/g, '\n').split('\n').slice(0, HEADER_SCAN_LINES);
  let known = 0;
  for (const line of lines) {
    if (line === '') break;
    if (/^[ \t]/.test(line)) continue; // folded continuation of the previous header
    if (!HEADER_LINE.test(line)) return false;
    if (KNOWN_HEADERS.test(line)) known += 1;
  }
  return known >= 2;
}

/** Wraps pasted text as an RFC 5322 message (8-bit UTF-8 plain text). */
export function wrapAsEmail(text: string, now: Date = new Date()): string {
  const firstLine = text.split(/\r?\n/).find((line) => line.trim() !== '') ?? 'Briefing';
  // Header values cannot carry line breaks or non-ASCII without encoding; encode as RFC 2047 UTF-8.
  const subjectText = firstLine.trim().slice(0, MAX_SUBJECT);
  const subject = /^[\x20-\x7e]*$/.test(subjectText)
    ? subjectText
    : `=?UTF-8?B?${Buffer.from(subjectText, 'utf8').toString('base64')}?=`;
  const headers = [
    `From: ${LOCAL_EDITOR_ADDRESS}`,
    'To: briefings@newsroom.local',
    `Subject: ${subject}`,
    `Date: ${now.toUTCString().replace('GMT', '+0000')}`,
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: 8bit',
  ];
  return `${headers.join('\r\n')}\r\n\r\n${text.replace(/\r?\n/g, '\r\n')}`;
}
