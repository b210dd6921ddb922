/**
 * `/briefing` answers, rendered from a DaySummary: per briefing its title and publication, then one
 * linked line per section. Pure; every string from an email is escaped here.
 */
import { formatLongDate } from '../../query/calendar.js';
import type { DaySummary, SectionLine } from '../../query/day-summary.js';
import { ACTION_GOTO_AFTER, ACTION_GOTO_BEFORE } from '../actions/ids.js';
import { escapeMrkdwn, mrkdwnLink } from '../escape.js';
import {
  type Answer,
  type AnswerBlock,
  actions,
  button,
  clip,
  context,
  divider,
  MAX_BLOCKS,
  MAX_SECTION_TEXT,
  section,
} from './blocks.js';
import { flags } from './flags.js';
import { encodeRequest } from './request.js';
import { appendFooter, type RenderOptions, sharedBy } from './share.js';

/** Blocks kept back for the day line, the "not shown" note, attribution and buttons. */
const RESERVED_BLOCKS = 4;

export type { RenderOptions };

export function sectionLine(line: SectionLine): string {
  const title = line.permalink
    ? `*${mrkdwnLink(line.permalink, line.title)}*`
    : `*${escapeMrkdwn(line.title)}*`;
  const flagText = flags(line.countries);
  const sentence = line.firstSentence ? ` — ${escapeMrkdwn(line.firstSentence)}` : '';
  return `• ${title}${flagText ? ` ${flagText}` : ''}${sentence}`;
}

/** Packs lines into as few section texts as fit Slack's 3000-character limit. */
export function packLines(lines: string[], limit: number = MAX_SECTION_TEXT): string[] {
  const packed: string[] = [];
  let current = '';
  for (const line of lines) {
    const safe = line.length > limit ? `${line.slice(0, limit - 1)}…` : line;
    if (current && current.length + 1 + safe.length > limit) {
      packed.push(current);
      current = safe;
    } else {
      current = current ? `${current}\n${safe}` : safe;
    }
  }
  if (current) packed.push(current);
  return packed;
}

function briefingHeading(
  title: string,
  permalink: string | null,
  publication: string | null,
  by: string | null,
): string {
  const linked = permalink ? mrkdwnLink(permalink, title) : escapeMrkdwn(title);
  const details = [
    publication ? `_${escapeMrkdwn(publication)}_` : null,
    by ? `forwarded by ${escapeMrkdwn(by)}` : null,
  ]
    .filter(Boolean)
    .join(' · ');
  return `*${linked}*${details ? `\n${details}` : ''}`;
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
      section(
        briefingHeading(briefing.title, briefing.permalink, briefing.publication, briefing.forwardedByName),
      ),
      ...packLines(briefing.sections.map(sectionLine)).map(section),
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
