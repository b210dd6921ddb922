/** What a provider or the receiving server already checked about the message, in its words. */
export interface ProviderVerdict {
  /** Who said it ("SendGrid", "Mailgun", "Authentication-Results from mx.google.com"). */
  source: string;
  /** Domains whose DKIM signature passed. */
  dkimPass: string[];
  /** The envelope domain whose SPF passed, if any. */
  spfPass: string | null;
  /** A DMARC pass is an aligned pass by definition. */
  dmarcPass: boolean;
  /** What did not pass, for the refusal ("SPF softfail", "DKIM fail"). */
  failures: string[];
}

/** How the message reached us, when the way in knows it (SMTP knows all three). */
export interface Transport {
  ip?: string;
  helo?: string;
  mailFrom?: string;
}

/** Everything beside the message that bears on who sent it. */
export interface SenderEvidence {
  verdicts: ProviderVerdict[];
  transport?: Transport;
}

export type SenderAuthMode = 'require' | 'prefer' | 'off';

export type SenderCheck = { ok: true; via: string } | { ok: false; failed: string };
