/**
 * From what a person typed (or a button's request) to the answer: parse, read the store's indexes,
 * render. No Slack I/O here, so listeners stay thin and the whole path is testable with a memory store.
 */
import type { DateOrder } from '../../config.js';
import { countryFlag, countryName, resolveCountry } from '../../countries/index.js';
import { MAX_NAME_WORDS, splitCountryArgs } from '../../query/country-query.js';
import { newestStoryDate, storyPage } from '../../query/country-stories.js';
import { parseDateExpression } from '../../query/date-expression.js';
import { summarizeDay } from '../../query/day-summary.js';
import { ALL_TIME, parsePeriod } from '../../query/period.js';
import { summarizePeriod } from '../../query/period-summary.js';
import { searchArchive } from '../../query/search.js';
import type { SearchStore } from '../../search/types.js';
import type { ArchiveReads } from '../../store/roles.js';
import { escapeMrkdwn, unescapeMrkdwn } from '../escape.js';
import { type Answer, section } from './blocks.js';
import { renderDay, renderNoBriefing } from './render-briefing.js';
import { renderCountry } from './render-country.js';
import { renderPeriod } from './render-period.js';
import { renderSearch } from './render-search.js';
import { type AnswerRequest, MAX_SEARCH_CHARS } from './request.js';
import type { RenderOptions } from './share.js';
import { briefingUsage, countryUsage, helpAnswer, problemAnswer } from './usage.js';

export interface AnswerContext {
  store: ArchiveReads & SearchStore;
  now: Date;
  timeZone: string;
  dateOrder: DateOrder;
}

/** How many close names an unknown country offers. */
const MAX_SUGGESTIONS = 3;

const HELP_WORDS = new Set(['help', '-h', '--help', '?', 'ayuda', 'ajuda', 'usage']);

function isHelp(text: string): boolean {
  return HELP_WORDS.has(text.trim().toLowerCase());
}

const NO_BRIEFINGS_YET: Answer = {
  text: 'No briefings have been received yet.',
  blocks: [section('No briefings have been received yet. Forward one to the inbound address and ask again.')],
};

/**
 * A command's text as the person typed it. Slack sends `&`, `<` and `>` as entities (and links or
 * channels as `<…|label>`); answers escape what they echo, so undecoded text would show "&amp;amp;".
 */
export function typedText(text: string): string {
  const shown = text
    .replace(/<(?:https?:|mailto:|#C|@[UW])[^<>|]*\|([^<>]*)>/g, '$1')
    .replace(/<((?:https?:|mailto:)[^<>|]*)>/g, '$1');
  return unescapeMrkdwn(shown);
}

/** "search castillo", "buscar castillo", "buscar: castillo". */
const SEARCH_WORD = /^(?:search|find|buscar|busca|procurar)\b:?\s*/i;

/** `/briefing [when]`, `/briefing <period>`, `/briefing search <words> [period]`. */
export async function answerBriefingCommand(raw: string, ctx: AnswerContext): Promise<Answer> {
  const text = typedText(raw);
  if (isHelp(text)) return helpAnswer(ctx.dateOrder);
  const search = SEARCH_WORD.exec(text.trim());
  if (search) return answerSearchCommand(text.trim().slice(search[0].length), ctx);
  const dateContext = { now: ctx.now, timeZone: ctx.timeZone, dateOrder: ctx.dateOrder };
  // A span of days ("last week", "October", "2021") gets the period's summary; a single day, its posts.
  const period = text.trim() === '' ? null : parsePeriod(text, { ...dateContext, latestDate: null });
  if (period?.ok && period.value.from !== period.value.to) {
    return answerRequest({ kind: 'period', from: period.value.from, to: period.value.to }, ctx);
  }
  const parsed = parseDateExpression(text, dateContext);
  if (!parsed.ok) return problemAnswer(parsed.error, briefingUsage(ctx.dateOrder));
  const date = parsed.value.kind === 'date' ? parsed.value.date : await ctx.store.latestDate();
  if (date === null) return NO_BRIEFINGS_YET;
  return answerRequest({ kind: 'briefing', date }, ctx);
}

/**
 * `search <words> [period]`: the words, then the longest tail that reads as a period ("castillo last
 * week", "protests in 2021"); without one, the whole archive.
 */
function answerSearchCommand(rest: string, ctx: AnswerContext): Answer | Promise<Answer> {
  const words = rest.split(/\s+/).filter(Boolean);
  if (words.length === 0)
    return problemAnswer(
      'Say what to search for, e.g. `/briefing search Castillo cabinet`.',
      briefingUsage(ctx.dateOrder),
    );
  if (rest.length > MAX_SEARCH_CHARS)
    return problemAnswer('That is too long to search for.', briefingUsage(ctx.dateOrder));
  const periodContext = { now: ctx.now, timeZone: ctx.timeZone, dateOrder: ctx.dateOrder, latestDate: null };
  for (let cut = 1; cut < words.length; cut += 1) {
    const period = parsePeriod(words.slice(cut).join(' '), periodContext);
    if (period.ok) {
      const query = words.slice(0, cut).join(' ');
      return answerRequest(
        { kind: 'search', words: query, from: period.value.from, to: period.value.to, page: 1 },
        ctx,
      );
    }
  }
  return answerRequest({ kind: 'search', words: words.join(' '), ...ALL_TIME, page: 1 }, ctx);
}

/** `/country <name> [period]`. */
export async function answerCountryCommand(raw: string, ctx: AnswerContext): Promise<Answer> {
  const text = typedText(raw);
  if (isHelp(text)) return helpAnswer(ctx.dateOrder);
  const split = splitCountryArgs(text, {
    now: ctx.now,
    timeZone: ctx.timeZone,
    dateOrder: ctx.dateOrder,
    latestDate: await ctx.store.latestDate(),
  });
  if (!split.ok) return problemAnswer(split.error, countryUsage());
  const { name, period, periodProblem } = split.value;
  const resolved = resolveCountry(name);
  if ('suggestions' in resolved) {
    if (periodProblem) return problemAnswer(periodProblem, countryUsage());
    const named = countryThenJunk(text);
    if (named) {
      return problemAnswer(`${named.country}: I could not read "${named.rest}" as a period.`, countryUsage());
    }
    return unknownCountry(name, resolved.suggestions.slice(0, MAX_SUGGESTIONS));
  }
  return answerRequest(
    {
      kind: 'country',
      code: resolved.code,
      from: period.from,
      to: period.to,
      page: 1,
      isDefault: period.isDefault,
    },
    ctx,
  );
}

/**
 * "Peru blah": the words before the tail name a country, and the tail is neither a period nor part of
 * the name. Saying the period is what failed teaches more than "No country matches 'Peru blah'". The
 * longest such name wins ("South Africa blah" is South Africa, not a "South…" guess).
 */
function countryThenJunk(text: string): { country: string; rest: string } | null {
  const words = text.trim().split(/\s+/);
  for (let cut = Math.min(words.length - 1, MAX_NAME_WORDS); cut >= 1; cut -= 1) {
    const resolved = resolveCountry(words.slice(0, cut).join(' '));
    if (!('suggestions' in resolved)) {
      return { country: countryName(resolved.code), rest: words.slice(cut).join(' ') };
    }
  }
  return null;
}

function unknownCountry(name: string, suggestions: readonly { code: string; name: string }[]): Answer {
  const quoted = `No country matches '${escapeMrkdwn(name)}'.`;
  const offer =
    suggestions.length > 0
      ? ` Did you mean ${suggestions.map((s) => `${countryFlag(s.code)} *${escapeMrkdwn(s.name)}*`.trim()).join(', ')}?`
      : '';
  return {
    text: `${quoted}${offer.replace(/\*/g, '')}`,
    blocks: [section(`${quoted}${offer}`), section(countryUsage())],
  };
}

/** Renders a request: the first answer, a "More" page, a nearest-date jump, or a shared copy. */
export async function answerRequest(
  request: AnswerRequest,
  ctx: AnswerContext,
  options: RenderOptions = {},
): Promise<Answer> {
  const { store } = ctx;
  if (request.kind === 'briefing') {
    const summary = await summarizeDay(store, request.date);
    if (summary.briefings.length === 0)
      return renderNoBriefing(request.date, await store.nearestDates(request.date), options);
    return renderDay(summary, options);
  }
  if (request.kind === 'period') {
    return renderPeriod(await summarizePeriod(store, { from: request.from, to: request.to }), options);
  }
  if (request.kind === 'search') {
    const range = { from: request.from, to: request.to };
    return renderSearch(await searchArchive(store, request.words, range, request.page), request, options);
  }
  const page = await storyPage(store, request.code, { from: request.from, to: request.to }, request.page);
  // Only an empty answer looks further, to point at where the stories are.
  const newestEver = page.total === 0 ? await newestStoryDate(store, request.code, ALL_TIME) : null;
  const label = {
    code: request.code,
    name: countryName(request.code),
    flag: countryFlag(request.code),
  };
  return renderCountry(label, page, { ...request, page: page.page }, { ...options, newestEver });
}
