/**
 * What must never reach a log line (pure): the configured secrets wherever they appear, anything shaped
 * like a Slack token or a credential in a header or URL, and the mailbox part of email addresses —
 * senders are people, and a log is read by more people than the mail is.
 */
export const REDACTED = '[redacted]';

/** Keys whose values are credentials whatever they look like. */
const SECRET_KEY = /^(authorization|cookie|password|pass|secret|signing_?secret|token|.*_token|api_?key)$/i;

const PATTERNS: Array<[RegExp, string]> = [
  // Slack bot/user/app/refresh tokens and webhook URLs.
  [/\bxox[abceoprs]-[A-Za-z0-9-]+/g, REDACTED],
  [/\bxapp-[A-Za-z0-9-]+/g, REDACTED],
  [/hooks\.slack\.com\/services\/[A-Za-z0-9/]+/g, `hooks.slack.com/services/${REDACTED}`],
  // Credentials, not prose: "Bearer token" and "Basic auth" stay readable.
  [/\b(Bearer)\s+[A-Za-z0-9._~+/=-]{8,}/gi, `$1 ${REDACTED}`],
  [/\b([Bb]asic)\s+(?=[a-z]*[0-9+/=A-Z])[A-Za-z0-9+/=]{8,}/g, `$1 ${REDACTED}`],
  // Credentials in a URL: https://user:password@host.
  [/(\/\/[^\s/:@]+):[^\s/@]+@/g, `$1:${REDACTED}@`],
  // Email addresses keep their domain (which publication, which desk) and lose the person.
  [/[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@((?:[A-Za-z0-9-]+\.)+[A-Za-z]{2,})\b/g, `${REDACTED}@$1`],
];

export function redactText(text: string, secrets: readonly string[] = []): string {
  let out = text;
  for (const secret of secrets) {
    // Short values would blank out ordinary words; no real secret is this short.
    if (secret.length >= 6) out = out.split(secret).join(REDACTED);
  }
  for (const [pattern, replacement] of PATTERNS) out = out.replace(pattern, replacement);
  return out;
}

/** A copy of `value` with every string redacted and every credential-named key blanked. */
export function redactValue(value: unknown, secrets: readonly string[] = [], depth = 0): unknown {
  if (typeof value === 'string') return redactText(value, secrets);
  if (value === null || typeof value !== 'object') return value;
  // Log fields are small; past this depth a structure is not worth walking (and may be cyclic).
  if (depth > 6) return '[deep]';
  if (Array.isArray(value)) return value.map((item) => redactValue(item, secrets, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    out[key] =
      SECRET_KEY.test(key) && item != null && item !== '' ? REDACTED : redactValue(item, secrets, depth + 1);
  }
  return out;
}
