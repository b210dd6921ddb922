import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { parseCountryList } from '../../src/query/country-list.js';
import { mainCountry } from '../../src/query/previously.js';
import { previouslyLine } from '../../src/slack/render/previously.js';
import { para, richText, txt } from '../../src/slack/render/rich.js';
import { renderSectionPosts } from '../../src/slack/render/section.js';
import { openStore } from '../../src/store/index.js';
import { sectionsAbout } from '../../src/subscriptions/about.js';
import { list, prose } from '../query/archive.js';
import { tempDir } from '../store/helpers.js';

describe('country lists (/desk, DESKS)', () => {
  it('reads names with spaces, codes, demonyms and joining words; keeps what names nothing', () => {
    expect(parseCountryList('Peru, Bolivia and Ecuador')).toEqual({ codes: ['PE', 'BO', 'EC'], unknown: [] });
    expect(parseCountryList('Dominican Republic Haiti El Salvador')).toEqual({
      codes: ['DO', 'HT', 'SV'],
      unknown: [],
    });
    expect(parseCountryList('PE ht Peruvian')).toEqual({ codes: ['PE', 'HT'], unknown: [] });
    expect(parseCountryList('Peru Narnia')).toEqual({ codes: ['PE'], unknown: ['Narnia'] });
  });

  it('DESKS: channel: countries; … with one problem line per bad entry', () => {
    const ok = loadConfig({
      DESKS: 'andes: Peru, Bolivia; #caribbean: HT, CU; C0123ABCD: Mexico; andes: Ecuador',
    });
    expect(ok.problems).toEqual([]);
    expect(ok.config.desks).toEqual([
      { channel: 'andes', countries: ['PE', 'BO', 'EC'] },
      { channel: 'caribbean', countries: ['HT', 'CU'] },
      { channel: 'C0123ABCD', countries: ['MX'] },
    ]);
    expect(ok.config.previouslyDays).toBe(30);
    const bad = loadConfig({ DESKS: 'Peru; andes: Narnia; x y: Peru', PREVIOUSLY_DAYS: '0' });
    expect(bad.problems).toEqual([
      'DESKS entry "Peru" must be "channel: country, country".',
      'DESKS entry for andes: no country is named "Narnia".',
      'DESKS entry "x y: Peru" must be "channel: country, country".',
      'PREVIOUSLY_DAYS must be a positive whole number, got "0".',
    ]);
  });
});

describe('what a section is about', () => {
  it('prose by its own tags, briefs by theirs; never by `mentions`', () => {
    const chileInPassing = { ...prose('Andes', ['PE'], 'Castillo met Boric.'), mentions: ['CL'] };
    const briefs = list('News Briefs', [
      { text: 'Haiti fuel.', countries: ['HT'] },
      { text: 'Peru congress.', countries: ['PE'] },
      { text: 'More Haiti.', countries: ['HT'] },
    ]);
    const briefing = { sections: [chileInPassing, briefs] } as never;
    expect(sectionsAbout(briefing, ['CL'])).toEqual([]);
    expect(sectionsAbout(briefing, ['HT', 'PE'])).toEqual([
      { sectionIndex: 0, countries: ['PE'] },
      { sectionIndex: 1, countries: ['HT', 'PE'] },
    ]);
    expect(mainCountry(chileInPassing)).toBe('PE');
    expect(mainCountry({ ...briefs, countries: [] })).toBe('HT');
  });
});

describe('the "Previously" line', () => {
  it('links the earlier story, escapes its title, and drops a year that goes without saying', () => {
    const story = {
      country: 'PE',
      date: '2021-10-05',
      currentDate: '2021-10-07',
      title: "Castillo's <!channel> cabinet & co",
      permalink: 'https://newsroom.slack.com/archives/C1/p1?thread_ts=1.0&cid=C1',
    };
    // The title is the email's words: rich text, shown as typed (no mrkdwn, no ping).
    expect(previouslyLine(story)).toEqual([
      txt('Previously on 🇵🇪 Peru · Oct 5 · '),
      {
        type: 'link',
        url: 'https://newsroom.slack.com/archives/C1/p1?thread_ts=1.0&cid=C1',
        text: "Castillo's ‹!channel› cabinet & co",
      },
    ]);
    expect(
      previouslyLine({ ...story, date: '2020-12-30', currentDate: '2021-01-02', permalink: null }),
    ).toEqual([txt('Previously on 🇵🇪 Peru · Dec 30, 2020 · '), txt("Castillo's <!channel> cabinet & co")]);
    const [post] = renderSectionPosts(prose('Peru', ['PE'], 'Text.'), story);
    expect(post!.blocks.at(-1)).toEqual(richText([para(previouslyLine(story))]));
  });
});

describe('desks and follows in the lowdb store', () => {
  it('survive a restart (index.json), and an older index without them opens', async () => {
    const { dir, cleanup } = await tempDir();
    try {
      const before = await openStore({ dataDir: dir });
      expect(await before.listDesks()).toEqual([]);
      await before.addDeskCountries('CANDES000', ['PE', 'BO'], 'U1');
      await before.addDeskCountries('CANDES000', ['BO', 'EC'], 'U2');
      await before.addDeskCountries('CCARIB000', ['HT'], null);
      expect(await before.removeDeskCountries('CCARIB000', [])).toBeNull();
      await before.follow('U1', 'PE');
      await before.follow('U2', 'PE');
      await before.follow('U2', 'HT');
      await before.muteFollower('U1', 'user_disabled');
      await before.close();

      const index = JSON.parse(await readFile(join(dir, 'index.json'), 'utf8'));
      expect(index.desks).toHaveLength(1);
      const after = await openStore({ dataDir: dir });
      expect(await after.listDesks()).toMatchObject([
        { channel: 'CANDES000', countries: ['PE', 'BO', 'EC'], addedBy: 'U1' },
      ]);
      expect(await after.followsOf('U2')).toEqual(['PE', 'HT']);
      expect(await after.followersOf(['PE', 'HT'])).toEqual(new Map([['U2', ['PE', 'HT']]]));
      expect(await after.unfollow('U2', 'HT')).toBe(true);
      expect(await after.unfollow('U2', 'HT')).toBe(false);
      await after.close();
    } finally {
      await cleanup();
    }
  });
});
