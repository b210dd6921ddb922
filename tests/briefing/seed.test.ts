import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseEmail } from '../../src/briefing/index.js';
import type { Briefing } from '../../src/briefing/types.js';
import { composeSeedGroupEml, FIXTURE_DIR, SEED_LINKS } from '../fixtures/compose.js';

const SEED = readFileSync(join(FIXTURE_DIR, 'seed-briefing.txt'));

const EXPECTED_SECTIONS = [
  { title: 'Mexico - U.S. high-level security talks', kind: 'lead', items: 6 },
  { title: 'Peru cabinet reshuffle', kind: 'section', items: 8 },
  { title: 'News Briefs', kind: 'list', items: 6 },
  { title: 'Regional Relations', kind: 'list', items: 2 },
  { title: 'Puerto Rico', kind: 'list', items: 6 },
  { title: 'Biden looks to repair the frayed US relationship with Mexico', kind: 'article' },
];

/** Phrases of the chrome around the seed; none may reach a section. */
const CHROME = [
  '1 view',
  'Skip to first unread message',
  'Reply all',
  'Reply to author',
  'new messages',
  'Did I miss something',
  'Acosta presses DHS secretary',
  'Oct 7, 2021, 1:20:13 PM',
  'Molly Molloy',
  'You received this message',
  'To unsubscribe',
  'Forwarded message',
];

function allText(briefing: Briefing): string[] {
  return briefing.sections.flatMap((section) => [section.title, ...section.items.map((item) => item.text)]);
}

function expectSeed(briefing: Briefing): void {
  expect(briefing.date).toBe('2021-10-07');
  expect(briefing.subject).toBe('Mexico - U.S. high-level security talks (Oct. 7, 2021)');
  expect(briefing.title).toBe('Mexico - U.S. high-level security talks');
  expect(briefing.publication).toBe('Latin America Daily Briefing');
  expect(briefing.sections.map(({ title, kind }) => ({ title, kind }))).toEqual(
    EXPECTED_SECTIONS.map(({ title, kind }) => ({ title, kind })),
  );
  for (const [index, expected] of EXPECTED_SECTIONS.entries()) {
    if (expected.items !== undefined) expect(briefing.sections[index]?.items).toHaveLength(expected.items);
  }
  const [lead, peru] = briefing.sections;
  expect(lead?.countries.slice(0, 2)).toEqual(['MX', 'US']);
  expect(peru?.countries[0]).toBe('PE');
  for (const text of allText(briefing)) {
    for (const chrome of CHROME) expect(text).not.toContain(chrome);
  }
}

describe('the seed briefing (pasted text, as is)', () => {
  it('parses into the six expected sections with date, countries and no chrome', async () => {
    const { briefing } = await parseEmail(SEED);
    expectSeed(briefing);
    expect(briefing.note).toBe(
      'From the Latin America Daily Briefing: http://latinamericadailybriefing.blogspot.com',
    );
  });

  it('repairs "for\\nces" into "forces" and leaves real words alone', async () => {
    const { briefing } = await parseEmail(SEED);
    const article = briefing.sections[5]!;
    const item = article.items.find((candidate) => candidate.text.includes('Trump-era border policy'));
    expect(item?.text).toContain('Trump-era border policy that forces migrants to stay in Mexico');
    expect(allText(briefing).join('\n')).not.toMatch(/\bfor ces\b|\bfor\nces\b/);
  });

  it('keeps the article sub-headings inside the article and drops the video caption', async () => {
    const { briefing } = await parseEmail(SEED);
    const article = briefing.sections[5]!;
    const texts = article.items.map((item) => item.text);
    expect(texts).toContain('Hindering DEA operations');
    expect(texts).toContain('Migrant crisis');
    expect(texts[0]).toBe('By Evan Perez, Kylie Atwood and Priscilla Alvarez, CNN');
    expect(article.items[0]?.sources).toEqual(['CNN']);
    expect(texts.some((text) => text.endsWith('01:26'))).toBe(false);
  });

  it('tags bullets one item each, with their sources', async () => {
    const { briefing } = await parseEmail(SEED);
    const briefs = briefing.sections[2]!;
    expect(briefs.items[0]?.text.startsWith("Haiti's political crisis")).toBe(true);
    expect(briefs.items[0]?.sources).toContain('Newsweek');
    expect(briefs.items[0]?.countries[0]).toBe('HT');
    expect(briefs.items[5]?.sources).toEqual(['Reuters']);
    const peru = briefing.sections[1]!;
    expect(peru.items[0]?.sources).toEqual(['Reuters', 'Al Jazeera']);
    expect(briefing.sections[0]?.items[0]?.sources).toEqual(['CNN']);
  });

  it('reads the same briefing from the Google Group email (footer, List-Id)', async () => {
    const parsed = await parseEmail(await composeSeedGroupEml());
    expectSeed(parsed.briefing);
    expect(parsed.messageId).toBeNull();
    expect(parsed.forwardedBy).toBe('molly.molloy@newsroom.example.com');
    expect(parsed.forwardedByName).toBe('Molly Molloy');
  });

  it('reads the seed as a Gmail HTML forward: same sections, links kept with their items, word repaired', async () => {
    const parsed = await parseEmail(readFileSync(join(FIXTURE_DIR, 'gmail-seed.eml')));
    expectSeed(parsed.briefing);
    expect(parsed.briefing.from).toBe('Latin America Daily Briefing <ladb@briefings.example.org>');
    const [lead, peru, , , puertoRico, article] = parsed.briefing.sections;
    expect(lead?.items[0]?.links).toEqual([{ url: SEED_LINKS[0]!.url, text: 'reports CNN' }]);
    expect(peru?.items[5]?.links.map((link) => link.text)).toEqual(['Americas Quarterly profile']);
    expect(puertoRico?.items[0]?.links.map((link) => link.url)).toEqual([SEED_LINKS[2]!.url]);
    expect(article?.items.some((item) => item.text.includes('policy that forces migrants'))).toBe(true);
  });
});

const SHARED_SEED = join(import.meta.dirname, '../../../shared/seeds/000_5aaa9bdcd14badb3.txt');
describe.skipIf(!existsSync(SHARED_SEED))('the shared seed (../shared/seeds) as is', () => {
  it('is the bundled fixture byte for byte and parses the same', async () => {
    const shared = readFileSync(SHARED_SEED);
    expect(shared.equals(SEED)).toBe(true);
    expectSeed((await parseEmail(shared)).briefing);
  });
});
if (!existsSync(SHARED_SEED)) console.warn(`shared seed skipped: ${SHARED_SEED} not found`);
