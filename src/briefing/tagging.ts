import { countriesIn } from '../countries/index.js';
import { sourcesIn } from './sources.js';
import type { DraftSection } from './structure.js';
import type { Item, Section } from './types.js';

/**
 * A briefing paragraph is under 5,000 characters; countries and sources are read from this much of a
 * longer one (a paste gone wrong, or hostile input), which keeps tagging time bounded.
 */
const MAX_TAGGED_CHARS = 20_000;

/**
 * Merges item countries into the section's, by salience: countries named in the title first (a section
 * is about what its heading names), then by the weight of their rank in each item, summed.
 */
export function mergeCountries(title: string, items: readonly Item[]): string[] {
  const score = new Map<string, number>();
  const firstSeen = new Map<string, number>();
  let order = 0;
  for (const item of items) {
    item.countries.forEach((code, rank) => {
      score.set(code, (score.get(code) ?? 0) + 1 / (rank + 1));
      if (!firstSeen.has(code)) firstSeen.set(code, order++);
    });
  }
  const fromTitle = countriesIn(title);
  const rest = [...score.keys()]
    .filter((code) => !fromTitle.includes(code))
    .sort(
      (a, b) =>
        (score.get(b) ?? 0) - (score.get(a) ?? 0) || (firstSeen.get(a) ?? 0) - (firstSeen.get(b) ?? 0),
    );
  return [...fromTitle, ...rest];
}

/** Draft section → public section: each paragraph an item with its countries, sources and links. */
export function tagSection(draft: DraftSection): Section {
  const items: Item[] = draft.paragraphs.map((paragraph) => ({
    text: paragraph.text,
    countries: countriesIn(paragraph.text.slice(0, MAX_TAGGED_CHARS)),
    sources: sourcesIn(paragraph.text.slice(0, MAX_TAGGED_CHARS)),
    links: paragraph.links,
  }));
  return {
    title: draft.title,
    kind: draft.kind,
    group: draft.group,
    countries: mergeCountries(draft.title, items),
    items,
  };
}
