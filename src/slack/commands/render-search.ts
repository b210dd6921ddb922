/**
 * `/briefing search` answers: how many stories match, then a page of hits best first, each with its
 * date, section (linked to its post), briefing and the line that matched, its matched words in bold.
 * Pure. The email's words (section, briefing, the line) are rich text, shown as typed; the matched
 * words' bold is a style, the only emphasis added.
 */
import { formatLongDate } from '../../query/calendar.js';
import type { SearchResult, SearchResultPage } from '../../query/search.js';
import { foldTerm } from '../../search/text.js';
import { ACTION_MORE } from '../actions/ids.js';
import { escapeInline } from '../escape.js';
import { link, para, type RichInline, type RichTextBlock, richText, txt } from '../render/rich.js';
import { type Answer, type AnswerBlock, button, clip, context, section } from './blocks.js';
import { describePeriod, pageLabel } from './render-country.js';
import { type AnswerRequest, encodeRequest } from './request.js';
import { appendFooter, type RenderOptions } from './share.js';

/** The line with each word whose folded form matched in bold. */
export function highlightRich(line: string, matched: ReadonlySet<string>): RichInline[] {
  const out: RichInline[] = [];
  let last = 0;
  for (const match of line.matchAll(/[\p{L}\p{N}]+/gu)) {
    if (!matched.has(foldTerm(match[0]))) continue;
    if (match.index > last) out.push(txt(line.slice(last, match.index)));
    out.push(txt(match[0], { bold: true }));
    last = match.index + match[0].length;
  }
  if (last < line.length) out.push(txt(line.slice(last)));
  return out;
}

export function hitText(result: SearchResult): RichTextBlock {
  const title = result.permalink
    ? link(result.permalink, result.sectionTitle, { bold: true })
    : [txt(result.sectionTitle, { bold: true })];
  return richText([
    para([
      txt(formatLongDate(result.date), { bold: true }),
      txt(' · '),
      ...title,
      txt(' · '),
      txt(result.briefingTitle, { italic: true }),
      txt('\n'),
      ...highlightRich(result.line.replace(/\s+/g, ' '), new Set(result.terms)),
    ]),
  ]);
}

export function renderSearch(
  found: SearchResultPage,
  request: Extract<AnswerRequest, { kind: 'search' }>,
  options: RenderOptions = {},
): Answer {
  const period = describePeriod(found, false);
  const quoted = `“${escapeInline(found.words)}”`;
  if (found.total === 0) {
    const blocks: AnswerBlock[] = [
      section(
        `No stories match ${quoted} ${period}. Every word must appear; try fewer words or another period.`,
      ),
    ];
    if (options.sharedBy) appendFooter(blocks, request, options);
    return { text: clip(`No stories match ${quoted} ${period}.`), blocks };
  }
  const count = `${found.total} ${found.total === 1 ? 'story matches' : 'stories match'}`;
  const blocks: AnswerBlock[] = [
    section(`:mag: ${count} ${quoted} ${period}`),
    context(`${pageLabel(found)}, best match first`),
    ...found.results.map(hitText),
  ];
  const more =
    found.page < found.pageCount && !options.sharedBy
      ? [button(ACTION_MORE, 'More', encodeRequest({ ...request, page: found.page + 1 }), true)]
      : [];
  appendFooter(blocks, { ...request, page: found.page }, options, more);
  return { text: clip(`${count} ${quoted} ${period}, ${pageLabel(found)}`), blocks };
}
