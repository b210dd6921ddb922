/**
 * A desk's post and a follower's direct message: the briefing's sections about some countries, each
 * linked to its post in the briefing's thread. Pure; every text from the email is escaped.
 */
import { countryFlag, countryName } from '../countries/index.js';
import { escapeInline, escapeMrkdwn, mrkdwnLink } from '../slack/escape.js';
import {
  type Block,
  context,
  MAX_BLOCKS,
  MAX_FALLBACK_TEXT,
  MAX_SECTION_TEXT,
  type SlackMessage,
  section,
  truncateAtWord,
} from '../slack/render/blocks.js';
import { formatBriefingDate } from '../slack/render/card.js';
import { flags, sectionTitle } from '../slack/render/section.js';
import { packPieces } from '../slack/render/split.js';
import type { StoredBriefing } from '../store/types.js';
import type { SectionAbout } from './about.js';

export interface SectionIndexInput {
  stored: StoredBriefing;
  sections: SectionAbout[];
  /** Section index → its post's permalink (null: not linked). */
  sectionLink: (sectionIndex: number) => string | null;
  cardLink: string | null;
}

export function countryList(codes: readonly string[]): string {
  return codes.map((code) => `${countryFlag(code)} ${escapeMrkdwn(countryName(code))}`.trim()).join(', ');
}

function indexBlocks(input: SectionIndexInput, heading: string, footer: string): Block[] {
  const { stored } = input;
  const lines = input.sections.map(({ sectionIndex, countries }) => {
    const s = stored.briefing.sections[sectionIndex];
    const title = s ? sectionTitle(s) : `Section ${sectionIndex + 1}`;
    const link = input.sectionLink(sectionIndex);
    const label = link ? mrkdwnLink(link, title) : `*${escapeMrkdwn(title)}*`;
    return `• ${label} ${flags(countries)}`.trimEnd();
  });
  const bodies = packPieces([heading, ...lines], '\n', MAX_SECTION_TEXT).slice(0, MAX_BLOCKS - 1);
  return [...bodies.map(section), context([footer])];
}

function briefingLabel(input: SectionIndexInput): string {
  const { briefing } = input.stored;
  const title = briefing.title.trim() || briefing.subject.trim() || 'Briefing';
  return input.cardLink ? mrkdwnLink(input.cardLink, title) : `*${escapeMrkdwn(title)}*`;
}

function count(n: number): string {
  return `${n} section${n === 1 ? '' : 's'}`;
}

/** One post in a desk channel for one briefing. */
export function renderDeskPost(input: SectionIndexInput, deskCountries: readonly string[]): SlackMessage {
  const date = escapeMrkdwn(formatBriefingDate(input.stored.date));
  const about = [...new Set(input.sections.flatMap((s) => s.countries))];
  const heading = `${briefingLabel(input)} · ${date} — ${count(input.sections.length)} about ${countryList(about)}:`;
  const footer = `This channel is a desk for ${countryList(deskCountries)}. \`/desk list\` shows every desk.`;
  const title = escapeInline(input.stored.briefing.title || input.stored.briefing.subject || 'Briefing');
  return {
    text: truncateAtWord(`${title}: ${count(input.sections.length)} for this desk`, MAX_FALLBACK_TEXT),
    blocks: indexBlocks(input, heading, footer),
  };
}

/** One direct message to a follower for one briefing, whatever the number of sections. */
export function renderFollowNotice(input: SectionIndexInput, followed: readonly string[]): SlackMessage {
  const date = escapeMrkdwn(formatBriefingDate(input.stored.date));
  const heading = `New about ${countryList(followed)} in ${briefingLabel(input)} · ${date}:`;
  const stop = followed.map((code) => `\`/country unfollow ${escapeMrkdwn(countryName(code))}\``).join(', ');
  const footer = `You follow ${countryList(followed)}. To stop: ${stop}.`;
  return {
    text: truncateAtWord(
      `New about ${followed.map(countryName).join(', ')}: ${count(input.sections.length)}`,
      MAX_FALLBACK_TEXT,
    ),
    blocks: indexBlocks(input, heading, footer),
  };
}
