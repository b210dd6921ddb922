/**
 * Issue 11 items 1, 2, 3 and 12: what an email's text can do to the bot's Slack messages. Each case is
 * the attack run's own input, composed as a real .eml where the parser is part of the path.
 */
import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import { describe, expect, it } from 'vitest';
import { parseEmail } from '../../src/briefing/index.js';
import type { Briefing } from '../../src/briefing/types.js';
import { sourcesReply } from '../../src/slack/events/mention-replies.js';
import { renderCard, renderSectionPosts } from '../../src/slack/render/index.js';
import { cleanText } from '../../src/text/clean.js';
import { seedBriefing } from '../slack/events/seed-briefing.js';
import { richAsMrkdwn } from '../support/rich.js';

function compose(subject: string, html: string): Promise<Buffer> {
  return new MailComposer({
    from: 'Latin America Daily Briefing <ladb@briefings.example.org>',
    to: 'briefings@bot.example.com',
    subject,
    html,
    date: new Date('2021-10-09T12:00:00Z'),
  })
    .compile()
    .build();
}

const BRIEFING_HTML = (extra: string) =>
  `<p>Peru's cabinet was reshuffled on Friday after weeks of pressure on the government from Congress, ` +
  `according to Reuters.</p><h3>Mexico security</h3><p>The government announced a new security plan for ` +
  `the northern states, El País reported. ${extra}</p>`;

/**
 * Every string the bot would send: fallback texts and every text inside the blocks, rich text also
 * read back as one mrkdwn-notation line (links as `<url|label>`).
 */
function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (value && typeof value === 'object') {
    const record = value as { type?: unknown; elements?: unknown[] };
    const own = Object.values(value).flatMap(strings);
    return record.type === 'rich_text' ? [richAsMrkdwn(record), ...own] : own;
  }
  return [];
}

describe('11.1 mention replies escape their fallback text', () => {
  it('the sources reply to a subject full of mentions pings nobody', async () => {
    const parsed = await parseEmail(
      await compose('Fwd: Urgent <!channel> <!here> <@U12345> (Oct. 9, 2021)', BRIEFING_HTML('')),
    );
    const replies = sourcesReply(parsed.briefing, null);
    expect(replies.length).toBeGreaterThan(0);
    for (const reply of replies) {
      expect(reply.text).toContain('Urgent');
      expect(reply.text).not.toMatch(/<[!@#]/);
    }
  });
});

describe('11.2 a link label cannot name another host than its target', () => {
  const spoof = '<a href="https://evil.example/a">https://nytimes.com/real</a>';

  it('section posts and the sources reply show the real target host', async () => {
    const parsed = await parseEmail(
      await compose('Daily briefing (Oct. 9, 2021)', BRIEFING_HTML(`Read ${spoof}.`)),
    );
    const section = parsed.briefing.sections.find((s) => s.items.some((i) => i.links.length > 0));
    expect(section).toBeDefined();
    const posted = strings(renderSectionPosts(section!)).join('\n');
    const sources = strings(sourcesReply(parsed.briefing, null)).join('\n');
    for (const out of [posted, sources]) {
      expect(out).not.toContain('|https://nytimes.com/real>');
      expect(out).toContain('<https://evil.example/a|evil.example/…>');
    }
  });

  it('keeps honest labels: the same site, a subdomain of it, or words that are no address', () => {
    const briefing = seedBriefing();
    const item = briefing.sections[0]!.items[0]!;
    item.text = 'See nytimes.com and the report by Reuters.';
    item.links = [
      { url: 'https://www.nytimes.com/2021/10/07/world/x.html', text: 'nytimes.com' },
      { url: 'https://evil.example/r', text: 'Reuters' },
    ];
    const out = strings(renderSectionPosts(briefing.sections[0]!)).join('\n');
    expect(out).toContain('<https://www.nytimes.com/2021/10/07/world/x.html|nytimes.com>');
    expect(out).toContain('<https://evil.example/r|Reuters>');
  });

  it('a look-alike domain in the label does not pass for the real one', () => {
    const briefing = seedBriefing();
    const item = briefing.sections[0]!.items[0]!;
    // Cyrillic і in the label; the target is another host altogether.
    item.links = [{ url: 'https://login.example.net/', text: 'nytіmes.com' }];
    const out = strings(renderSectionPosts(briefing.sections[0]!)).join('\n');
    expect(out).toContain('<https://login.example.net/|login.example.net>');
    expect(out).not.toContain('|nytіmes.com>');
  });

  it('a sentence naming another site keeps its words and shows where the link really goes', () => {
    const briefing = seedBriefing();
    const item = briefing.sections[0]!.items[0]!;
    item.links = [{ url: 'https://click.tracker.example/x?id=1', text: 'the full story at reuters.com' }];
    const out = strings(renderSectionPosts(briefing.sections[0]!)).join('\n');
    expect(out).toContain(
      'the full story at reuters.com (<https://click.tracker.example/x?id=1|click.tracker.example/…>)',
    );
  });
});

const BIDI = [
  '\u202E',
  '\u202D',
  '\u202A',
  '\u202B',
  '\u202C',
  '\u2066',
  '\u2067',
  '\u2068',
  '\u2069',
  '\u200E',
  '\u200F',
  '\u061C',
];
const INVISIBLE = ['\u200B', '\u2060', '\uFEFF', '\u00AD', '\u0000', '\u0007', '\u001B', '\u0085'];

describe('11.3 bidi controls and invisible characters never reach Slack', () => {
  it('a right-to-left override in the subject and body is gone from header, mrkdwn and fallback', async () => {
    const parsed = await parseEmail(
      await compose(
        'Fwd: Invoice \u202Egnp.exe (Oct. 9, 2021)',
        BRIEFING_HTML('Open \u202Egnp.exe\u202C now.'),
      ),
    );
    const card = renderCard({
      briefing: parsed.briefing,
      date: '2021-10-09',
      forwardedBy: null,
      forwardedByName: null,
    });
    const posts = parsed.briefing.sections.flatMap((s) => renderSectionPosts(s));
    const all = strings([card, posts, sourcesReply(parsed.briefing, null)]).join('\n');
    expect(all).toContain('gnp.exe');
    for (const char of [...BIDI, ...INVISIBLE]) expect(all).not.toContain(char);
  });

  it('renderers clean a stored briefing too (stored before this fix)', () => {
    const briefing: Briefing = seedBriefing();
    const hostile = `a${[...BIDI, ...INVISIBLE].join('')}b`;
    briefing.title = hostile;
    briefing.publication = hostile;
    briefing.sections[0]!.title = hostile;
    briefing.sections[0]!.items[0]!.text = hostile;
    briefing.sections[0]!.items[0]!.sources = [hostile];
    const all = strings([
      renderCard({ briefing, date: '2021-10-07', forwardedBy: hostile, forwardedByName: hostile }),
      renderSectionPosts(briefing.sections[0]!),
      sourcesReply(briefing, null),
    ]).join('\n');
    for (const char of [...BIDI, ...INVISIBLE]) expect(all).not.toContain(char);
  });

  it('keeps what scripts and emoji need: ZWJ sequences, ZWNJ, subdivision flags', () => {
    const family = '👨\u200D👩\u200D👧';
    const scotland = '\u{1F3F4}\u{E0067}\u{E0062}\u{E0073}\u{E0063}\u{E0074}\u{E007F}';
    const persian = 'می\u200Cخواهم';
    expect(cleanText(`${family} ${scotland} ${persian}`)).toBe(`${family} ${scotland} ${persian}`);
    expect(cleanText('x\u{E0041}\u{E0042}y')).toBe('xy');
  });
});

describe('11.12 small things', () => {
  it('a NUL byte in the subject is not kept in the title', async () => {
    const parsed = await parseEmail(await compose('Daily\u0000 briefing (Oct. 9, 2021)', BRIEFING_HTML('')));
    expect(parsed.briefing.title).not.toContain('\u0000');
    expect(parsed.briefing.subject).not.toContain('\u0000');
    expect(JSON.stringify(parsed.briefing)).not.toMatch(/\\u0000/);
  });
});
