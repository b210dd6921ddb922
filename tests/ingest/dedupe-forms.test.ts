import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseEmail } from '../../src/briefing/index.js';
import { dedupeKey } from '../../src/ingest/dedupe.js';

const read = (path: string) => readFileSync(new URL(path, import.meta.url));

async function keyOf(path: string): Promise<string> {
  const parsed = await parseEmail(read(path));
  return dedupeKey('CBRIEFINGS', parsed.messageId, parsed.briefing);
}

describe('the exactly-once key across forwards of one briefing', () => {
  it('is the same for the seed forwarded by Gmail (HTML), through a Google Group, as the bundled sample and as a paste', async () => {
    const keys = await Promise.all(
      [
        '../fixtures/gmail-seed.eml',
        '../fixtures/google-group-seed.eml',
        '../../src/local/sample/latin-america-daily-briefing-2021-10-07.eml',
        '../fixtures/seed-briefing.txt',
      ].map(keyOf),
    );
    expect(new Set(keys).size).toBe(1);
    expect(keys[0]).toMatch(/^CBRIEFINGS\|sha256:[0-9a-f]{64}$/);
  });

  it('is the same for an Outlook forward and a double forward of one issue, and differs between issues', async () => {
    const colombia = await keyOf('../fixtures/outlook-colombia.eml');
    expect(await keyOf('../fixtures/double-forward-colombia.eml')).toBe(colombia);
    expect(await keyOf('../fixtures/gmail-chile.eml')).not.toBe(colombia);
  });

  it('uses the attached original’s Message-ID for a forward-as-attachment', async () => {
    expect(await keyOf('../fixtures/attachment-argentina.eml')).toBe(
      'CBRIEFINGS|argentina-2021-11-15@briefings.example.org',
    );
  });
});
