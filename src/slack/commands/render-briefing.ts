/**
 * `/briefing` answers, rendered from a DaySummary: per briefing its title and publication, then one
 * linked line per section. Pure. The email's words (titles, publication, first sentences, who
 * forwarded it) go into rich text, where Slack shows them as typed: `*`, `_`, `~` and backticks in a
 * title are punctuation, not formatting; only the bot's own words use mrkdwn.
 */
import { formatLongDate } from '../../query/calendar.js';
import type { DaySummary, SectionLine } from '../../query/day-summary.js';
import { ACTION_GOTO_AFTER, ACTION_GOTO_BEFORE } from '../actions/ids.js';
import { escapeMrkdwn } from '../escape.js';
import {
  link,
  packRichLines,
  para,
  type RichInline,
  type RichTextBlock,
  richText,
  txt,
} from '../render/rich.js';
import {
  type Answer,
  type AnswerBlock,
  actions,
  button,
  clip,
  context,
  divider,
  MAX_BLOCKS,
  section,
} from './blocks.js';
import { flags } from './flags.js';
import { encodeRequest } from './request.js';
import { appendFooter, type RenderOptions, sharedBy } from './share.js';

/** Blocks kept back for the day line, the "not shown" note, attribution and buttons. */
const RESERVED_BLOCKS = 4;

export type { RenderOptions };

/** One section of a briefing: its title (linked to its post), flags, and first sentence. */
export function sectionLine(line: SectionLine): RichInline[] {
  const title = line.permalink
    ? link(line.permalink, line.title, { bold: true })
    : [txt(line.title, { bold: true })];
  const flagText = flags(line.countries);
  return [
    ...title,
    ...(flagText ? [txt(` ${flagText}`)] : []),
    ...(line.firstSentence ? [txt(` — ${line.firstSentence}`)] : []),
  ];
}

function briefingHeading(
  title: string,
  permalink: string | null,
  publication: string | null,
  by: string | null,
): RichTextBlock {
  const linked = permalink ? link(permalink, title, { bold: true }) : [txt(title, { bold: true })];
  const details: RichInline[] = [];
  if (publication) details.push(txt(publication, { italic: true }));
  if (by) details.push(txt(`${details.length ? ' · ' : ''}forwarded by ${by}`));
  return richText([para(details.length ? [...linked, txt('\n'), ...details] : linked)]);
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

export function renderDay(summary: DaySummary, options: RenderOptions = {}): Answer {
  const day = formatLongDate(summary.date);
  const sectionCount = summary.briefings.reduce((sum, briefing) => sum + briefing.sections.length, 0);
  const blocks: AnswerBlock[] = [
    section(`:newspaper: *${plural(summary.briefings.length, 'briefing')} on ${day}*`),
  ];
  const room = MAX_BLOCKS - RESERVED_BLOCKS;
  let hidden = 0;
  summary.briefings.forEach((briefing, index) => {
    const body = [
      ...(index > 0 ? [divider()] : []),
      briefingHeading(briefing.title, briefing.permalink, briefing.publication, briefing.forwardedByName),
      ...packRichLines(briefing.sections.map(sectionLine), { as: 'bullets' }),
    ];
    // A briefing is shown whole or not at all, except a first one too big alone, which is cut.
    if (hidden === 0 && blocks.length + body.length <= room) blocks.push(...body);
    else if (index === 0) blocks.push(...body.slice(0, room - blocks.length));
    else hidden += 1;
  });
  if (hidden > 0) {
    blocks.push(
      context(
        `${plural(hidden, 'more briefing')} of that day not shown: Slack allows ${MAX_BLOCKS} blocks per message. They are in the channel.`,
      ),
    );
  }
  appendFooter(blocks, { kind: 'briefing', date: summary.date }, options);
  const titles = summary.briefings.map((briefing) => escapeMrkdwn(briefing.title)).join('; ');
  return {
    text: clip(
      `${plural(summary.briefings.length, 'briefing')} on ${day} (${plural(sectionCount, 'section')}): ${titles}`,
    ),
    blocks,
  };
}

/** No briefing on the day asked: say so and offer the nearest days that have one. */
export function renderNoBriefing(
  date: string,
  nearest: { before: string | null; after: string | null },
  options: RenderOptions = {},
): Answer {
  const day = formatLongDate(date);
  const offers = [nearest.before, nearest.after].filter((value): value is string => value !== null);
  if (offers.length === 0) {
    return {
      text: `No briefing on ${day}. No briefings have been received yet.`,
      blocks: [section(`No briefing on *${day}*. No briefings have been received yet.`)],
    };
  }
  const hint = offers.map((offer) => `\`/briefing ${offer}\``).join(' or ');
  const blocks: AnswerBlock[] = [section(`No briefing on *${day}*. Nearest with one: ${hint}.`)];
  if (!options.sharedBy) {
    blocks.push(
      actions(
        'nearest_dates',
        offers.map((offer) =>
          button(
            offer === nearest.before ? ACTION_GOTO_BEFORE : ACTION_GOTO_AFTER,
            offer === nearest.before ? `← ${formatLongDate(offer)}` : `${formatLongDate(offer)} →`,
            encodeRequest({ kind: 'briefing', date: offer }),
          ),
        ),
      ),
    );
  } else {
    blocks.push(sharedBy(options.sharedBy));
  }
  return { text: `No briefing on ${day}. Nearest with one: ${offers.join(', ')}.`, blocks };
}
