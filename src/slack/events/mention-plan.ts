/**
 * What a mention asks for, decided from its text and the thread it was written in. Pure.
 *
 * Grammar (case-insensitive, the bot's own `<@U…>` tokens removed):
 *   more [section]     the full text of a section
 *   sources [section]  sources and links of a section, or of the whole briefing
 *   related [section]  earlier stories about the section's (or the briefing's) countries
 *   previously [section] [page N]   stories before this briefing about the section's main country,
 *                      a page at a time (`more previously …` reads the same: "more" pages further back)
 *   <country name…>    earlier stories about those countries
 *   … all              (after related or a country) the whole archive, not the last year
 *   help / anything    what the bot can do
 * The request word may come after a greeting ("hey, sources for peru?"). A section is named by its
 * number ("2", "#2"), words of its title ("peru", "cabinet reshuffle") or, failing that, a country it is
 * tagged with ("sources brazil"); in a section's own thread it is implied.
 */
import type { Section } from '../../briefing/types.js';
import { countriesIn } from '../../countries/index.js';
import { unescapeMrkdwn } from '../escape.js';
import { sectionTitle } from '../render/section.js';

export type Verb = 'more' | 'sources' | 'related' | 'previously';

/** The thread a mention was written in, when it is one of the bot's briefing threads. */
export interface MentionThread {
  sections: Section[];
  /** The section whose thread this is (THREAD_LAYOUT=sections), else null (the briefing's thread). */
  sectionIndex: number | null;
}

export type MentionPlan =
  | { kind: 'outside' }
  | { kind: 'help' }
  | { kind: 'more'; sectionIndex: number }
  | { kind: 'sources'; sectionIndex: number | null }
  /** `allTime`: the mention said "all" ("Venezuela all"), so the whole archive is searched. */
  | { kind: 'related'; countries: string[]; allTime?: true }
  | { kind: 'previously'; sectionIndex: number; page: number }
  /** The verb needs a section and none (or several equally good) were named. */
  | { kind: 'pick-section'; verb: Verb; candidates: number[] }
  | { kind: 'unknown-section'; verb: Verb; query: string };

const VERBS: Record<string, Verb | 'help'> = {
  more: 'more',
  full: 'more',
  sources: 'sources',
  source: 'sources',
  links: 'sources',
  related: 'related',
  background: 'related',
  previously: 'previously',
  previous: 'previously',
  earlier: 'previously',
  older: 'previously',
  help: 'help',
};

/** Words that name nothing: "sources for the peru section" means "sources peru". */
const FILLER = new Set([
  'the',
  'a',
  'an',
  'of',
  'for',
  'on',
  'in',
  'about',
  'section',
  'please',
  'story',
  'to',
]);

/** Past three countries an answer about "related" turns into a list of everything. */
export const MAX_RELATED_COUNTRIES = 3;
/** A mention is a short request; anything longer is prose, and scanning it costs for nothing. */
const MAX_MENTION_CHARS = 500;

/**
 * The mention's text as the person typed it, on one line: user/bot mention tokens removed, other
 * control sequences read as what they show (a link's label or URL, a channel's name), and Slack's
 * three entities decoded — Slack sends "&" as "&amp;", which replies would otherwise escape again.
 */
export function mentionText(text: string): string {
  const shown = text
    .slice(0, MAX_MENTION_CHARS)
    .replace(/<@[A-Z0-9_]+(?:\|[^>]*)?>/gi, ' ')
    .replace(/<![^<>]*>/g, ' ')
    .replace(/<[^<>|]*\|([^<>]*)>/g, ' $1 ')
    .replace(/<([^<>]*)>/g, ' $1 ');
  return unescapeMrkdwn(shown).replace(/\s+/g, ' ').trim();
}

/** Lower-case words without accents or punctuation, for matching titles. */
export function words(text: string): string[] {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
}

/** A query word matches a title word exactly, or as its start when it has at least 4 letters ("econ…"). */
function wordMatches(query: string, title: string): boolean {
  return query === title || (query.length >= 4 && title.startsWith(query));
}

export type SectionMatch =
  | { kind: 'none-given' }
  | { kind: 'found'; index: number }
  | { kind: 'ambiguous'; candidates: number[] }
  | { kind: 'not-found' };

export function findSection(query: string, sections: Section[]): SectionMatch {
  const trimmed = query.trim();
  const number = /^#?(\d{1,3})\.?$/.exec(trimmed);
  if (number) {
    const index = Number(number[1]) - 1;
    return index >= 0 && index < sections.length ? { kind: 'found', index } : { kind: 'not-found' };
  }
  const wanted = words(trimmed).filter((word) => !FILLER.has(word));
  if (wanted.length === 0) return { kind: 'none-given' };
  // Matched words first; among equals, the title those words cover most ("news" → "News Briefs" rather
  // than "News Briefs · Regional Relations").
  const scores = sections.map((section) => {
    const title = words(sectionTitle(section));
    const matched = wanted.filter((word) => title.some((candidate) => wordMatches(word, candidate))).length;
    return matched === 0 ? 0 : matched + matched / (title.length + 1);
  });
  const best = Math.max(0, ...scores);
  if (best === 0) return { kind: 'not-found' };
  const candidates = scores.flatMap((score, index) => (score === best ? [index] : []));
  return candidates.length === 1
    ? { kind: 'found', index: candidates[0]! }
    : { kind: 'ambiguous', candidates };
}

/** The section's countries, or its items' when the section itself is untagged (a list of briefs). */
export function sectionCountries(section: Section): string[] {
  return section.countries.length > 0 ? section.countries : section.items.flatMap((item) => item.countries);
}

/** Countries by how many sections and items name them, most first. */
export function mostNamedCountries(sections: Section[]): string[] {
  const counts = new Map<string, number>();
  for (const section of sections) {
    for (const code of new Set(sectionCountries(section))) counts.set(code, (counts.get(code) ?? 0) + 1);
  }
  return [...counts].sort((a, b) => b[1] - a[1]).map(([code]) => code);
}

/**
 * Countries a mention names. Capitalised names first ("what about Haiti?"); people type mentions in
 * lower case too ("haiti"), so every word is also read as if capitalised, and the reading that finds
 * more wins. Exact names, demonyms and
 * cities only: the typo-tolerant /country lookup would read "thanks" as Thailand.
 */
export function countriesNamed(text: string): string[] {
  const asWritten = countriesIn(text);
  const capitalised = countriesIn(
    text.replace(/\p{L}+/gu, (word) => word.charAt(0).toUpperCase() + word.slice(1)),
  );
  // As written reads lower-case Spanish demonyms too ("argentina"), so "chile and argentina" finds one
  // country as written and both once capitalised: the fuller reading is the one meant.
  return capitalised.length > asWritten.length ? capitalised : asWritten;
}

function unique(codes: string[]): string[] {
  return [...new Set(codes)].slice(0, MAX_RELATED_COUNTRIES);
}

function verbOf(token: string): Verb | 'help' | undefined {
  const word = token.toLowerCase().replace(/[^\p{L}]/gu, '');
  return Object.hasOwn(VERBS, word) ? VERBS[word] : undefined;
}

/** "Venezuela all", "related all time", "haiti ever": earlier stories from the whole archive. */
const ALL_TIME = /(?<![\p{L}\p{N}])(?:all(?: time)?|ever|everything|todo|todos|tudo)(?![\p{L}\p{N}])/giu;

function asksAllTime(text: string): boolean {
  return text.search(ALL_TIME) !== -1;
}

export function planMention(text: string, thread: MentionThread | null): MentionPlan {
  const plan = planRequest(text, thread);
  return plan.kind === 'related' && asksAllTime(mentionText(text)) ? { ...plan, allTime: true } : plan;
}

function planRequest(text: string, thread: MentionThread | null): MentionPlan {
  if (!thread) return { kind: 'outside' };
  // "all" widens the period; it names no section ("related all" is the briefing's countries).
  const clean = mentionText(text).replace(ALL_TIME, ' ').replace(/\s+/g, ' ').trim();
  // The request word may follow a greeting ("hey, sources for peru?"); what follows it names the section.
  const tokens = clean.split(' ');
  let at = tokens.findIndex((token) => verbOf(token) !== undefined);
  // "more previously": more of the earlier stories, not the full text of a section called "previously".
  if (at !== -1 && verbOf(tokens[at]!) === 'more' && verbOf(tokens[at + 1] ?? '') === 'previously') at += 1;
  const verb = at === -1 ? undefined : verbOf(tokens[at]!);
  let rest = at === -1 ? '' : tokens.slice(at + 1).join(' ');
  let page = 1;
  if (verb === 'previously') {
    const paged = /(?:^|\s)page\s*(\d{1,4})\b/i.exec(rest);
    if (paged) {
      page = Math.max(1, Number(paged[1]));
      rest = `${rest.slice(0, paged.index)} ${rest.slice(paged.index + paged[0].length)}`.trim();
    }
  }

  if (verb === undefined) {
    const named = countriesNamed(clean);
    return named.length > 0 ? { kind: 'related', countries: unique(named) } : { kind: 'help' };
  }
  if (verb === 'help') return { kind: 'help' };

  const match = findSection(rest, thread.sections);
  const implied = thread.sectionIndex;
  switch (match.kind) {
    case 'found':
      return planFor(verb, match.index, thread, page);
    case 'none-given':
      if (implied !== null) return planFor(verb, implied, thread, page);
      // One section: nothing to pick from.
      if (verb === 'previously' && thread.sections.length === 1) return planFor(verb, 0, thread, page);
      if (verb === 'sources') return { kind: 'sources', sectionIndex: null };
      if (verb === 'related') return relatedTo(mostNamedCountries(thread.sections));
      return { kind: 'pick-section', verb, candidates: thread.sections.map((_, index) => index) };
    case 'ambiguous':
      return { kind: 'pick-section', verb, candidates: match.candidates };
    case 'not-found': {
      // No title matches, but a country may: "related haiti" asks about Haiti itself; "sources haiti"
      // about the section(s) tagged with it.
      const named = countriesNamed(rest);
      if (named.length === 0) return { kind: 'unknown-section', verb, query: rest };
      if (verb === 'related') return { kind: 'related', countries: unique(named) };
      const tagged = thread.sections.flatMap((section, index) =>
        sectionCountries(section).some((code) => named.includes(code)) ? [index] : [],
      );
      if (tagged.length === 1) return planFor(verb, tagged[0]!, thread, page);
      return tagged.length > 1
        ? { kind: 'pick-section', verb, candidates: tagged }
        : { kind: 'unknown-section', verb, query: rest };
    }
  }
}

function planFor(verb: Verb, index: number, thread: MentionThread, page = 1): MentionPlan {
  if (verb === 'more') return { kind: 'more', sectionIndex: index };
  if (verb === 'previously') return { kind: 'previously', sectionIndex: index, page };
  if (verb === 'sources') return { kind: 'sources', sectionIndex: index };
  const section = thread.sections[index];
  return relatedTo(section ? sectionCountries(section) : []);
}

/** An empty country list is answered as such ("no country to look up"), not with the help text. */
function relatedTo(countries: string[]): MentionPlan {
  return { kind: 'related', countries: unique(countries) };
}
