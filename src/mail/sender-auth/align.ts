import { getAlignment } from 'mailauth/lib/tools.js';

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
  return getAlignment(fromDomain, [authenticated.toLowerCase()]) !== false;
}
