import { Parser } from 'htmlparser2';
import type { Line } from './lines.js';
import type { Link } from './types.js';

/**
 * HTML body → lines, with a streaming (SAX) pass: no DOM tree, no recursion, so a deeply nested or
 * huge message costs linear time and constant stack.
 */

/** Elements whose text is never part of the message. */
const SKIPPED = new Set(['script', 'style', 'head', 'title', 'template', 'noscript', 'svg']);
/** Elements that end the current line when they open or close. */
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
  'td',
  'th',
]);
const EMPHASIS = new Set(['b', 'strong', 'u']);
/** Bold paragraphs rank below every <hN> so a real heading hierarchy wins. */
const BOLD_LEVEL = 7;
/** A fully bold line longer than this is an emphasised sentence, not a heading. */
const MAX_BOLD_HEADING_CHARS = 120;
/** Outlook draws its forward separator as <hr>; the text form of that separator is what unwrap knows. */
const HR_TEXT = '________________________________';
/** Only these link schemes reach Slack; javascript:, data: and cid: are dropped. */
const LINK_SCHEME = /^(?:https?:|mailto:)/i;

export function htmlToLines(html: string): Line[] {
  const lines: Line[] = [];
  let text = '';
  let emphasised = 0; // characters of `text` written inside <b>/<strong>/<u>
  let links: Link[] = [];
  let headingLevel = 0;
  let itemStarted = false;
  let skipDepth = 0;
  let emphasisDepth = 0;
  let preDepth = 0;
  const anchors: { href: string; text: string }[] = [];

  const flush = (): void => {
    const clean = text.replace(/[ \t\u00A0]+/g, ' ').trim();
    if (clean !== '') {
      const emphasisedClean = emphasised >= clean.replace(/\s/g, '').length;
      let hint: Line['hint'] = null;
      let level = 0;
      if (itemStarted) {
        hint = 'bullet';
      } else if (headingLevel > 0) {
        hint = 'heading';
        level = headingLevel;
      } else if (emphasisedClean && clean.length <= MAX_BOLD_HEADING_CHARS) {
        hint = 'heading';
        level = BOLD_LEVEL;
      }
      lines.push({ text: clean, hint, level, links });
      itemStarted = false;
    }
    text = '';
    emphasised = 0;
    links = [];
  };
  const blank = (): void => {
    flush();
    if (lines.length > 0 && lines[lines.length - 1]?.text !== '')
      lines.push({ text: '', hint: null, level: 0, links: [] });
  };

  const parser = new Parser(
    {
      onopentag(name, attributes) {
        if (SKIPPED.has(name)) {
          skipDepth++;
          return;
        }
        if (skipDepth > 0) return;
        if (name === 'hr') {
          blank();
          lines.push({ text: HR_TEXT, hint: null, level: 0, links: [] });
          return;
        }
        if (BLOCKS.has(name)) flush();
        if (/^h[1-6]$/.test(name)) headingLevel = Number(name[1]);
        if (name === 'li') {
          itemStarted = true;
        }
        if (name === 'pre') preDepth++;
        if (EMPHASIS.has(name)) emphasisDepth++;
        if (name === 'a') anchors.push({ href: (attributes.href ?? '').trim(), text: '' });
        if (name === 'img' && attributes.alt && anchors.length > 0) {
          const anchor = anchors[anchors.length - 1];
          if (anchor) anchor.text += attributes.alt;
        }
      },
      ontext(data) {
        if (skipDepth > 0) return;
        if (preDepth > 0 && data.includes('\n')) {
          const parts = data.split('\n');
          parts.forEach((part, index) => {
            if (index > 0) flush();
            text += part;
          });
          return;
        }
        const piece = data.replace(/\s+/g, ' ');
        if (text === '' && piece.trim() === '') return;
        text += piece;
        if (emphasisDepth > 0) emphasised += piece.replace(/\s/g, '').length;
        for (const anchor of anchors) anchor.text += piece;
      },
      onclosetag(name) {
        if (SKIPPED.has(name)) {
          skipDepth = Math.max(0, skipDepth - 1);
          return;
        }
        if (skipDepth > 0) return;
        if (name === 'a') {
          const anchor = anchors.pop();
          if (anchor && LINK_SCHEME.test(anchor.href)) {
            links.push({ url: anchor.href, text: anchor.text.replace(/\s+/g, ' ').trim() || anchor.href });
          }
          return;
        }
        if (EMPHASIS.has(name)) emphasisDepth = Math.max(0, emphasisDepth - 1);
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
