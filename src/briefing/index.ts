/**
 * The briefing parser: any delivery form of a forwarded briefing email → one structured Briefing.
 * Pure (no I/O); the only error it throws is BriefingParseError.
 */
import { parsePartsWith } from './parse.js';
import type { EmailParts, ParsedEmail } from './types.js';

export { BriefingParseError } from './errors.js';
export { MAX_INPUT_BYTES, parseEmail } from './mime.js';
export type { Briefing, EmailParts, Item, Link, ParsedEmail, Section, SectionKind } from './types.js';

/** For mail providers that deliver parsed fields (subject/from/text/html) instead of raw MIME. */
export function parseParts(parts: EmailParts): ParsedEmail {
  return parsePartsWith(parts);
}
