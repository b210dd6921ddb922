import { describe, expect, test } from 'vitest';
import { newestStoryDate, storyPage } from '../../src/query/country-stories.js';
import { summarizeDay } from '../../src/query/day-summary.js';
import { ALL_TIME } from '../../src/query/period.js';
import { addBriefing, briefing, emptyStore, list, permalinkFor, prose } from './archive.js';

describe('summarizeDay', () => {
  test('one line per section with its first sentence and post permalink, two briefings in order', async () => {
    const store = await emptyStore();
    const morning = await addBriefing(
      store,
      briefing('Mexico - U.S. high-level security talks', '2021-10-07', [
        prose(
          'Mexico - U.S. security talks',
          ['MX', 'US'],
          'U.S. Secretary of State Antony Blinken is leading a delegation to Mexico. Homeland Security Secretary Alejandro Mayorkas will attend.',
        ),
        list('News Briefs', [
          { text: 'Gen. Rodríguez resigned in Caracas. More later.', countries: ['VE'] },
          { text: 'Chile votes.', countries: ['CL'] },
        ]),
      ]),
      { receivedAt: '2021-10-07T13:00:00Z' },
    );
    const evening = await addBriefing(
      store,
      briefing('Evening update', '2021-10-07', [
        prose('Peru cabinet reshuffle', ['PE'], 'Castillo named Vásquez.'),
      ]),
      { receivedAt: '2021-10-07T22:00:00Z', posted: false },
    );

    expect(await summarizeDay(store, '2021-10-07')).toEqual({
      date: '2021-10-07',
      briefings: [
        {
          id: morning.id,
          title: 'Mexico - U.S. high-level security talks',
          publication: 'Latin America Daily Briefing',
          forwardedByName: 'Molly Molloy',
          permalink: permalinkFor(morning.id, 'card'),
          sections: [
            {
              index: 0,
              title: 'Mexico - U.S. security talks',
              countries: ['MX', 'US'],
              firstSentence: 'U.S. Secretary of State Antony Blinken is leading a delegation to Mexico.',
              permalink: permalinkFor(morning.id, 's0'),
            },
            {
              index: 1,
              title: 'News Briefs',
              countries: ['VE', 'CL'],
              firstSentence: 'Gen. Rodríguez resigned in Caracas.',
              permalink: permalinkFor(morning.id, 's1'),
            },
          ],
        },
        {
          id: evening.id,
          title: 'Evening update',
          publication: 'Latin America Daily Briefing',
          forwardedByName: 'Molly Molloy',
          permalink: null,
          sections: [
            {
              index: 0,
              title: 'Peru cabinet reshuffle',
              countries: ['PE'],
              firstSentence: 'Castillo named Vásquez.',
              permalink: null,
            },
          ],
        },
      ],
    });
    expect(await summarizeDay(store, '2021-10-08')).toEqual({ date: '2021-10-08', briefings: [] });
  });
});

describe('storyPage', () => {
  test('37 stories page 10 at a time, newest first, with the other countries and links', async () => {
    const store = await emptyStore();
    // 37 days of one briefing each; every one has a Peru story; every third also mentions Bolivia.
    for (let day = 1; day <= 37; day += 1) {
      const date = `2021-${day <= 31 ? '10' : '11'}-${String(day <= 31 ? day : day - 31).padStart(2, '0')}`;
      await addBriefing(
        store,
        briefing(`Briefing ${day}`, date, [
          prose('Colombia', ['CO'], 'Petro spoke.'),
          list('News Briefs', [
            {
              text: `Story ${day} about Lima. Second sentence.`,
              countries: day % 3 === 0 ? ['PE', 'BO'] : ['PE'],
            },
            { text: 'Something in Quito.', countries: ['EC'] },
          ]),
        ]),
      );
    }
    const range = { from: '2021-01-01', to: '2021-12-31' };
    const first = await storyPage(store, 'PE', range, 1);
    expect(first).toMatchObject({ total: 37, page: 1, pageCount: 4, first: 1, last: 10 });
    expect(first.stories[0]).toEqual({
      date: '2021-11-06',
      briefingTitle: 'Briefing 37',
      sectionTitle: 'News Briefs',
      firstSentence: 'Story 37 about Lima.',
      otherCountries: [],
      permalink: expect.stringContaining('https://newsroom.slack.com/archives/'),
    });
    expect(first.stories[1]?.otherCountries).toEqual(['BO']);

    const second = await storyPage(store, 'PE', range, 2);
    expect(second).toMatchObject({ page: 2, first: 11, last: 20 });
    expect(second.stories.map((story) => story.firstSentence)[0]).toBe('Story 27 about Lima.');

    const last = await storyPage(store, 'PE', range, 4);
    expect(last).toMatchObject({ page: 4, first: 31, last: 37 });
    expect(last.stories).toHaveLength(7);
    expect(last.stories.at(-1)?.date).toBe('2021-10-01');

    // Past the end clamps to the last page; a narrower range counts less.
    expect((await storyPage(store, 'PE', range, 99)).page).toBe(4);
    expect((await storyPage(store, 'PE', { from: '2021-11-01', to: '2021-11-30' }, 1)).total).toBe(6);
    expect(await storyPage(store, 'AR', range, 1)).toMatchObject({
      total: 0,
      first: 0,
      last: 0,
      stories: [],
    });
  });
});

describe('newestStoryDate', () => {
  test('finds the newest story however far back it is', async () => {
    const store = await emptyStore();
    expect(await newestStoryDate(store, 'PE', ALL_TIME)).toBeNull();
    await addBriefing(store, briefing('Old', '2012-03-04', [prose('Lima', ['PE'], 'Old news.')]));
    await addBriefing(store, briefing('Mid', '2021-01-05', [prose('Quito', ['EC'], 'Mid news.')]));
    await addBriefing(store, briefing('New', '2021-11-06', [prose('Quito', ['EC'], 'New news.')]));
    expect(await newestStoryDate(store, 'PE', ALL_TIME)).toBe('2012-03-04');
    expect(await newestStoryDate(store, 'EC', ALL_TIME)).toBe('2021-11-06');
    expect(await newestStoryDate(store, 'AR', ALL_TIME)).toBeNull();
  });
});
