/**
 * `/briefing search <words> [period]` end to end: signed slash commands and button clicks from the
 * Slack stand-in to the real bot (Bolt's HTTP receiver), answers read back from the stand-in.
 */
import { afterEach, describe, expect, test } from 'vitest';
import type { Store } from '../../../src/store/types.js';
import { addBriefing, briefing, emptyStore, list, prose } from '../../query/archive.js';
import { type Harness, loggedErrors, startHarness, textOf } from './harness.js';

// Wednesday, November 10, 2021, 10:00 in New York.
const NOW = new Date('2021-11-10T15:00:00Z');

let harness: Harness | null = null;

afterEach(async () => {
  await harness?.close();
  harness = null;
  expect(loggedErrors.splice(0)).toEqual([]);
});

/** 25 days of Castillo stories (Oct 1 – Oct 25), one hostile one, and a Haiti story. */
async function archive(): Promise<Store> {
  const store = await emptyStore();
  for (let day = 1; day <= 25; day += 1) {
    const date = `2021-10-${String(day).padStart(2, '0')}`;
    await addBriefing(
      store,
      briefing(`Daily ${day}`, date, [
        prose(
          `Peru day ${day}`,
          ['PE'],
          `Blinken flew somewhere. President Pedro Castillo spoke on day ${day}.`,
        ),
      ]),
    );
  }
  await addBriefing(
    store,
    briefing('Evening <!channel>', '2021-11-02', [
      list('News Briefs', [
        {
          text: 'Gangs <@U123> & friends block the road to Port-au-Prince, says Perú’s envoy.',
          countries: ['HT'],
        },
      ]),
    ]),
  );
  return store;
}

describe('/briefing search', () => {
  test('ranks hits 10 a page with date, section link and the matched words in bold; More and Share', async () => {
    harness = await startHarness(await archive(), NOW);
    const { command, click, standIn } = harness;
    const { answer } = await command('/briefing', 'search castillo');
    expect(answer.response_type).toBe('ephemeral');
    const text = textOf(answer);
    expect(text).toContain(':mag: 25 stories match “castillo” in the whole archive');
    expect(text).toContain('1–10 of 25, best match first');
    expect(text).toMatch(
      /\*Mon, Oct 25, 2021\* · \*<https:\/\/newsroom\.slack\.com\/archives\/[^|]+\|Peru day 25>\* · _Daily 25_\nPresident Pedro \*Castillo\* spoke on day 25\./,
    );
    expect(answer.blocks?.filter((block) => (block as { type: string }).type === 'rich_text')).toHaveLength(
      10,
    );

    const page2 = await click('country_more');
    expect(page2.replace_original).toBe(true);
    expect(textOf(page2)).toContain('11–20 of 25');
    const page3 = await click('country_more');
    expect(textOf(page3)).toContain('21–25 of 25');
    expect(JSON.stringify(page3.blocks)).not.toContain('country_more');

    const shared = await click('answer_share');
    expect(shared.response_type).toBe('in_channel');
    const posted = standIn.messages('briefings').at(-1)!;
    expect(textOf(posted)).toContain('21–25 of 25');
    expect(textOf(posted)).toContain('Shared by <@U_LOCAL>');
    expect(JSON.stringify(posted.blocks)).not.toContain('"type":"button"');
  });

  test('a period after the words narrows the search; accents fold; email text stays escaped', async () => {
    harness = await startHarness(await archive(), NOW);
    const { command } = harness;
    expect(textOf((await command('/briefing', 'search castillo last 7 days')).answer)).toContain(
      'No stories match “castillo” Nov 4 – Nov 10, 2021.',
    );
    const october = textOf(
      (await command('/briefing', 'search Castillo from Oct 20 to Oct 22, 2021')).answer,
    );
    expect(october).toContain('3 stories match “Castillo” Oct 20 – Oct 22, 2021');
    const hostile = textOf((await command('/briefing', 'search peru envoy')).answer);
    expect(hostile).toContain('1 story matches “peru envoy”');
    expect(hostile).toContain('_Evening ‹!channel›_');
    expect(hostile).toContain(
      'Gangs ‹@U123› & friends block the road to Port-au-Prince, says *Perú*’s *envoy*.',
    );
    expect(hostile).not.toContain('<!channel>');
    expect(hostile).not.toContain('<@U123>');
    const nothing = textOf((await command('/briefing', 'search')).answer);
    expect(nothing).toContain('Say what to search for');
  });
});
