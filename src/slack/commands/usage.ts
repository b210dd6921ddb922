/** Help for both commands; shown for `help`, and under the reason when arguments are wrong. */
import type { DateOrder } from '../../config.js';
import { escapeMrkdwn } from '../escape.js';
import { type Answer, context, section } from './blocks.js';

export function briefingUsage(dateOrder: DateOrder): string {
  const numeric = dateOrder === 'DMY' ? '`7/10` (day first)' : '`10/7` (month first)';
  return [
    '*/briefing [when]*: the briefings of a day, one line per section, linked to its post.',
    `_when_: \`today\` (the default), \`yesterday\`, \`monday\`, \`last friday\`, \`Oct 7\`, \`7 Oct 2021\`, \`October 7, 2021\`, \`2021-10-07\`, ${numeric}, \`latest\`; also \`ayer\`, \`7 de octubre\`, \`ontem\`, \`7 de outubro\`. A date without a year is the most recent one.`,
    'A period — `last week`, `this month`, `October 2021`, `2021`, `all` — gets a summary: its days with their briefings, and the most covered countries.',
    '*/briefing search <words> [period]*: stories with every word (the last may be the start of one), best match first, 10 at a time: `search Castillo cabinet`, `search protests last month`. Without a period, the whole archive.',
  ].join('\n');
}

export function countryUsage(): string {
  return [
    '*/country <name> [period]*: stories about a country, newest first, 10 at a time.',
    '_name_: English, Spanish or Portuguese name, ISO code or demonym: `Peru`, `Perú`, `PE`, `Peruvian`.',
    '_period_: `last 7 days`, `this week`, `since Oct 1`, `in October 2021`, `2021`, `all`; the default is the 30 days up to the newest briefing.',
    '`/country follow <name>`: a direct message when a briefing has a story about it; `unfollow <name>`, `following`.',
  ].join('\n');
}

const THREAD_NOTE =
  'Answers are visible only to you until you press *Share in channel*. Slash commands do not work inside threads (a Slack rule): in a briefing’s thread, @-mention the bot instead, e.g. `@briefing-bot sources` or `@briefing-bot related`.';

export function helpAnswer(dateOrder: DateOrder): Answer {
  return {
    text: 'How to use /briefing and /country',
    blocks: [section(briefingUsage(dateOrder)), section(countryUsage()), context(THREAD_NOTE)],
  };
}

/** What was wrong, then how to use the command: bad input should teach, not just refuse. */
export function problemAnswer(problem: string, usage: string): Answer {
  const escaped = escapeMrkdwn(problem);
  return {
    text: problem.length > 0 ? escaped : 'Usage',
    blocks: [section(`:warning: ${escaped}`), section(usage), context(THREAD_NOTE)],
  };
}
