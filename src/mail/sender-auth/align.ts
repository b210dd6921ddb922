import { getDomain } from 'tldts';

/**
 * ICANN and private suffixes both: a domain under a private suffix (a customer's name under a hosting
 * or ESP suffix) is an organisation of its own, as DMARC implementations (mailauth's included) read the
 * Public Suffix List.
 */
const SUFFIX_OPTIONS = { allowIcannDomains: true, allowPrivateDomains: true } as const;

/** The organisational domain (the registrable domain under its public suffix), or the name itself. */
function organisational(domain: string): string {
  const name = domain.trim().toLowerCase().replace(/\.$/, '');
  return getDomain(name, SUFFIX_OPTIONS) ?? name;
}

/** The domain of an address, lower-cased; null when there is none. */
export function domainOf(address: string | null | undefined): string | null {
  const at = address?.lastIndexOf('@') ?? -1;
  if (!address || at < 0) return null;
  const domain = address
    .slice(at + 1)
    .trim()
    .toLowerCase()
    .replace(/>$/, '');
  return domain || null;
}

/**
 * DMARC relaxed alignment: the authenticated domain and the From domain share their organisational
 * domain (news.example.org aligns with example.org; example.org.evil.example does not).
 */
export function aligned(fromDomain: string, authenticated: string | null | undefined): boolean {
  if (!authenticated) return false;
  // tldts directly rather than mailauth's getAlignment: the same reading of the suffix list without
  // loading all of mailauth at start-up (it is loaded on the first message that needs a DKIM check).
  return organisational(fromDomain) === organisational(authenticated);
}
