import { describe, expect, it } from 'vitest';
import type { Briefing, Item, Section } from '../../../src/briefing/types.js';
import { checkBlocks } from '../../../src/local/block-limits.js';
import { MAX_BLOCKS, MAX_HEADER_TEXT, MAX_SECTION_TEXT } from '../../../src/slack/render/blocks.js';
import {
  formatBriefingDate,
  planPosts,
  renderCard,
  renderSectionPosts,
} from '../../../src/slack/render/index.js';
import { blockTexts } from '../../support/bot.js';

const item = (text: string, extra: Partial<Item> = {}): Item => ({
  text,
  countries: [],
  sources: [],
  links: [],
  ...extra,
});

const peru: Section = {
  title: 'Peru cabinet reshuffle',
  kind: 'section',
  group: null,
  countries: ['PE'],
  items: [
    item('Castillo named Mirtha Vásquez prime minister. (Reuters, Al Jazeera)', {
      countries: ['PE'],
      sources: ['Reuters', 'Al Jazeera'],
    }),
    item('See this Americas Quarterly profile of Cerrón.', {
      countries: ['PE'],
      sources: ['Americas Quarterly'],
      links: [
        { url: 'https://americasquarterly.org/cerron', text: 'profile of Cerrón' },
        { url: 'https://larepublica.pe/editorial?id=1&x=2', text: 'La República editorial' },
      ],
    }),
  ],
};

const briefs: Section = {
  title: 'Regional Relations',
  kind: 'list',
  group: 'News Briefs',
  countries: ['CO', 'VE'],
  items: [
    item('Colombia deployed 14,000 troops, reports Reuters.', { countries: ['CO'], sources: ['Reuters'] }),
    item('Venezuela & the IMF <dispute>.', { countries: ['VE'], sources: ['Reuters'] }),
  ],
};

const briefing: Briefing = {
  subject: 'Mexico - U.S. high-level security talks (Oct. 7, 2021)',
  title: 'Mexico - U.S. high-level security talks',
  publication: 'Latin America Daily Briefing',
  date: '2021-10-07',
  from: null,
  note: null,
  sections: [peru, briefs],
};

const card = {
  briefing,
  date: '2021-10-07',
  forwardedBy: 'molly@example.org',
  forwardedByName: 'Molly Molloy',
};

describe('formatBriefingDate', () => {
  it('writes dates the way the desk reads them', () => {
    expect(formatBriefingDate('2021-10-07')).toBe('Thu, Oct 7, 2021');
    expect(formatBriefingDate('2024-02-29')).toBe('Thu, Feb 29, 2024');
    expect(formatBriefingDate('not a date')).toBe('not a date');
    // A day that does not exist is shown as written, not rolled over into the next month.
    expect(formatBriefingDate('2021-02-30')).toBe('2021-02-30');
  });
});

/** The words a block shows, rich text read back in mrkdwn notation. */
function shown(blocks: unknown[]): string[] {
  return blockTexts(blocks).map((t) => t.text);
}

describe('renderCard', () => {
  it('shows title, date, publication, forwarder and a section index with counts and flags', () => {
    expect(renderCard(card)).toEqual({
      text: 'Mexico - U.S. high-level security talks — Thu, Oct 7, 2021: 2 sections',
      blocks: [
        {
          type: 'header',
          text: { type: 'plain_text', text: 'Mexico - U.S. high-level security talks', emoji: true },
        },
        {
          type: 'context',
          elements: [
            { type: 'mrkdwn', text: '*Thu, Oct 7, 2021*' },
            { type: 'plain_text', text: 'Latin America Daily Briefing', emoji: true },
            { type: 'plain_text', text: 'forwarded by Molly Molloy', emoji: true },
          ],
        },
        {
          type: 'rich_text',
          elements: [
            {
              type: 'rich_text_section',
              elements: [
                { type: 'text', text: '1. ' },
                { type: 'text', text: 'Peru cabinet reshuffle', style: { bold: true } },
                { type: 'text', text: ' — 2 paragraphs 🇵🇪' },
              ],
            },
            {
              type: 'rich_text_section',
              elements: [
                { type: 'text', text: '2. ' },
                { type: 'text', text: 'News Briefs · Regional Relations', style: { bold: true } },
                { type: 'text', text: ' — 2 items 🇨🇴 🇻🇪' },
              ],
            },
          ],
        },
      ],
    });
  });

  it('shows what the email says about itself literally, and nothing in it forms markup', () => {
    const hostile = renderCard({
      ...card,
      forwardedByName: '<!channel> & co *bold*',
      briefing: {
        ...briefing,
        title: 'Hi <@U123>',
        publication: '<#C1|x> _it_',
        note: '<!here> read `this`',
      },
    });
    const all = JSON.stringify(hostile);
    expect(all).not.toMatch(/<[@#!]/);
    expect(hostile.blocks[1]).toEqual({
      type: 'context',
      elements: [
        { type: 'mrkdwn', text: '*Thu, Oct 7, 2021*' },
        { type: 'plain_text', text: '‹#C1|x› _it_', emoji: true },
        { type: 'plain_text', text: 'forwarded by ‹!channel› & co *bold*', emoji: true },
      ],
    });
    expect(hostile.blocks[2]).toEqual({
      type: 'rich_text',
      elements: [{ type: 'rich_text_quote', elements: [{ type: 'text', text: '‹!here› read `this`' }] }],
    });
  });

  it('keeps the meta line within a context element however long the names (Slack refused the card)', () => {
    const junk = `${'Molly '.repeat(900)}<!channel>`;
    const long = renderCard({
      ...card,
      forwardedByName: junk,
      briefing: { ...briefing, publication: `${'Daily '.repeat(900)}\n& more` },
    });
    const meta = (long.blocks[1] as { elements: Array<{ text: string }> }).elements.map((e) => e.text);
    for (const part of meta) expect(part.length).toBeLessThanOrEqual(3000);
    expect(checkBlocks(long.blocks)).toMatchObject({ ok: true });
    expect(meta[1]).toMatch(/^Daily Daily .*Daily…$/);
    expect(meta[2]).toMatch(/^forwarded by Molly Molly .*Molly…$/);
    expect(meta.join('')).not.toContain('\n');
  });
});

describe('headers', () => {
  it('are plain_text shown literally: & stays, angle brackets cannot form markup', () => {
    const message = renderCard({ ...card, briefing: { ...briefing, title: 'Tom & Jerry <!here>' } });
    expect(message.blocks[0]).toEqual({
      type: 'header',
      text: { type: 'plain_text', text: 'Tom & Jerry ‹!here›', emoji: true },
    });
    expect(message.text).toBe('Tom &amp; Jerry ‹!here› — Thu, Oct 7, 2021: 2 sections');
    const [post] = renderSectionPosts({ ...peru, title: 'Peru & <@U1>' });
    expect(post?.blocks[0]).toEqual({
      type: 'header',
      text: { type: 'plain_text', text: 'Peru & ‹@U1›', emoji: true },
    });
    expect(post?.text.startsWith('Peru &amp; ‹@U1›\n')).toBe(true);
  });
});

describe('renderSectionPosts', () => {
  it('renders prose as paragraphs with inline links and a context line of flags, sources and other links', () => {
    expect(renderSectionPosts(peru)).toEqual([
      {
        text: 'Peru cabinet reshuffle\nCastillo named Mirtha Vásquez prime minister. (Reuters, Al Jazeera)\n\nSee this Americas Quarterly profile of Cerrón.',
        blocks: [
          { type: 'header', text: { type: 'plain_text', text: 'Peru cabinet reshuffle', emoji: true } },
          {
            type: 'rich_text',
            elements: [
              {
                type: 'rich_text_section',
                elements: [
                  {
                    type: 'text',
                    text: 'Castillo named Mirtha Vásquez prime minister. (Reuters, Al Jazeera)\n',
                  },
                ],
              },
              {
                type: 'rich_text_section',
                elements: [
                  { type: 'text', text: 'See this Americas Quarterly ' },
                  { type: 'link', url: 'https://americasquarterly.org/cerron', text: 'profile of Cerrón' },
                  { type: 'text', text: '.' },
                ],
              },
            ],
          },
          {
            type: 'context',
            elements: [
              {
                type: 'plain_text',
                text: '🇵🇪  ·  Sources: Reuters, Al Jazeera, Americas Quarterly',
                emoji: true,
              },
            ],
          },
          {
            type: 'rich_text',
            elements: [
              {
                type: 'rich_text_section',
                elements: [
                  {
                    type: 'link',
                    url: 'https://larepublica.pe/editorial?id=1&x=2',
                    text: 'La República editorial',
                  },
                ],
              },
            ],
          },
        ],
      },
    ]);
  });

  it('renders list sections as bullets shown as typed, under a grouped header', () => {
    const [post] = renderSectionPosts(briefs);
    expect(post?.blocks).toEqual([
      { type: 'header', text: { type: 'plain_text', text: 'News Briefs · Regional Relations', emoji: true } },
      {
        type: 'rich_text',
        elements: [
          {
            type: 'rich_text_list',
            style: 'bullet',
            elements: [
              {
                type: 'rich_text_section',
                elements: [{ type: 'text', text: 'Colombia deployed 14,000 troops, reports Reuters.' }],
              },
              {
                type: 'rich_text_section',
                elements: [{ type: 'text', text: 'Venezuela & the IMF ‹dispute›.' }],
              },
            ],
          },
        ],
      },
      {
        type: 'context',
        elements: [{ type: 'plain_text', text: '🇨🇴 🇻🇪  ·  Sources: Reuters', emoji: true }],
      },
    ]);
  });

  it('shows email punctuation as typed: no mrkdwn formatting anywhere in a post', () => {
    const typed = '*bold* _it_ ~strike~ `code` ```rm -rf``` > quote';
    const [post] = renderSectionPosts({ ...peru, title: `News Briefs <!here> *bold*`, items: [item(typed)] });
    expect(post?.blocks[0]).toEqual({
      type: 'header',
      text: { type: 'plain_text', text: 'News Briefs ‹!here› *bold*', emoji: true },
    });
    expect(post?.blocks[1]).toEqual({
      type: 'rich_text',
      elements: [{ type: 'rich_text_section', elements: [{ type: 'text', text: typed.replace('>', '›') }] }],
    });
    // No text object of type mrkdwn carries the email's words.
    for (const t of blockTexts(post?.blocks ?? []))
      if (t.type === 'mrkdwn' && !(post?.blocks ?? []).some((b) => b.type === 'rich_text'))
        expect(t.text).not.toContain('*bold*');
    expect(JSON.stringify(post?.blocks)).not.toContain('"mrkdwn"');
  });

  it('splits a huge section into consecutive posts within every Slack limit, losing no word', () => {
    const sentence = 'The quick brown fox jumps over the lazy dog near <https://example.org|a link>. ';
    const items = Array.from({ length: 400 }, (_, i) => item(`${i}: ${sentence.repeat(6)}`));
    const huge: Section = { ...briefs, title: 'T'.repeat(200), kind: 'list', items };
    const posts = renderSectionPosts(huge);
    expect(posts.length).toBeGreaterThan(1);
    const words: string[] = [];
    posts.forEach((post, i) => {
      expect(post.blocks.length).toBeLessThanOrEqual(MAX_BLOCKS);
      expect(checkBlocks(post.blocks)).toMatchObject({ ok: true });
      const [head, ...rest] = post.blocks;
      expect(head?.type).toBe('header');
      if (head?.type === 'header') {
        expect(head.text.text.length).toBeLessThanOrEqual(MAX_HEADER_TEXT);
        expect(head.text.text.endsWith(`(${i + 1}/${posts.length})`)).toBe(true);
      }
      for (const block of rest) {
        if (block.type !== 'rich_text') continue;
        const text = shown([block]).join('\n');
        expect(text.length).toBeLessThanOrEqual(MAX_SECTION_TEXT + 200);
        words.push(...text.split(/\s+/));
      }
      expect(post.text.length).toBeLessThanOrEqual(4000);
    });
    const expected = items.flatMap((it) =>
      `• ${it.text.replace(/<https:\/\/example\.org\|a link>/g, '‹https://example.org|a link›')}`
        .trim()
        .split(/\s+/),
    );
    expect(words.filter((w) => w !== '•')).toEqual(expected.filter((w) => w !== '•'));
  });

  it('splits one enormous paragraph at sentence boundaries', () => {
    const text = Array.from({ length: 120 }, (_, i) => `Sentence number ${i} is about Mexico and Peru.`).join(
      ' ',
    );
    const [post] = renderSectionPosts({ ...peru, items: [item(text)] });
    const bodies = post!.blocks.filter((b) => b.type === 'rich_text');
    expect(bodies.length).toBeGreaterThan(1);
    for (const body of bodies)
      expect(shown([body]).join('\n').trim()).toMatch(/^Sentence number \d+ .*Peru\.$/s);
  });
});

describe('planPosts', () => {
  it('plans the card then one post per section with stable keys', () => {
    const plan = planPosts(card);
    expect(plan.map((p) => [p.key, p.sectionIndex, p.part])).toEqual([
      ['card', null, 0],
      ['s0', 0, 0],
      ['s1', 1, 0],
    ]);
    expect(planPosts(card)).toEqual(plan);
  });
});
