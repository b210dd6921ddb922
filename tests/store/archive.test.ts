import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { generateArchive, variedBriefing } from '../../bench/archive.js';
import { rng } from '../../bench/random.js';
import { openStore } from '../../src/store/index.js';
import { sampleBriefing, tempDir } from './helpers.js';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => {
  ({ dir, cleanup } = await tempDir());
});
afterEach(() => cleanup());

describe('the benchmark archive', () => {
  it('files one delivered briefing a day, with posts, digests and some discussion', async () => {
    const summary = await generateArchive({
      dataDir: dir,
      days: 62,
      endDate: '2021-10-31',
      templates: [sampleBriefing('2021-10-07')],
    });
    expect(summary).toEqual({ briefings: 62, months: 3, firstDate: '2021-08-31', lastDate: '2021-10-31' });

    const store = await openStore({ dataDir: dir });
    expect(await store.briefingCount()).toBe(62);
    expect(await store.nearestDates('2021-09-15')).toEqual({ before: '2021-09-14', after: '2021-09-16' });
    const [briefing] = await store.briefingsOn('2021-10-07');
    expect(briefing?.briefing.date).toBe('2021-10-07');
    const delivery = (await store.getDelivery(briefing!.id))!;
    expect(delivery.state).toBe('posted');
    expect(delivery.posts.map((post) => post.key)).toEqual([
      'card',
      ...briefing!.briefing.sections.map((_, i) => `s${i}`),
    ]);
    expect((await store.findPost('C0BRIEFING', delivery.posts[0]!.ts))?.briefingId).toBe(briefing!.id);
    expect(await store.unfinishedDeliveries()).toEqual([]);
    expect((await store.getDigest('2021-09-01'))?.channel).toBe('C0DIGEST');
    const days = Array.from({ length: 31 }, (_, i) => `2021-10-${String(i + 1).padStart(2, '0')}`);
    const threads = await Promise.all(days.map((date) => store.threadsForDate(date)));
    const discussed = days.filter((_, i) => threads[i]!.length > 0);
    expect(discussed.length).toBeGreaterThan(0);
    expect(discussed.length).toBeLessThan(31);
    await store.close();
  });

  it('varies countries, sections and items, and is the same for the same seed', () => {
    const template = sampleBriefing('2021-10-07');
    const a = Array.from({ length: 30 }, (_, i) => variedBriefing(template, rng(i), '2021-10-08'));
    const b = Array.from({ length: 30 }, (_, i) => variedBriefing(template, rng(i), '2021-10-08'));
    expect(a).toEqual(b);
    const leadCountries = new Set(a.map((briefing) => briefing.sections[0]!.countries.join()));
    expect(leadCountries.size).toBeGreaterThan(3);
    expect(new Set(a.map((briefing) => briefing.sections.length)).size).toBeGreaterThan(1);
    for (const briefing of a) {
      expect(briefing.date).toBe('2021-10-08');
      expect(briefing.subject).toBe(`${briefing.title} (Oct 8, 2021)`);
      expect(briefing.sections[0]!.title).toBe(template.sections[0]!.title);
      // The US is not remapped: it is not a country of the region.
      expect(briefing.sections[0]!.countries).toContain('US');
    }
  });
});
