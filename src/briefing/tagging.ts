import { sharingReads, storySalience } from '../countries/index.js';
import { sourcesIn } from './sources.js';
import type { DraftSection } from './structure.js';
import type { Item, Section } from './types.js';

/**
 * A briefing paragraph is under 5,000 characters; countries and sources are read from this much of a
 * longer one (a paste gone wrong, or hostile input), which keeps tagging time bounded.
 */
const MAX_TAGGED_CHARS = 20_000;

/**
 * A list section's countries: those its heading names, then what its items are about, by the weight of
 * their rank in each item, summed. What an item only mentions stays a mention of the section.
 */
function listSalience(title: string, items: readonly Item[]): { countries: string[]; mentions: string[] } {
  const score = new Map<string, number>();
  const firstSeen = new Map<string, number>();
  let order = 0;
  for (const item of items) {
    item.countries.forEach((code, rank) => {
      score.set(code, (score.get(code) ?? 0) + 1 / (rank + 1));
      if (!firstSeen.has(code)) firstSeen.set(code, order++);
    });
  }
  const fromTitle = storySalience(title, []).about;
  const rest = [...score.keys()]
    .filter((code) => !fromTitle.includes(code))
    .sort(
      (a, b) =>
        (score.get(b) ?? 0) - (score.get(a) ?? 0) || (firstSeen.get(a) ?? 0) - (firstSeen.get(b) ?? 0),
    );
  const countries = [...fromTitle, ...rest];
  const mentions = [
    ...new Set([...storySalience(title, []).mentions, ...items.flatMap((item) => item.mentions ?? [])]),
  ].filter((code) => !countries.includes(code));
  return { countries, mentions };
}

/**
 * Draft section → public section: each paragraph an item with its countries (what it is about, read as
 * a story of its own), mentions, sources and links; the section's countries by salience over its title
 * and all its paragraphs (a list's, over its items: each item is a story).
 */
export function tagSection(draft: DraftSection): Section {
  return sharingReads(() => tagWithReads(draft));
}

function tagWithReads(draft: DraftSection): Section {
  const items: Item[] = draft.paragraphs.map((paragraph) => {
    const text = paragraph.text.slice(0, MAX_TAGGED_CHARS);
    const salience = storySalience('', [text]);
    return {
      text: paragraph.text,
      countries: salience.about,
      mentions: salience.mentions,
      sources: sourcesIn(text),
      links: paragraph.links,
    };
  });
  const { countries, mentions } =
    draft.kind === 'list'
      ? listSalience(draft.title, items)
      : (({ about, mentions }) => ({ countries: about, mentions }))(
          storySalience(
            draft.title,
            items.map((item) => item.text.slice(0, MAX_TAGGED_CHARS)),
            { titleNeedsText: draft.kind === 'lead' },
          ),
        );
  return { title: draft.title, kind: draft.kind, group: draft.group, countries, mentions, items };
}
