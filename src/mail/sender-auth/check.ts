/**
 * Is the forwarder's address proven by the message? Only a DMARC-aligned pass counts: DKIM signed by
 * the sender's (organisational) domain, or SPF passing for an envelope domain aligned with it. The
 * provider's own verdict is asked first; otherwise mailauth verifies DKIM, SPF (when the way in knows
 * the client) and DMARC on the raw message. A message relayed by a mailing list (Google Groups) keeps
 * its original proof in an ARC chain, which counts when the list itself is an allowed sender.
 */
import { promises as dns } from 'node:dns';
import type { AuthenticateResult, DnsResolver } from 'mailauth';
import { isSenderAllowed } from '../../ingest/senders.js';
import type { MailInput } from '../../ingest/types.js';
import { parseHeaderBlock } from '../text.js';
import { aligned, domainOf } from './align.js';
import type { ProviderVerdict, SenderCheck } from './types.js';
import { authenticationResultsVerdict } from './verdicts.js';

export interface SenderAuthOptions {
  /** DNS for DKIM keys, SPF and DMARC records; the system resolver unless a test hands in its own. */
  resolver?: DnsResolver;
  /** authserv-ids whose topmost Authentication-Results header is believed (SENDER_AUTH_SERVERS). */
  trustedServers: readonly string[];
  allowedSenders: readonly string[];
}

/** Headers of a raw message end at the first blank line; 256 KiB is far beyond any real header block. */
const MAX_HEADER_BYTES = 256 * 1024;

function headerBlock(raw: Buffer): Map<string, string> {
  const head = raw.subarray(0, MAX_HEADER_BYTES).toString('latin1');
  const end = head.search(/\r?\n\r?\n/);
  return parseHeaderBlock(end < 0 ? head : head.slice(0, end));
}

function fromVerdict(verdict: ProviderVerdict, domain: string): string | null {
  if (verdict.dmarcPass) return `${verdict.source} DMARC pass`;
  const dkim = verdict.dkimPass.find((signer) => aligned(domain, signer));
  if (dkim) return `${verdict.source} DKIM pass (d=${dkim})`;
  if (aligned(domain, verdict.spfPass)) return `${verdict.source} SPF pass (${verdict.spfPass})`;
  return null;
}

const GOOGLE_GROUPS = 'googlegroups.com';
const GOOGLE_SEALER = 'google.com';

/** mailauth's ARC comment: `i=1 spf=none dkim=pass dkdomain=example.org dmarc=pass fromdomain=example.org`. */
function firstHopProves(comment: string, domain: string): boolean {
  const dmarc = /\bdmarc=pass fromdomain=([^\s]+)/.exec(comment)?.[1];
  const dkim = /\bdkim=pass dkdomain=([^\s]+)/.exec(comment)?.[1];
  return aligned(domain, dmarc) || aligned(domain, dkim);
}

/** The list a message came through: List-Post's mailto, Google's `Mailing-List: list x@…`. */
function listAddress(headers: Map<string, string>): string | null {
  const post = /mailto:([^\s>,]{1,300})/i.exec(headers.get('list-post') ?? '')?.[1];
  if (post) return post.toLowerCase();
  const mailing = /\blist\s+([^\s;]{1,300}@[^\s;]{1,300})/i.exec(headers.get('mailing-list') ?? '')?.[1];
  return mailing ? mailing.toLowerCase() : null;
}

function fromMailauth(
  result: AuthenticateResult,
  sender: string,
  domain: string,
  headers: Map<string, string>,
  allowed: readonly string[],
): { via: string | null; failures: string[] } {
  const failures: string[] = [];
  const headerFrom = (result.dkim.headerFrom ?? [])[0]?.toLowerCase() ?? null;
  const passes = (result.dkim.results ?? []).filter((row) => row.status.result === 'pass');
  const signers = passes.map((row) => row.signingDomain ?? '').filter(Boolean);

  // The sender's own proof: the From header is the sender's, and its domain signed or sent it.
  if (headerFrom !== null && domainOf(headerFrom) === domain) {
    const dkim = signers.find((signer) => aligned(domain, signer));
    if (dkim) return { via: `DKIM pass (d=${dkim})`, failures };
    if (result.spf && result.spf.status.result === 'pass' && aligned(domain, result.spf.domain)) {
      return { via: `SPF pass (${result.spf.domain})`, failures };
    }
    if (result.dmarc && result.dmarc.status.result === 'pass') return { via: 'DMARC pass', failures };
  }
  // mailauth reports a message without signatures as one row "none" with no domain.
  const dkimRows = (result.dkim.results ?? []).filter((row) => row.signingDomain);
  failures.push(
    dkimRows.length === 0
      ? 'no DKIM signature'
      : `DKIM ${dkimRows.map((row) => `${row.status.result} (d=${row.signingDomain ?? '?'})`).join(', ')}`,
  );
  if (signers.length > 0 && !signers.some((signer) => aligned(domain, signer))) {
    failures.push(`no DKIM signature aligned with ${domain}`);
  }
  failures.push(result.spf ? `SPF ${result.spf.status.result}` : 'SPF not checked');
  if (result.dmarc) failures.push(`DMARC ${result.dmarc.status.result}`);

  // Relayed by an allowed list: the list's own signature, or its ARC chain vouching for the original.
  const group = listAddress(headers) ?? (headerFrom !== sender ? headerFrom : null);
  if (group !== null && isSenderAllowed(group, [...allowed])) {
    const arc = result.arc ? result.arc.status.result : 'none';
    const groupDomain = domainOf(group);
    const sealer = result.arc ? (result.arc.signature?.signingDomain ?? '').toLowerCase() : '';
    // Anyone can seal a chain with their own key: only the list's own domain (Google's for
    // googlegroups.com) vouches for the list, and its record of the first hop must prove the sender.
    const listSealer =
      groupDomain !== null &&
      (aligned(groupDomain, sealer) || (groupDomain === GOOGLE_GROUPS && sealer === GOOGLE_SEALER));
    if (
      arc === 'pass' &&
      listSealer &&
      firstHopProves(result.arc ? (result.arc.status.comment ?? '') : '', domain)
    ) {
      return { via: `ARC pass (sealed by ${sealer}) through allowed list ${group}`, failures };
    }
    if (arc === 'pass' && !listSealer)
      failures.push(`ARC sealed by ${sealer || 'nobody'}, not by list ${group}`);
    const listSigner = groupDomain ? signers.find((signer) => aligned(groupDomain, signer)) : undefined;
    if (listSigner && domainOf(headerFrom) === groupDomain) {
      return { via: `DKIM pass of allowed list ${group} (d=${listSigner})`, failures };
    }
    failures.push(`ARC ${arc} for list ${group}`);
  }
  return { via: null, failures };
}

/** Checks the forwarder `sender` against the proof the input carries. */
/**
 * Loaded on the first message verified here: mailauth (DKIM, SPF, ARC, DMARC and their crypto) is the
 * bot's largest dependency at rest, and a desk behind a provider's verdicts never needs it. The promise
 * is kept, so later messages do not ask the module loader again.
 */
let mailauth: Promise<typeof import('mailauth')> | null = null;
const loadMailauth = () => {
  mailauth ??= import('mailauth');
  return mailauth;
};

export async function checkSender(
  input: MailInput,
  sender: string | null,
  options: SenderAuthOptions,
): Promise<SenderCheck> {
  const domain = domainOf(sender);
  if (!sender || !domain) return { ok: false, failed: 'the message has no sender address' };
  const failures: string[] = [];
  const headers = input.kind === 'raw' ? headerBlock(input.raw) : new Map<string, string>();
  const verdicts = [...(input.evidence?.verdicts ?? [])];
  const received = authenticationResultsVerdict(
    headers.get('authentication-results'),
    options.trustedServers,
  );
  if (received) verdicts.push(received);

  for (const verdict of verdicts) {
    const via = fromVerdict(verdict, domain);
    if (via) return { ok: true, via };
    failures.push(`${verdict.source}: ${verdict.failures.join(', ') || `nothing aligned with ${domain}`}`);
  }
  if (input.kind !== 'raw') {
    if (failures.length === 0) failures.push('no provider verdict and no raw message to verify');
    return { ok: false, failed: failures.join('; ') };
  }

  const transport = input.evidence?.transport ?? {};
  let result: AuthenticateResult;
  try {
    const { authenticate } = await loadMailauth();
    result = await authenticate(input.raw, {
      resolver: options.resolver ?? ((name, type) => dns.resolve(name, type)),
      ...(transport.ip ? { ip: transport.ip } : {}),
      ...(transport.helo ? { helo: transport.helo } : {}),
      ...(transport.mailFrom ? { sender: transport.mailFrom } : {}),
      mta: 'briefing-bot',
      disableBimi: true,
    });
  } catch (error) {
    failures.push(`verification failed: ${(error as Error).message}`);
    return { ok: false, failed: failures.join('; ') };
  }
  const checked = fromMailauth(result, sender.toLowerCase(), domain, headers, options.allowedSenders);
  if (checked.via) return { ok: true, via: checked.via };
  failures.push(checked.failures.join(', '));
  return { ok: false, failed: failures.join('; ') };
}
