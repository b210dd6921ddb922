import { createHmac } from 'node:crypto';

/** Slack's signing scheme version; the only one Slack has published. */
const SIGNATURE_VERSION = 'v0';

/**
 * The `X-Slack-Signature` value Slack sends with a request:
 * `v0=` + hex HMAC-SHA256(secret, "v0:" + timestamp + ":" + raw body).
 * `timestamp` is in whole seconds since the epoch, as in `X-Slack-Request-Timestamp`.
 */
export function signSlackRequest(secret: string, body: string, timestamp: number): string {
  const base = `${SIGNATURE_VERSION}:${timestamp}:${body}`;
  return `${SIGNATURE_VERSION}=${createHmac('sha256', secret).update(base).digest('hex')}`;
}

/** The two headers Bolt checks, for a body about to be sent now (or at `nowMs`, for stale-request tests). */
export function slackSignatureHeaders(
  secret: string,
  body: string,
  nowMs: number = Date.now(),
): { 'x-slack-request-timestamp': string; 'x-slack-signature': string } {
  const timestamp = Math.floor(nowMs / 1000);
  return {
    'x-slack-request-timestamp': String(timestamp),
    'x-slack-signature': signSlackRequest(secret, body, timestamp),
  };
}
