import { describe, expect, test } from 'vitest';
import type { StoryPage } from '../../../src/query/country-stories.js';
import type { DaySummary } from '../../../src/query/day-summary.js';
import { renderDay, renderNoBriefing } from '../../../src/slack/commands/render-briefing.js';
import { renderCountry } from '../../../src/slack/commands/render-country.js';
import { decodeRequest, encodeRequest } from '../../../src/slack/commands/request.js';
import { bold, bulletList, packRichLines, para, richText, txt } from '../../../src/slack/render/rich.js';

const share = (value: string) => ({
  type: 'button',
  action_id: 'answer_share',
  text: { type: 'plain_text', text: 'Share in channel', emoji: true },
  value,
});

const day: DaySummary = {
  date: '2021-10-07',
  briefings: [
    {
      id: 'b1',
      title: 'Mexico - U.S. talks <!channel>',
      publication: 'Latin America Daily Briefing',
      forwardedByName: 'Molly & Co',
      permalink: 'https://x.slack.com/archives/C1/p1',
      sections: [
        {
          index: 0,
          title: 'Security <talks>',
          countries: ['MX', 'US'],
          firstSentence: 'U.S. officials & Mexico met <@U123>.',
          permalink: 'https://x.slack.com/archives/C1/p2',
        },
        { index: 1, title: 'News Briefs', countries: [], firstSentence: '', permalink: null },
      ],
    },
  ],
};

describe('renderDay', () => {
  test('title, publication, one linked line per section as rich text, Share button', () => {
    expect(renderDay(day)).toEqual({
      text: '1 briefing on Thu, Oct 7, 2021 (2 sections): Mexico - U.S. talks &lt;!channel&gt;',
      blocks: [
        { type: 'section', text: { type: 'mrkdwn', text: ':newspaper: *1 briefing on Thu, Oct 7, 2021*' } },
        // The email's words as rich text: shown as typed, never read as mrkdwn or a mention.
        {
          type: 'rich_text',
          elements: [
            {
              type: 'rich_text_section',
              elements: [
                {
                  type: 'link',
                  url: 'https://x.slack.com/archives/C1/p1',
                  text: 'Mexico - U.S. talks ‹!channel›',
                  style: { bold: true },
                },
                { type: 'text', text: '\n' },
                { type: 'text', text: 'Latin America Daily Briefing', style: { italic: true } },
                { type: 'text', text: ' · forwarded by Molly & Co' },
              ],
            },
          ],
        },
        {
          type: 'rich_text',
          elements: [
            {
              type: 'rich_text_list',
              style: 'bullet',
              elements: [
                {
                  type: 'rich_text_section',
                  elements: [
                    {
                      type: 'link',
                      url: 'https://x.slack.com/archives/C1/p2',
                      text: 'Security ‹talks›',
                      style: { bold: true },
                    },
                    { type: 'text', text: ' 🇲🇽 🇺🇸 — U.S. officials & Mexico met ‹@U123›.' },
                  ],
                },
                {
                  type: 'rich_text_section',
                  elements: [{ type: 'text', text: 'News Briefs', style: { bold: true } }],
                },
              ],
            },
          ],
        },
        {
          type: 'actions',
          block_id: 'answer_actions',
          elements: [share('{"kind":"briefing","date":"2021-10-07"}')],
        },
      ],
    });
  });

  test('email punctuation stays punctuation: no mrkdwn carries a word of the email', () => {
    const marked: DaySummary = {
      ...day,
      briefings: [
        {
          ...day.briefings[0]!,
          title: '*Bold* _it_ ~gone~ `rm -rf` <https://evil.example|nytimes.com>',
          sections: [
            { ...day.briefings[0]!.sections[0]!, title: '```block```', firstSentence: '> quoted *x*' },
          ],
        },
      ],
    };
    const answer = renderDay(marked);
    const mrkdwn = JSON.stringify(
      answer.blocks.filter((block) => block.type === 'section' || block.type === 'context'),
    );
    for (const word of ['Bold', 'rm -rf', 'block', 'quoted', 'evil']) expect(mrkdwn).not.toContain(word);
    const rich = JSON.stringify(answer.blocks.filter((block) => block.type === 'rich_text'));
    expect(rich).toContain('*Bold* _it_ ~gone~ `rm -rf` ‹https://evil.example|nytimes.com›');
    expect(rich).toContain('```block```');
  });

  test('shared: attribution instead of buttons', () => {
    const answer = renderDay(day, { sharedBy: 'U0EDITOR' });
    expect(answer.blocks.at(-1)).toEqual({
      type: 'context',
      elements: [{ type: 'mrkdwn', text: 'Shared by <@U0EDITOR>' }],
    });
    expect(answer.blocks.some((block) => block.type === 'actions')).toBe(false);
  });

  test('a day of many long briefings stays within 50 blocks and 3000 characters per section', () => {
    const many: DaySummary = {
      date: '2021-10-07',
      briefings: Array.from({ length: 30 }, (_, b) => ({
        ...day.briefings[0]!,
        id: `b${b}`,
        sections: Array.from({ length: 20 }, (_, index) => ({
          index,
          title: `Section ${index}`,
          countries: ['PE'],
          firstSentence: 'x '.repeat(100).trim(),
          permalink: `https://x.slack.com/archives/C1/p${b}${index}`,
        })),
      })),
    };
    const answer = renderDay(many);
    expect(answer.blocks.length).toBeLessThanOrEqual(50);
    for (const block of answer.blocks) {
      if (block.type === 'section') expect(block.text.text.length).toBeLessThanOrEqual(3000);
      if (block.type === 'rich_text') expect(JSON.stringify(block).length).toBeLessThan(12_000);
    }
    expect(answer.blocks.at(-2)).toMatchObject({ type: 'context' });
    expect(answer.text.length).toBeLessThanOrEqual(4000);
  });
});

describe('renderNoBriefing', () => {
  test('offers the nearest earlier and later dates as buttons and as text to type', () => {
    expect(renderNoBriefing('2021-10-09', { before: '2021-10-07', after: '2021-10-12' })).toEqual({
      text: 'No briefing on Sat, Oct 9, 2021. Nearest with one: 2021-10-07, 2021-10-12.',
      blocks: [
        {
          type: 'section',
          text: {
            type: 'mrkdwn',
            text: 'No briefing on *Sat, Oct 9, 2021*. Nearest with one: `/briefing 2021-10-07` or `/briefing 2021-10-12`.',
          },
        },
        {
          type: 'actions',
          block_id: 'nearest_dates',
          elements: [
            {
              type: 'button',
              action_id: 'briefing_goto_before',
              text: { type: 'plain_text', text: '← Thu, Oct 7, 2021', emoji: true },
              value: '{"kind":"briefing","date":"2021-10-07"}',
            },
            {
              type: 'button',
              action_id: 'briefing_goto_after',
              text: { type: 'plain_text', text: 'Tue, Oct 12, 2021 →', emoji: true },
              value: '{"kind":"briefing","date":"2021-10-12"}',
            },
          ],
        },
      ],
    });
  });

  test('an empty archive says so', () => {
    expect(renderNoBriefing('2021-10-09', { before: null, after: null }).text).toBe(
      'No briefing on Sat, Oct 9, 2021. No briefings have been received yet.',
    );
  });
});

describe('renderCountry', () => {
  const page: StoryPage = {
    country: 'PE',
    range: { from: '2021-10-01', to: '2021-10-31' },
    total: 37,
    page: 2,
    pageCount: 4,
    first: 11,
    last: 12,
    mentioned: { total: 0, stories: [] },
    stories: [
      {
        date: '2021-10-07',
        briefingTitle: 'Briefing',
        sectionTitle: 'Peru cabinet reshuffle',
        firstSentence: 'Castillo named Vásquez <b>.',
        otherCountries: ['BO'],
        permalink: 'https://x.slack.com/archives/C1/p3',
      },
      {
        date: '2021-10-06',
        briefingTitle: 'Briefing',
        sectionTitle: 'News Briefs',
        firstSentence: 'Lima votes.',
        otherCountries: [],
        permalink: null,
      },
    ],
  };
  const request = {
    kind: 'country' as const,
    code: 'PE',
    from: '2021-10-01',
    to: '2021-10-31',
    page: 2,
    isDefault: false,
  };

  test('count, "11–12 of 37", stories newest first, More and Share', () => {
    expect(renderCountry({ code: 'PE', name: 'Peru', flag: '🇵🇪' }, page, request)).toEqual({
      text: 'Peru: 37 stories Oct 1 – Oct 31, 2021, 11–12 of 37',
      blocks: [
        { type: 'section', text: { type: 'mrkdwn', text: '🇵🇪 *Peru*: 37 stories Oct 1 – Oct 31, 2021' } },
        { type: 'context', elements: [{ type: 'mrkdwn', text: '11–12 of 37, newest first' }] },
        richText([
          para([
            bold('Thu, Oct 7, 2021'),
            txt(' · '),
            {
              type: 'link',
              url: 'https://x.slack.com/archives/C1/p3',
              text: 'Peru cabinet reshuffle',
              style: { bold: true },
            },
            txt('\nCastillo named Vásquez <b>.\n'),
            txt('Also:', { italic: true }),
            txt(' 🇧🇴'),
          ]),
        ]),
        richText([para([bold('Wed, Oct 6, 2021'), txt(' · '), bold('News Briefs'), txt('\nLima votes.')])]),
        {
          type: 'actions',
          block_id: 'answer_actions',
          elements: [
            {
              type: 'button',
              action_id: 'country_more',
              text: { type: 'plain_text', text: 'More', emoji: true },
              value: encodeRequest({ ...request, page: 3 }),
              style: 'primary',
            },
            share(encodeRequest(request)),
          ],
        },
      ],
    });
  });

  test('the first page lists the stories that only mention the country apart, escaped, with how many more', () => {
    const mentioned = {
      total: 7,
      stories: [
        {
          ...page.stories[0]!,
          sectionTitle: 'Puerto Rico <b>',
          permalink: 'https://x.slack.com/archives/C1/p9',
        },
        { ...page.stories[1]!, sectionTitle: 'Briefs & more' },
      ],
    };
    const first = renderCountry(
      { code: 'PE', name: 'Peru', flag: '🇵🇪' },
      { ...page, page: 1, mentioned },
      request,
    );
    // The bot's heading in mrkdwn; the titles, the email's words, in rich text shown as typed.
    const at = first.blocks.findIndex((block) => JSON.stringify(block).includes('Also mentioned'));
    expect(first.blocks.slice(at, at + 3)).toEqual([
      { type: 'section', text: { type: 'mrkdwn', text: '*Also mentioned in* 7 stories:' } },
      richText([
        bulletList([
          [
            bold('Thu, Oct 7, 2021'),
            txt(' · '),
            { type: 'link', url: 'https://x.slack.com/archives/C1/p9', text: 'Puerto Rico ‹b›' },
          ],
          [bold('Wed, Oct 6, 2021'), txt(' · Briefs & more')],
        ]),
      ]),
      { type: 'context', elements: [{ type: 'mrkdwn', text: '…and 5 more' }] },
    ]);
    // Later pages (which carry none) and a country nobody mentions show no such list.
    const later = renderCountry(
      { code: 'PE', name: 'Peru', flag: '🇵🇪' },
      { ...page, mentioned: { total: 7, stories: [] } },
      request,
    );
    expect(JSON.stringify(later.blocks)).not.toContain('Also mentioned');
    expect(
      JSON.stringify(renderCountry({ code: 'PE', name: 'Peru', flag: '🇵🇪' }, page, request).blocks),
    ).not.toContain('Also mentioned');
    // No story about it, some that mention it: both said.
    const none = renderCountry(
      { code: 'PE', name: 'Peru', flag: '🇵🇪' },
      { ...page, total: 0, first: 0, last: 0, stories: [], page: 1, pageCount: 1, mentioned },
      request,
    );
    expect(JSON.stringify(none.blocks)).toContain('No stories about 🇵🇪 *Peru*');
    expect(JSON.stringify(none.blocks)).toContain('*Also mentioned in* 7 stories');
  });

  test('the last page has no More button; a shared page has no buttons', () => {
    const last = renderCountry({ code: 'PE', name: 'Peru', flag: '🇵🇪' }, { ...page, page: 4 }, request);
    expect(JSON.stringify(last.blocks)).not.toContain('country_more');
    const shared = renderCountry({ code: 'PE', name: 'Peru', flag: '🇵🇪' }, page, request, {
      sharedBy: 'U0EDITOR',
    });
    expect(shared.blocks.at(-1)).toEqual({
      type: 'context',
      elements: [{ type: 'mrkdwn', text: 'Shared by <@U0EDITOR>' }],
    });
  });

  test('no stories points at the most recent one', () => {
    const empty = { ...page, total: 0, first: 0, last: 0, stories: [], page: 1, pageCount: 1 };
    expect(
      renderCountry(
        { code: 'PE', name: 'Peru', flag: '🇵🇪' },
        empty,
        { ...request, isDefault: true },
        { newestEver: '2021-09-30' },
      ).blocks,
    ).toEqual([
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: 'No stories about 🇵🇪 *Peru* Oct 1 – Oct 31, 2021 (the 30 days up to the newest briefing). The most recent is from Thu, Sep 30, 2021: try `/country PE all`.',
        },
      },
    ]);
  });
});

describe('packRichLines', () => {
  test('bullets lines into blocks up to the limit, each line whole where it fits', () => {
    const lines = ['aaaa', 'bbbb', 'cccc'].map((text) => [{ type: 'text' as const, text }]);
    const blocks = packRichLines(lines, { as: 'bullets', limit: 10 });
    expect(blocks.map((block) => block.elements.map((list) => list.elements.length))).toEqual([[2], [1]]);
    expect(JSON.stringify(blocks)).toContain('"cccc"');
  });
});

describe('button requests', () => {
  test('round-trip and refuse forged or malformed values', () => {
    const request = {
      kind: 'country' as const,
      code: 'PE',
      from: '2021-10-01',
      to: '2021-10-31',
      page: 2,
      isDefault: true,
    };
    expect(decodeRequest(encodeRequest(request))).toEqual(request);
    expect(decodeRequest('{"kind":"briefing","date":"2021-02-30"}')).toBeNull();
    expect(
      decodeRequest('{"kind":"country","code":"<!here>","from":"2021-10-01","to":"2021-10-31","page":1}'),
    ).toBeNull();
    expect(
      decodeRequest('{"kind":"country","code":"PE","from":"2021-10-01","to":"2021-10-31","page":0}'),
    ).toBeNull();
    expect(decodeRequest('not json')).toBeNull();
    expect(decodeRequest(undefined)).toBeNull();
  });
});
