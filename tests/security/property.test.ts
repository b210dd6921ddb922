/**
 * Issue 11 "Also": one property over what the bot sends to Slack from an email — the card and
 * section posts (with their "Previously" line), corrections (updated, struck, the change note), every
 * mention reply (more, sources, related, help, which-section, no match), the /briefing day, period and
 * search answers, /country (with "Also mentioned in"), each of them shared in the channel too, the
 * daily digest, desk posts, follow notices, the subscription-confirmation notice and the App Home tab.
 * For arbitrary strings in every email field: no `<!…>`, `<@…>`, `<#…>` or `<!subteam…>` the bot did
 * not write, no link whose label names another host than its target, no bidi or other invisible
 * control characters, and no email text inside anything Slack parses as mrkdwn.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Briefing, Item, Link, Section } from '../../src/briefing/types.js';
import { diffBriefings } from '../../src/corrections/diff.js';
import type { DigestModel } from '../../src/digest/model.js';
import { renderDigest } from '../../src/digest/render.js';
import type { StoryPage } from '../../src/query/country-stories.js';
import type { DaySummary } from '../../src/query/day-summary.js';
import type { PeriodSummary } from '../../src/query/period-summary.js';
import type { SearchResultPage } from '../../src/query/search.js';
import { renderDay } from '../../src/slack/commands/render-briefing.js';
import { renderCountry } from '../../src/slack/commands/render-country.js';
import { renderPeriod } from '../../src/slack/commands/render-period.js';
import { renderSearch } from '../../src/slack/commands/render-search.js';
import {
  helpReply,
  moreReply,
  pickSectionReply,
  relatedReply,
  sourcesReply,
  unknownSectionReply,
} from '../../src/slack/events/mention-replies.js';
import { renderHome } from '../../src/slack/home/render.js';
import { planPosts } from '../../src/slack/render/index.js';
import { renderConfirmationNotice } from '../../src/slack/render/notice.js';
import type { PreviousStories } from '../../src/slack/render/previously.js';
import { markUpdated, revisionNote, strikeThrough } from '../../src/slack/render/revision.js';
import type { StoredBriefing } from '../../src/store/types.js';
import { renderDeskPost, renderFollowNotice } from '../../src/subscriptions/render.js';

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
    mentioned: {
      total: b.sections.length + 3,
      stories: b.sections.map((s, i) => ({
        date: '2021-09-29',
        briefingTitle: b.title,
        sectionTitle: s.title,
        firstSentence: s.items[0]?.text ?? '',
        otherCountries: [],
        permalink: i % 2 ? `https://news.slack.com/archives/C1/p${i}` : null,
      })),
    },
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

const permalink = (i: number) => (i % 2 ? null : `https://news.slack.com/archives/C1/p${i}`);

function daySummary(b: Briefing, forwarder: string): DaySummary {
  return {
    date: '2021-10-07',
    briefings: [
      {
        id: 'b1',
        title: b.title,
        publication: b.publication,
        forwardedByName: forwarder,
        permalink: permalink(0),
        sections: b.sections.map((s, i) => ({
          index: i,
          title: s.title,
          countries: s.countries,
          firstSentence: s.items[0]?.text ?? '',
          permalink: permalink(i + 1),
        })),
      },
    ],
  };
}

function periodSummary(b: Briefing): PeriodSummary {
  return {
    range: { from: '2021-10-01', to: '2021-10-31' },
    days: [
      { date: '2021-10-06', briefings: [{ title: b.title, permalink: permalink(0), sections: 2 }] },
      { date: '2021-10-07', briefings: [{ title: b.subject, permalink: permalink(1), sections: 1 }] },
    ],
    briefingCount: 2,
    countries: [{ code: 'PE', stories: 2 }],
  };
}

function searchPage(b: Briefing, query: string): SearchResultPage {
  return {
    words: query,
    range: { from: '2021-10-01', to: '2021-10-31' },
    total: b.sections.length,
    page: 1,
    pageCount: 2,
    first: 1,
    last: b.sections.length,
    results: b.sections.map((s, i) => ({
      date: '2021-10-07',
      briefingTitle: b.title,
      sectionTitle: s.title,
      line: s.items[0]?.text ?? '',
      terms: query.toLowerCase().split(/\s+/).filter(Boolean),
      permalink: permalink(i),
    })),
  };
}

function digestModel(b: Briefing): DigestModel {
  return {
    date: '2021-10-07',
    today: '2021-10-07',
    timeZone: 'America/New_York',
    window: { from: '2021-10-06T21:00:00.000Z', to: '2021-10-07T21:00:00.000Z' },
    briefings: [
      {
        title: b.title,
        publication: b.publication,
        link: permalink(0),
        datedOn: '2021-10-06',
        receivedAt: '2021-10-07T17:20:13.000Z',
        sections: b.sections.map((s, i) => ({
          number: i + 1,
          title: s.title,
          summary: s.items[0]?.text ?? '',
          link: permalink(i + 1),
        })),
      },
    ],
    countries: [{ code: 'PE', name: 'Peru', flag: '🇵🇪', stories: 1, newThisWeek: true }],
    threads: b.sections.map((s, i) => ({
      briefingTitle: b.title,
      sectionTitle: s.title,
      datedOn: i ? '2021-10-03' : null,
      replies: 2,
      participants: 1,
      link: permalink(i),
    })),
    lastReceivedAt: '2021-10-07T17:20:13.000Z',
    archiveEmpty: false,
  };
}

function stored(b: Briefing, forwarder: string): StoredBriefing {
  return {
    id: 'b1',
    dedupeKey: 'C1|x',
    channel: 'C1',
    receivedAt: '2021-10-07T12:00:00.000Z',
    date: '2021-10-07',
    forwardedBy: 'U1',
    forwardedByName: forwarder,
    messageId: null,
    briefing: b,
  };
}

/** Every message the bot would send for this briefing and these mention (or command) words. */
/** What a message carries that a reader sees: its notification text and its blocks. */
interface Sent {
  text: string;
  blocks: readonly unknown[];
}

function everything(b: Briefing, forwarder: string, query: string): Sent[] {
  const previous: PreviousStories = new Map(
    b.sections.map((s, i) => [
      i,
      {
        country: 'PE',
        date: '2021-09-30',
        currentDate: '2021-10-07',
        title: s.title,
        permalink: permalink(i),
      },
    ]),
  );
  const plan = planPosts(
    {
      briefing: b,
      date: '2021-10-07',
      forwardedBy: forwarder,
      forwardedByName: forwarder,
    },
    previous,
  );
  const country = renderCountry({ code: 'PE', name: 'Peru', flag: '🇵🇪' }, storyPage(b), {
    kind: 'country',
    code: 'PE',
    from: '2020-10-07',
    to: '2021-10-06',
    page: 1,
    isDefault: true,
  });
  // Search words are the reader's own, typed in Slack (escaped, not an email's): only the hits are email text.
  const words = query.replaceAll(MARK, '').trim() || 'peru';
  const search = { kind: 'search' as const, words, from: '2021-10-01', to: '2021-10-31', page: 1 };
  const index = {
    stored: stored(b, forwarder),
    sections: b.sections.map((s, i) => ({ sectionIndex: i, countries: s.countries })),
    sectionLink: permalink,
    cardLink: permalink(0),
  };
  const corrected: Briefing = { ...b, sections: [...b.sections.slice(1), ...b.sections.slice(0, 1)] };
  const home = renderHome({
    briefings: [
      {
        id: 'b1',
        publication: b.publication,
        title: b.title,
        date: '2021-10-07',
        sections: b.sections.length,
        threadUrl: permalink(0),
      },
    ],
    briefingCount: 1,
    deliveries: [
      {
        id: 'b1',
        state: 'failed',
        title: b.subject,
        date: '2021-10-07',
        attempts: 3,
        lastError: forwarder,
        nextAttemptAt: null,
      },
    ],
    moreDeliveries: 0,
    settings: {
      briefingChannel: 'C1',
      digestChannel: 'C1',
      digestTime: '17:00',
      timeZone: 'America/New_York',
      threadLayout: 'thread',
      allowedSenders: [],
      senderAuth: 'dmarc',
      waysIn: [],
      addresses: [],
      adminUsers: [],
    },
  } as unknown as Parameters<typeof renderHome>[0]);
  return [
    ...plan.map((p) => p.message),
    ...plan.map((p) => markUpdated(p.message, '10:42')),
    ...plan.map((p) => strikeThrough(p.message, '10:42')),
    revisionNote(b, corrected, diffBriefings(b, corrected), '10:42'),
    ...b.sections.flatMap((s) => moreReply(s)),
    ...sourcesReply(b, null),
    ...sourcesReply(b, 0),
    ...relatedReply([storyPage(b)]),
    ...helpReply(b.sections, false),
    ...pickSectionReply('more', b.sections, [0]),
    ...unknownSectionReply('sources', query, b.sections),
    renderDay(daySummary(b, forwarder)),
    renderDay(daySummary(b, forwarder), { sharedBy: 'U2' }),
    renderPeriod(periodSummary(b)),
    country,
    renderCountry(
      { code: 'PE', name: 'Peru', flag: '🇵🇪' },
      { ...storyPage(b), total: 0, stories: [] },
      { kind: 'country', code: 'PE', from: '2020-10-07', to: '2021-10-06', page: 1, isDefault: true },
      { sharedBy: 'U2', newestEver: '2021-09-30' },
    ),
    renderSearch(searchPage(b, words), search),
    renderSearch(searchPage(b, words), search, { sharedBy: 'U2' }),
    renderDigest(digestModel(b)),
    renderDeskPost(index, ['PE']),
    renderFollowNotice(index, ['PE', 'HT']),
    renderConfirmationNotice({
      subject: b.subject,
      sender: forwarder,
      confirm: { url: b.sections[0]?.items[0]?.links[0]?.url ?? 'https://example.org', text: query },
    }),
    { text: 'App Home', blocks: home.blocks },
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
  // A button's value is data handed back to the bot on a click, never shown.
  for (const [key, v] of Object.entries(record))
    if (!(record.type === 'button' && key === 'value')) walk(v, found);
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
            // What the bot itself writes: Slack's date token (its fallback the bot's own words), the
            // user who shared an answer and the configured channel.
            const own = s
              .replace(/<!date\^\d+\^[^|>]*\|[^>]*>/g, (token) => (token.includes(MARK) ? token : ''))
              .replace(/<@U2>|<#C1>/g, '');
            expect(own).not.toMatch(/<[!@#]/);
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
