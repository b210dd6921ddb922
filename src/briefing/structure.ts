import { countriesIn } from '../countries/index.js';
import { oneLine } from '../text/whitespace.js';
import { SPONSOR_LABEL } from './data/chrome.js';
import { dayFromDateLine, isDateOnlyLine } from './dates.js';
import type { Line } from './lines.js';
import { BULLET_MARKER } from './repair.js';
import type { Link, SectionKind } from './types.js';
import { isEnglishWord } from './words.js';

/** A section before countries and sources are tagged. */
export interface DraftSection {
  title: string;
  kind: SectionKind;
  group: string | null;
  paragraphs: { text: string; links: Link[] }[];
}

type Kind = 'heading' | 'bullet' | 'prose' | 'byline' | 'dateline' | 'break' | 'sponsor';

interface Paragraph {
  kind: Kind;
  text: string;
  /** Heading rank: 1–6 for <hN>, 7 for a bold paragraph, 8 for a heading guessed from plain text. */
  level: number;
  links: Link[];
  /** The number of a "1." / "2)" marker the line opened with in the email's own text. */
  number?: number;
}

/** A heading is a short line: longer lines are prose even without final punctuation. */
const MAX_HEADING_CHARS = 100;
const MAX_HEADING_WORDS = 14;
const TEXT_HEADING_LEVEL = 8;
/** An emphasised label glued to its paragraph ranks as a bold heading. */
const BOLD_LEVEL_LABEL = 7;
/** An article's byline or "Updated" line comes within this many paragraphs of its headline. */
const ARTICLE_MARKER_WINDOW = 3;
const MAX_BYLINE_CHARS = 200;
/** Title of the lead when there is no subject: its first sentence, cut to this length. */
const MAX_FALLBACK_TITLE = 80;

const BYLINE = /^By\s+\p{Lu}/u;
const DATELINE = /^(?:Updated|Published|Posted|Actualizado|Atualizado|Publicado)\b/;
const HEADING_START = /^[\p{Lu}\p{N}"'“‘¿¡]/u;
const HEADING_END_PUNCTUATION = /[.!?,;:…]$/;
/** A kicker above a headline: a short label in capitals ("TECH", "MUNDO + BRASIL", "QUICK TAKES"). */
const KICKER = /^[\p{Lu}\p{N}][\p{Lu}\p{N}\s&+/'’.,:-]{1,40}$/u;
/** Headings of a table of contents: the issue's own list of what follows, not a story. */
const CONTENTS_TITLE =
  /^(?:in (?:today's|todays|this) (?:newsletter|edition|issue|email)|in this (?:newsletter|edition|issue)|today's (?:top )?stories|the world today|na edição de hoje|nesta edição|en esta edición|en este número|hoy en|what's inside|inside today's)\b/i;
/** A line of a table of contents often opens with an emoji. */
const EMOJI_START = /^\p{Extended_Pictographic}/u;
/** A sentence ends inside the line ("… officials. (Reuters, BBC)"): prose, not a heading. */
const SENTENCE_INSIDE = /\p{Ll}{2}[.!?]["”’)]?\s/u;

/** One person's name: two or three capitalised words, with particles ("Ana de la Cruz", "Tom O’Neil", "McKay"). */
const NAME_WORD = String.raw`\p{Lu}\p{Ll}*(?:\p{Lu}\p{Ll}+)?(?:['’-]\p{L}\p{Ll}*)*`;
const PERSON = String.raw`${NAME_WORD}(?:\s(?:(?:de|da|do|dos|del|la|van|von|der)\s)*${NAME_WORD}){1,2}`;
/** Names joined by commas and "and"/"y"/"e"/"&": the sign-off of the people who wrote the issue. */
const NAME_LIST = new RegExp(
  `^${PERSON}(?:(?:,\\s(?:and\\s|y\\s|e\\s|&\\s)?|\\s(?:and|y|e|&)\\s)${PERSON})+$`,
  'u',
);

/**
 * "Neal Freyman, Matty Merritt, Abby Rubenstein" set apart in italics: who wrote the issue, a byline,
 * not a heading. Titles are capitalised too ("Corruption Corner and Reading List"): each name must hold
 * a word that is not an English one (a surname), and places are names too ("Mexico City, Buenos Aires
 * and Lima"), so nothing the country lists know counts.
 */
function isNameList(text: string): boolean {
  if (!NAME_LIST.test(text) || countriesIn(text).length > 0) return false;
  const names = text.split(/,\s(?:and\s|y\s|e\s|&\s)?|\s(?:and|y|e|&)\s/u);
  return names.every((name) => name.split(/\s+/).some((word) => !isEnglishWord(word.toLowerCase())));
}

export function isHeadingText(text: string): boolean {
  return (
    text.length <= MAX_HEADING_CHARS &&
    text.split(/\s+/).length <= MAX_HEADING_WORDS &&
    HEADING_START.test(text) &&
    !HEADING_END_PUNCTUATION.test(text) &&
    !SENTENCE_INSIDE.test(text) &&
    /\p{L}/u.test(text) &&
    !/^https?:\/\//i.test(text)
  );
}

const URL_IN_TEXT = /\bhttps?:\/\/[^\s<>()"']{1,2000}/gi;

function textLinks(text: string): Link[] {
  return [...text.matchAll(URL_IN_TEXT)].map((match) => {
    const url = match[0].replace(/[.,;:!?]+$/, '');
    return { url, text: url };
  });
}

function classify(lines: readonly Line[]): Paragraph[] {
  const paragraphs: Paragraph[] = [];
  for (const line of lines) {
    if (line.hint === 'break') {
      paragraphs.push({ kind: 'break', text: '', level: 0, links: [] });
      continue;
    }
    let text = oneLine(line.text);
    if (text === '') continue;
    const links = line.links.length > 0 ? line.links : textLinks(text);
    // A masthead or dateline anywhere is metadata (the date), never a heading or a story.
    if (line.hint !== 'bullet' && isDateOnlyLine(text)) {
      paragraphs.push({ kind: 'dateline', text, level: -1, links: [] });
      continue;
    }
    if (text.length <= 80 && SPONSOR_LABEL.test(text)) {
      paragraphs.push({ kind: 'sponsor', text, level: 0, links });
      continue;
    }
    if (CONTENTS_TITLE.test(text) && text.endsWith(':')) text = text.slice(0, -1);
    if (line.label && line.hint === null) {
      // "<b>ARGENTINA</b> The government asked …": the label heads the paragraph it opens.
      paragraphs.push({ kind: 'heading', text: line.label, level: BOLD_LEVEL_LABEL, links: [] });
      text = text.slice(line.label.length).trim();
      if (text === '') continue;
    }
    const marker = BULLET_MARKER.exec(text);
    if (line.hint === 'bullet' || marker) {
      const number = marker ? /^\s*(\d{1,2})[.)]/.exec(marker[0])?.[1] : undefined;
      paragraphs.push({
        kind: 'bullet',
        text: marker ? text.slice(marker[0].length) : text,
        level: 0,
        links,
        ...(number && line.hint !== 'bullet' ? { number: Number(number) } : {}),
      });
    } else if (
      (BYLINE.test(text) && text.length <= MAX_BYLINE_CHARS && !/\.$/.test(text)) ||
      (text.length <= MAX_BYLINE_CHARS && isNameList(text))
    ) {
      paragraphs.push({ kind: 'byline', text, level: 0, links });
    } else if (DATELINE.test(text) && text.length <= MAX_BYLINE_CHARS && /\d/.test(text)) {
      paragraphs.push({ kind: 'dateline', text, level: 0, links });
    } else if (line.hint === 'heading' || isHeadingText(text)) {
      const level = line.hint === 'heading' ? line.level : TEXT_HEADING_LEVEL;
      paragraphs.push({ kind: 'heading', text, level, links });
    } else {
      paragraphs.push({ kind: 'prose', text, level: 0, links });
    }
  }
  return numberedHeadings(paragraphs);
}

/**
 * "1. Guaidó desafía a Maduro", a paragraph, "2. Enrique y Meghan…", a paragraph: numbered lines that
 * each stand alone and head prose are the stories' headlines ("5 things to know"), not a list. A
 * list's items follow one another; these have their story between them. It takes two in sequence.
 */
function numberedHeadings(paragraphs: Paragraph[]): Paragraph[] {
  const headlines: number[] = [];
  for (let index = 0; index < paragraphs.length; index++) {
    const paragraph = paragraphs[index]!;
    // A headline may ask or exclaim ("2. ¿Conversaciones entre militares…?").
    if (paragraph.number === undefined || !isHeadingText(paragraph.text.replace(/[?!]$/, ''))) continue;
    const before = paragraphs[index - 1];
    const after = paragraphs[index + 1];
    if (before?.kind === 'bullet' || after?.kind !== 'prose') continue;
    const previous = headlines.at(-1);
    if (previous !== undefined && paragraphs[previous]!.number! + 1 !== paragraph.number) continue;
    headlines.push(index);
  }
  if (headlines.length < 2) return paragraphs;
  for (const index of headlines) {
    const paragraph = paragraphs[index]!;
    paragraphs[index] = {
      kind: 'heading',
      text: `${paragraph.number}. ${paragraph.text}`,
      level: TEXT_HEADING_LEVEL,
      links: paragraph.links,
    };
  }
  return paragraphs;
}

function isArticleStart(paragraphs: readonly Paragraph[], index: number): boolean {
  if (paragraphs[index]?.kind !== 'heading') return false;
  for (let offset = 1; offset <= ARTICLE_MARKER_WINDOW; offset++) {
    const kind = paragraphs[index + offset]?.kind;
    if (kind === 'byline' || kind === 'dateline') return true;
    if (kind !== 'heading') break;
  }
  return false;
}

function normalise(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

function firstSentence(text: string): string {
  const sentence = /^.{10,}?[.!?](?=\s|$)/u.exec(text.slice(0, MAX_FALLBACK_TITLE * 2))?.[0] ?? text;
  return sentence.length <= MAX_FALLBACK_TITLE
    ? sentence
    : `${sentence.slice(0, MAX_FALLBACK_TITLE - 1).trimEnd()}…`;
}

/**
 * A table of contents: titled as one, or a list whose lines mostly open with an emoji or repeat the
 * titles of sections after it.
 */
function isContents(section: DraftSection, index: number, lastTitled: ReadonlyMap<string, number>): boolean {
  if (CONTENTS_TITLE.test(section.title)) return true;
  const items = section.paragraphs.map((paragraph) => paragraph.text);
  if (items.length < 2) return false;
  if (items.filter((text) => EMOJI_START.test(text)).length * 4 >= items.length * 3) return true;
  // Only a line about as long as some title can repeat it; a paragraph of prose is never normalised.
  let longest = 0;
  for (const title of lastTitled.keys()) longest = Math.max(longest, title.length);
  const repeats = (text: string) =>
    text.length <= longest * 2 + 16 && (lastTitled.get(normalise(text)) ?? -1) > index;
  return items.filter(repeats).length * 2 >= items.length;
}

export interface StructureInput {
  lines: readonly Line[];
  /** The subject's headline (date parenthesis and prefixes removed), the lead's title. */
  headline: string;
  publication: string | null;
}

export interface Structure {
  sections: DraftSection[];
  /** A date line found at the top of the body ("Thursday, October 7, 2021"). */
  bodyDate: string | null;
}

/** A masthead line naming who and when is short. */
const MAX_MASTHEAD_LINE = 80;

function hasDate(text: string): boolean {
  return (
    /\d/.test(text) &&
    (/\b(?:19|20)\d{2}\b/.test(text) || dayFromDateLine(text) !== null) &&
    !/[.!?]$/.test(text)
  );
}

/** Masthead lines at the top repeat what the envelope says: the headline, the publication, the date. */
function dropMasthead(
  paragraphs: Paragraph[],
  input: StructureInput,
): { rest: Paragraph[]; bodyDate: string | null } {
  let bodyDate: string | null = null;
  let start = 0;
  const known = new Set([normalise(input.headline), normalise(input.publication ?? '')].filter(Boolean));
  while (start < paragraphs.length) {
    const paragraph = paragraphs[start]!;
    if (paragraph.kind === 'dateline' && paragraph.level === -1) {
      bodyDate ??= dayFromDateLine(paragraph.text);
      start++;
      continue;
    }
    // "By Axios Latino · Nov 22, 2022", "Latin America Risk Report Jan 23, 2020": who and when, at the top.
    if (
      (paragraph.kind === 'byline' || paragraph.kind === 'heading' || paragraph.kind === 'prose') &&
      paragraph.text.length <= MAX_MASTHEAD_LINE &&
      hasDate(paragraph.text)
    ) {
      start++;
      continue;
    }
    if (paragraph.kind === 'prose' || paragraph.kind === 'heading') {
      const date = dayFromDateLine(paragraph.text);
      if (date) {
        bodyDate ??= date;
        start++;
        continue;
      }
      if (known.has(normalise(paragraph.text))) {
        start++;
        // A subtitle under the post title (Substack's dek) is a sentence set as a heading.
        const dek = paragraphs[start];
        if (dek?.kind === 'heading' && dek.level > paragraph.level && dek.text.split(' ').length >= 6)
          start++;
        continue;
      }
    }
    break;
  }
  return { rest: paragraphs.slice(start), bodyDate };
}

/** Lines → sections: lead, headed sections, lists, groups and pasted articles. Pure. */
export function buildSections(input: StructureInput): Structure {
  const { rest: paragraphs, bodyDate } = dropMasthead(classify(input.lines), input);
  const sections: DraftSection[] = [];
  const lead: DraftSection['paragraphs'] = [];
  let current = null as DraftSection | null;
  let group = null as { title: string; level: number } | null;
  // Whether a section opened with a bullet decides list vs section when it closes.
  const firstKind = new WeakMap<DraftSection, Kind>();
  const dropped = new WeakSet<DraftSection>();

  const close = (): void => {
    if (!current) return;
    // An advertisement is left out whole, its name too, even when its text was chrome already removed.
    if (dropped.has(current)) {
      sections.push(current);
      current = null;
      return;
    }
    if (current.paragraphs.length === 0) {
      // A heading with nothing under it is kept as text of the section before it: nothing is dropped.
      const previous = sections[sections.length - 1];
      if (previous) previous.paragraphs.push({ text: current.title, links: [] });
      else sections.push({ ...current, paragraphs: [{ text: current.title, links: [] }] });
    } else {
      if (
        current.kind === 'section' &&
        current.paragraphs.length > 0 &&
        firstKind.get(current) === 'bullet'
      ) {
        current.kind = 'list';
      }
      sections.push(current);
    }
    current = null;
  };
  // After a sponsor's label, the section its next heading opens is the advertisement.
  let sponsored = false;
  for (let index = 0; index < paragraphs.length; index++) {
    const paragraph = paragraphs[index]!;
    if (paragraph.kind === 'dateline' && paragraph.level === -1) continue;
    if (paragraph.kind === 'sponsor') {
      close();
      sponsored = paragraphs[index + 1]?.kind === 'heading';
      if (sponsored) {
        current = { title: paragraphs[index + 1]!.text, kind: 'section', group: null, paragraphs: [] };
        dropped.add(current);
        index++;
      }
      continue;
    }
    if (paragraph.kind === 'break') {
      close();
      group = null;
      continue;
    }
    if (paragraph.kind === 'heading') {
      if (isArticleStart(paragraphs, index)) {
        close();
        group = null;
        current = { title: paragraph.text, kind: 'article', group: null, paragraphs: [] };
        continue;
      }
      if (current?.kind === 'article') {
        current.paragraphs.push({ text: paragraph.text, links: paragraph.links });
        continue;
      }
      const next = paragraphs[index + 1];
      if (
        next?.kind === 'heading' &&
        (next.level >= paragraph.level || KICKER.test(paragraph.text)) &&
        !isArticleStart(paragraphs, index + 1)
      ) {
        close();
        group = { title: paragraph.text, level: paragraph.level };
        continue;
      }
      if (group && paragraph.level < group.level) group = null;
      close();
      current = { title: paragraph.text, kind: 'section', group: group?.title ?? null, paragraphs: [] };
      continue;
    }
    const target = current ?? sections[sections.length - 1] ?? null;
    if (target === null) {
      lead.push({ text: paragraph.text, links: paragraph.links });
      continue;
    }
    if (target.paragraphs.length === 0) firstKind.set(target, paragraph.kind);
    target.paragraphs.push({ text: paragraph.text, links: paragraph.links });
  }
  close();
  const lastTitled = new Map(sections.map((section, index) => [normalise(section.title), index]));
  const kept = sections.filter(
    (section, index) => !dropped.has(section) && !isContents(section, index, lastTitled),
  );
  sections.length = 0;
  sections.push(...kept);

  if (lead.length > 0) {
    const title = input.headline || firstSentence(lead[0]?.text ?? '');
    sections.unshift({ title, kind: 'lead', group: null, paragraphs: lead });
  }
  return { sections, bodyDate };
}
