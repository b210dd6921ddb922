/**
 * Which hosts a link's text names. A label such as "nytimes.com/real" or "https://nytimes.com" tells
 * the reader where the link goes; when it names another host than the target, the label is a lie.
 */

/**
 * Generic top-level domains common enough in link text to count as "naming a site". Country-code
 * domains are any two letters. A longer list would also catch ordinary words glued by a missing
 * space ("said.The"); those are not addresses anyone reads as one.
 */
const GENERIC_TLDS = new Set([
  'com',
  'org',
  'net',
  'edu',
  'gov',
  'mil',
  'int',
  'info',
  'biz',
  'name',
  'pro',
  'io',
  'app',
  'dev',
  'news',
  'media',
  'online',
  'site',
  'web',
  'blog',
  'xyz',
  'top',
  'club',
  'live',
  'world',
  'today',
  'tech',
  'link',
  'click',
  'page',
  'email',
  'global',
  'press',
  'tv',
  'fm',
  'ai',
  'example',
  'test',
  'local',
  'onion',
  'museum',
  'aero',
  'coop',
  'jobs',
  'mobi',
  'travel',
  'asia',
  'cat',
  'post',
]);

/** A host-like token: optional scheme, dot-separated labels of letters, digits and hyphens. */
const HOST_TOKEN =
  /(?:(https?):\/\/)?((?:[\p{L}\p{N}](?:[\p{L}\p{N}-]*[\p{L}\p{N}])?\.)+([\p{L}]{2,}|xn--[a-z0-9-]+))(?=$|[/:?#\s)\]}>,;!'"’”]|\.(?:$|\s))/giu;

/**
 * The same token in ASCII only. A reader skims past a letter from another script glued to an address
 * ("𬺢nytimes.com") and reads the ASCII part as the site, while the Unicode token is a different
 * (punycoded) host: a label must agree with its target in both readings.
 */
const ASCII_HOST_TOKEN =
  /(?:(https?):\/\/)?((?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+([a-z]{2,}|xn--[a-z0-9-]+))(?=$|[/:?#\s)\]}>,;!'"’”]|\.(?:$|\s))/gi;

export interface NamedHosts {
  /** Hostnames named in the text, lower-case and punycoded like URL.hostname. */
  hosts: string[];
  /** True when the text is nothing but one address (a URL or a bare domain). */
  onlyAddress: boolean;
}

function canonicalHost(host: string): string | null {
  try {
    return new URL(`http://${host}/`).hostname;
  } catch {
    return null;
  }
}

function looksLikeSite(
  text: string,
  match: RegExpMatchArray,
  scheme: string | undefined,
  host: string,
  tld: string,
): boolean {
  const lowerTld = tld.toLowerCase();
  return (
    scheme !== undefined ||
    /^www\./i.test(host) ||
    text[(match.index ?? 0) + match[0].length] === '/' ||
    lowerTld.length === 2 ||
    GENERIC_TLDS.has(lowerTld) ||
    lowerTld.startsWith('xn--') ||
    // A top-level domain in another script ("пример.рф") is only ever an address.
    /[^\p{ASCII}]/u.test(lowerTld)
  );
}

export function hostsNamedIn(text: string): NamedHosts {
  const hosts: string[] = [];
  let onlyAddress = false;
  for (const match of text.matchAll(HOST_TOKEN)) {
    const [token, scheme, host, tld] = match;
    if (!host || !tld) continue;
    if (!looksLikeSite(text, match, scheme, host, tld)) continue;
    // A host the URL parser refuses (a letter newer than its IDNA tables: Node 20 refuses "𬺢nytimes.com",
    // Node 24 punycodes it) still names a site, and no target's: the same label is judged alike on both.
    const canonical = canonicalHost(host) ?? host.toLowerCase();
    hosts.push(canonical);
    if (hosts.length === 1) {
      const rest = text.slice(match.index + token.length);
      onlyAddress = text.slice(0, match.index).trim() === '' && /^(?:[/?#:]\S*)?\s*$/u.test(rest);
    } else {
      onlyAddress = false;
    }
  }
  for (const match of text.matchAll(ASCII_HOST_TOKEN)) {
    const [, scheme, host, tld] = match;
    if (!host || !tld || !looksLikeSite(text, match, scheme, host, tld)) continue;
    const canonical = canonicalHost(host);
    if (canonical && !hosts.includes(canonical)) {
      hosts.push(canonical);
      onlyAddress = false;
    }
  }
  return { hosts, onlyAddress };
}

/**
 * True when a label naming `named` may link to `target`: the same host, or the target is a subdomain
 * of the named one ("nytimes.com" → www.nytimes.com), or they differ only by a leading "www.".
 */
export function sameSite(named: string, target: string): boolean {
  const a = named.replace(/^www\./, '');
  const b = target.replace(/^www\./, '');
  return a === b || b.endsWith(`.${a}`);
}
