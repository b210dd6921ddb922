/** Budgets for one inbound request. Every number bounds memory, time or work an anonymous sender can cost us. */
export interface MailLimits {
  /** Whole request body, in bytes (MAIL_MAX_BYTES). Nothing past it is buffered. */
  maxBytes: number;
  /** One form field or file part kept in memory; a longer one is an error, never a shorter briefing. */
  fieldBytes: number;
  /** Total time allowed to receive the body once headers are in. */
  bodyTimeoutMs: number;
  /** Longest silence between two body chunks. */
  idleTimeoutMs: number;
  /** Form fields per request. */
  maxFields: number;
  /** File parts (attachments) per request; they are drained and ignored, past this they are skipped. */
  maxFiles: number;
  /** Header lines inside one multipart part. */
  maxPartHeaderPairs: number;
  /** Requests with valid header credentials reading or ingesting a body at once; each may hold up to `maxBytes`. */
  maxConcurrentBodies: number;
  /**
   * The same for requests whose credentials are inside the body (a Mailgun signature), counted apart:
   * anyone can open those, so they must never take the slots of authenticated mail.
   */
  maxAnonymousBodies: number;
  /** The body must bring at least this many bytes in every `rateWindowMs` until it is complete. */
  minBytesPerWindow: number;
  rateWindowMs: number;
}

/**
 * 30 s for the whole body: providers post from data centres and send 10 MB in well under a second;
 * a client that needs longer is either broken or holding the socket on purpose (slow-loris).
 */
export const BODY_TIMEOUT_MS = 30_000;
/** 10 s without a byte: no real sender pauses that long mid-body. */
export const IDLE_TIMEOUT_MS = 10_000;
/**
 * SendGrid posts ~15 fields, Mailgun ~25 (with signature and variables), Postmark uses JSON.
 * 100 leaves room for provider additions while keeping a form flood cheap to refuse.
 */
export const MAX_FIELDS = 100;
/** Attachments are ignored; a briefing with more than this many is not a briefing. */
export const MAX_FILES = 50;
/** A multipart part carries 2–3 header lines; 20 is generous and stops header floods. */
export const MAX_PART_HEADER_PAIRS = 20;

/**
 * A desk receives a few briefings a day; 8 bodies at once is already a burst. At the default 10 MB
 * that caps body memory near 80 MB however many connections arrive. Past it: 429, which every
 * provider retries later.
 */
export const MAX_CONCURRENT_BODIES = 8;

/**
 * Unsigned bodies: Mailgun posts a few at a time from its data centres. 4 slots keep a burst
 * flowing, and a flood of anonymous slow bodies costs at most 4 × `maxBytes` and never a slot of
 * authenticated mail.
 */
export const MAX_ANONYMOUS_BODIES = 4;

/**
 * 16 KiB in every 2 s (8 KiB/s): a provider sends a 50 KB briefing in one window and 10 MB in a
 * second or two; a slow-loris sender trickling a byte every few seconds is cut off after 2 s instead
 * of holding its slot for the whole 30 s body budget. A body that completes within a window is never
 * measured, however small.
 */
export const MIN_BYTES_PER_WINDOW = 16 * 1024;
export const RATE_WINDOW_MS = 2_000;

export function defaultLimits(maxBytes: number): MailLimits {
  return {
    maxBytes,
    fieldBytes: maxBytes,
    bodyTimeoutMs: BODY_TIMEOUT_MS,
    idleTimeoutMs: IDLE_TIMEOUT_MS,
    maxFields: MAX_FIELDS,
    maxFiles: MAX_FILES,
    maxPartHeaderPairs: MAX_PART_HEADER_PAIRS,
    maxConcurrentBodies: MAX_CONCURRENT_BODIES,
    maxAnonymousBodies: MAX_ANONYMOUS_BODIES,
    minBytesPerWindow: MIN_BYTES_PER_WINDOW,
    rateWindowMs: RATE_WINDOW_MS,
  };
}
