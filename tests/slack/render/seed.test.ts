/**
 * The pure path for the seed: parsed briefing → planned posts, compared with the exact posts the
 * end-to-end test sees arrive in Slack (tests/fixtures/seed-posts.json).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseEmail } from '../../../src/briefing/index.js';
import { planPosts } from '../../../src/slack/render/index.js';
import { composeEml } from '../../app/harness.js';

const expected = JSON.parse(
  readFileSync(new URL('../../fixtures/seed-posts.json', import.meta.url), 'utf8'),
) as Array<{
  text: string;
  blocks: unknown[];
}>;

describe('planPosts on the seed briefing', () => {
  it('renders exactly the card and section posts of the fixture', async () => {
    const parsed = await parseEmail(await composeEml());
    const plan = planPosts({
      briefing: parsed.briefing,
      date: parsed.briefing.date ?? '',
      forwardedBy: parsed.forwardedBy,
      forwardedByName: parsed.forwardedByName,
    });
    expect(plan.map((p) => p.key)).toEqual(['card', ...parsed.briefing.sections.map((_, i) => `s${i}`)]);
    expect(plan.map((p) => p.message)).toEqual(expected.map(({ text, blocks }) => ({ text, blocks })));
  });
});
