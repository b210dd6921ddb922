/**
 * The bot's answers to mentions, as Slack messages. Pure: data in, Block Kit out; email text is escaped.
 */
import type { Briefing, Link, Section } from '../../briefing/types.js';
import { countryFlag, countryName } from '../../countries/index.js';
import { formatLongDate, formatShortDate } from '../../query/calendar.js';
import type { StoryPage } from '../../query/country-stories.js';
import { ALL_TIME } from '../../query/period.js';
import { escapeInline } from '../escape.js';
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
import { bold, link, packRichLines, type RichInline, txt } from '../render/rich.js';
import { renderSectionPosts, sectionTitle } from '../render/section.js';
import type { Verb } from './mention-plan.js';

/** A thread answer about background reads at a glance: five stories per country, then a pointer to /country. */
export const RELATED_STORIES_SHOWN = 5;

const EXAMPLES = [
  '`@briefing-bot more 2` — the full text of section 2 (or `more peru`: words of its title)',
  '`@briefing-bot sources` — sources and links of the whole briefing; `sources 2` for one section',
  '`@briefing-bot related 2` — earlier stories about the countries of section 2',
  '`@briefing-bot previously 2` — what came before section 2’s story, 10 at a time; `more previously 2` goes further back',
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

/** The briefing's section titles, numbered: email words, so rich text shown as typed. */
function sectionList(sections: Section[], only?: number[]): RichInline[][] {
  const indexes = only ?? sections.map((_, index) => index);
  return indexes.flatMap((index) => {
    const s = sections[index];
    return s ? [[txt(`${index + 1}. ${sectionTitle(s)}`)]] : [];
  });
}

export function helpReply(sections: Section[], inSectionThread: boolean): SlackMessage[] {
  const intro = inSectionThread
    ? 'In this section’s thread the section is implied: `more`, `sources`, `related`. I can also answer about the others:'
    : 'Ask me in this thread:';
  const body = `${intro}\n${EXAMPLES.map((line) => `• ${line}`).join('\n')}`;
  const list = sections.length > 0 ? packRichLines([[bold('Sections')], ...sectionList(sections)]) : [];
  return messages('What I can do in this thread: more, sources, related, or a country name.', [
    section(body),
    ...list,
  ]);
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
  return messages(`Which section? e.g. ${verb} ${(candidates[0] ?? 0) + 1}`, [
    section(`Which section? Mention me with its number, e.g. ${example}:`),
    ...packRichLines(sectionList(sections, candidates)),
  ]);
}

export function unknownSectionReply(verb: Verb, query: string, sections: Section[]): SlackMessage[] {
  return messages(`No section matches “${escapeInline(query)}”.`, [
    ...packRichLines([
      [
        txt(`No section of this briefing matches “${query}”. Try `),
        txt(`${verb} 1`, { code: true }),
        txt(' or words of a title:'),
      ],
    ]),
    ...packRichLines(sectionList(sections)),
  ]);
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

function sourcesPieces(s: Section, index: number): RichInline[][] {
  const sources = uniqueSources(s);
  const links = uniqueLinks(s);
  return [
    [bold(`${index + 1}. ${sectionTitle(s)}`)],
    [txt(sources.length > 0 ? `Sources: ${sources.join(', ')}` : 'No sources named.')],
    ...links.map((l) => [txt('• '), ...link(l.url, l.text.trim() || l.url)]),
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
      ? `Sources and links of “${escapeInline(briefing.title || briefing.subject)}”`
      : `Sources and links of section ${sectionIndex + 1}`;
  if (pieces.length === 0) return [text('This briefing names no sources and has no links.')];
  return messages(subject, packRichLines(pieces));
}

function countryLabel(code: string): string {
  return `${countryFlag(code)} ${countryName(code)}`.trim();
}

function storyLine(story: StoryPage['stories'][number]): RichInline[] {
  const title = `${story.sectionTitle}`;
  return [
    txt(`• ${formatShortDate(story.date)}: `),
    ...(story.permalink ? link(story.permalink, title) : [txt(title)]),
    txt(story.firstSentence ? ` — ${story.firstSentence}` : ''),
  ];
}

/** Earlier stories per country: the /country search, a few stories each, newest first. */
export interface RelatedContext {
  /** The thread's briefing date ("Stories from the whole archive before …" for an `all` search). */
  briefingDate?: string;
  /** Country → date of its newest story before the range, for a country with none in it. */
  older?: ReadonlyMap<string, string>;
}

export function relatedReply(pages: StoryPage[], about: RelatedContext = {}): SlackMessage[] {
  if (pages.length === 0) {
    return [
      text('This part of the briefing is not tagged with any country, so there is nothing to look up.'),
    ];
  }
  const lines = pages.flatMap((page, i): RichInline[][] => {
    const label = countryLabel(page.country);
    const gap = i > 0 ? [[txt(' ')]] : [];
    const older = about.older?.get(page.country);
    if (page.total === 0 && older) {
      return [
        ...gap,
        [
          bold(label),
          txt(`: no stories in this period; the most recent earlier one is from ${formatShortDate(older)}: `),
          txt(`@briefing-bot ${countryName(page.country)} all`, { code: true }),
          txt(' looks through the whole archive.'),
        ],
      ];
    }
    if (page.total === 0) return [...gap, [bold(label), txt(': no earlier stories.')]];
    const shown = page.stories.slice(0, RELATED_STORIES_SHOWN).map(storyLine);
    const more =
      page.total > shown.length
        ? [
            [
              txt(`${page.total - shown.length} more: `, { italic: true }),
              txt(`/country ${countryName(page.country)}`, { code: true }),
            ],
          ]
        : [];
    return [
      ...gap,
      [bold(label), txt(`: ${page.total} earlier ${page.total === 1 ? 'story' : 'stories'}`)],
      ...shown,
      ...more,
    ];
  });
  const names = pages.map((page) => countryName(page.country)).join(', ');
  const blocks: Block[] = packRichLines(lines);
  const range = pages[0]?.range;
  if (range && range.from === ALL_TIME.from) {
    const before = about.briefingDate ? ` before ${formatLongDate(about.briefingDate)}` : '';
    blocks.push(context([`Stories from the whole archive${before}.`]));
  } else if (range) {
    blocks.push(context([`Stories from ${formatShortDate(range.from)} to ${formatShortDate(range.to)}.`]));
  }
  return messages(`Earlier stories about ${names}`, blocks);
}

/**
 * The stories before a section's, about its main country, one page of the archive at a time, ending
 * with the mention that shows the next page back.
 */
export function previouslyReply(
  page: StoryPage,
  where: { sectionIndex: number; implied: boolean },
): SlackMessage[] {
  const label = countryLabel(page.country);
  if (page.total === 0) return [text(`*Previously on ${label}*: no earlier stories.`)];
  const head = [
    bold(`Previously on ${label}`),
    txt(`: ${page.first}–${page.last} of ${page.total}, newest first`),
  ];
  const blocks: Block[] = packRichLines([head, ...page.stories.map(storyLine)]);
  const sectionArg = where.implied ? '' : ` ${where.sectionIndex + 1}`;
  blocks.push(
    context([
      page.page < page.pageCount
        ? `Further back: \`@briefing-bot more previously${sectionArg} page ${page.page + 1}\``
        : 'That is the first story about it in the archive.',
    ]),
  );
  return messages(`Previously on ${countryName(page.country)}`, blocks);
}
