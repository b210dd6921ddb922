/** Status codes the webhook refuses with; 408 cuts off slow bodies, 429 sheds load (retried later). */
export type RefusalStatus = 400 | 401 | 403 | 405 | 408 | 413 | 415 | 429;

/**
 * A request the webhook will not take. `detail` goes back to the caller; `reason` goes to the log
 * only (it may name internals, never the secret).
 */
export class MailRefusal extends Error {
  readonly status: RefusalStatus;
  readonly detail: string;
  readonly reason: string;
  constructor(status: RefusalStatus, detail: string, options: { reason?: string } = {}) {
    super(detail);
    this.name = 'MailRefusal';
    this.status = status;
    this.detail = detail;
    this.reason = options.reason ?? detail;
  }
}

export const ERROR_NAMES: Record<RefusalStatus | 500, string> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  405: 'method_not_allowed',
  408: 'request_timeout',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  429: 'too_many_requests',
  500: 'internal_error',
};

/**
 * Client-chosen text (field names, content types) made safe to quote in a log line or a detail:
 * control characters (a urlencoded name can hold "\n") become "?", and the length is capped.
 */
export function printable(text: string, max = 100): string {
  const cleaned = text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, '?');
  return cleaned.length > max ? `${cleaned.slice(0, max)}…` : cleaned;
}
