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

/**
 * Plain text for header blocks and notification fallbacks. Slack does not parse `plain_text` headers,
 * but `text` fallbacks are mrkdwn, so both go through the same escaping to stay simple and safe.
 */
export function escapePlain(text: string): string {
  return escapeMrkdwn(text.replace(/\s+/g, ' ').trim());
}
