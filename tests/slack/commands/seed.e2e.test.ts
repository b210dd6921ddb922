import { afterEach, expect, test } from 'vitest';
import { openMemoryStore } from '../../../src/store/index.js';
import { ingestSeed } from '../../support/seed.js';
import { type Harness, loggedErrors, startHarness, textOf } from './harness.js';

let harness: Harness | null = null;

afterEach(async () => {
  await harness?.close();
  harness = null;
  expect(loggedErrors.splice(0)).toEqual([]);
});

test('the seed, ingested by the real parser and posted by the deliverer, is what /briefing and /country answer', async () => {
  const now = new Date('2021-10-08T14:00:00Z');
  harness = await startHarness(await openMemoryStore({ now: () => now }), now);
  const { bot, command, standIn } = harness;
  await ingestSeed(bot, '<seed@example.org>');
  const posts = standIn.messages('briefings');
  expect(posts.length).toBeGreaterThan(0);

  const day = textOf((await command('/briefing', 'yesterday')).answer);
  expect(day).toContain('1 briefing on Thu, Oct 7, 2021');
  expect(day).toContain(
    'Peru cabinet reshuffle>* 🇵🇪 — Peruvian President Pedro Castillo named Mirtha Vásquez prime minister yesterday evening',
  );
  // The CNN article's summary is its first sentence, not its byline.
  expect(day).not.toContain('— By Evan Perez');
  // Every section line links to a post the stand-in really holds.
  const links = [...day.matchAll(/<(http[^|>]+)\|/g)].map((match) => match[1]!);
  expect(links.length).toBeGreaterThan(2);
  for (const link of links) expect(link).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/archives\/|^https:\/\//);

  const peru = textOf((await command('/country', 'Perú')).answer);
  // One story about Peru; the Puerto Rico brief ("as happened in Peru") only mentions it, listed apart.
  expect(peru).toMatch(/🇵🇪 \*Peru\*: 1 story /);
  expect(peru).toContain('Peru cabinet reshuffle');
  expect(peru).toContain('Thu, Oct 7, 2021');
  const [about, mentioned] = peru.split('*Also mentioned in*');
  expect(about).not.toContain('Puerto Rico');
  expect(mentioned).toMatch(/^ 1 story:\n• \*Thu, Oct 7, 2021\* · <[^|>]+\|Puerto Rico>/);

  // Afghanistan is only mentioned (in the pasted CNN article): no story about it, one mentioning it.
  const afghanistan = textOf((await command('/country', 'Afghanistan all')).answer);
  expect(afghanistan).toContain('No stories about 🇦🇫 *Afghanistan* in the whole archive.');
  expect(afghanistan).toContain('*Also mentioned in* 1 story:');
  expect(afghanistan).toContain('Biden looks to repair the frayed US relationship with Mexico');
});
