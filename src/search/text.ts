/**
 * How archive search reads text, shared by the index and the hit renderer so both agree on what a
 * "word" is: lower case, accents folded ("Perú" finds "Peru" and back), split on anything that is not
 * a letter or a digit. Pure.
 */
import type { Briefing } from '../briefing/types.js';
import { countryName } from '../countries/index.js';
import { storiesOf } from '../store/stories.js';

/** Words people type that say nothing about a story; the index skips them. */
const STOP_WORDS = new Set(
  'a an and are as at be by de del el en for from has in is it la las los of on or that the to was were with y'.split(
    ' ',
  ),
);

export function foldTerm(word: string): string {
  return word.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

/** The words of a text, as written. */
export function wordsOf(text: string): string[] {
  return text.match(/[\p{L}\p{N}]+/gu) ?? [];
}

/** A word as the index keeps it, or null for a stop word or a single letter. */
export function indexTerm(word: string): string | null {
  const folded = foldTerm(word);
  return folded.length > 1 && !STOP_WORDS.has(folded) ? folded : null;
}

/** The index's terms of a text, in order. */
export function termsOf(text: string): string[] {
  return wordsOf(text).flatMap((word) => indexTerm(word) ?? []);
}

/** One searchable story: an item of a list section, or a whole prose section. */
export interface StoryText {
  sectionIndex: number;
  itemIndex: number | null;
  title: string;
  /** The story's text (a prose section's paragraphs joined). */
  text: string;
  /** The story's country names, so "Peru" finds a story tagged PE whose text says "Lima". */
  countries: string;
}

export function storyTexts(briefing: Briefing): StoryText[] {
  return storiesOf(briefing).map((story) => {
    const section = briefing.sections[story.sectionIndex]!;
    const text =
      story.itemIndex === null
        ? section.items.map((item) => item.text).join('\n')
        : (section.items[story.itemIndex]?.text ?? '');
    return {
      sectionIndex: story.sectionIndex,
      itemIndex: story.itemIndex,
      title: section.title || `Section ${story.sectionIndex + 1}`,
      text,
      countries: story.countries.map((code) => countryName(code)).join(' '),
    };
  });
}

/** Sentences of a text: ends at . ! ? followed by a space and a capital, or at a line break. */
export function sentencesOf(text: string): string[] {
  return text
    .split(/\n+|(?<=[.!?])\s+(?=[\p{Lu}"“¿¡])/u)
    .map((sentence) => sentence.trim())
    .filter(Boolean);
}

/** Past this a hit's line is cut around its first match. */
export const MAX_LINE_CHARS = 280;

/**
 * The sentence of `text` with the most matched terms (the first of equals), or the text's first sentence
 * when none matches (the hit came from the title or the countries).
 */
export function bestLine(text: string, matched: ReadonlySet<string>): string {
  const sentences = sentencesOf(text);
  let best = sentences[0] ?? '';
  let bestCount = 0;
  for (const sentence of sentences) {
    const count = new Set(termsOf(sentence).filter((term) => matched.has(term))).size;
    if (count > bestCount) {
      best = sentence;
      bestCount = count;
    }
  }
  return clipAround(best, matched);
}

function clipAround(sentence: string, matched: ReadonlySet<string>): string {
  if (sentence.length <= MAX_LINE_CHARS) return sentence;
  let first = 0;
  for (const match of sentence.matchAll(/[\p{L}\p{N}]+/gu)) {
    if (matched.has(foldTerm(match[0]))) {
      first = match.index;
      break;
    }
  }
  const start = Math.max(0, Math.min(first - 60, sentence.length - MAX_LINE_CHARS));
  const cut = sentence.slice(start, start + MAX_LINE_CHARS);
  const from = start > 0 ? cut.indexOf(' ') + 1 : 0;
  const to = start + MAX_LINE_CHARS < sentence.length ? cut.lastIndexOf(' ') : cut.length;
  return `${start > 0 ? '…' : ''}${cut.slice(from, to > from ? to : cut.length)}${to < cut.length ? '…' : ''}`;
}

/**
 * The line as mrkdwn: every piece escaped by `escapeText` (the bot's one escaping function), the words whose
 * folded form matched wrapped in Slack's bold — the only markup in it is the bot's own.
 */
export function highlight(
  line: string,
  matched: ReadonlySet<string>,
  escapeText: (text: string) => string,
): string {
  let out = '';
  let last = 0;
  for (const match of line.matchAll(/[\p{L}\p{N}]+/gu)) {
    if (!matched.has(foldTerm(match[0]))) continue;
    out += `${escapeText(line.slice(last, match.index))}*${escapeText(match[0])}*`;
    last = match.index + match[0].length;
  }
  return out + escapeText(line.slice(last));
}
