/**
 * The briefing parser: any delivery form of a forwarded briefing email → one structured Briefing.
 * Pure (no I/O); the only error it throws is BriefingParseError.
 *
 * Data flow, one module each:
 *   mime.ts      raw bytes → EmailParts (mailparser; a forward-as-attachment is followed inward),
 *                or a headerless text/HTML paste
 *   html.ts      HTML part → lines with heading/bullet hints and links (lines.ts for text)
 *   unwrap.ts    forward markers peeled off (email-forward-parser + data/forward.ts), note kept
 *   chrome.ts    web-view lines, footers, sign-off, video captions removed (data/chrome.ts)
 *   repair.ts    lines of one paragraph joined, words broken by a paste repaired (words.ts)
 *   structure.ts lead / section / list / article / group
 *   tagging.ts   countries (src/countries) and sources (sources.ts) per item and section
 *   dates.ts, publication.ts, subject.ts: the envelope facts
 */
import { parsePartsWith } from './parse.js';
import type { EmailParts, ParsedEmail } from './types.js';

export { BriefingParseError } from './errors.js';
export { MAX_INPUT_BYTES, parseEmail } from './mime.js';
export { NotABriefing, SubscriptionConfirmation } from './not-briefing.js';
export type { Briefing, EmailParts, Item, Link, ParsedEmail, Section, SectionKind } from './types.js';

/** For mail providers that deliver parsed fields (subject/from/text/html) instead of raw MIME. */
export function parseParts(parts: EmailParts): ParsedEmail {
  return parsePartsWith(parts);
}
