import iconv from 'iconv-lite';

/** Anything above U+00FF cannot be a latin1 byte: busboy already decoded the part with its own charset. */
const BEYOND_LATIN1 = /[^\u0000-\u00ff]/;
const REPLACEMENT = '\uFFFD';

/** The bytes of a form value (see FormFields): a raw MIME message posted as a field. */
export function fieldBytes(value: string): Buffer {
  return Buffer.from(value, BEYOND_LATIN1.test(value) ? 'utf8' : 'latin1');
}

/**
 * Decodes a form value with the charset the provider reported (SendGrid's `charsets`), UTF-8 when none.
 * Unknown charsets fall back to UTF-8. When the bytes are not valid in that charset but the value is
 * clean as it stands, the part was labelled wrongly or decoded already, and the value is kept.
 */
export function decodeField(value: string, charset: string | null | undefined): string {
  if (BEYOND_LATIN1.test(value)) return value;
  const label = charset && iconv.encodingExists(charset) ? charset : 'utf-8';
  const decoded = iconv.decode(Buffer.from(value, 'latin1'), label);
  if (decoded.includes(REPLACEMENT) && !value.includes(REPLACEMENT)) return value;
  return decoded;
}

/** Parses an RFC 5322 header block ("Name: value" lines, folded continuations) into lower-cased names. */
export function parseHeaderBlock(block: string): Map<string, string> {
  const headers = new Map<string, string>();
  const unfolded = block.replace(/\r?\n[ \t]+/g, ' ');
  for (const line of unfolded.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    if (!headers.has(name)) headers.set(name, line.slice(colon + 1).trim());
  }
  return headers;
}

/**
 * RFC 5322 dates are ~31 characters, with a zone comment ~40. Anything far longer is not a date, and
 * capping it keeps the comment-stripping regex below linear on hostile input.
 */
const MAX_DATE_LENGTH = 200;

/** A mail Date header as an ISO timestamp, or null when it does not parse. */
export function toIsoDate(value: string | null | undefined): string | null {
  if (!value || value.length > MAX_DATE_LENGTH) return null;
  const time = Date.parse(value.replace(/\s*\([^)]*\)\s*$/, ''));
  return Number.isFinite(time) ? new Date(time).toISOString() : null;
}

/** Empty and whitespace-only strings become null, so "no text part" has one spelling. */
export function nonBlank(value: string | null | undefined): string | null {
  return value !== null && value !== undefined && value.trim() !== '' ? value : null;
}
