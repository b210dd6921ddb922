import { describe, expect, it } from 'vitest';
import type { DigestModel } from '../../src/digest/model.js';
import { digestAsText, renderDigest } from '../../src/digest/render.js';
import { bold, bulletList, inlineLength, para, richText, txt } from '../../src/slack/render/rich.js';
import { blockTexts, readerText } from '../support/bot.js';

function model(overrides: Partial<DigestModel> = {}): DigestModel {
  return {
    date: '2021-10-07',
    today: '2021-10-07',
    timeZone: 'America/New_York',
    window: { from: '2021-10-06T21:00:00.000Z', to: '2021-10-07T21:00:00.000Z' },
    briefings: [
      {
        title: 'Mexico - U.S. high-level security talks',
        publication: 'Latin America Daily Briefing',
        link: 'https://news.slack.com/archives/C1/p1633627213000100',
        datedOn: null,
        receivedAt: '2021-10-07T17:20:13.000Z',
        sections: [
          {
            number: 1,
            title: 'Mexico - U.S. high-level security talks',
            summary:
              'U.S. Secretary of State Antony Blinken is leading a delegation to Mexico for high-level security talks.',
            link: 'https://news.slack.com/archives/C1/p1633627214000200?thread_ts=1633627213.000100',
          },
          {
            number: 2,
            title: 'Peru cabinet reshuffle',
            summary:
              'Peruvian President Pedro Castillo named Mirtha Vásquez prime minister yesterday evening.',
            link: null,
          },
        ],
      },
    ],
    countries: [
      { code: 'MX', name: 'Mexico', flag: '🇲🇽', stories: 3, newThisWeek: false },
      { code: 'PE', name: 'Peru', flag: '🇵🇪', stories: 1, newThisWeek: true },
    ],
    threads: [
      {
        briefingTitle: 'Mexico - U.S. high-level security talks',
        sectionTitle: null,
        datedOn: null,
        replies: 4,
        participants: 3,
        link: 'https://news.slack.com/archives/C1/p1633627213000100',
      },
    ],
    lastReceivedAt: '2021-10-07T17:20:13.000Z',
    archiveEmpty: false,
    ...overrides,
  };
}

function allText(blocks: unknown): string {
  return JSON.stringify(blocks);
}

describe('renderDigest', () => {
  it('lists each briefing with its sections linked to their posts, then countries, threads and the last receipt', () => {
    const { text, blocks } = renderDigest(model());
    expect(blocks[0]).toEqual({
      type: 'header',
      text: { type: 'plain_text', text: 'Daily digest · Thu, Oct 7, 2021', emoji: true },
    });
    // The emails' words in rich text, shown as typed; the bot's headings and counts in mrkdwn.
    expect(blocks[1]).toEqual(
      richText([
        para([
          {
            type: 'link',
            url: 'https://news.slack.com/archives/C1/p1633627213000100',
            text: 'Mexico - U.S. high-level security talks',
            style: { bold: true },
          },
          txt(' — Latin America Daily Briefing'),
        ]),
        para([
          txt('1. '),
          {
            type: 'link',
            url: 'https://news.slack.com/archives/C1/p1633627214000200?thread_ts=1633627213.000100',
            text: 'Mexico - U.S. high-level security talks',
          },
          txt(
            ' — U.S. Secretary of State Antony Blinken is leading a delegation to Mexico for high-level security talks.',
          ),
        ]),
        para([
          txt(
            '2. Peru cabinet reshuffle — Peruvian President Pedro Castillo named Mirtha Vásquez prime minister yesterday evening.',
          ),
        ]),
      ]),
    );
    expect(blocks[2]).toEqual({ type: 'divider' });
    expect(blocks[3]).toEqual({
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: [
          '*Countries today*',
          '🇲🇽 Mexico 3  ·  🇵🇪 Peru 1',
          '*Not covered in the previous 7 days:* 🇵🇪 Peru',
        ].join('\n'),
      },
    });
    expect(blocks[4]).toEqual({ type: 'section', text: { type: 'mrkdwn', text: '*Most discussed*' } });
    expect(blocks[5]).toEqual(
      richText([
        bulletList([
          [
            {
              type: 'link',
              url: 'https://news.slack.com/archives/C1/p1633627213000100',
              text: 'Mexico - U.S. high-level security talks',
            },
            txt(': 4 replies from 3 people'),
          ],
        ]),
      ]),
    );
    // 17:20:13 UTC is 1:20 PM in New York (EDT) on that day.
    expect(blocks[6]).toEqual({
      type: 'context',
      elements: [
        {
          type: 'mrkdwn',
          text: 'Last briefing received <!date^1633627213^{date_short_pretty} at {time}|Oct 7, 2021 at 1:20 PM EDT>.',
        },
      ],
    });
    expect(blocks).toHaveLength(7);
    expect(text).toBe(
      'Daily digest · Thu, Oct 7, 2021: 1 briefing, 2 sections, 2 countries. Mexico - U.S. high-level security talks',
    );
  });

  it('shows email text as typed, in rich text, so no title can ping, link or format', () => {
    const hostile = model({
      briefings: [
        {
          title: '<!channel> & <@U123> <https://evil.example|click>',
          publication: 'A <b>bold</b> letter',
          link: null,
          datedOn: null,
          receivedAt: '2021-10-07T17:20:13.000Z',
          sections: [{ number: 1, title: '<!here>', summary: 'Tom & Jerry <script>', link: null }],
        },
      ],
      threads: [],
    });
    const { text, blocks } = renderDigest(hostile);
    const json = allText(blocks);
    expect(json).not.toContain('<!channel>');
    expect(json).not.toContain('<!here>');
    expect(json).not.toContain('<@U123>');
    expect(json).not.toContain('<https://evil.example');
    expect(readerText(blocks)).toContain(
      '*‹!channel› & ‹@U123› ‹https://evil.example|click›* — A ‹b›bold‹/b› letter',
    );
    expect(readerText(blocks)).toContain('1. ‹!here› — Tom & Jerry ‹script›');
    // No email word reaches a mrkdwn text, where Slack would read `*`, `_` or `<…>`.
    for (const t of blockTexts(blocks))
      if (!blocks.some((b) => b.type === 'rich_text')) expect(t.text).not.toContain('Jerry');
    expect(text).not.toContain('<!channel>');
  });

  it('stays within 50 blocks and 3000 characters per section, saying how many briefings it left out', () => {
    const many = model({
      briefings: Array.from({ length: 80 }, (_, i) => ({
        title: `Briefing ${i + 1}`,
        publication: null,
        link: null,
        datedOn: null,
        receivedAt: '2021-10-07T17:20:13.000Z',
        sections: Array.from({ length: 30 }, (_, j) => ({
          number: j + 1,
          title: `Section ${j + 1}`,
          summary: 'A sentence long enough to fill the space quickly. '.repeat(3),
          link: `https://news.slack.com/archives/C1/p${i}${j}`,
        })),
      })),
    });
    const { blocks } = renderDigest(many);
    expect(blocks.length).toBeLessThanOrEqual(50);
    for (const block of blocks) {
      if (block.type === 'section') expect(block.text.text.length).toBeLessThanOrEqual(3000);
      if (block.type === 'rich_text') {
        const visible = block.elements.reduce(
          (n, element) =>
            n +
            (element.type === 'rich_text_list'
              ? element.elements.reduce((m, item) => m + inlineLength(item.elements), 0)
              : inlineLength(element.elements)),
          0,
        );
        expect(visible).toBeLessThanOrEqual(3000);
      }
    }
    const note = blocks.find(
      (block) => block.type === 'context' && block.elements[0]?.text.includes('more briefings'),
    );
    expect(note).toBeDefined();
    expect(allText(note)).toMatch(/…and \d+ more briefings: `\/briefing 2021-10-07`/);
    // The day's overview is never the part that gets cut.
    expect(allText(blocks)).toContain('Countries today');
    expect(allText(blocks.at(-1))).toContain('Last briefing received');
  });

  it('says in one line that nothing came in, and when the last briefing did', () => {
    const { text, blocks } = renderDigest(
      model({ briefings: [], countries: [], threads: [], lastReceivedAt: '2021-10-06T17:20:13.000Z' }),
    );
    expect(text).toBe(
      'No briefings received today (Thu, Oct 7, 2021). Last briefing received <!date^1633540813^{date_short_pretty} at {time}|Oct 6, 2021 at 1:20 PM EDT>.',
    );
    expect(blocks).toEqual([{ type: 'section', text: { type: 'mrkdwn', text } }]);
  });

  // Bug: a briefing dated another day but received today gave "No briefings received today (Thu, Oct 7).
  // Last briefing received Oct 7 at 1:20 PM", which contradicts itself. (One dated an earlier day is now
  // in the day's digest; one dated a later day still leaves it empty.)
  it('does not claim nothing came in when the last briefing was received that day', () => {
    const empty = model({ briefings: [], countries: [], threads: [] });
    const { text } = renderDigest(empty);
    expect(text).toBe(
      'No briefing dated today (Thu, Oct 7, 2021) came in; the last one received is dated another day. Last briefing received <!date^1633627213^{date_short_pretty} at {time}|Oct 7, 2021 at 1:20 PM EDT>.',
    );
    expect(digestAsText(empty)).toBe(
      'No briefing dated today (Thu, Oct 7, 2021) came in; the last one received is dated another day. Last briefing received Oct 7, 2021 at 1:20 PM EDT.\n',
    );
    // Received at 23:30 in New York: already the 8th in UTC, still the 7th for the newsroom.
    expect(renderDigest({ ...empty, lastReceivedAt: '2021-10-08T03:30:00.000Z' }).text).toMatch(
      /^No briefing dated today/,
    );
  });

  it('says so when no briefing was ever received', () => {
    const { text } = renderDigest(
      model({ briefings: [], countries: [], threads: [], lastReceivedAt: null, archiveEmpty: true }),
    );
    expect(text).toBe('No briefings received today (Thu, Oct 7, 2021). No briefing has been received yet.');
  });

  it('marks a briefing dated an earlier day with when it was received, and an older briefing’s thread', () => {
    const late = model({
      briefings: [
        {
          title: 'Venezuela talks',
          publication: null,
          link: null,
          datedOn: '2021-10-06',
          // 19:04 EDT on the 6th: after Wednesday's digest, so in Thursday's window.
          receivedAt: '2021-10-06T23:04:00.000Z',
          sections: [{ number: 1, title: 'Talks', summary: 'Talks resumed.', link: null }],
        },
      ],
      threads: [
        {
          briefingTitle: 'Mexico arms',
          sectionTitle: null,
          datedOn: '2021-10-03',
          replies: 2,
          participants: 1,
          link: null,
        },
      ],
      countries: [],
    });
    const { blocks } = renderDigest(late);
    expect(blocks[1]).toEqual(
      richText([para([bold('Venezuela talks')]), para([txt('1. Talks — Talks resumed.')])]),
    );
    expect(blocks[2]).toEqual({
      type: 'context',
      elements: [
        {
          type: 'mrkdwn',
          text: '_(dated Wed, Oct 6, 2021, received <!date^1633561440^{date_short_pretty} at {time}|Oct 6, 2021 at 7:04 PM EDT>)_',
        },
      ],
    });
    expect(readerText(blocks)).toContain('• Mexico arms (Oct 3, 2021): 2 replies from 1 person');
    const text = digestAsText(late);
    expect(text).toContain(
      '\nVenezuela talks (dated Wed, Oct 6, 2021, received Oct 6, 2021 at 7:04 PM EDT)\n  1. Talks — Talks resumed.\n',
    );
    expect(text).toContain('\n  • Mexico arms (Oct 3, 2021): 2 replies from 1 person\n');
  });

  it('leaves out the overview parts that have nothing to say', () => {
    const { blocks } = renderDigest(model({ countries: [], threads: [] }));
    expect(allText(blocks)).not.toContain('Countries today');
    expect(allText(blocks)).not.toContain('Most discussed');
  });
});

describe('digestAsText', () => {
  it('reads as plain text with the links in parentheses', () => {
    expect(digestAsText(model())).toBe(
      [
        'Daily digest · Thu, Oct 7, 2021',
        '',
        'Mexico - U.S. high-level security talks — Latin America Daily Briefing (https://news.slack.com/archives/C1/p1633627213000100)',
        '  1. Mexico - U.S. high-level security talks (https://news.slack.com/archives/C1/p1633627214000200?thread_ts=1633627213.000100) — U.S. Secretary of State Antony Blinken is leading a delegation to Mexico for high-level security talks.',
        '  2. Peru cabinet reshuffle — Peruvian President Pedro Castillo named Mirtha Vásquez prime minister yesterday evening.',
        '',
        'Countries today: 🇲🇽 Mexico 3, 🇵🇪 Peru 1',
        'Not covered in the previous 7 days: 🇵🇪 Peru',
        'Most discussed:',
        '  • Mexico - U.S. high-level security talks (https://news.slack.com/archives/C1/p1633627213000100): 4 replies from 3 people',
        'Last briefing received Oct 7, 2021 at 1:20 PM EDT.',
        '',
      ].join('\n'),
    );
  });
});

// Issue 15: `digest yesterday` printed "No briefings received today (Tue, Dec 1, 2026)", and past days'
// digests said "Countries today".
describe('a digest of a past day', () => {
  it('names its day instead of "today", in Block Kit and as text', () => {
    const past = model({ today: '2026-12-02' });
    expect(allText(renderDigest(past).blocks)).toContain('*Countries on Oct 7, 2021*');
    expect(allText(renderDigest(past).blocks)).not.toContain('today');
    expect(digestAsText(past)).toContain('Countries on Oct 7, 2021: 🇲🇽 Mexico 3, 🇵🇪 Peru 1');
    expect(digestAsText(past)).not.toContain('today');
  });

  it('says an empty day had no briefings on that day, and reports no receipt from after it', () => {
    const yesterday = model({
      date: '2026-12-01',
      today: '2026-12-02',
      briefings: [],
      countries: [],
      threads: [],
      lastReceivedAt: null,
    });
    expect(renderDigest(yesterday).text).toBe('No briefings received on Tue, Dec 1, 2026.');
    expect(digestAsText(yesterday)).toBe('No briefings received on Tue, Dec 1, 2026.\n');
    const mailedThatDay = { ...yesterday, lastReceivedAt: '2026-12-01T15:00:00.000Z' };
    expect(digestAsText(mailedThatDay)).toBe(
      'No briefing dated Tue, Dec 1, 2026 came in; the last one received that day is dated another day. Last briefing received Dec 1, 2026 at 10:00 AM EST.\n',
    );
  });
});
