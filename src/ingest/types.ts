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
