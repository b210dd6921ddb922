/**
 * Slack mrkdwn → a small tree of nodes, for the local page. Plain ES module shared by the browser and
 * the tests (types in mrkdwn.d.ts). It never produces HTML: the page builds DOM nodes from this tree
 * with textContent, so nothing in a message can become markup.
 *
 * What it understands (https://docs.slack.dev/messaging/formatting-message-text):
 * `*bold*`, `_italic_`, `~strike~`, `` `code` ``, ``` ```preformatted``` ```, `>` quotes,
 * `<url|label>` / `<url>` links, `<@U…>` / `<#C…|name>` / `<!here>` / `<!date^…|fallback>` tokens,
 * `:flag-xx:` emoji, and the three entities Slack escapes (&amp; &lt; &gt;).
 */

/** Link schemes the page will make clickable; anything else stays text. */
const SAFE_SCHEMES = /^(https?:|mailto:)/i;
/** Private-use characters stand in for atomic tokens while formatting markers are matched. */
const PLACEHOLDER_BASE = 0xe000;
/** A line longer than this is shown as plain text: marker matching is quadratic in the worst case. */
const MAX_FORMATTED_LINE = 20_000;

export function decodeEntities(text) {
  return text.replace(/&(amp|lt|gt);/g, (_, name) => ({ amp: '&', lt: '<', gt: '>' })[name]);
}

/** Named emoji the bot and its readers commonly use; unknown names stay as written, like `:this:`. */
const EMOJI = {
  newspaper: '📰',
  warning: '⚠️',
  calendar: '📆',
  date: '📅',
  spiral_calendar_pad: '🗓️',
  mag: '🔍',
  link: '🔗',
  memo: '📝',
  speech_balloon: '💬',
  thread: '🧵',
  earth_americas: '🌎',
  globe_with_meridians: '🌐',
  information_source: 'ℹ️',
  white_check_mark: '✅',
  x: '❌',
  point_right: '👉',
  wave: '👋',
  thumbsup: '👍',
  '+1': '👍',
  eyes: '👀',
  tada: '🎉',
};

/** `:flag-pe:` → 🇵🇪, `:newspaper:` → 📰; null for names it does not know. */
function emojiText(name) {
  if (Object.hasOwn(EMOJI, name)) return EMOJI[name];
  const flag = /^flag-([a-z]{2})$/.exec(name);
  if (!flag) return null;
  return [...flag[1].toUpperCase()].map((c) => String.fromCodePoint(0x1f1e6 + c.charCodeAt(0) - 65)).join('');
}

function angleToken(inner) {
  const bar = inner.indexOf('|');
  const target = bar >= 0 ? inner.slice(0, bar) : inner;
  const label = bar >= 0 ? inner.slice(bar + 1) : '';
  if (target.startsWith('@'))
    return { type: 'mention', kind: 'user', id: target.slice(1), label: decodeEntities(label) };
  if (target.startsWith('#'))
    return { type: 'mention', kind: 'channel', id: target.slice(1), label: decodeEntities(label) };
  if (target.startsWith('!date^')) {
    return { type: 'mention', kind: 'date', id: target.slice(6), label: decodeEntities(label || target) };
  }
  if (target.startsWith('!')) {
    return {
      type: 'mention',
      kind: 'special',
      id: target.slice(1).split('^')[0],
      label: decodeEntities(label),
    };
  }
  const url = decodeEntities(target);
  if (!SAFE_SCHEMES.test(url)) return { type: 'text', text: decodeEntities(`<${inner}>`) };
  return { type: 'link', url, children: label ? parseInline(label) : [{ type: 'text', text: url }] };
}

function isWordChar(ch) {
  return ch !== undefined && /[\p{L}\p{N}]/u.test(ch);
}

function isSpace(ch) {
  return ch === undefined || /\s/.test(ch);
}

const MARKERS = { '*': 'bold', _: 'italic', '~': 'strike' };

/** Formatting over a string whose atomic tokens are placeholders; `tokens` maps them back. */
function format(text, tokens) {
  const out = [];
  let plain = '';
  const flush = () => {
    if (plain) out.push(...expand(plain, tokens));
    plain = '';
  };
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    const kind = MARKERS[ch];
    if (kind && !isWordChar(text[i - 1]) && !isSpace(text[i + 1])) {
      let j = text.indexOf(ch, i + 2);
      while (j > 0 && (isSpace(text[j - 1]) || isWordChar(text[j + 1]))) j = text.indexOf(ch, j + 1);
      if (j > 0) {
        flush();
        out.push({ type: kind, children: format(text.slice(i + 1, j), tokens) });
        i = j + 1;
        continue;
      }
    }
    plain += ch;
    i += 1;
  }
  flush();
  return out;
}

function expand(text, tokens) {
  const out = [];
  let plain = '';
  for (const ch of text) {
    const index = ch.charCodeAt(0) - PLACEHOLDER_BASE;
    if (index >= 0 && index < tokens.length) {
      if (plain) out.push({ type: 'text', text: decodeEntities(plain) });
      plain = '';
      out.push(tokens[index]);
    } else {
      plain += ch;
    }
  }
  if (plain) out.push({ type: 'text', text: decodeEntities(plain) });
  return out;
}

/** One line of mrkdwn → inline nodes. */
export function parseInline(line) {
  if (line.length > MAX_FORMATTED_LINE) return [{ type: 'text', text: decodeEntities(line) }];
  const tokens = [];
  // Real private-use characters in the input must not be mistaken for placeholders.
  const safe = line.replace(/[\ue000-\uf8ff]/g, '\ufffd');
  const withPlaceholders = safe.replace(
    /<([^<>\n]+)>|`([^`\n]+)`|:([a-z0-9_+-]+):/g,
    (whole, angle, code, emoji) => {
      let token;
      if (angle !== undefined) token = angleToken(angle);
      else if (code !== undefined) token = { type: 'code', text: decodeEntities(code) };
      else {
        const text = emojiText(emoji);
        if (text === null) return whole;
        token = { type: 'emoji', name: emoji, text };
      }
      tokens.push(token);
      return String.fromCharCode(PLACEHOLDER_BASE + tokens.length - 1);
    },
  );
  return format(withPlaceholders, tokens);
}

/**
 * A whole mrkdwn text → blocks: `{type:'line', children}` per line, `{type:'quote', children}` for
 * lines starting with `>`, and `{type:'pre', text}` for ``` fenced text.
 */
export function parseMrkdwn(text) {
  const blocks = [];
  const parts = String(text ?? '').split('```');
  parts.forEach((part, index) => {
    // Odd parts are inside a fence, unless the last fence is never closed.
    const fenced = index % 2 === 1 && index < parts.length - 1;
    if (fenced) {
      blocks.push({ type: 'pre', text: decodeEntities(part.replace(/^\n/, '')) });
      return;
    }
    const chunk = index % 2 === 1 ? `\`\`\`${part}` : part;
    if (chunk === '' && parts.length > 1) return;
    for (const line of chunk.split('\n')) {
      const quote = /^(&gt;|>)\s?(.*)$/.exec(line);
      if (quote) blocks.push({ type: 'quote', children: parseInline(quote[2]) });
      else blocks.push({ type: 'line', children: parseInline(line) });
    }
  });
  return blocks;
}
