import { Low, Memory } from 'lowdb';
import { describe, expect, it } from 'vitest';
import type { MonthData } from '../../src/store/files.js';
import { MonthFile } from '../../src/store/month.js';
import { newBriefing } from './helpers.js';

const onDisk = (): MonthData => ({
  briefings: [{ id: 'b_1', ...newBriefing('2021-10-07') }],
  deliveries: [],
  threads: [],
  digests: [],
});

describe('MonthFile.readBriefings', () => {
  it('reads an evicted month from its file without keeping the bodies (archive search reads every month once)', () => {
    let reads = 0;
    const low = new Low<MonthData>(new Memory(), { ...onDisk(), briefings: [] });
    const file = new MonthFile(
      '2021-10',
      low,
      () => {
        reads++;
        return onDisk();
      },
      { evicted: true },
    );
    expect(file.readBriefings().map((briefing) => briefing.id)).toEqual(['b_1']);
    expect(file.bodiesLoaded).toBe(false);
    expect(reads).toBe(1);
    // Loaded bodies (which may hold a write not yet on disk) are what it answers then, without a read.
    file.bodies();
    expect(file.readBriefings().map((briefing) => briefing.id)).toEqual(['b_1']);
    expect(reads).toBe(2);
    expect(file.bodiesLoaded).toBe(true);
  });
});
