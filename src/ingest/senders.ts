/**
 * ALLOWED_SENDERS: who may forward briefings to the bot. Entries are lower-cased addresses or
 * '@domain' (that exact domain, not its subdomains: '@example.org' does not admit 'x@evil.example.org').
 * An empty list admits anyone who holds the webhook secret.
 */
export function isSenderAllowed(address: string | null, allowed: string[]): boolean {
  if (allowed.length === 0) return true;
  if (!address) return false;
  const normalised = address.trim().toLowerCase();
  const at = normalised.lastIndexOf('@');
  if (at <= 0) return false;
  const domain = normalised.slice(at);
  return allowed.some((entry) => (entry.startsWith('@') ? entry === domain : entry === normalised));
}
