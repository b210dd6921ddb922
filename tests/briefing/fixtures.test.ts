import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseEmail } from '../../src/briefing/index.js';
import type { ParsedEmail } from '../../src/briefing/types.js';
import { ARGENTINA, CHILE, COLOMBIA, EL_SALVADOR } from '../fixtures/briefings.js';
import { composeForwardEml, FIXTURE_DIR } from '../fixtures/compose.js';

const read = (name: string): Promise<ParsedEmail> => parseEmail(readFileSync(join(FIXTURE_DIR, name)));
const outline = (parsed: ParsedEmail) =>
  parsed.briefing.sections.map(
    (section) =>
      `${section.kind}:${section.group ? `${section.group}/` : ''}${section.title}:${section.items.length}`,
  );
const LADB = 'Latin America Daily Briefing <ladb@briefings.example.org>';

describe('committed .eml fixtures', () => {
  it('Gmail forward with HTML headings and links', async () => {
    const parsed = await read('gmail-chile.eml');
    const { briefing } = parsed;
    expect(briefing.date).toBe('2020-10-26');
    expect(briefing.title).toBe('Chile votes for a new constitution');
    expect(briefing.from).toBe(LADB);
    expect(briefing.note).toBe('FYI for the morning meeting.');
    expect(briefing.publication).toBe('Latin America Daily Briefing');
    expect(outline(parsed)).toEqual([
      'lead:Chile votes for a new constitution:3',
      'section:Bolivia election results:2',
      'list:News Briefs:4',
    ]);
    expect(briefing.sections[0]?.countries[0]).toBe('CL');
    expect(briefing.sections[0]?.items[0]?.links).toEqual([
      { url: 'https://www.latercera.com/politica/plebiscito-2020', text: 'reports La Tercera' },
    ]);
    expect(briefing.sections[1]?.items[0]?.links[0]?.url).toBe('https://eldeber.com.bo/elecciones-2020');
    expect(briefing.sections[1]?.items[0]?.sources).toEqual(['El Deber', 'Reuters']);
    expect(briefing.sections[2]?.items[0]?.links[0]?.url).toBe('https://www.clarin.com/sociedad/cuarentena');
    expect(briefing.sections[2]?.items[1]?.links).toEqual([]);
    expect(parsed.forwardedBy).toBe('molly.molloy@newsroom.example.com');
  });

  it('Outlook text-only, windows-1252 quoted-printable, · bullets', async () => {
    const parsed = await read('outlook-colombia.eml');
    const { briefing } = parsed;
    expect(readFileSync(join(FIXTURE_DIR, 'outlook-colombia.eml'), 'latin1')).toContain(
      'charset=windows-1252',
    );
    expect(briefing.date).toBe('2021-05-03');
    expect(briefing.from).toBe(LADB);
    expect(briefing.note).toBeNull();
    expect(outline(parsed)).toEqual([
      'lead:Colombia tax reform protests:2',
      'section:Haiti:2',
      'list:News Briefs:3',
    ]);
    expect(briefing.sections[0]?.items[0]?.text).toContain('Iván Duque');
    expect(briefing.sections[1]?.items[0]?.text).toContain('Moïse');
    expect(briefing.sections[2]?.items.map((item) => item.countries[0])).toEqual(['EC', 'PE', 'MX']);
  });

  it('Apple Mail HTML-only with a group heading over country sections', async () => {
    const parsed = await read('apple-elsalvador.eml');
    const { briefing } = parsed;
    expect(briefing.date).toBe('2021-09-08');
    expect(briefing.note).toBe('Worth a look — the bitcoin story.');
    expect(outline(parsed)).toEqual([
      'lead:Bitcoin becomes legal tender in El Salvador:2',
      'list:News Briefs/Brazil:2',
      'list:News Briefs/Guatemala:2',
    ]);
    expect(briefing.sections[0]?.countries).toEqual(['SV']);
    expect(briefing.sections[2]?.items[0]?.links[0]?.text).toBe('Plaza Pública');
  });

  it('forward as attachment: the original message inside is unwrapped', async () => {
    const parsed = await read('attachment-argentina.eml');
    const { briefing } = parsed;
    expect(parsed.messageId).toBe('<argentina-2021-11-15@briefings.example.org>');
    expect(parsed.forwardedBy).toBe('molly.molloy@newsroom.example.com');
    expect(briefing.subject).toBe(ARGENTINA.subject);
    expect(briefing.from).toBe(LADB);
    expect(briefing.note).toBe('Original attached.');
    expect(outline(parsed)).toEqual([
      'lead:Argentina midterm elections:2',
      'section:Nicaragua:2',
      'list:Regional Relations:2',
    ]);
    expect(briefing.sections[1]?.countries[0]).toBe('NI');
  });

  it('double forward (Gmail around a Spanish Outlook RV:) resolves to the innermost original', async () => {
    const parsed = await read('double-forward-colombia.eml');
    const { briefing } = parsed;
    expect(briefing.subject).toBe(COLOMBIA.subject);
    expect(briefing.from).toBe(LADB);
    expect(briefing.note).toBe('Passing this along from Jordana.');
    expect(briefing.date).toBe('2021-05-03');
    expect(outline(parsed)).toEqual([
      'lead:Colombia tax reform protests:2',
      'section:Haiti:2',
      'list:News Briefs:3',
    ]);
    const text = briefing.sections.flatMap((section) => section.items.map((item) => item.text)).join('\n');
    expect(text).not.toContain('Para el escritorio');
    expect(text).not.toContain('Asunto:');
  });
});

describe('composeForwardEml: every client form of every fixture briefing parses to the same outline', () => {
  const clients = [
    'gmail',
    'outlook',
    'outlook-html',
    'thunderbird',
    'apple',
    'attachment',
    'double',
  ] as const;
  for (const briefing of [CHILE, COLOMBIA, EL_SALVADOR, ARGENTINA]) {
    it(`${briefing.slug}`, async () => {
      const outlines = new Set<string>();
      for (const client of clients) {
        const note = 'Note from the desk: worth a read.';
        const parsed = await parseEmail(await composeForwardEml({ briefing, client, note }));
        expect(parsed.briefing.note, client).toBe(note);
        expect(parsed.briefing.date, client).toBe(briefing.day);
        expect(parsed.briefing.subject, client).toBe(briefing.subject);
        expect(parsed.briefing.from, client).toBe(LADB);
        outlines.add(JSON.stringify(outline(parsed).map((line) => line.replace(/^(list|section):/, ''))));
      }
      expect([...outlines]).toHaveLength(1);
    });
  }
});
