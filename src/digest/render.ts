/**
 * The digest as a Slack message (Block Kit + fallback text) and as plain text for the CLI. Pure.
 * Briefing, section and thread titles and summaries are the emails' words: rich text, shown as typed.
 * The bot's own words (headings, counts, Slack's date token) and catalogue country names are mrkdwn.
 */
import { formatLongDate, formatShortDate, todayIn } from '../query/calendar.js';
import { escapeMrkdwn, escapePlain } from '../slack/escape.js';
import type { Block, SlackMessage } from '../slack/render/blocks.js';
import {
  context,
  header,
  MAX_BLOCKS,
  MAX_FALLBACK_TEXT,
  MAX_SECTION_TEXT,
  section,
  truncateAtWord,
} from '../slack/render/blocks.js';
import { link, packRichLines, type RichInline, txt } from '../slack/render/rich.js';
import { packPieces } from '../slack/render/split.js';
import type { DigestBriefing, DigestCountry, DigestModel, DigestThread } from './model.js';
import { isEmptyDigest } from './model.js';

/** A digest is read at a glance: the five busiest threads say where the conversation was. */
export const MAX_THREADS_SHOWN = 5;

/** "Oct 7, 2021 at 1:20 PM EDT" in the newsroom's zone: the fallback of Slack's date token. */
export function formatInstant(iso: string, timeZone: string): string {
  // Intl rather than date-fns: only Intl knows a zone's short name ("EDT"; "GMT-3" where there is none).
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
    timeZoneName: 'short',
  }).formatToParts(new Date(iso));
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('month')} ${part('day')}, ${part('year')} at ${part('hour')}:${part('minute')} ${part('dayPeriod')} ${part('timeZoneName')}`;
}

/** Slack renders `<!date^…>` in each reader's own zone; the fallback shows the newsroom's. */
function slackDate(iso: string, timeZone: string): string {
  const epoch = Math.floor(new Date(iso).getTime() / 1000);
  return `<!date^${epoch}^{date_short_pretty} at {time}|${escapeMrkdwn(formatInstant(iso, timeZone))}>`;
}

/** Empty when a past day saw no receipt up to its end: the archive's later ones belong to other days. */
function lastReceivedLine(model: DigestModel): string {
  if (model.lastReceivedAt)
    return `Last briefing received ${slackDate(model.lastReceivedAt, model.timeZone)}.`;
  return model.archiveEmpty ? 'No briefing has been received yet.' : '';
}

function lastReceivedText(model: DigestModel): string {
  if (model.lastReceivedAt)
    return `Last briefing received ${formatInstant(model.lastReceivedAt, model.timeZone)}.`;
  return model.archiveEmpty ? 'No briefing has been received yet.' : '';
}

function isToday(model: DigestModel): boolean {
  return model.date === model.today;
}

/** "Countries today", or "Countries on Oct 7, 2021" in a past day's digest. */
function countriesHeading(model: DigestModel): string {
  return isToday(model) ? 'Countries today' : `Countries on ${formatShortDate(model.date)}`;
}

function maybeLink(url: string | null, text: string, style?: { bold: true }): RichInline[] {
  return url ? link(url, text, style) : [txt(text, style)];
}

function plural(count: number, one: string, many: string): string {
  return `${count} ${count === 1 ? one : many}`;
}

/**
 * "dated Wed, Oct 6, 2021, received <!date^…|Oct 7, 2021 at 7:04 PM EDT>": a briefing that arrived
 * after its own day's digest (forwarded late, or after the digest time). The window can start the day
 * before, so the receipt is a Slack date ("yesterday at 7:04 PM" to each reader), never "today".
 */
export function lateNote(datedOn: string, receivedAt: string, timeZone: string): string {
  return `dated ${formatLongDate(datedOn)}, received ${slackDate(receivedAt, timeZone)}`;
}

/** lateNote as plain text, the receipt in the newsroom's zone. */
export function lateNoteText(datedOn: string, receivedAt: string, timeZone: string): string {
  return `dated ${formatLongDate(datedOn)}, received ${formatInstant(receivedAt, timeZone)}`;
}

/** The briefing's title and publication, then one numbered line per section. */
function briefingLines(briefing: DigestBriefing): RichInline[][] {
  const head = [
    ...maybeLink(briefing.link, briefing.title, { bold: true }),
    ...(briefing.publication ? [txt(` — ${briefing.publication}`)] : []),
  ];
  const sections = briefing.sections.map((section) => [
    txt(`${section.number}. `),
    ...maybeLink(section.link, section.title),
    ...(section.summary ? [txt(` — ${section.summary}`)] : []),
  ]);
  return [head, ...sections];
}

/** A briefing's blocks: its lines in rich text, and when it came late, when (in Slack's date token). */
function briefingBlocks(briefing: DigestBriefing, timeZone: string): Block[] {
  const late = briefing.datedOn
    ? [context([`_(${lateNote(briefing.datedOn, briefing.receivedAt, timeZone)})_`])]
    : [];
  return [...packRichLines(briefingLines(briefing)), ...late];
}

function countryLabel(country: DigestCountry): string {
  return `${country.flag} ${escapeMrkdwn(country.name)}`.trim();
}

function countryLines(model: DigestModel): string[] {
  const { countries } = model;
  if (countries.length === 0) return [];
  const covered = countries.map((country) => `${countryLabel(country)} ${country.stories}`).join('  ·  ');
  const lines = [`*${countriesHeading(model)}*\n${covered}`];
  const fresh = countries.filter((country) => country.newThisWeek);
  if (fresh.length > 0) {
    lines.push(`*Not covered in the previous 7 days:* ${fresh.map(countryLabel).join(', ')}`);
  }
  return lines;
}

/** "Title (Oct 3, 2021) — Section": an older briefing's thread says which day it is from. */
function threadLabel(thread: DigestThread): string {
  const title = thread.datedOn
    ? `${thread.briefingTitle} (${formatShortDate(thread.datedOn)})`
    : thread.briefingTitle;
  return thread.sectionTitle ? `${title} — ${thread.sectionTitle}` : title;
}

function threadBlocks(threads: DigestThread[]): Block[] {
  const shown = threads.slice(0, MAX_THREADS_SHOWN);
  if (shown.length === 0) return [];
  const lines = shown.map((thread) => [
    ...maybeLink(thread.link, threadLabel(thread)),
    txt(
      `: ${plural(thread.replies, 'reply', 'replies')} from ${plural(thread.participants, 'person', 'people')}`,
    ),
  ]);
  return [section('*Most discussed*'), ...packRichLines(lines, { as: 'bullets' })];
}

function headerText(model: DigestModel): string {
  return `Daily digest · ${formatLongDate(model.date)}`;
}

function summaryText(model: DigestModel): string {
  const sections = model.briefings.reduce((sum, briefing) => sum + briefing.sections.length, 0);
  const parts = [
    plural(model.briefings.length, 'briefing', 'briefings'),
    plural(sections, 'section', 'sections'),
    plural(model.countries.length, 'country', 'countries'),
  ];
  const titles = model.briefings.map((briefing) => escapePlain(briefing.title)).join('; ');
  return truncateAtWord(`${headerText(model)}: ${parts.join(', ')}. ${titles}`, MAX_FALLBACK_TEXT);
}

/**
 * The opening of an empty digest. A briefing dated an earlier day but received within the window
 * (which takes in the whole day up to the digest) is in the digest, so an empty one that still saw mail
 * that day received only briefings dated a later day (filed, and digested, under that day): then "No
 * briefings received today" next to "Last briefing received today at 9:40" would contradict itself.
 */
function nothingToday(model: DigestModel): string {
  const day = formatLongDate(model.date);
  const receivedThatDay =
    model.lastReceivedAt !== null && todayIn(new Date(model.lastReceivedAt), model.timeZone) === model.date;
  if (!isToday(model)) {
    return receivedThatDay
      ? `No briefing dated ${day} came in; the last one received that day is dated another day.`
      : `No briefings received on ${day}.`;
  }
  return receivedThatDay
    ? `No briefing dated today (${day}) came in; the last one received is dated another day.`
    : `No briefings received today (${day}).`;
}

function sentences(...parts: string[]): string {
  return parts.filter(Boolean).join(' ');
}

/** The one line posted on a day without briefings (when DIGEST_SKIP_EMPTY is false). */
export function renderEmptyDigest(model: DigestModel): SlackMessage {
  const text = sentences(nothingToday(model), lastReceivedLine(model));
  return { text, blocks: [section(text)] };
}

export function renderDigest(model: DigestModel): SlackMessage {
  if (isEmptyDigest(model)) return renderEmptyDigest(model);
  const head: Block[] = [header(headerText(model))];
  const tail: Block[] = [
    { type: 'divider' },
    ...packPieces(countryLines(model), '\n', MAX_SECTION_TEXT).map(section),
    ...threadBlocks(model.threads),
    context([lastReceivedLine(model)]),
  ];
  // Briefings take what the header and the day's overview leave; one block is kept for "and N more".
  const budget = MAX_BLOCKS - head.length - tail.length - 1;
  const body: Block[] = [];
  let shown = 0;
  for (const briefing of model.briefings) {
    const blocks = briefingBlocks(briefing, model.timeZone);
    if (body.length + blocks.length > budget) break;
    body.push(...blocks);
    shown += 1;
  }
  const hidden = model.briefings.length - shown;
  if (hidden > 0) {
    const more = `…and ${plural(hidden, 'more briefing', 'more briefings')}: \`/briefing ${model.date}\` lists them all.`;
    body.push(context([more]));
  }
  return { text: summaryText(model), blocks: [...head, ...body, ...tail] };
}

/** The digest as plain text for a terminal: links in parentheses, nothing escaped. */
export function digestAsText(model: DigestModel): string {
  const withUrl = (text: string, url: string | null) => (url ? `${text} (${url})` : text);
  const last = lastReceivedText(model);
  if (isEmptyDigest(model)) return `${sentences(nothingToday(model), last)}\n`;
  const lines = [`Daily digest · ${formatLongDate(model.date)}`, ''];
  for (const briefing of model.briefings) {
    const publication = briefing.publication ? ` — ${briefing.publication}` : '';
    const late = briefing.datedOn
      ? ` (${lateNoteText(briefing.datedOn, briefing.receivedAt, model.timeZone)})`
      : '';
    lines.push(`${withUrl(`${briefing.title}${publication}`, briefing.link)}${late}`);
    for (const line of briefing.sections) {
      const summary = line.summary ? ` — ${line.summary}` : '';
      lines.push(`  ${line.number}. ${withUrl(line.title, line.link)}${summary}`);
    }
    lines.push('');
  }
  if (model.countries.length > 0) {
    const covered = model.countries.map((country) =>
      `${country.flag} ${country.name} ${country.stories}`.trim(),
    );
    lines.push(`${countriesHeading(model)}: ${covered.join(', ')}`);
    const fresh = model.countries.filter((country) => country.newThisWeek);
    if (fresh.length > 0) {
      lines.push(
        `Not covered in the previous 7 days: ${fresh.map((c) => `${c.flag} ${c.name}`.trim()).join(', ')}`,
      );
    }
  }
  const threads = model.threads.slice(0, MAX_THREADS_SHOWN);
  if (threads.length > 0) {
    lines.push('Most discussed:');
    for (const thread of threads) {
      const counts = `${plural(thread.replies, 'reply', 'replies')} from ${plural(thread.participants, 'person', 'people')}`;
      lines.push(`  • ${withUrl(threadLabel(thread), thread.link)}: ${counts}`);
    }
  }
  lines.push(last, '');
  return lines.join('\n');
}
