/** What the bot's thread and the parse worker say to each other; errors cross as plain objects. */
import {
  BriefingParseError,
  NotABriefing,
  type ParsedEmail,
  SubscriptionConfirmation,
} from '../briefing/index.js';
import type { EmailParts, Link } from '../briefing/types.js';

export type WorkInput = { kind: 'raw'; raw: Uint8Array } | { kind: 'parts'; parts: EmailParts };

export interface Request {
  id: number;
  input: WorkInput;
}

export type SerialisedError =
  | { kind: 'parse' | 'not-briefing'; message: string }
  | { kind: 'confirmation'; subject: string; sender: string | null; confirm: Link | null }
  | { kind: 'other'; message: string; stack?: string };

export type Response =
  | { ready: true }
  | { id: number; ok: true; result: ParsedEmail }
  | { id: number; ok: false; error: SerialisedError };

export function serialiseError(error: unknown): SerialisedError {
  if (error instanceof SubscriptionConfirmation) {
    return { kind: 'confirmation', subject: error.subject, sender: error.sender, confirm: error.confirm };
  }
  if (error instanceof NotABriefing) return { kind: 'not-briefing', message: error.message };
  if (error instanceof BriefingParseError) return { kind: 'parse', message: error.message };
  const plain = error instanceof Error ? error : new Error(String(error));
  return { kind: 'other', message: plain.message, ...(plain.stack ? { stack: plain.stack } : {}) };
}

/** The same error on this side: the parser's classes stay what they were, so ingest answers alike. */
export function reviveError(error: SerialisedError): Error {
  switch (error.kind) {
    case 'confirmation':
      return new SubscriptionConfirmation(error.subject, error.sender, error.confirm);
    case 'not-briefing':
      return new NotABriefing(error.message);
    case 'parse':
      return new BriefingParseError(error.message);
    default: {
      const revived = new Error(`parse worker: ${error.message}`);
      if (error.stack) revived.stack = error.stack;
      return revived;
    }
  }
}
