import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseEmail } from '../../src/briefing/index.js';
import { type CorpusEntry, loadCorpus } from '../fixtures/newsletters/corpus.js';
import { addCounts, emptyCounts, type Figures, figures, scoreIssue } from '../fixtures/newsletters/score.js';

/**
 * The parser's figures on the newsletter corpus may only go up: these floors are the figures measured
 * when they were last raised (the issue's goals are in score.ts; `npm run score` prints both).
 */
const FLOORS: Partial<Figures> = {
  section_f1: 0.96,
  list_items: 1,
  country_f1: 0.92,
  country_precision: 0.95,
  mention_f1: 0.84,
  date: 1,
  publication: 1,
};

let corpus: CorpusEntry[] = [];
beforeAll(async () => {
  corpus = await loadCorpus();
});

describe('newsletter corpus', () => {
  it('spans enough publishers, template families and languages, with a held-out part', () => {
    expect(corpus.length).toBeGreaterThanOrEqual(40);
    expect(new Set(corpus.map(({ issue }) => issue.publisher)).size).toBeGreaterThanOrEqual(15);
    expect(new Set(corpus.map(({ issue }) => issue.family)).size).toBeGreaterThanOrEqual(6);
    expect(new Set(corpus.map(({ issue }) => issue.lang))).toEqual(new Set(['en', 'es', 'pt']));
    expect(corpus.filter(({ issue }) => issue.split === 'heldout').length).toBeGreaterThanOrEqual(8);
    expect(new Set(corpus.map(({ issue }) => issue.id)).size).toBe(corpus.length);
  });

  it('has an index naming where every issue came from', () => {
    const index = readFileSync(new URL('../fixtures/newsletters/INDEX.md', import.meta.url), 'utf8');
    for (const { issue } of corpus) expect(index).toContain(`| ${issue.id} | ${issue.family} |`);
  });

  it('keeps the figures at or above their floors', async () => {
    let counts = emptyCounts();
    for (const { raw, gold } of corpus) {
      counts = addCounts(counts, scoreIssue((await parseEmail(raw)).briefing, gold).counts);
    }
    const measured = figures(counts);
    for (const [name, floor] of Object.entries(FLOORS)) {
      expect(measured[name as keyof Figures], name).toBeGreaterThanOrEqual(floor);
    }
  });
});
