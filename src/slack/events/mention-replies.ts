/**
 * The bot's answers to mentions, as Slack messages. Pure: data in, Block Kit out; email text is escaped.
 */
import type { Briefing, Link, Section } from '../../briefing/types.js';
import { countryFlag, countryName } from '../../countries/index.js';
import { formatLongDate, formatShortDate } from '../../query/calendar.js';
import type { StoryPage } from '../../query/country-stories.js';
import { ALL_TIME } from '../../query/period.js';
import { escapeMrkdwn, mrkdwnLink } from '../escape.js';
import {
  type Block,
  context,
  MAX_BLOCKS,
  MAX_FALLBACK_TEXT,
  MAX_SECTION_TEXT,
  type SlackMessage,
  section,
  truncateAtWord,
} from '../render/blocks.js';
import { renderSectionPosts, sectionTitle } from '../render/section.js';
import { packPieces } from '../render/split.js';
import type { Verb } from './mention-plan.js';

/** A thread answer about background reads at a glance: five stories per country, then a pointer to /country. */
export const RELATED_STORIES_SHOWN = 5;

const EXAMPLES = [
  '`@briefing-bot more 2` — the full text of section 2 (or `more peru`: words of its title)',
  '`@briefing-bot sources` — sources and links of the whole briefing; `sources 2` for one section',
  '`@briefing-bot related 2` — earlier stories about the countries of section 2',
  '`@briefing-bot Haiti` — earlier stories about a country (the past year; `Haiti all` for the whole archive)',
];

function text(message: string): SlackMessage {
  return {
    text: truncateAtWord(message, MAX_FALLBACK_TEXT),
    blocks: [section(truncateAtWord(message, MAX_SECTION_TEXT))],
  };
}

/** Splits blocks over as many messages as Slack's 50-block limit needs. */
function messages(fallback: string, blocks: Block[]): SlackMessage[] {
  const out: SlackMessage[] = [];
  for (let i = 0; i < blocks.length; i += MAX_BLOCKS) {
    out.push({ text: truncateAtWord(fallback, MAX_FALLBACK_TEXT), blocks: blocks.slice(i, i + MAX_BLOCKS) });
  }
  return out;
}

function sectionList(sections: Section[], only?: number[]): string {
  const indexes = only ?? sections.map((_, index) => index);
  return indexes
    .map((index) => {
      const s = sections[index];
      return s ? `${index + 1}. ${escapeMrkdwn(sectionTitle(s))}` : '';
    })
    .filter(Boolean)
    .join('\n');
}

export function helpReply(sections: Section[], inSectionThread: boolean): SlackMessage[] {
  const intro = inSectionThread
    ? 'In this section’s thread the section is implied: `more`, `sources`, `related`. I can also answer about the others:'
    : 'Ask me in this thread:';
  const body = `${intro}\n${EXAMPLES.map((line) => `• ${line}`).join('\n')}`;
  const list = sections.length > 0 ? `*Sections*\n${sectionList(sections)}` : '';
  return messages(
    'What I can do in this thread: more, sources, related, or a country name.',
    packPieces([body, list].filter(Boolean), '\n\n', MAX_SECTION_TEXT).map(section),
  );
}

export function outsideHelp(): SlackMessage[] {
  return [
    text(
      'I answer questions in a briefing’s thread: mention me there with `more 2`, `sources`, `related` or a country name. ' +
        'Anywhere else, `/briefing [date]` shows a day’s briefings and `/country <name>` recent stories about a country.',
    ),
  ];
}

export function pickSectionReply(verb: Verb, sections: Section[], candidates: number[]): SlackMessage[] {
  const example = `\`${verb} ${(candidates[0] ?? 0) + 1}\``;
  const body = `Which section? Mention me with its number, e.g. ${example}:\n${sectionList(sections, candidates)}`;
  return messages(
    `Which section? e.g. ${verb} ${(candidates[0] ?? 0) + 1}`,
    packPieces([body], '\n', MAX_SECTION_TEXT).map(section),
  );
}

export function unknownSectionReply(verb: Verb, query: string, sections: Section[]): SlackMessage[] {
  const body = `No section of this briefing matches “${escapeMrkdwn(query)}”. Try \`${verb} 1\` or words of a title:\n${sectionList(sections)}`;
  return messages(
    `No section matches “${escapeMrkdwn(query)}”.`,
    packPieces([body], '\n', MAX_SECTION_TEXT).map(section),
  );
}

/** The full section, as many messages as its length needs (the same rendering as its posts). */
export function moreReply(s: Section): SlackMessage[] {
  return renderSectionPosts(s);
}

function uniqueSources(s: Section): string[] {
  return [...new Set(s.items.flatMap((item) => item.sources.map((source) => source.trim())).filter(Boolean))];
}

function uniqueLinks(s: Section): Link[] {
  const seen = new Set<string>();
  return s.items
    .flatMap((item) => item.links)
    .filter((link) => {
      if (seen.has(link.url)) return false;
      seen.add(link.url);
      return true;
    });
}

function sourcesPieces(s: Section, index: number): string[] {
  const sources = uniqueSources(s);
  const links = uniqueLinks(s);
  const head = `*${index + 1}. ${escapeMrkdwn(sectionTitle(s))}*`;
  const sourceLine =
    sources.length > 0 ? `Sources: ${escapeMrkdwn(sources.join(', '))}` : 'No sources named.';
  return [
    `${head}\n${sourceLine}`,
    ...links.map((link) => `• ${mrkdwnLink(link.url, link.text.trim() || link.url)}`),
  ];
}

/** Sources and links of one section, or of every section, grouped. */
export function sourcesReply(briefing: Briefing, sectionIndex: number | null): SlackMessage[] {
  const indexes = sectionIndex === null ? briefing.sections.map((_, index) => index) : [sectionIndex];
  const pieces = indexes.flatMap((index) => {
    const s = briefing.sections[index];
    return s ? sourcesPieces(s, index) : [];
  });
  const subject =
    sectionIndex === null
      ? `Sources and links of “${briefing.title || briefing.subject}”`
      : `Sources and links of section ${sectionIndex + 1}`;
  if (pieces.length === 0) return [text('This briefing names no sources and has no links.')];
  return messages(subject, packPieces(pieces, '\n', MAX_SECTION_TEXT).map(section));
}

function countryLabel(code: string): string {
  return `${countryFlag(code)} ${escapeMrkdwn(countryName(code))}`.trim();
}

function storyLine(story: StoryPage['stories'][number]): string {
  const title = `${story.sectionTitle}`;
  const link = story.permalink ? mrkdwnLink(story.permalink, title) : escapeMrkdwn(title);
  const sentence = story.firstSentence ? ` — ${escapeMrkdwn(story.firstSentence)}` : '';
  return `• ${escapeMrkdwn(formatShortDate(story.date))}: ${link}${sentence}`;
}

export interface RelatedContext {
  /** The thread's briefing date ("Stories before …" when the whole archive was searched). */
  briefingDate?: string;
  /** Country → date of its newest story before the range, for a country with none in it. */
  older?: ReadonlyMap<string, string>;
}

/** Earlier stories per country: the /country search, a few stories each, newest first. */
export function relatedReply(pages: StoryPage[], about: RelatedContext = {}): SlackMessage[] {
  if (pages.length === 0) {
    return [
      text('This part of the briefing is not tagged with any country, so there is nothing to look up.'),
    ];
  }
  const pieces = pages.map((page) => {
    const label = countryLabel(page.country);
    if (page.total === 0) {
      const older = about.older?.get(page.country);
      return older
        ? `*${label}*: no stories in this period; the most recent earlier one is from ${formatShortDate(older)}: \`@briefing-bot ${escapeMrkdwn(countryName(page.country))} all\` looks through the whole archive.`
        : `*${label}*: no earlier stories.`;
    }
    const shown = page.stories.slice(0, RELATED_STORIES_SHOWN).map(storyLine);
    const more =
      page.total > shown.length
        ? `\n_${page.total - shown.length} more: \`/country ${escapeMrkdwn(countryName(page.country))}\`_`
        : '';
    return `*${label}*: ${page.total} earlier ${page.total === 1 ? 'story' : 'stories'}\n${shown.join('\n')}${more}`;
  });
  const names = pages.map((page) => countryName(page.country)).join(', ');
  const blocks: Block[] = packPieces(pieces, '\n\n', MAX_SECTION_TEXT).map(section);
  const range = pages[0]?.range;
  if (range && range.from === ALL_TIME.from) {
    const before = about.briefingDate ? ` before ${formatLongDate(about.briefingDate)}` : '';
    blocks.push(context([`Stories from the whole archive${before}.`]));
  } else if (range) {
    blocks.push(context([`Stories from ${formatShortDate(range.from)} to ${formatShortDate(range.to)}.`]));
  }
  return messages(`Earlier stories about ${names}`, blocks);
}
