/**
 * "Previously on 🇵🇪 Peru · Oct 5 · Castillo's cabinet": the line that ends a section post, linking the
 * last earlier story about the section's main country. Pure; the story is looked up by the caller.
 * The title is the email's words, so the line is rich text: shown as typed, never as mrkdwn.
 */
import { countryFlag, countryName } from '../../countries/index.js';
import { formatMonthDay, formatShortDate } from '../../query/calendar.js';
import { link, para, type RichInline, type RichTextBlock, richText, txt } from './rich.js';

export interface PreviousStory {
  country: string;
  /** YYYY-MM-DD the earlier briefing is filed under. */
  date: string;
  /** The date of the post this line ends, to leave out a year that goes without saying. */
  currentDate: string;
  /** The earlier story's section title, or its first words for a brief in a list. */
  title: string;
  /** Its post, when it was posted. */
  permalink: string | null;
}

/** Section index → its previous story. */
export type PreviousStories = ReadonlyMap<number, PreviousStory>;

/** A title this long is a sentence, not a label: cut at a word. */
const MAX_TITLE = 80;

export function previouslyLine(story: PreviousStory): RichInline[] {
  const date =
    story.date.slice(0, 4) === story.currentDate.slice(0, 4)
      ? formatMonthDay(story.date)
      : formatShortDate(story.date);
  const title = story.title.replace(/\s+/g, ' ').trim() || 'the story';
  const short = title.length > MAX_TITLE ? `${title.slice(0, MAX_TITLE - 1).replace(/\s+\S*$/, '')}…` : title;
  const country = `${countryFlag(story.country)} ${countryName(story.country)}`.trim();
  return [
    txt(`Previously on ${country} · ${date} · `),
    ...(story.permalink ? link(story.permalink, short) : [txt(short)]),
  ];
}

/** The line as the block that ends a section post. */
export function previouslyBlock(story: PreviousStory): RichTextBlock {
  return richText([para(previouslyLine(story))]);
}
