/**
 * A desk's post and a follower's direct message: the briefing's sections about some countries, each
 * linked to its post in the briefing's thread. Pure. Titles (the email's words) are rich text, shown
 * as typed; the footer, the bot's own words, is mrkdwn.
 */
import { countryFlag, countryName } from '../countries/index.js';
import { escapeInline, escapeMrkdwn } from '../slack/escape.js';
import {
  type Block,
  context,
  MAX_BLOCKS,
  MAX_FALLBACK_TEXT,
  type SlackMessage,
  truncateAtWord,
} from '../slack/render/blocks.js';
import { formatBriefingDate } from '../slack/render/card.js';
import { link, packRichLines, para, type RichInline, richText, txt } from '../slack/render/rich.js';
import { flags, sectionTitle } from '../slack/render/section.js';
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

function indexBlocks(input: SectionIndexInput, heading: RichInline[], footer: string): Block[] {
  const { stored } = input;
  const lines = input.sections.map(({ sectionIndex, countries }): RichInline[] => {
    const s = stored.briefing.sections[sectionIndex];
    const title = s ? sectionTitle(s) : `Section ${sectionIndex + 1}`;
    const url = input.sectionLink(sectionIndex);
    const label = url ? link(url, title) : [txt(title, { bold: true })];
    const flagText = flags(countries);
    return flagText ? [...label, txt(` ${flagText}`)] : label;
  });
  const bodies = [richText([para(heading)]), ...packRichLines(lines, { as: 'bullets' })];
  return [...bodies.slice(0, MAX_BLOCKS - 1), context([footer])];
}

function briefingLabel(input: SectionIndexInput): RichInline[] {
  const { briefing } = input.stored;
  const title = briefing.title.trim() || briefing.subject.trim() || 'Briefing';
  return input.cardLink ? link(input.cardLink, title, { bold: true }) : [txt(title, { bold: true })];
}

/** Country names for rich text: the catalogue's words, shown as they are. */
function countryWords(codes: readonly string[]): string {
  return codes.map((code) => `${countryFlag(code)} ${countryName(code)}`.trim()).join(', ');
}

function count(n: number): string {
  return `${n} section${n === 1 ? '' : 's'}`;
}

/** One post in a desk channel for one briefing. */
export function renderDeskPost(input: SectionIndexInput, deskCountries: readonly string[]): SlackMessage {
  const date = formatBriefingDate(input.stored.date);
  const about = [...new Set(input.sections.flatMap((s) => s.countries))];
  const heading = [
    ...briefingLabel(input),
    txt(` · ${date} — ${count(input.sections.length)} about ${countryWords(about)}:`),
  ];
  const footer = `This channel is a desk for ${countryList(deskCountries)}. \`/desk list\` shows every desk.`;
  const title = escapeInline(input.stored.briefing.title || input.stored.briefing.subject || 'Briefing');
  return {
    text: truncateAtWord(`${title}: ${count(input.sections.length)} for this desk`, MAX_FALLBACK_TEXT),
    blocks: indexBlocks(input, heading, footer),
  };
}

/** One direct message to a follower for one briefing, whatever the number of sections. */
export function renderFollowNotice(input: SectionIndexInput, followed: readonly string[]): SlackMessage {
  const date = formatBriefingDate(input.stored.date);
  const heading = [
    txt(`New about ${countryWords(followed)} in `),
    ...briefingLabel(input),
    txt(` · ${date}:`),
  ];
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
