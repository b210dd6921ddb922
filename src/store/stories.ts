import type { Briefing } from '../briefing/types.js';

/** A story of one briefing, before it is tied to the briefing's id and date. */
export interface BriefingStory {
  sectionIndex: number;
  itemIndex: number | null;
  /** What the story is about. */
  countries: string[];
  /** Countries it only mentions (never one of `countries`); empty for briefings stored before mentions. */
  mentions: string[];
}

/** A story's mentions without what it is about (a hand-edited or older briefing may list a code twice). */
function only(tagged: { countries: readonly string[]; mentions?: readonly string[] }): string[] {
  const about = new Set(tagged.countries);
  return [...new Set(tagged.mentions ?? [])].filter((code) => !about.has(code));
}

/**
 * The stories of a briefing, in document order: each item of a `list` section is a story of its own
 * (tagged with the item's countries and mentions), any other section is one story (the section's).
 */
export function storiesOf(briefing: Briefing): BriefingStory[] {
  const stories: BriefingStory[] = [];
  briefing.sections.forEach((section, sectionIndex) => {
    if (section.kind === 'list') {
      section.items.forEach((item, itemIndex) => {
        stories.push({ sectionIndex, itemIndex, countries: [...item.countries], mentions: only(item) });
      });
    } else {
      stories.push({
        sectionIndex,
        itemIndex: null,
        countries: [...section.countries],
        mentions: only(section),
      });
    }
  });
  return stories;
}
