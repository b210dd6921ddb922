/**
 * `/briefing search` answers: how many stories match, then a page of hits best first, each with its
 * date, section (linked to its post), briefing and the line that matched, its matched words in bold.
 * Pure; every string from an email is escaped here, and the bold marks are the only markup added.
 */
import { formatLongDate } from '../../query/calendar.js';
import type { SearchResult, SearchResultPage } from '../../query/search.js';
import { highlight } from '../../search/text.js';
import { ACTION_MORE } from '../actions/ids.js';
import { escapeInline, escapeMrkdwn, mrkdwnLink } from '../escape.js';
import { type Answer, type AnswerBlock, button, clip, context, section } from './blocks.js';
import { describePeriod, pageLabel } from './render-country.js';
import { type AnswerRequest, encodeRequest } from './request.js';
import { appendFooter, type RenderOptions } from './share.js';

export function hitText(result: SearchResult): string {
  const title = result.permalink
    ? `*${mrkdwnLink(result.permalink, result.sectionTitle)}*`
    : `*${escapeMrkdwn(result.sectionTitle)}*`;
  const line = highlight(result.line.replace(/\s+/g, ' '), new Set(result.terms), escapeMrkdwn);
  return `*${formatLongDate(result.date)}* · ${title} · _${escapeInline(result.briefingTitle)}_\n${line}`;
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
    ...found.results.map((result) => section(hitText(result))),
  ];
  const more =
    found.page < found.pageCount && !options.sharedBy
      ? [button(ACTION_MORE, 'More', encodeRequest({ ...request, page: found.page + 1 }), true)]
      : [];
  appendFooter(blocks, { ...request, page: found.page }, options, more);
  return { text: clip(`${count} ${quoted} ${period}, ${pageLabel(found)}`), blocks };
}
