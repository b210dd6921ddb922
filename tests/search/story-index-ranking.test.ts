/**
 * The story index ranks as MiniSearch did when it was the index (and still would, configured as it was):
 * same hits, same order, same scores, same matched terms, for every word of a varied archive alone, as
 * a prefix, and in pairs and triples, over all time and over a period. MiniSearch (a devDependency) is
 * the reference: the compact index replaced it for memory (37 MB of heap at ten years against 9 MB), not
 * to rank differently.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import MiniSearch from 'minisearch';
import { describe, expect, it } from 'vitest';
import { variedBriefing } from '../../bench/archive.js';
import { rng } from '../../bench/random.js';
import { parseEmail } from '../../src/briefing/index.js';
import type { Briefing } from '../../src/briefing/types.js';
import { LEAD_CHARS, LEAD_SENTENCES, StoryIndex } from '../../src/search/story-index.js';
import { indexTerm, sentencesOf, storyTexts, termsOf, wordsOf } from '../../src/search/text.js';
import type { SearchPage } from '../../src/search/types.js';
import type { DateRange } from '../../src/store/types.js';
import { FIXTURE_DIR } from '../fixtures/compose.js';

/** The MiniSearch index as story-index.ts built and asked it. */
class Reference {
  readonly #search = new MiniSearch<{ id: number; words: string }>({
    fields: ['words'],
    storeFields: [],
    tokenize: wordsOf,
    processTerm: indexTerm,
  });
  readonly #places = new Map<
    number,
    { briefingId: string; date: string; section: number; item: number | null }
  >();
  #nextId = 1;

  add(briefingId: string, date: string, briefing: Briefing): void {
    for (const story of storyTexts(briefing)) {
      const id = this.#nextId++;
      const lead = sentencesOf(story.text).slice(0, LEAD_SENTENCES).join(' ').slice(0, LEAD_CHARS);
      this.#search.add({ id, words: `${story.title}\n${story.countries}\n${lead}` });
      this.#places.set(id, { briefingId, date, section: story.sectionIndex, item: story.itemIndex });
    }
  }

  search(query: string, range: DateRange) {
    const results = this.#search.search(wordsOf(query).join(' '), {
      combineWith: 'AND',
      prefix: (term, index, terms) => index === terms.length - 1 && term.length >= 3,
    });
    return results
      .map((result) => ({
        ...this.#places.get(result.id as number)!,
        score: result.score,
        terms: result.terms,
      }))
      .filter((hit) => hit.date >= range.from && hit.date <= range.to)
      .sort((a, b) => b.score - a.score || b.date.localeCompare(a.date));
  }
}

async function archive(): Promise<Array<{ id: string; date: string; briefing: Briefing }>> {
  const templates: Briefing[] = [];
  for (const name of ['gmail-seed.eml', 'gmail-chile.eml', 'outlook-colombia.eml', 'apple-elsalvador.eml']) {
    templates.push((await parseEmail(await readFile(join(FIXTURE_DIR, name)))).briefing);
  }
  const r = rng(14);
  return Array.from({ length: 240 }, (_, day) => {
    const date = new Date(Date.UTC(2021, 0, 1 + day)).toISOString().slice(0, 10);
    return { id: `b${day}`, date, briefing: variedBriefing(templates[day % templates.length]!, r, date) };
  });
}

/** A page with each hit's matched terms sorted: which prefix match is named first says nothing. */
const sameTerms = (page: SearchPage): SearchPage => ({
  ...page,
  hits: page.hits.map((hit) => ({ ...hit, terms: [...hit.terms].sort() })),
});

describe('StoryIndex ranking', () => {
  it('answers every query as the MiniSearch index did: hits, order, scores and matched terms', async () => {
    const briefings = await archive();
    const index = new StoryIndex();
    const reference = new Reference();
    // The same archive as the store has it: the older half built elsewhere (the search worker) and
    // installed as a segment, the newer half added after it.
    const built = new StoryIndex();
    const installed = new StoryIndex();
    briefings.forEach(({ id, date, briefing }, position) => {
      index.add(id, date, briefing);
      reference.add(id, date, briefing);
      if (position < briefings.length / 2) built.add(id, date, briefing);
      else {
        if (position === briefings.length / 2) installed.install(built.exportSegment());
        installed.add(id, date, briefing);
      }
    });
    const words = [
      ...new Set(briefings.flatMap(({ briefing }) => storyTexts(briefing).flatMap((s) => termsOf(s.text)))),
    ];
    expect(words.length).toBeGreaterThan(300);
    const r = rng(7);
    const word = () => words[Math.floor(r.next() * words.length)]!;
    const queries = [
      ...words,
      ...Array.from({ length: 150 }, () => word().slice(0, 3 + Math.floor(r.next() * 3))),
      ...Array.from({ length: 150 }, () => `${word()} ${word()}`),
      ...Array.from({ length: 100 }, () => `${word()} ${word().slice(0, 4)}`),
      ...Array.from({ length: 50 }, () => `${word()} ${word()} ${word()}`),
      'peru peru',
      'Perú',
      'the of',
    ];
    const ranges = [
      { from: '0001-01-01', to: '9999-12-31' },
      { from: '2021-03-01', to: '2021-05-31' },
    ];
    let compared = 0;
    const rows = (
      hits: Array<{
        briefingId: string;
        section: number;
        item: number | null;
        score: number;
        terms: string[];
      }>,
    ) =>
      hits.map((hit) => [
        hit.briefingId,
        hit.section,
        hit.item,
        Math.round(hit.score * 1e6),
        [...hit.terms].sort().join(' '),
      ]);
    for (const query of queries) {
      for (const range of ranges) {
        const page = index.search(query, range, 0, 10_000);
        const found = page.hits.map((hit) => ({ ...hit, section: hit.sectionIndex, item: hit.itemIndex }));
        expect(page.total, query).toBe(page.hits.length);
        expect(rows(found), query).toEqual(rows(reference.search(query, range)));
        expect(sameTerms(installed.search(query, range, 0, 10_000)), query).toEqual(sameTerms(page));
        compared += page.hits.length;
      }
    }
    // Most queries find something: the comparison is not of empty lists.
    expect(compared).toBeGreaterThan(10_000);

    // Removing a briefing of the segment and one added after it answers as the index built in one piece.
    for (const id of ['b3', 'b100', 'b200']) {
      index.remove(id);
      installed.remove(id);
    }
    expect(installed.size).toBe(index.size);
    for (const query of queries.slice(0, 400)) {
      expect(sameTerms(installed.search(query, ranges[0]!, 0, 10_000)), query).toEqual(
        sameTerms(index.search(query, ranges[0]!, 0, 10_000)),
      );
    }
  }, 60_000);
});
