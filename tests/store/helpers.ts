import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Briefing, Section } from '../../src/briefing/types.js';
import type { NewBriefing } from '../../src/store/types.js';

export function section(
  title: string,
  kind: Section['kind'],
  countries: string[],
  items: string[][] = [],
): Section {
  return {
    title,
    kind,
    group: null,
    countries,
    items: items.map((itemCountries, index) => ({
      text: `${title} item ${index}`,
      countries: itemCountries,
      sources: ['Reuters'],
      links: [{ url: `https://example.org/${index}`, text: 'story' }],
    })),
  };
}

/** A briefing like the seed: a lead, a prose section and a list of news briefs. */
export function sampleBriefing(date: string, title = `Briefing ${date}`): Briefing {
  return {
    subject: `${title} (${date})`,
    title,
    publication: 'Latin America Daily Briefing',
    date,
    from: 'Latin America Daily Briefing <ladb@example.org>',
    note: null,
    sections: [
      section('Mexico - U.S. high-level security talks', 'lead', ['MX', 'US'], [['MX', 'US']]),
      section('Peru cabinet reshuffle', 'section', ['PE'], [['PE']]),
      section('News Briefs', 'list', [], [['BR'], ['MX'], ['CO', 'VE'], []]),
    ],
  };
}

export function newBriefing(
  date: string,
  key = `C1|<${date}@example.org>`,
  receivedAt?: string,
): NewBriefing {
  return {
    dedupeKey: key,
    channel: 'C1',
    receivedAt: receivedAt ?? `${date}T17:20:13.000Z`,
    date,
    forwardedBy: 'molly@example.org',
    forwardedByName: 'Molly Molloy',
    messageId: `<${date}@example.org>`,
    briefing: sampleBriefing(date),
  };
}

export async function tempDir(): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'briefing-store-'));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}
