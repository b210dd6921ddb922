import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ArchiveIndex, type BriefingMeta } from '../../src/store/indexes.js';
import type { BriefingStory } from '../../src/store/stories.js';
import type { StoryRef } from '../../src/store/types.js';

const COUNTRIES = ['MX', 'PE', 'BR', 'HT', 'US'];
const dateArb = fc
  .integer({ min: 0, max: 60 })
  .map((day) => new Date(Date.UTC(2021, 8, 1 + day)).toISOString().slice(0, 10));
const briefingArb = fc.record({
  date: dateArb,
  receivedMinute: fc.integer({ min: 0, max: 10_000 }),
  stories: fc.array(
    fc.record({
      list: fc.boolean(),
      countries: fc.uniqueArray(fc.constantFrom(...COUNTRIES), { maxLength: 3 }),
      mentions: fc.uniqueArray(fc.constantFrom(...COUNTRIES), { maxLength: 3 }),
    }),
    { maxLength: 6 },
  ),
});

/** The index's answer, the slow way: filter everything, order newest briefing first. */
function naive(
  metas: BriefingMeta[],
  stories: Map<string, BriefingStory[]>,
  country: string,
  from: string,
  to: string,
  tagged: (story: BriefingStory) => boolean = (story) => story.countries.includes(country),
) {
  const order = (m: BriefingMeta) => `${m.date}\u0000${m.receivedAt}\u0000${m.id}`;
  return [...metas]
    .filter((m) => m.date >= from && m.date <= to)
    .sort((a, b) => (order(a) < order(b) ? 1 : -1))
    .flatMap((m) =>
      (stories.get(m.id) ?? []).filter(tagged).map(
        (s): StoryRef => ({
          briefingId: m.id,
          date: m.date,
          sectionIndex: s.sectionIndex,
          itemIndex: s.itemIndex,
          countries: s.countries,
        }),
      ),
    );
}

describe('the archive index', () => {
  it('answers storiesAbout, storiesMentioning and nearestDates exactly as a full scan would', () => {
    fc.assert(
      fc.property(
        fc.array(briefingArb, { maxLength: 40 }),
        fc.constantFrom(...COUNTRIES),
        dateArb,
        dateArb,
        fc.nat({ max: 39 }),
        (briefings, country, a, b, removeAt) => {
          const index = new ArchiveIndex();
          const metas: BriefingMeta[] = [];
          const stories = new Map<string, BriefingStory[]>();
          briefings.forEach((briefing, n) => {
            const meta: BriefingMeta = {
              id: `b_${String(n).padStart(3, '0')}`,
              month: briefing.date.slice(0, 7),
              date: briefing.date,
              receivedAt: new Date(Date.UTC(2021, 8, 1, 0, briefing.receivedMinute)).toISOString(),
              dedupeKey: `k${n}`,
            };
            const own = briefing.stories.map((story, i) => ({
              sectionIndex: i,
              itemIndex: story.list ? 0 : null,
              countries: story.countries,
              // A story never mentions what it is about (storiesOf drops such a code; the index must too).
              mentions: story.mentions,
            }));
            metas.push(meta);
            stories.set(meta.id, own);
            index.add(meta, own);
          });
          // Taking one back (a failed write) leaves the index as if it had never been added.
          const removed = metas[removeAt];
          if (removed) {
            index.remove(removed.id);
            metas.splice(removeAt, 1);
          }
          const [from, to] = a <= b ? [a, b] : [b, a];
          expect(index.storiesAbout(country.toLowerCase(), { from, to })).toEqual(
            naive(metas, stories, country, from, to),
          );
          expect(index.storiesMentioning(country, { from, to })).toEqual(
            naive(
              metas,
              stories,
              country,
              from,
              to,
              (story) => story.mentions.includes(country) && !story.countries.includes(country),
            ),
          );

          const dates = [...new Set(metas.map((m) => m.date))].sort();
          expect(index.nearestDates(a)).toEqual({
            before: dates.filter((d) => d < a).at(-1) ?? null,
            after: dates.find((d) => d > a) ?? null,
          });
          expect(index.latestDate()).toBe(dates.at(-1) ?? null);
          expect(index.count()).toBe(metas.length);
          expect(index.lastReceivedAt()).toBe(
            metas
              .map((m) => m.receivedAt)
              .sort()
              .at(-1) ?? null,
          );
          expect(index.on(a).map((m) => m.id)).toEqual(
            metas
              .filter((m) => m.date === a)
              .sort((x, y) => (`${x.receivedAt}${x.id}` < `${y.receivedAt}${y.id}` ? -1 : 1))
              .map((m) => m.id),
          );
        },
      ),
      { numRuns: 300 },
    );
  });
});
