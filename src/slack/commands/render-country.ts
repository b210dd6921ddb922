/**
 * `/country` answers: the count, then a page of stories newest first, each with its date, section,
 * first sentence, other countries and a link; then, on the first page, "Also mentioned in": the stories
 * that only mention the country, one line each. Pure; every string from an email is escaped here.
 */
import { formatLongDate, formatRange } from '../../query/calendar.js';
import type { Story, StoryPage } from '../../query/country-stories.js';
import { ALL_TIME, DEFAULT_PERIOD_DAYS } from '../../query/period.js';
import { ACTION_MORE } from '../actions/ids.js';
import { escapeMrkdwn, mrkdwnLink } from '../escape.js';
import { type Answer, type AnswerBlock, button, clip, context, section } from './blocks.js';
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

export function storyText(story: Story): string {
  const title = story.permalink
    ? `*${mrkdwnLink(story.permalink, story.sectionTitle)}*`
    : `*${escapeMrkdwn(story.sectionTitle)}*`;
  const also = flags(story.otherCountries);
  const lines = [`*${formatLongDate(story.date)}* · ${title}`];
  if (story.firstSentence) lines.push(escapeMrkdwn(story.firstSentence));
  if (also) lines.push(`_Also:_ ${also}`);
  return lines.join('\n');
}

/** One line per story that only mentions the country, and how many more there are. */
export function mentionedBlocks(page: Pick<StoryPage, 'mentioned'>): AnswerBlock[] {
  const { total, stories } = page.mentioned;
  if (total === 0 || stories.length === 0) return [];
  const lines = stories.map((story) => {
    const title = story.permalink
      ? mrkdwnLink(story.permalink, story.sectionTitle)
      : escapeMrkdwn(story.sectionTitle);
    return `• *${formatLongDate(story.date)}* · ${title}`;
  });
  const rest = total - stories.length;
  if (rest > 0) lines.push(`_…and ${rest} more_`);
  return [section(`*Also mentioned in* ${total} ${total === 1 ? 'story' : 'stories'}:\n${lines.join('\n')}`)];
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
    ...page.stories.map((story) => section(storyText(story))),
    ...mentionedBlocks(page),
  ];
  const more =
    page.page < page.pageCount && !options.sharedBy
      ? [button(ACTION_MORE, 'More', encodeRequest({ ...request, page: page.page + 1 }), true)]
      : [];
  appendFooter(blocks, { ...request, page: page.page }, options, more);
  return { text: clip(`${escapeMrkdwn(country.name)}: ${count} ${period}, ${pageLabel(page)}`), blocks };
}
