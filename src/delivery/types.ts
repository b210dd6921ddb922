import type { EmailParts } from '../briefing/types.js';
import type { SenderEvidence } from '../mail/sender-auth/types.js';

/**
 * One inbound email, in whatever form the provider gave it, with what the way in knows about its
 * sender (provider verdicts, the SMTP client) for sender authentication.
 */
export type MailInput = ({ kind: 'raw'; raw: Buffer } | { kind: 'parts'; parts: EmailParts }) & {
  evidence?: SenderEvidence;
};

export type IngestOutcome =
  /** revised: a corrected copy of briefing `id`, whose thread is edited instead of a new one posted. */
  | { status: 'accepted'; id: string; sections: number; revised?: true }
  | { status: 'duplicate'; id: string }
  /** A subscription confirmation: posted once as a notice (`posted` false when it already was). */
  | { status: 'notice'; id: string; posted: boolean }
  | { status: 'rejected'; code: 400 | 403; detail: string };

/** Parse → sender check → store (before any reply) → hand to the deliverer. */
export type Ingest = (input: MailInput) => Promise<IngestOutcome>;

export interface Deliverer {
  /** Schedules posting of a stored briefing; returns at once. Safe to call twice for the same id. */
  kick(briefingId: string): void;
  /** Resets a failed delivery to pending and posts it; resolves when that attempt ends. */
  retry(briefingId: string): Promise<void>;
  /** BRIEFING_CHANNEL as last seen: 'ok', 'not checked yet', or 'error: <Slack's reason>'. */
  channelStatus(): string;
  /**
   * The store as the deliveries last found it: 'ok', or 'error: …' while its writes fail (a full disk,
   * a lost database) — the deliveries it stopped are retried with backoff until a write succeeds.
   */
  storeStatus(): string;
  /** Looks up the channel and workspace once, at start, so a misconfiguration shows before mail arrives. */
  warmUp(): Promise<void>;
  /** Schedules every unfinished delivery (called at start); resolves once they are scheduled. */
  resumeAll(): Promise<void>;
  /** Resolves when nothing is posting or waiting to post right now (tests, graceful stop). */
  idle(): Promise<void>;
  stop(): Promise<void>;
}
