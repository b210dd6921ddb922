/**
 * Provider verdicts, read from what the provider itself wrote: SendGrid's `SPF` and `dkim` form fields,
 * Mailgun's `X-Mailgun-Spf` / `X-Mailgun-Dkim-Check-Result` headers, and `Authentication-Results` /
 * `Received-SPF` added by a receiving server we trust. Anyone can write those headers into a message,
 * so only the topmost one counts (a receiving server prepends its own) and, for Authentication-Results,
 * only when its authserv-id is one we were told to trust.
 */
import { domainOf } from './align.js';
import type { ProviderVerdict } from './types.js';

/** Header values are short; longer ones are cut before the patterns below see them. */
const MAX_VALUE = 2_000;

function word(value: string | null | undefined): string {
  return (
    (value ?? '')
      .trim()
      .toLowerCase()
      .split(/[\s;(]/, 1)[0] ?? ''
  );
}

/** SendGrid parsed and raw mode: `SPF: pass`, `dkim: {@example.org : pass, @other.example : fail}`. */
export function sendgridVerdict(
  spf: string | undefined,
  dkim: string | undefined,
  envelopeFrom: string | null,
): ProviderVerdict | null {
  if (spf === undefined && dkim === undefined) return null;
  const verdict: ProviderVerdict = {
    source: 'SendGrid',
    dkimPass: [],
    spfPass: null,
    dmarcPass: false,
    failures: [],
  };
  const spfResult = word(spf);
  if (spfResult === 'pass') verdict.spfPass = domainOf(envelopeFrom);
  else if (spfResult) verdict.failures.push(`SPF ${spfResult}`);
  for (const match of (dkim ?? '')
    .slice(0, MAX_VALUE)
    .matchAll(/@([a-z0-9.-]{1,253})\s*:\s*([a-z]{1,20})/gi)) {
    if (match[2]!.toLowerCase() === 'pass') verdict.dkimPass.push(match[1]!.toLowerCase());
    else verdict.failures.push(`DKIM ${match[2]!.toLowerCase()} for ${match[1]!.toLowerCase()}`);
  }
  if (dkim !== undefined && verdict.dkimPass.length === 0 && !/@/.test(dkim))
    verdict.failures.push('no DKIM signature');
  return verdict;
}

/** The d= of each DKIM-Signature header value. */
function signingDomains(signatures: string[]): string[] {
  return signatures
    .map((value) =>
      /(?:^|;)\s*d\s*=\s*([a-z0-9.-]{1,253})/i.exec(value.slice(0, MAX_VALUE))?.[1]?.toLowerCase(),
    )
    .filter((domain): domain is string => domain !== undefined);
}

/**
 * Mailgun: `X-Mailgun-Spf: Pass|Fail|SoftFail|Neutral` for the envelope sender, and
 * `X-Mailgun-Dkim-Check-Result: Pass|Fail`, which names no domain: a pass covers the message's
 * DKIM-Signature domains when there is exactly one.
 */
export function mailgunVerdict(
  header: (name: string) => string | undefined,
  dkimSignatures: string[],
  envelopeFrom: string | null,
): ProviderVerdict | null {
  const spf = header('x-mailgun-spf');
  const dkim = header('x-mailgun-dkim-check-result');
  if (spf === undefined && dkim === undefined) return null;
  const verdict: ProviderVerdict = {
    source: 'Mailgun',
    dkimPass: [],
    spfPass: null,
    dmarcPass: false,
    failures: [],
  };
  const spfResult = word(spf);
  if (spfResult === 'pass') verdict.spfPass = domainOf(envelopeFrom);
  else if (spfResult) verdict.failures.push(`SPF ${spfResult}`);
  const dkimResult = word(dkim);
  const domains = signingDomains(dkimSignatures);
  if (dkimResult === 'pass' && domains.length === 1) verdict.dkimPass.push(domains[0]!);
  else if (dkimResult) verdict.failures.push(`DKIM ${dkimResult}`);
  return verdict;
}

/**
 * The topmost Authentication-Results, when its authserv-id is trusted:
 * `mx.google.com; dkim=pass header.i=@example.org; spf=pass smtp.mailfrom=x@example.org; dmarc=pass`.
 */
export function authenticationResultsVerdict(
  value: string | undefined,
  trusted: readonly string[],
): ProviderVerdict | null {
  if (value === undefined) return null;
  const text = value.slice(0, MAX_VALUE).replace(/\s+/g, ' ');
  const authservId = text.split(';', 1)[0]!.trim().split(' ', 1)[0]!.toLowerCase();
  if (!trusted.includes(authservId)) return null;
  const verdict: ProviderVerdict = {
    source: `Authentication-Results from ${authservId}`,
    dkimPass: [],
    spfPass: null,
    dmarcPass: false,
    failures: [],
  };
  for (const clause of text.split(';').slice(1)) {
    const method = /^\s*(dkim|spf|dmarc)\s*=\s*([a-z]+)/i.exec(clause);
    if (!method) continue;
    const name = method[1]!.toLowerCase();
    const result = method[2]!.toLowerCase();
    if (result !== 'pass') {
      verdict.failures.push(`${name.toUpperCase()} ${result}`);
      continue;
    }
    if (name === 'dmarc') verdict.dmarcPass = true;
    if (name === 'dkim') {
      const domain = /header\.(?:d|i)\s*=\s*@?([a-z0-9.-]{1,253})/i.exec(clause)?.[1];
      if (domain) verdict.dkimPass.push(domain.toLowerCase());
    }
    if (name === 'spf') {
      const from = /smtp\.mailfrom\s*=\s*(\S{1,300})/i.exec(clause)?.[1];
      verdict.spfPass = domainOf(from?.includes('@') ? from : `@${from ?? ''}`);
    }
  }
  return verdict;
}

/** Postmark's own topmost `Received-SPF: Pass (...) ... envelope-from=molly@example.org; ...`. */
export function receivedSpfVerdict(value: string | undefined, source: string): ProviderVerdict | null {
  if (value === undefined) return null;
  const text = value.slice(0, MAX_VALUE);
  const result = word(text);
  const verdict: ProviderVerdict = { source, dkimPass: [], spfPass: null, dmarcPass: false, failures: [] };
  if (result === 'pass')
    verdict.spfPass = domainOf(/envelope-from=\s*"?<?([^\s;>"]{1,300})/i.exec(text)?.[1]);
  else verdict.failures.push(`SPF ${result || 'none'}`);
  return verdict;
}
