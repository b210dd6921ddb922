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

/** Escapes the three characters Slack treats as markup. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
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

/** `<url|text>` for an http(s) URL; anything else (mailto:, javascript:, junk) becomes plain text. */
export function mrkdwnLink(url: string, text: string): string {
  const href = safeHttpUrl(url);
  const label = linkLabel(text);
  if (href === null) return label || escapeMrkdwn(url);
  return label ? `<${href}|${label}>` : `<${href}>`;
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
  return text.replace(/\s+/g, ' ').trim().replace(/</g, '‹').replace(/>/g, '›');
}
