/**
 * Rich text: how the bot shows an email's words exactly as typed. Slack parses mrkdwn in `section`
 * and `context` text — `*bold*`, `_it_`, `~strike~`, `` `code` ``, ``` ``` ```, `>` quotes — and there
 * is no escape for those characters; in a `rich_text` block a `text` element is shown literally and
 * formatting is only what its `style` says, links are `link` elements with a separate `url`, and
 * mentions exist only as their own element types (which the bot never sends). So email text goes
 * into `text` and `link` elements, and the bot's own emphasis into `style`.
 */
import { cleanText } from '../../text/clean.js';
import { vetLink } from '../escape.js';
// Rich text blocks are kept to a section's text limit (blocks.ts imports only types from here).
import { MAX_SECTION_TEXT } from './blocks.js';

export interface RichStyle {
  bold?: true;
  italic?: true;
  strike?: true;
  code?: true;
}

export interface RichTextElement {
  type: 'text';
  text: string;
  style?: RichStyle;
}

export interface RichLinkElement {
  type: 'link';
  url: string;
  text?: string;
  style?: RichStyle;
}

export type RichInline = RichTextElement | RichLinkElement;

export interface RichSection {
  type: 'rich_text_section';
  elements: RichInline[];
}

export interface RichList {
  type: 'rich_text_list';
  style: 'bullet';
  elements: RichSection[];
}

export interface RichQuote {
  type: 'rich_text_quote';
  elements: RichInline[];
}

export type RichBlockElement = RichSection | RichList | RichQuote;

export interface RichTextBlock {
  type: 'rich_text';
  elements: RichBlockElement[];
}

/**
 * Literal text: cleaned of invisible characters, and `<`/`>` as the look-alike single guillemets, so
 * that no string the bot sends holds anything shaped like `<!channel>` whichever field is read
 * (as `plainText` does for header blocks). Nothing else changes: `*`, `_`, `~`, `` ` `` and `&` stay.
 */
export function literal(text: string): string {
  return cleanText(text).replace(/</g, '‹').replace(/>/g, '›');
}

export function txt(text: string, style?: RichStyle): RichTextElement {
  return style ? { type: 'text', text: literal(text), style } : { type: 'text', text: literal(text) };
}

export function bold(text: string): RichTextElement {
  return txt(text, { bold: true });
}

/**
 * A link from an email (or one the bot made): an http(s) URL and a label that does not name another
 * host (see vetLink); anything else is its text only.
 */
export function link(url: string, label: string, style?: RichStyle): RichInline[] {
  const vetted = vetLink(url, label);
  if (vetted === null) return [txt(label.trim() || url, style)];
  const element: RichLinkElement = { type: 'link', url: vetted.url };
  if (vetted.label) element.text = literal(vetted.label);
  if (style) element.style = style;
  return vetted.before ? [txt(`${vetted.before} (`, style), element, txt(')', style)] : [element];
}

export function para(elements: RichInline[]): RichSection {
  return { type: 'rich_text_section', elements: merge(elements) };
}

export function bulletList(items: RichInline[][]): RichList {
  return { type: 'rich_text_list', style: 'bullet', elements: items.map(para) };
}

export function richText(elements: RichBlockElement[]): RichTextBlock {
  return { type: 'rich_text', elements };
}

/** Characters a reader sees, for sizing blocks. */
export function inlineLength(elements: readonly RichInline[]): number {
  return elements.reduce((n, e) => n + (e.type === 'text' ? e.text.length : (e.text ?? e.url).length), 0);
}

/** The elements as plain words (fallback text, tests). */
export function inlineText(elements: readonly RichInline[]): string {
  return elements.map((e) => (e.type === 'text' ? e.text : (e.text ?? e.url))).join('');
}

/** Adjacent text elements of one style joined, empty ones dropped: smaller payloads, same reading. */
function merge(elements: RichInline[]): RichInline[] {
  const out: RichInline[] = [];
  for (const element of elements) {
    if (element.type === 'text' && element.text === '') continue;
    const last = out.at(-1);
    if (
      last?.type === 'text' &&
      element.type === 'text' &&
      JSON.stringify(last.style ?? {}) === JSON.stringify(element.style ?? {})
    ) {
      out[out.length - 1] = { ...last, text: last.text + element.text };
    } else out.push(element);
  }
  return out.length > 0 ? out : [{ type: 'text', text: ' ' }];
}

/**
 * Splits elements into runs of at most `max` visible characters, cutting text elements at spaces
 * where it can (links stay whole): Slack's limits on a block's text still apply.
 */
export function splitInline(elements: readonly RichInline[], max: number): RichInline[][] {
  const runs: RichInline[][] = [];
  let current: RichInline[] = [];
  let size = 0;
  const flush = () => {
    if (current.length > 0) runs.push(current);
    current = [];
    size = 0;
  };
  for (const element of elements) {
    if (element.type === 'link') {
      const length = (element.text ?? element.url).length;
      if (size + length > max) flush();
      current.push(element);
      size += length;
      continue;
    }
    let rest = element.text;
    while (size + rest.length > max) {
      const room = max - size;
      // The gentlest boundary in reach: a sentence end in the second half of the room, else a space.
      const sentence = Math.max(...['. ', '! ', '? ', '… '].map((end) => rest.lastIndexOf(end, room - 1)));
      let cut = sentence > room / 2 ? sentence + 1 : rest.lastIndexOf(' ', room);
      if (cut <= 0) cut = room;
      if (cut <= 0) {
        flush();
        continue;
      }
      current.push({ ...element, text: rest.slice(0, cut) });
      rest = rest.slice(cut).replace(/^ /, '');
      flush();
    }
    if (rest) {
      current.push({ ...element, text: rest });
      size += rest.length;
    }
  }
  flush();
  return runs;
}

/**
 * Lines of rich text into as few blocks as Slack's text limit allows, each line whole where it fits:
 * one paragraph per line, or one bullet per line.
 */
export function packRichLines(
  lines: readonly RichInline[][],
  options: { as?: 'paragraphs' | 'bullets'; limit?: number } = {},
): RichTextBlock[] {
  const limit = options.limit ?? MAX_SECTION_TEXT;
  const wrap = (group: RichInline[][]): RichTextBlock =>
    richText(options.as === 'bullets' ? [bulletList(group)] : group.map(para));
  const blocks: RichTextBlock[] = [];
  let current: RichInline[][] = [];
  let size = 0;
  for (const line of lines.flatMap((l) => splitInline(l, limit))) {
    const length = inlineLength(line) + 1;
    if (current.length > 0 && size + length > limit) {
      blocks.push(wrap(current));
      current = [];
      size = 0;
    }
    current.push(line);
    size += length;
  }
  if (current.length > 0) blocks.push(wrap(current));
  return blocks;
}
