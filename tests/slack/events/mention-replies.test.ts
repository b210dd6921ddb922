import { describe, expect, it } from 'vitest';
import type { StoryPage } from '../../../src/query/country-stories.js';
import {
  helpReply,
  moreReply,
  outsideHelp,
  pickSectionReply,
  relatedReply,
  sourcesReply,
  unknownSectionReply,
} from '../../../src/slack/events/mention-replies.js';
import { blockTexts } from '../../support/bot.js';
import { seedBriefing } from './seed-briefing.js';

function textOf(messages: { blocks: Array<{ type: string }> }[]): string {
  return messages
    .flatMap((message) => blockTexts(message.blocks))
    .map((t) => t.text)
    .join('\n');
}

describe('sourcesReply', () => {
  it('lists one section’s sources and each link once', () => {
    const briefing = seedBriefing();
    expect(sourcesReply(briefing, 1)).toEqual([
      {
        text: 'Sources and links of section 2',
        blocks: [
          {
            type: 'rich_text',
            elements: [
              {
                type: 'rich_text_section',
                elements: [{ type: 'text', text: '2. Peru cabinet reshuffle', style: { bold: true } }],
              },
              {
                type: 'rich_text_section',
                elements: [{ type: 'text', text: 'Sources: Reuters, Al Jazeera, La República' }],
              },
              {
                type: 'rich_text_section',
                elements: [
                  { type: 'text', text: '• ' },
                  {
                    type: 'link',
                    url: 'https://www.reuters.com/world/americas/peru-castillo-cabinet-2021-10-06/',
                    text: 'Reuters',
                  },
                ],
              },
            ],
          },
        ],
      },
    ]);
  });

  it('groups the whole briefing’s sources by section, in order', () => {
    const text = textOf(sourcesReply(seedBriefing(), null));
    const order = ['*1. Mexico', '*2. Peru', '*3. News Briefs*', '*4. News Briefs · Regional Relations*'].map(
      (head) => text.indexOf(head),
    );
    expect(order.every((index) => index >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(text).toContain('Sources: CNN, El País');
    expect(text).toContain('<https://elpais.com/mexico/2021-10-07/seguridad.html|reports El País>');
  });

  it('escapes hostile sources and link text, and refuses non-http links', () => {
    const briefing = seedBriefing();
    briefing.sections[1]!.items[0]!.sources = ['<!channel> & Co'];
    briefing.sections[1]!.items[0]!.links = [
      { url: 'javascript:alert(1)', text: 'click <@U1>' },
      { url: 'https://example.org/a|b>c', text: 'pipe' },
    ];
    const text = textOf(sourcesReply(briefing, 1));
    // Rich text shows it as typed; the angle brackets are look-alikes, so nothing reads as a mention.
    expect(text).toContain('Sources: ‹!channel› & Co');
    expect(text).not.toContain('<!channel>');
    expect(text).not.toContain('<@U1>');
    expect(text).not.toContain('javascript:');
    expect(text).toContain('<https://example.org/a|b%3Ec|pipe>');
  });

  it('stays within Slack’s limits for a briefing with thousands of links', () => {
    const briefing = seedBriefing();
    briefing.sections[2]!.items = Array.from({ length: 3000 }, (_, i) => ({
      text: `Brief ${i}`,
      countries: [],
      sources: [`Outlet ${i}`],
      links: [{ url: `https://example.org/story/${i}`, text: `Story number ${i} with a longer label` }],
    }));
    const messages = sourcesReply(briefing, null);
    expect(messages.length).toBeGreaterThan(1);
    for (const message of messages) {
      expect(message.blocks.length).toBeLessThanOrEqual(50);
      expect(message.text.length).toBeLessThanOrEqual(4000);
      for (const block of message.blocks) {
        if (block.type === 'section') expect(block.text.text.length).toBeLessThanOrEqual(3000);
      }
    }
    const all = textOf(messages);
    expect(all).toContain('Story number 0 with');
    expect(all).toContain('Story number 2999 with');
  });
});

describe('moreReply', () => {
  it('gives every paragraph of the section', () => {
    const text = textOf(moreReply(seedBriefing().sections[1]!));
    expect(text).toContain('Peru cabinet reshuffle');
    expect(text).toContain('Peruvian President Pedro Castillo named Mirtha Vásquez');
    expect(text).toContain("Vásquez's parliamentary experience will likely help");
  });

  it('splits a section longer than one message into several, losing nothing', () => {
    const section = seedBriefing().sections[1]!;
    section.items = Array.from({ length: 150 }, (_, i) => ({
      text: `Paragraph ${i}. ${'Lorem ipsum dolor sit amet. '.repeat(40)}`,
      countries: ['PE'],
      sources: [],
      links: [],
    }));
    const messages = moreReply(section);
    expect(messages.length).toBeGreaterThan(1);
    for (const message of messages) expect(message.blocks.length).toBeLessThanOrEqual(50);
    const text = textOf(messages);
    for (let i = 0; i < 150; i++) expect(text).toContain(`Paragraph ${i}.`);
  });
});

describe('relatedReply', () => {
  const page: StoryPage = {
    country: 'HT',
    range: { from: '2020-10-07', to: '2021-10-06' },
    total: 7,
    page: 1,
    pageCount: 1,
    first: 1,
    last: 7,
    mentioned: { total: 0, stories: [] },
    stories: Array.from({ length: 7 }, (_, i) => ({
      date: `2021-09-${String(30 - i).padStart(2, '0')}`,
      briefingTitle: 'Daily',
      sectionTitle: i === 0 ? 'Haiti & <the> gangs' : `Brief ${i}`,
      firstSentence: `Story ${i} happened.`,
      otherCountries: [],
      permalink: i === 1 ? null : `https://news.slack.com/archives/C1/p${i}`,
    })),
  };

  it('shows a few stories per country, newest first, and points to /country for the rest', () => {
    const text = textOf(relatedReply([page]));
    expect(text).toContain('*🇭🇹 Haiti*: 7 earlier stories');
    expect(text).toContain(
      '• Sep 30, 2021: <https://news.slack.com/archives/C1/p0|Haiti & ‹the› gangs> — Story 0 happened.',
    );
    expect(text).toContain('• Sep 29, 2021: Brief 1 — Story 1 happened.');
    expect(text).toContain('Story 4 happened.');
    expect(text).not.toContain('Story 5 happened.');
    expect(text).toContain('_2 more: _`/country Haiti`');
    expect(text).toContain('Stories from Oct 7, 2020 to Oct 6, 2021.');
  });

  it('says when a country has no earlier stories, and when there is no country to look up', () => {
    expect(
      textOf(relatedReply([{ ...page, country: 'PE', total: 0, stories: [], first: 0, last: 0 }])),
    ).toContain('*🇵🇪 Peru*: no earlier stories.');
    expect(textOf(relatedReply([]))).toContain('not tagged with any country');
  });
});

describe('help and clarifications', () => {
  const sections = seedBriefing().sections;

  it('lists the commands with examples and the sections by number', () => {
    const text = textOf(helpReply(sections, false));
    expect(text).toContain('Ask me in this thread:');
    expect(text).toContain('`@briefing-bot sources`');
    expect(text).toContain(
      '*Sections*\n1. Mexico - U.S. high-level security talks\n2. Peru cabinet reshuffle\n3. News Briefs',
    );
    expect(textOf(helpReply(sections, true))).toContain('the section is implied');
  });

  it('asks which section, naming the candidates', () => {
    expect(textOf(pickSectionReply('more', sections, [2, 3]))).toBe(
      'Which section? Mention me with its number, e.g. `more 3`:\n3. News Briefs\n4. News Briefs · Regional Relations',
    );
  });

  it('escapes the words it could not match', () => {
    expect(textOf(unknownSectionReply('sources', '<!here> cricket', sections))).toContain(
      'No section of this briefing matches “‹!here› cricket”.',
    );
    // The notification text is escaped for the `text` field.
    expect(unknownSectionReply('sources', 'a & <b>', sections)[0]?.text).toBe(
      'No section matches “a &amp; &lt;b&gt;”.',
    );
  });

  it('outside its threads, points to threads and the slash commands', () => {
    const [message] = outsideHelp();
    expect(message?.text).toContain('/briefing [date]');
    expect(message?.text).toContain('/country <name>');
  });
});
