/**
 * `/country` answers: the count, then a page of stories newest first, each with its date, section,
 * first sentence, other countries and a link; then, on the first page, "Also mentioned in": the stories
 * that only mention the country, one line each. Pure. The email's words (section titles, first
 * sentences) go into rich text, shown as typed; only the bot's own words and catalogue names use mrkdwn.
 */
import { formatLongDate, formatRange } from '../../query/calendar.js';
import type { Story, StoryPage } from '../../query/country-stories.js';
import { ALL_TIME, DEFAULT_PERIOD_DAYS } from '../../query/period.js';
import { ACTION_MORE } from '../actions/ids.js';
import { escapeMrkdwn } from '../escape.js';
import {
  bold,
  link,
  packRichLines,
  para,
  type RichInline,
  type RichTextBlock,
  richText,
  splitInline,
  txt,
} from '../render/rich.js';
import { type Answer, type AnswerBlock, button, clip, context, MAX_SECTION_TEXT, section } from './blocks.js';
import { flags } from './flags.js';
import { type AnswerRequest, encodeRequest } from './request.js';
import { appendFooter, type RenderOptions } from './share.js';

export interface CountryLabel {
  code: string;
  name: string;
  flag: string;
}

export function describePeriod(page: Pick<StoryPage, 'range'>, isDefault: boolean): string {
  const { from, to } = page.range;
  if (from === ALL_TIME.from && to === ALL_TIME.to) return 'in the whole archive';
  const span = from === to ? `on ${formatRange(from, to)}` : formatRange(from, to);
  return isDefault ? `${span} (the ${DEFAULT_PERIOD_DAYS} days up to the newest briefing)` : span;
}

/** "11–20 of 37". */
export function pageLabel(page: Pick<StoryPage, 'first' | 'last' | 'total'>): string {
  return `${page.first}–${page.last} of ${page.total}`;
}

function storyTitle(story: Pick<Story, 'permalink' | 'sectionTitle'>, style?: { bold: true }): RichInline[] {
  return story.permalink
    ? link(story.permalink, story.sectionTitle, style)
    : [txt(story.sectionTitle, style)];
}

/** A story's lines: date and linked title; its first sentence; the other countries it is about. */
export function storyLines(story: Story): RichInline[][] {
  const lines: RichInline[][] = [
    [bold(formatLongDate(story.date)), txt(' · '), ...storyTitle(story, { bold: true })],
  ];
  if (story.firstSentence) lines.push([txt(story.firstSentence)]);
  const also = flags(story.otherCountries);
  if (also) lines.push([txt('Also:', { italic: true }), txt(` ${also}`)]);
  return lines;
}

/** One block per story, as one section each was: a story reads as a unit. */
export function storyBlock(story: Story): RichTextBlock {
  const lines = storyLines(story).flatMap((line) => splitInline(line, MAX_SECTION_TEXT));
  return richText([para(lines.flatMap((line, i) => (i === 0 ? line : [txt('\n'), ...line])))]);
}

/** One line per story that only mentions the country, and how many more there are. */
export function mentionedBlocks(page: Pick<StoryPage, 'mentioned'>): AnswerBlock[] {
  const { total, stories } = page.mentioned;
  if (total === 0 || stories.length === 0) return [];
  const lines = stories.map((story) => [bold(formatLongDate(story.date)), txt(' · '), ...storyTitle(story)]);
  const rest = total - stories.length;
  return [
    section(`*Also mentioned in* ${total} ${total === 1 ? 'story' : 'stories'}:`),
    ...packRichLines(lines, { as: 'bullets' }),
    ...(rest > 0 ? [context(`…and ${rest} more`)] : []),
  ];
}

export function renderCountry(
  country: CountryLabel,
  page: StoryPage,
  request: Extract<AnswerRequest, { kind: 'country' }>,
  options: RenderOptions & { newestEver?: string | null } = {},
): Answer {
  const who = `${country.flag ? `${country.flag} ` : ''}*${escapeMrkdwn(country.name)}*`;
  const period = describePeriod(page, request.isDefault);
  if (page.total === 0) {
    const newest = options.newestEver
      ? ` The most recent is from ${formatLongDate(options.newestEver)}: try \`/country ${country.code} all\`.`
      : ' There are none in the archive yet.';
    const blocks: AnswerBlock[] = [
      section(`No stories about ${who} ${period}.${newest}`),
      ...mentionedBlocks(page),
    ];
    if (options.sharedBy) appendFooter(blocks, request, options);
    return { text: clip(`No stories about ${escapeMrkdwn(country.name)} ${period}.`), blocks };
  }
  const count = `${page.total} ${page.total === 1 ? 'story' : 'stories'}`;
  const blocks: AnswerBlock[] = [
    section(`${who}: ${count} ${period}`),
    context(`${pageLabel(page)}, newest first`),
    ...page.stories.map(storyBlock),
    ...mentionedBlocks(page),
  ];
  const more =
    page.page < page.pageCount && !options.sharedBy
      ? [button(ACTION_MORE, 'More', encodeRequest({ ...request, page: page.page + 1 }), true)]
      : [];
  appendFooter(blocks, { ...request, page: page.page }, options, more);
  return { text: clip(`${escapeMrkdwn(country.name)}: ${count} ${period}, ${pageLabel(page)}`), blocks };
}
