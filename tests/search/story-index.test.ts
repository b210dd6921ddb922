import { describe, expect, it } from 'vitest';
import { ALL_TIME } from '../../src/query/period.js';
import { StoryIndex } from '../../src/search/story-index.js';
import { briefing, list, prose } from '../query/archive.js';

function index() {
  const stories = new StoryIndex();
  stories.add(
    'b1',
    '2021-10-07',
    briefing('Security talks', '2021-10-07', [
      prose('Peru cabinet reshuffle', ['PE'], 'Pedro Castillo named Mirtha Vásquez prime minister.'),
      list('News Briefs', [
        { text: 'Haiti gangs control the roads to the port.', countries: ['HT'] },
        { text: 'Castillo’s approval fell in Lima.', countries: ['PE'] },
      ]),
    ]),
  );
  stories.add(
    'b2',
    '2022-03-01',
    briefing('Later', '2022-03-01', [
      prose('Castillo impeachment vote', ['PE'], 'Congress votes on Castillo.'),
    ]),
  );
  return stories;
}

describe('StoryIndex', () => {
  it('finds stories by every word, accents folded, the last word also as a prefix', () => {
    const stories = index();
    expect(stories.size).toBe(4);
    const where = (query: string) =>
      stories
        .search(query, ALL_TIME, 0, 10)
        .hits.map((hit) => [hit.briefingId, hit.sectionIndex, hit.itemIndex]);
    expect(where('vasquez')).toEqual([['b1', 0, null]]);
    expect(where('castillo lima')).toEqual([['b1', 1, 1]]);
    expect(where('haiti castil')).toEqual([]);
    expect(where('impeach')).toEqual([['b2', 0, null]]);
    expect(where('castil')).toHaveLength(3);
    expect(where('peru castil')).toHaveLength(3);
    expect(where('castil peru')).toEqual([]);
    // Country names are indexed: a story tagged HT is found by "Haiti" even without the word.
    expect(where('peru')).toHaveLength(3);
    expect(where('the of')).toEqual([]);
  });

  it('ranks the story that says it most first, and pages with the total', () => {
    const stories = index();
    const all = stories.search('castillo', ALL_TIME, 0, 10);
    expect(all.total).toBe(3);
    expect(all.hits[0]).toMatchObject({ briefingId: 'b2', sectionIndex: 0 });
    expect(all.hits[0]!.terms).toEqual(['castillo']);
    const second = stories.search('castillo', ALL_TIME, 1, 1);
    expect(second.total).toBe(3);
    expect(second.hits).toEqual([all.hits[1]]);
  });

  it('keeps to the date range, and forgets a removed or replaced briefing', () => {
    const stories = index();
    expect(stories.search('castillo', { from: '2021-01-01', to: '2021-12-31' }, 0, 10).total).toBe(2);
    stories.remove('b1');
    expect(stories.search('castillo', ALL_TIME, 0, 10).total).toBe(1);
    expect(stories.size).toBe(1);
    stories.add('b2', '2022-03-01', briefing('Later', '2022-03-01', [prose('Other', [], 'Nothing here.')]));
    expect(stories.search('castillo', ALL_TIME, 0, 10).total).toBe(0);
    expect(stories.search('nothing', ALL_TIME, 0, 10).total).toBe(1);
  });
});

describe('StoryIndex answers kept per query', () => {
  it('answers a repeat from what it ranked, pages past the kept ones, and drops them on any change', () => {
    const stories = index();
    const first = stories.search('castillo', ALL_TIME, 0, 10);
    const generation = stories.generation;
    expect(stories.search('castillo', ALL_TIME, 0, 10)).toEqual(first);
    expect(stories.generation).toBe(generation);
    // A page beyond what is kept is ranked again, with the same order.
    expect(stories.search('castillo', ALL_TIME, 250, 10)).toEqual({ total: 3, hits: [] });
    expect(stories.search('castillo', ALL_TIME, 2, 1).hits).toEqual([first.hits[2]]);

    stories.add(
      'b3',
      '2023-01-01',
      briefing('Newer', '2023-01-01', [prose('Castillo trial', ['PE'], 'Castillo in court.')]),
    );
    expect(stories.generation).toBeGreaterThan(generation);
    const after = stories.search('castillo', ALL_TIME, 0, 10);
    expect(after.total).toBe(4);
    stories.remove('b3');
    const place = (page: typeof first) =>
      page.hits.map((hit) => [hit.briefingId, hit.sectionIndex, hit.itemIndex]);
    expect(place(stories.search('castillo', ALL_TIME, 0, 10))).toEqual(place(first));
    // Hits handed out are copies: changing one does not change the next answer.
    first.hits[0]!.terms.push('changed');
    expect(stories.search('castillo', ALL_TIME, 0, 10).hits[0]!.terms).toEqual(['castillo']);
  });
});

describe('StoryIndex segments', () => {
  it('installs a built segment, hands back what was added before it, and keeps it current', () => {
    const built = index();
    const stories = new StoryIndex();
    stories.add(
      'b9',
      '2024-05-05',
      briefing('Early', '2024-05-05', [prose('Castillo freed', ['PE'], 'Castillo left.')]),
    );
    // Also in the segment (read from a file before this copy was revised): this copy is the one kept.
    stories.add('b2', '2022-03-01', briefing('Later', '2022-03-01', [prose('Other', [], 'Nothing here.')]));
    expect(stories.install(built.exportSegment())).toEqual(['b9', 'b2']);
    expect(stories.has('b1')).toBe(true);
    expect(stories.has('b2')).toBe(false);
    expect(stories.has('b9')).toBe(false);
    expect(() => stories.install(built.exportSegment())).toThrow(/already/);
    stories.add(
      'b9',
      '2024-05-05',
      briefing('Early', '2024-05-05', [prose('Castillo freed', ['PE'], 'Castillo left.')]),
    );
    stories.add('b2', '2022-03-01', briefing('Later', '2022-03-01', [prose('Other', [], 'Nothing here.')]));
    const where = (query: string) =>
      stories
        .search(query, ALL_TIME, 0, 10)
        .hits.map((hit) => [hit.briefingId, hit.sectionIndex, hit.itemIndex]);
    expect(where('castillo')).toHaveLength(3);
    expect(where('impeachment')).toEqual([]);
    expect(where('nothing')).toEqual([['b2', 0, null]]);
    // A prefix finds a term of the segment and one only added after it, each once.
    expect(where('castil')).toHaveLength(3);
    expect(
      stories
        .search('castil', ALL_TIME, 0, 10)
        .hits.flatMap((hit) => hit.terms)
        .sort(),
    ).toEqual(['castillo', 'castillo', 'castillo']);
    stories.remove('b1');
    expect(where('castillo')).toEqual([['b9', 0, null]]);
    expect(where('haiti')).toEqual([]);
    expect(stories.size).toBe(2);
    expect(() => stories.exportSegment()).toThrow(/already/);
  });
});
