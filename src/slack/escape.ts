import { cleanText } from '../text/clean.js';
import { hostsNamedIn, sameSite } from './link-hosts.js';

/**
 * Making email text safe for Slack mrkdwn.
 *
 * Slack's control sequences (`<@U…>`, `<#C…>`, `<!here>`, `<!channel>`, `<!everyone>`, `<url|text>`)
 * all start with `<`. Escaping `&`, `<` and `>` — exactly these three, as Slack documents — means no
 * email can form one; the only `<` in a rendered post is one this module wrote for a link it vetted.
 */

/**
 * Past this a URL is not a link anyone reads, and it would crowd a 3000-character section on its own:
 * such links are shown as their text only.
 */
export const MAX_LINK_URL_LENGTH = 2000;

/**
 * Escapes the three characters Slack treats as markup, after removing the invisible characters an
 * email can use to disguise text (bidi overrides, zero-width characters, NUL): every string from an
 * email passes here or through `plainText` on its way to Slack.
 */
export function escapeMrkdwn(text: string): string {
  return cleanText(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * The inverse, for text Slack sends (command text, messages): `&amp;` last, so a typed "&lt;" — sent
 * as "&amp;lt;" — stays "&lt;".
 */
export function unescapeMrkdwn(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/** The normalised URL when `raw` is an absolute http(s) URL short enough to link, else null. */
export function safeHttpUrl(raw: string): string | null {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  // WHATWG serialisation percent-encodes spaces, quotes, `<` and `>`; `|` would end the URL part of
  // `<url|text>` early, so it is encoded too. `&` is escaped like all text, and Slack decodes it.
  const href = url.href.replace(/\|/g, '%7C');
  if (href.length > MAX_LINK_URL_LENGTH) return null;
  return escapeMrkdwn(href);
}

/**
 * Link text: escaped, on one line, and without `|`, which Slack would read as a second separator
 * inside `<url|text>` (the broken bar looks the same to a reader).
 */
function linkLabel(text: string): string {
  return escapeMrkdwn(text.replace(/\s+/g, ' ').trim().replace(/\|/g, '¦'));
}

/**
 * A link as it may be shown: `label` is what the link's text says, unless that names another host
 * than the one the link opens — `<a href="https://evil.example/a">https://nytimes.com/real</a>` —
 * then the label becomes the real target (`evil.example/…`), and a label that was more than an
 * address (a sentence naming a site) stays as plain text in `before`, followed by the real target.
 */
export interface VettedLink {
  /** The normalised absolute http(s) URL, not escaped. */
  url: string;
  /** Link text on one line, cleaned, not escaped; '' when the link has none. */
  label: string;
  /** Plain text shown right before the link ('' almost always). */
  before: string;
}

/** What a reader should be told a link opens: its host, and that there is a path. */
export function targetLabel(url: URL): string {
  const rest = `${url.pathname}${url.search}${url.hash}`;
  return rest && rest !== '/' ? `${url.hostname}/…` : url.hostname;
}

/** Vets a link from an email: null when `url` is not an http(s) URL short enough to link. */
export function vetLink(rawUrl: string, text: string): VettedLink | null {
  let url: URL;
  try {
    url = new URL(cleanText(rawUrl).trim());
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  if (url.href.length > MAX_LINK_URL_LENGTH) return null;
  const label = cleanText(text).replace(/\s+/g, ' ').trim();
  const named = hostsNamedIn(label);
  if (named.hosts.every((host) => sameSite(host, url.hostname))) return { url: url.href, label, before: '' };
  return { url: url.href, label: targetLabel(url), before: named.onlyAddress ? '' : label };
}

/** `<url|text>` for an http(s) URL; anything else (mailto:, javascript:, junk) becomes plain text. */
export function mrkdwnLink(url: string, text: string): string {
  const vetted = vetLink(url, text);
  if (vetted === null) return linkLabel(text) || escapeMrkdwn(url);
  const href = safeHttpUrl(vetted.url) ?? '';
  const label = linkLabel(vetted.label);
  const link = label ? `<${href}|${label}>` : `<${href}>`;
  return vetted.before ? `${linkLabel(vetted.before)} (${link})` : link;
}

/** Email text on one line, escaped for mrkdwn (fallback `text`, titles inside sections). */
export function escapeInline(text: string): string {
  return escapeMrkdwn(text.replace(/\s+/g, ' ').trim());
}

/** The same as `escapeInline`; the digest renderer imports it under this name. */
export const escapePlain = escapeInline;

/**
 * Email text for `plain_text` objects (header blocks). Slack shows plain_text literally — an `&amp;`
 * sent there is displayed as typed — and never parses mentions or links in it, so `&` stays as is.
 * Angle brackets become the look-alike single guillemets all the same: then no string the bot sends
 * carries anything shaped like `<!channel>`, whichever field a reader (or a filter) looks at.
 */
export function plainText(text: string): string {
  return cleanText(text).replace(/\s+/g, ' ').trim().replace(/</g, '‹').replace(/>/g, '›');
}
