/**
 * `/briefing <period>` ("last week", "October", "2021"): a summary of the period — how many briefings
 * on how many days, the days listed with their briefings linked, the most covered countries — instead
 * of one day's posts. Pure; briefing titles (the email's words) are rich text, shown as typed.
 */
import { countryFlag, countryName } from '../../countries/index.js';
import { formatLongDate, formatRange } from '../../query/calendar.js';
import { ALL_TIME } from '../../query/period.js';
import type { PeriodDay, PeriodSummary } from '../../query/period-summary.js';
import { escapeMrkdwn } from '../escape.js';
import { link, packRichLines, type RichInline, txt } from '../render/rich.js';
import { type Answer, type AnswerBlock, clip, context, section } from './blocks.js';
import { appendFooter, type RenderOptions } from './share.js';

/** A month of days reads at a glance; a longer period lists its most recent days. */
export const MAX_DAYS_LISTED = 31;
/** Titles shown per day before "+N more". */
const TITLES_PER_DAY = 3;
export const TOP_COUNTRIES = 10;

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

/** "Oct 4 – Oct 10, 2021"; the whole archive reads as its first to last day. */
export function periodLabel(summary: Pick<PeriodSummary, 'range' | 'days'>): string {
  const { from, to } = summary.range;
  const whole = from === ALL_TIME.from && to === ALL_TIME.to;
  if (whole) {
    const first = summary.days[0]?.date;
    const last = summary.days.at(-1)?.date;
    return first && last ? `the whole archive (${formatRange(first, last)})` : 'the whole archive';
  }
  return formatRange(from, to);
}

function dayLine(day: PeriodDay): RichInline[] {
  const line: RichInline[] = [txt(formatLongDate(day.date), { bold: true }), txt(': ')];
  day.briefings.slice(0, TITLES_PER_DAY).forEach((briefing, index) => {
    if (index > 0) line.push(txt('; '));
    line.push(...(briefing.permalink ? link(briefing.permalink, briefing.title) : [txt(briefing.title)]));
    line.push(txt(` (${plural(briefing.sections, 'section')})`));
  });
  const more = day.briefings.length - TITLES_PER_DAY;
  if (more > 0) line.push(txt(`; +${more} more`));
  return line;
}

export function renderPeriod(summary: PeriodSummary, options: RenderOptions = {}): Answer {
  const label = periodLabel(summary);
  if (summary.days.length === 0) {
    const blocks: AnswerBlock[] = [section(`No briefings in ${escapeMrkdwn(label)}.`)];
    if (options.sharedBy) appendFooter(blocks, { kind: 'period', ...summary.range }, options);
    return { text: `No briefings in ${label}.`, blocks };
  }
  const head = `:newspaper: *${plural(summary.briefingCount, 'briefing')} on ${plural(summary.days.length, 'day')}, ${escapeMrkdwn(label)}*`;
  const listed = summary.days.slice(-MAX_DAYS_LISTED);
  const blocks: AnswerBlock[] = [section(head), ...packRichLines(listed.map(dayLine), { as: 'bullets' })];
  const earlier = summary.days.length - listed.length;
  if (earlier > 0) {
    blocks.push(
      context(`${plural(earlier, 'earlier day')} not listed; the ${MAX_DAYS_LISTED} most recent are.`),
    );
  }
  const top = summary.countries.slice(0, TOP_COUNTRIES);
  if (top.length > 0) {
    const line = top
      .map(
        ({ code, stories }) =>
          `${`${countryFlag(code)} ${escapeMrkdwn(countryName(code))}`.trim()} ${stories}`,
      )
      .join('  ·  ');
    blocks.push(section(`*Most covered countries* (stories)\n${line}`));
  }
  const example = listed.at(-1)?.date;
  blocks.push(
    context(`\`/briefing ${example}\` shows one day in full; \`/country <name> <period>\` one country.`),
  );
  appendFooter(blocks, { kind: 'period', ...summary.range }, options);
  return {
    text: clip(
      `${plural(summary.briefingCount, 'briefing')} on ${plural(summary.days.length, 'day')}, ${label}`,
    ),
    blocks,
  };
}
