import { Parser } from 'htmlparser2';
import { collapseWhitespace, oneLine } from '../text/whitespace.js';
import { type Line, textToLines } from './lines.js';
import type { Link } from './types.js';

/**
 * HTML body → lines, with a streaming (SAX) pass: no DOM tree, no recursion, so a deeply nested or
 * huge message costs linear time and constant stack.
 */

/** Elements whose text is never part of the message. */
const SKIPPED = new Set(['script', 'style', 'head', 'title', 'template', 'noscript', 'svg']);
/**
 * Elements that end the current line when they open or close. Table cells do not: a row is one line
 * (Thunderbird writes its forward header as a table, "Subject:" and its value in two cells).
 */
const BLOCKS = new Set([
  'p',
  'div',
  'br',
  'li',
  'ul',
  'ol',
  'tr',
  'table',
  'blockquote',
  'section',
  'article',
  'header',
  'footer',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'hr',
  'pre',
  'dd',
  'dt',
  'dl',
  'center',
]);
const EMPHASIS = new Set(['b', 'strong', 'u']);
/** Newsletter builders bold with CSS instead of <b>. */
const BOLD_STYLE = /font-weight\s*:\s*(?:bold|[6-9]00)/i;
/** Inline styles are short; a longer one is not read for boldness. */
const MAX_STYLE_CHARS = 2000;
/** Bold paragraphs rank below every <hN> so a real heading hierarchy wins. */
const BOLD_LEVEL = 7;
/** A fully bold line longer than this is an emphasised sentence, not a heading. */
const MAX_BOLD_HEADING_CHARS = 120;
/** Outlook draws its forward separator as <hr>; the text form of that separator is what unwrap knows. */
const HR_TEXT = '________________________________';
/** Hidden preheaders and mobile-only copies: text the reader never sees. */
const HIDDEN_STYLE =
  /display\s*:\s*none|mso-hide\s*:\s*all|visibility\s*:\s*hidden|max-height\s*:\s*0(?:px)?\s*;[^"]{0,200}overflow\s*:\s*hidden/i;
/** An image this small is a tracking pixel, a spacer or an icon: no caption follows it. */
const MIN_PICTURE_PIXELS = 48;
/** A credit or caption under a picture is a short line ("Francis Scialabba", "(Imagem: Reuters)"). */
const MAX_CAPTION_CHARS = 120;
/** A label opening a line is one to four capitalised words ("ARGENTINA", "TOP OF THE AGENDA"). */
const LINE_LABEL = /^[\p{Lu}\p{N}][\p{Lu}\p{N}&/'’ -]{2,40}$/u;
/** Only these link schemes reach Slack; javascript:, data: and cid: are dropped. */
const LINK_SCHEME = /^(?:https?:|mailto:)/i;

/**
 * htmlparser2 slows down quadratically with nesting depth (100k nested tags ≈ 4 s). Real mail nests
 * well under 100 levels; deeper HTML is read as tag-stripped text instead. The depth is the parser's
 * own, counted as it goes: a scan of the whole HTML before parsing cost 1% of every parse.
 */
const MAX_HTML_DEPTH = 1000;

/** Thrown out of the parser's callbacks once it is deeper than MAX_HTML_DEPTH. */
const TOO_DEEP = Symbol('too deep');
const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

/** Tags → line breaks, the common entities decoded: the reading of HTML too deep to parse. */
function strippedText(html: string): string {
  return html
    .replace(/<(?:script|style)\b[^>]{0,2000}>[^<]{0,100000}<\/(?:script|style)>/gi, '')
    .replace(/<[^>]{0,2000}>/g, '\n')
    .replace(/&(#x[0-9a-f]{1,6}|#\d{1,7}|[a-z]{2,6});/gi, (entity, code: string) => {
      if (code[0] !== '#') return ENTITIES[code.toLowerCase()] ?? entity;
      const point =
        code[1] === 'x' || code[1] === 'X' ? Number.parseInt(code.slice(2), 16) : Number(code.slice(1));
      return point > 0 && point <= 0x10ffff ? String.fromCodePoint(point) : entity;
    });
}

export function htmlToLines(html: string): Line[] {
  try {
    return parsedLines(html);
  } catch (error) {
    if (error === TOO_DEEP) return textToLines(strippedText(html));
    throw error;
  }
}

function parsedLines(html: string): Line[] {
  const lines: Line[] = [];
  let text = '';
  let emphasised = 0; // characters of `text` written inside <b>/<strong>/<u>
  let links: Link[] = [];
  let headingLevel = 0;
  let itemStarted = false;
  let skipDepth = 0;
  let emphasisDepth = 0;
  let hiddenDepth = 0;
  // The emphasised run a line opens with, while the line has had nothing else yet.
  let leadEmphasis = '';
  let leadOpen = true;
  // A picture was just shown: the next short line is its credit or caption.
  let afterPicture = false;
  // Whether each open element counts as emphasis or hides its content; htmlparser2 reports every
  // close, so the stack stays balanced.
  const open: { bold: boolean; hidden: boolean }[] = [];
  let preDepth = 0;
  const anchors: { href: string; text: string }[] = [];
  // Elements the parser has open: it reports every close (implied ones too), void elements at once.
  let depth = 0;

  const flush = (): void => {
    const clean = text.replace(/[ \t\u00A0]+/g, ' ').trim();
    if (clean !== '') {
      // Counted only when some of the line was emphasised: most lines have none.
      const emphasisedClean = emphasised > 0 && emphasised >= clean.replace(/\s/g, '').length;
      let hint: Line['hint'] = null;
      let level = 0;
      const label = oneLine(leadEmphasis);
      if (afterPicture && !itemStarted && headingLevel === 0 && clean.length <= MAX_CAPTION_CHARS) {
        hint = 'caption';
      } else if (itemStarted) {
        hint = 'bullet';
      } else if (headingLevel > 0) {
        hint = 'heading';
        level = headingLevel;
      } else if (emphasisedClean && clean.length <= MAX_BOLD_HEADING_CHARS) {
        hint = 'heading';
        level = BOLD_LEVEL;
      }
      const line: Line = { text: clean, hint, level, links };
      if (hint === null && label !== clean && LINE_LABEL.test(label) && /\p{Lu}{3}/u.test(label))
        line.label = label;
      lines.push(line);
      itemStarted = false;
      afterPicture = false;
    }
    text = '';
    emphasised = 0;
    links = [];
    leadEmphasis = '';
    leadOpen = true;
  };
  const blank = (): void => {
    flush();
    if (lines.length > 0 && lines[lines.length - 1]?.text !== '')
      lines.push({ text: '', hint: null, level: 0, links: [] });
  };

  const parser = new Parser(
    {
      onopentag(name, attributes) {
        depth++;
        if (depth > MAX_HTML_DEPTH) throw TOO_DEEP;
        if (SKIPPED.has(name)) {
          skipDepth++;
          return;
        }
        if (skipDepth > 0) return;
        const style = (attributes.style ?? '').slice(0, MAX_STYLE_CHARS);
        const bold = EMPHASIS.has(name) || BOLD_STYLE.test(style);
        const hidden = HIDDEN_STYLE.test(style) || 'hidden' in attributes;
        open.push({ bold, hidden });
        if (bold) emphasisDepth++;
        if (hidden) hiddenDepth++;
        if (hiddenDepth > 0) return;
        if (name === 'img') {
          const size = Math.min(
            Number(attributes.width ?? 600) || 600,
            Number(attributes.height ?? 600) || 600,
          );
          if (size >= MIN_PICTURE_PIXELS && text.trim() === '') {
            flush();
            afterPicture = true;
          }
        }
        if (name === 'hr') {
          blank();
          lines.push({ text: HR_TEXT, hint: null, level: 0, links: [] });
          return;
        }
        if ((name === 'td' || name === 'th') && text !== '') text += ' ';
        if (name === 'br' && text.trim() === '') {
          // A second <br> in a row is an empty line: Gmail and Apple Mail end the forward header so.
          blank();
          return;
        }
        if (BLOCKS.has(name)) flush();
        if (/^h[1-6]$/.test(name)) headingLevel = Number(name[1]);
        if (name === 'li') {
          itemStarted = true;
        }
        if (name === 'pre') preDepth++;
        if (name === 'a') anchors.push({ href: (attributes.href ?? '').trim(), text: '' });
        if (name === 'img' && attributes.alt && anchors.length > 0) {
          const anchor = anchors[anchors.length - 1];
          if (anchor) anchor.text += attributes.alt;
        }
      },
      ontext(data) {
        if (skipDepth > 0 || hiddenDepth > 0) return;
        if (preDepth > 0 && data.includes('\n')) {
          const parts = data.split('\n');
          parts.forEach((part, index) => {
            if (index > 0) flush();
            text += part;
          });
          return;
        }
        const piece = collapseWhitespace(data);
        if (text === '' && piece.trim() === '') return;
        text += piece;
        if (emphasisDepth > 0) emphasised += piece.replace(/\s/g, '').length;
        if (leadOpen && emphasisDepth > 0) leadEmphasis += piece;
        else if (piece.trim() !== '') leadOpen = false;
        for (const anchor of anchors) anchor.text += piece;
      },
      onclosetag(name) {
        depth = Math.max(0, depth - 1);
        if (SKIPPED.has(name)) {
          skipDepth = Math.max(0, skipDepth - 1);
          return;
        }
        if (skipDepth > 0) return;
        const closed = open.pop();
        if (closed?.bold) emphasisDepth = Math.max(0, emphasisDepth - 1);
        if (closed?.hidden) {
          hiddenDepth = Math.max(0, hiddenDepth - 1);
          return;
        }
        if (hiddenDepth > 0) return;
        if (name === 'a') {
          const anchor = anchors.pop();
          if (anchor && LINK_SCHEME.test(anchor.href)) {
            links.push({ url: anchor.href, text: oneLine(anchor.text) || anchor.href });
          }
          return;
        }
        if (name === 'pre') preDepth = Math.max(0, preDepth - 1);
        if (/^h[1-6]$/.test(name)) {
          flush();
          headingLevel = 0;
          blank();
          return;
        }
        if (name === 'li') {
          flush();
          itemStarted = false;
          return;
        }
        if (name === 'p' || name === 'blockquote' || name === 'table' || name === 'ul' || name === 'ol') {
          blank();
          return;
        }
        if (BLOCKS.has(name)) flush();
      },
    },
    { decodeEntities: true, lowerCaseTags: true },
  );
  parser.write(html);
  parser.end();
  flush();
  while (lines.length > 0 && lines[lines.length - 1]?.text === '') lines.pop();
  return lines;
}
