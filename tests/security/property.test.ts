/**
 * Issue 11 "Also": one property over what the bot sends to Slack from an email — the card and
 * section posts, and every mention reply (more, sources, related, help, which-section, no match).
 * For arbitrary strings in every email field: no `<!…>`, `<@…>`, `<#…>` or `<!subteam…>` the bot did
 * not write, no link whose label names another host than its target, no bidi or other invisible
 * control characters, and no email text inside anything Slack parses as mrkdwn.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Briefing, Item, Link, Section } from '../../src/briefing/types.js';
import type { StoryPage } from '../../src/query/country-stories.js';
import {
  helpReply,
  moreReply,
  pickSectionReply,
  relatedReply,
  sourcesReply,
  unknownSectionReply,
} from '../../src/slack/events/mention-replies.js';
import type { SlackMessage } from '../../src/slack/render/blocks.js';
import { planPosts } from '../../src/slack/render/index.js';

/** Marks every email field, so a test can tell email text from the bot's own words. */
const MARK = 'Zq9';

const hostile = fc.constantFrom(
  '<!channel>',
  '<!here>',
  '<!everyone>',
  '<@U12345>',
  '<#C1|general>',
  '<!subteam^S123|team>',
  '<https://evil.example|x>',
  '*bold*',
  '_it_',
  '~strike~',
  '`code`',
  '```rm -rf```',
  '> quote',
  '&lt;!channel&gt;',
  '&amp;',
  '\u202Egnp.exe',
  '\u2066x\u2069',
  '\u200B',
  '\u0000',
  '\uFEFF',
  'https://nytimes.com/real',
  'nytimes.com',
  '@channel',
  '|',
  '\n',
);

const emailText = fc
  .array(fc.oneof(fc.string({ unit: 'binary', maxLength: 12 }), hostile), { maxLength: 6 })
  .map((parts) => `${parts.join('')} ${MARK}`);

const url = fc.oneof(
  fc.constantFrom(
    'https://evil.example/a',
    'https://www.nytimes.com/2021/x.html',
    'https://nytimes.com.evil.example/',
    'javascript:alert(1)',
    'mailto:a@b.org',
    'http://xn--80ak6aa92e.com/',
    'https://example.org/a|b>c',
  ),
  fc.webUrl(),
);

const link: fc.Arbitrary<Link> = fc.record({
  url,
  text: fc.oneof(emailText, fc.constantFrom('https://nytimes.com/real', 'nytimes.com', 'www.reuters.com')),
});

const item: fc.Arbitrary<Item> = fc.record({
  text: emailText,
  countries: fc.constantFrom([], ['PE'], ['MX', 'US']),
  sources: fc.array(emailText, { maxLength: 2 }),
  links: fc.array(link, { maxLength: 3 }),
});

const section: fc.Arbitrary<Section> = fc.record({
  title: emailText,
  kind: fc.constantFrom('lead', 'section', 'list', 'article'),
  group: fc.option(emailText, { nil: null }),
  countries: fc.constantFrom([], ['PE'], ['HT', 'US']),
  items: fc.array(item, { minLength: 1, maxLength: 3 }),
});

const briefing: fc.Arbitrary<Briefing> = fc.record({
  subject: emailText,
  title: emailText,
  publication: fc.option(emailText, { nil: null }),
  date: fc.constant('2021-10-07'),
  from: fc.option(emailText, { nil: null }),
  note: fc.option(emailText, { nil: null }),
  sections: fc.array(section, { minLength: 1, maxLength: 3 }),
});

function storyPage(b: Briefing): StoryPage {
  return {
    country: 'PE',
    range: { from: '2020-10-07', to: '2021-10-06' },
    total: b.sections.length,
    page: 1,
    pageCount: 1,
    first: 1,
    last: b.sections.length,
    mentioned: { total: 0, stories: [] },
    stories: b.sections.map((s, i) => ({
      date: '2021-09-30',
      briefingTitle: b.title,
      sectionTitle: s.title,
      firstSentence: s.items[0]?.text ?? '',
      otherCountries: [],
      permalink: i % 2 ? null : `https://news.slack.com/archives/C1/p${i}`,
    })),
  };
}

/** Every message the bot would send for this briefing and these mention words. */
function everything(b: Briefing, forwarder: string, query: string): SlackMessage[] {
  const plan = planPosts({
    briefing: b,
    date: '2021-10-07',
    forwardedBy: forwarder,
    forwardedByName: forwarder,
  });
  return [
    ...plan.map((p) => p.message),
    ...b.sections.flatMap((s) => moreReply(s)),
    ...sourcesReply(b, null),
    ...sourcesReply(b, 0),
    ...relatedReply([storyPage(b)]),
    ...helpReply(b.sections, false),
    ...pickSectionReply('more', b.sections, [0]),
    ...unknownSectionReply('sources', query, b.sections),
  ];
}

interface Found {
  /** Strings Slack parses as mrkdwn (mrkdwn text objects). */
  mrkdwn: string[];
  /** Every string in the payload. */
  all: string[];
  links: Array<{ url: string; label: string }>;
}

function walk(value: unknown, found: Found): void {
  if (typeof value === 'string') {
    found.all.push(value);
    return;
  }
  if (Array.isArray(value)) {
    for (const v of value) walk(v, found);
    return;
  }
  if (!value || typeof value !== 'object') return;
  const record = value as Record<string, unknown>;
  if (record.type === 'mrkdwn' && typeof record.text === 'string') {
    found.mrkdwn.push(record.text);
    for (const m of record.text.matchAll(/<(https?:[^|>]*)\|([^>]*)>/g))
      found.links.push({ url: m[1]!, label: m[2]! });
  }
  if (record.type === 'link' && typeof record.url === 'string')
    found.links.push({ url: record.url, label: typeof record.text === 'string' ? record.text : '' });
  for (const v of Object.values(record)) walk(v, found);
}

/** Host-like words of a label, independently of the renderer's own rules. */
function namedHosts(label: string): string[] {
  return [
    ...label.matchAll(/(?:https?:\/\/)?((?:[a-z0-9-]+\.)+(?:com|org|net|[a-z]{2}))(?=[/\s:?#]|$)/gi),
  ].map((m) => m[1]!.toLowerCase());
}

const INVISIBLE =
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u061C\u200B\u200E\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]/u;

describe('everything the bot sends from an email', () => {
  it('pings nobody, spoofs no link, hides nothing and formats nothing from the email', () => {
    fc.assert(
      fc.property(briefing, emailText, emailText, (b, forwarder, query) => {
        const messages = everything(b, forwarder, query);
        for (const message of messages) {
          const found: Found = { mrkdwn: [], all: [], links: [] };
          walk(message.blocks, found);
          const strings = [message.text, ...found.all];
          for (const s of strings) {
            expect(s).not.toMatch(/<[!@#]/);
            expect(s).not.toMatch(INVISIBLE);
          }
          // The fallback is posted with mrkdwn off and escaped: no raw angle brackets from the email.
          expect(message.text).not.toMatch(/[<>]/);
          for (const s of found.mrkdwn) expect(s).not.toContain(MARK);
          for (const { url, label } of found.links) {
            const target = new URL(url.replace(/&amp;/g, '&')).hostname;
            for (const host of namedHosts(label)) {
              const bare = host.replace(/^www\./, '');
              expect(target === bare || target.endsWith(`.${bare}`), `${label} → ${url}`).toBe(true);
            }
          }
        }
      }),
      { numRuns: 60 },
    );
  });
});
