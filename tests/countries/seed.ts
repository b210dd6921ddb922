/** Real sentences from the seed briefing, looked up by a phrase they contain so a test names its source. */
import { readFileSync } from 'node:fs';

const seed = readFileSync(new URL('../fixtures/seed-briefing.txt', import.meta.url), 'utf8');

/** The seed's paragraphs and bullets: blank lines and bullet marks separate them. */
export const seedParagraphs: string[] = seed
  .split(/\n\s*\n|\n\s*•\s*|\n(?=[A-Z][^\n]{0,40}\n)/u)
  .map((p) => p.trim())
  .filter((p) => p.length > 0);

/** The one paragraph of the seed containing `phrase`; throws if the fixture changed under the test. */
export function seedParagraph(phrase: string): string {
  const found = seedParagraphs.filter((p) => p.includes(phrase));
  if (found.length !== 1)
    throw new Error(`expected one seed paragraph with "${phrase}", got ${found.length}`);
  return found[0]!;
}

/** The sentence of the seed containing `phrase` (up to the next full stop). */
export function seedSentence(phrase: string): string {
  const paragraph = seedParagraph(phrase);
  const at = paragraph.indexOf(phrase);
  const previousEnd = paragraph.lastIndexOf('. ', at);
  const start = previousEnd < 0 ? 0 : previousEnd + 2;
  const end = paragraph.indexOf('. ', at + phrase.length);
  return paragraph.slice(start, end < 0 ? undefined : end + 1);
}

export const seedText = seed;
