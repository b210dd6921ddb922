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
            {
              type: 'mrkdwn',
              text: '*Thu, Oct 7, 2021*  ·  Latin America Daily Briefing  ·  forwarded by Molly Molloy',
            },
          ],
        },
        {
          type: 'section',
          text: {
            type: 'mrkdwn',
            text: '1. *Peru cabinet reshuffle* — 2 paragraphs 🇵🇪\n2. *News Briefs · Regional Relations* — 2 items 🇨🇴 🇻🇪',
          },
        },
      ],
    });
  });

  it('escapes what the email says about itself', () => {
    const hostile = renderCard({
      ...card,
      forwardedByName: '<!channel> & co',
      briefing: { ...briefing, title: 'Hi <@U123>', publication: '<#C1|x>', note: '<!here> read this' },
    });
    const all = JSON.stringify(hostile);
    expect(all).not.toMatch(/<[@#!]/);
    expect(hostile.blocks[1]).toEqual({
      type: 'context',
      elements: [
        {
          type: 'mrkdwn',
          text: '*Thu, Oct 7, 2021*  ·  &lt;#C1|x&gt;  ·  forwarded by &lt;!channel&gt; &amp; co',
        },
      ],
    });
    expect(hostile.blocks[2]).toEqual({
      type: 'section',
      text: { type: 'mrkdwn', text: '>&lt;!here&gt; read this' },
    });
  });

  it('keeps the meta line within a context element however long the names (Slack refused the card)', () => {
    const junk = `${'Molly '.repeat(900)}<!channel>`;
    const long = renderCard({
      ...card,
      forwardedByName: junk,
      briefing: { ...briefing, publication: `${'Daily '.repeat(900)}\n& more` },
    });
    const meta = (long.blocks[1] as { elements: Array<{ text: string }> }).elements[0]!.text;
    expect(meta.length).toBeLessThanOrEqual(3000);
    expect(checkBlocks(long.blocks)).toMatchObject({ ok: true });
    expect(meta).toMatch(
      /^\*Thu, Oct 7, 2021\* {2}· {2}Daily Daily .*Daily… {2}· {2}forwarded by Molly Molly .*Molly…$/,
    );
    expect(meta).not.toContain('\n');
  });
});

describe('headers', () => {
  it('are plain_text shown literally: & stays, angle brackets cannot form markup', () => {
    const message = renderCard({ ...card, briefing: { ...briefing, title: 'Tom & Jerry <!here>' } });
    expect(message.blocks[0]).toEqual({
      type: 'header',
      text: { type: 'plain_text', text: 'Tom & Jerry ‹!here›', emoji: true },
    });
    expect(message.text).toBe('Tom &amp; Jerry &lt;!here&gt; — Thu, Oct 7, 2021: 2 sections');
    const [post] = renderSectionPosts({ ...peru, title: 'Peru & <@U1>' });
    expect(post?.blocks[0]).toEqual({
      type: 'header',
      text: { type: 'plain_text', text: 'Peru & ‹@U1›', emoji: true },
    });
    expect(post?.text.startsWith('Peru &amp; &lt;@U1&gt;\n')).toBe(true);
  });
});

describe('renderSectionPosts', () => {
  it('renders prose as paragraphs with inline links and a context line of flags, sources and other links', () => {
    expect(renderSectionPosts(peru)).toEqual([
      {
        text: 'Peru cabinet reshuffle\nCastillo named Mirtha Vásquez prime minister. (Reuters, Al Jazeera)\n\nSee this Americas Quarterly <https://americasquarterly.org/cerron|profile of Cerrón>.',
        blocks: [
          { type: 'header', text: { type: 'plain_text', text: 'Peru cabinet reshuffle', emoji: true } },
          {
            type: 'section',
            text: {
              type: 'mrkdwn',
              text: 'Castillo named Mirtha Vásquez prime minister. (Reuters, Al Jazeera)\n\nSee this Americas Quarterly <https://americasquarterly.org/cerron|profile of Cerrón>.',
            },
          },
          {
            type: 'context',
            elements: [
              {
                type: 'mrkdwn',
                text: '🇵🇪  ·  Sources: Reuters, Al Jazeera, Americas Quarterly  ·  <https://larepublica.pe/editorial?id=1&amp;x=2|La República editorial>',
              },
            ],
          },
        ],
      },
    ]);
  });

  it('renders list sections as escaped bullets under a grouped header', () => {
    const [post] = renderSectionPosts(briefs);
    expect(post?.blocks).toEqual([
      { type: 'header', text: { type: 'plain_text', text: 'News Briefs · Regional Relations', emoji: true } },
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: '• Colombia deployed 14,000 troops, reports Reuters.\n• Venezuela &amp; the IMF &lt;dispute&gt;.',
        },
      },
      { type: 'context', elements: [{ type: 'mrkdwn', text: '🇨🇴 🇻🇪  ·  Sources: Reuters' }] },
    ]);
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
      const [head, ...rest] = post.blocks;
      expect(head?.type).toBe('header');
      if (head?.type === 'header') {
        expect(head.text.text.length).toBeLessThanOrEqual(MAX_HEADER_TEXT);
        expect(head.text.text.endsWith(`(${i + 1}/${posts.length})`)).toBe(true);
      }
      for (const block of rest) {
        if (block.type !== 'section') continue;
        expect(block.text.text.length).toBeLessThanOrEqual(MAX_SECTION_TEXT);
        words.push(...block.text.text.split(/\s+/));
      }
      expect(post.text.length).toBeLessThanOrEqual(4000);
    });
    const expected = items.flatMap((it) =>
      `• ${it.text.replace(/<https:\/\/example\.org\|a link>/g, '&lt;https://example.org|a link&gt;')}`
        .trim()
        .split(/\s+/),
    );
    expect(words).toEqual(expected);
  });

  it('splits one enormous paragraph at sentence boundaries', () => {
    const text = Array.from({ length: 120 }, (_, i) => `Sentence number ${i} is about Mexico and Peru.`).join(
      ' ',
    );
    const [post] = renderSectionPosts({ ...peru, items: [item(text)] });
    const bodies = post!.blocks.filter((b) => b.type === 'section');
    expect(bodies.length).toBeGreaterThan(1);
    for (const body of bodies) {
      if (body.type === 'section') expect(body.text.text).toMatch(/^Sentence number \d+ .*Peru\.$/s);
    }
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
