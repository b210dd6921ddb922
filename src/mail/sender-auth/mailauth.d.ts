/** The part of mailauth 4 (no bundled typings) that sender authentication uses. */
declare module 'mailauth' {
  export type DnsResolver = (name: string, type: string) => Promise<unknown>;
  export interface AuthStatus {
    result: string;
    comment?: string;
    aligned?: string | false;
  }
  export interface AuthenticateResult {
    dkim: {
      headerFrom?: string[];
      results?: { signingDomain?: string; status: AuthStatus }[];
    };
    spf: { domain?: string; status: AuthStatus } | false;
    dmarc: { status: AuthStatus } | false;
    arc: { status: AuthStatus; signature?: { signingDomain?: string } } | false;
  }
  export function authenticate(
    message: Buffer | string,
    options: {
      resolver?: DnsResolver;
      ip?: string;
      helo?: string;
      sender?: string;
      mta?: string;
      disableBimi?: boolean;
      trustReceived?: boolean;
    },
  ): Promise<AuthenticateResult>;
}

declare module 'mailauth/lib/tools.js' {
  /** The entry of `domains` whose organisational domain is the From domain's (DMARC relaxed alignment). */
  export function getAlignment(fromDomain: string, domains: string[]): { domain: string } | false;
}
