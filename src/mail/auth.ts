import { createHash, timingSafeEqual } from 'node:crypto';

export type HeaderAuth = { kind: 'absent' } | { kind: 'valid' } | { kind: 'invalid'; reason: string };

/**
 * Constant-time string comparison. Hashing first makes both sides the same length, so neither the
 * comparison nor an early length check leaks how much of the secret a guess got right.
 */
export function safeEqual(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given, 'utf8').digest();
  const b = createHash('sha256').update(expected, 'utf8').digest();
  return timingSafeEqual(a, b);
}

/**
 * Checks `Authorization: Basic …` (any user, the secret as password — providers take credentials in
 * the URL) or `Authorization: Bearer <secret>`. Absent means "maybe a Mailgun signature in the body".
 */
export function checkAuthorization(header: string | undefined, secret: string | null): HeaderAuth {
  if (header === undefined || header.trim() === '') return { kind: 'absent' };
  if (secret === null)
    return { kind: 'invalid', reason: 'credentials sent but MAIL_WEBHOOK_SECRET is not set' };
  const match = /^\s*(\S+)\s+(\S+)\s*$/.exec(header);
  if (!match) return { kind: 'invalid', reason: 'malformed Authorization header' };
  const scheme = match[1]!.toLowerCase();
  const credentials = match[2]!;
  if (scheme === 'bearer') {
    return safeEqual(credentials, secret)
      ? { kind: 'valid' }
      : { kind: 'invalid', reason: 'wrong bearer token' };
  }
  if (scheme === 'basic') {
    const decoded = Buffer.from(credentials, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) return { kind: 'invalid', reason: 'basic credentials without a password' };
    const password = decoded.slice(colon + 1);
    return safeEqual(password, secret)
      ? { kind: 'valid' }
      : { kind: 'invalid', reason: 'wrong basic password' };
  }
  return { kind: 'invalid', reason: `unsupported Authorization scheme "${scheme.slice(0, 20)}"` };
}
