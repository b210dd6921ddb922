import type { RefusalStatus } from './refusal.js';

/**
 * Whose retry rules an answer follows. Each provider decides from our status code alone whether to
 * send the message again, and they disagree:
 * - Postmark retries every answer but 200 OK, up to 10 times over about 10.5 hours; a 403 stops the
 *   retries ("Understanding Inbound Webhook Retries in Postmark", postmarkapp.com support).
 * - Mailgun retries every answer but 200 for 8 hours; 406 means "rejected, do not retry"
 *   (Mailgun docs: "Receive HTTP" and "Automatic Retries").
 * - SendGrid Inbound Parse retries any non-2xx for 3 days and has no "stop" code (Twilio SendGrid
 *   "Inbound Email Parse Webhook"); raw-MIME senders (curl, scripts, a Cloudflare Email Worker) read
 *   the code as plain HTTP. Both keep the plain HTTP meaning of each code.
 */
export type Dialect = 'http' | 'mailgun' | 'postmark';

/** What happened to a request, before it is said in a provider's dialect. */
export type Outcome = 'accepted' | 'duplicate' | RefusalStatus | 500;

/**
 * Refusals that the same request can never overturn: not a briefing or malformed (400), sender not
 * allowed or not authenticated (403), too large (413), not a format we read (415). Retrying them only
 * repeats the refusal for hours. 401 is left out on purpose: a wrong secret is fixed by the operator,
 * and the provider's retries then deliver what was refused meanwhile. 405 never comes from a provider.
 */
const PERMANENT: ReadonlySet<Outcome> = new Set<Outcome>([400, 403, 413, 415]);

export function isPermanent(outcome: Outcome): boolean {
  return PERMANENT.has(outcome);
}

/** The status code that makes this provider do the right thing with this outcome. */
export function statusFor(dialect: Dialect, outcome: Outcome): number {
  if (outcome === 'duplicate') return 200;
  if (outcome === 'accepted') return dialect === 'http' ? 202 : 200;
  if (isPermanent(outcome)) {
    if (dialect === 'mailgun') return 406;
    if (dialect === 'postmark') return 403;
  }
  return outcome;
}
