import type { Briefing } from '../briefing/types.js';

/** A story of one briefing, before it is tied to the briefing's id and date. */
export interface BriefingStory {
  sectionIndex: number;
  itemIndex: number | null;
  countries: string[];
}

/**
 * The stories of a briefing, in document order: each item of a `list` section is a story of its own
 * (tagged with the item's countries), any other section is one story (tagged with the section's).
 */
export function storiesOf(briefing: Briefing): BriefingStory[] {
  const stories: BriefingStory[] = [];
  briefing.sections.forEach((section, sectionIndex) => {
    if (section.kind === 'list') {
      section.items.forEach((item, itemIndex) => {
        stories.push({ sectionIndex, itemIndex, countries: [...item.countries] });
      });
    } else {
      stories.push({ sectionIndex, itemIndex: null, countries: [...section.countries] });
    }
  });
  return stories;
}
