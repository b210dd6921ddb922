/**
 * "Previously on …": for each section of a briefing, the last earlier story about its main country
 * within a window, read from the store's country index (a binary search and a short slice per country).
 */
import type { Section } from '../briefing/types.js';
import type { PreviousStories, PreviousStory } from '../slack/render/previously.js';
import type { Store, StoredBriefing, StoryRef } from '../store/types.js';
import { addDays } from './calendar.js';
import { firstSentence } from './first-sentence.js';
import { cardPermalink, sectionPermalink } from './permalinks.js';

/** A brief's first words stand in for a title: about one line of a context block. */
const BRIEF_TITLE_CHARS = 80;

type Reads = Pick<Store, 'storiesAbout' | 'getBriefing' | 'getDelivery'>;

/**
 * The country a section is mainly about: the first of its own tags (most salient first), else — a list
 * of briefs — the country most of its items are about (the first such on a tie).
 */
export function mainCountry(section: Section): string | null {
  if (section.countries[0]) return section.countries[0];
  const counts = new Map<string, number>();
  for (const item of section.items) {
    const code = item.countries[0];
    if (code) counts.set(code, (counts.get(code) ?? 0) + 1);
  }
  let best: string | null = null;
  for (const [code, count] of counts) if (best === null || count > counts.get(best)!) best = code;
  return best;
}

/** True when `ref` came before the briefing `current`: an earlier date, or the same date received earlier. */
function isEarlier(store: Reads, ref: StoryRef, current: StoredBriefing): boolean {
  if (ref.briefingId === current.id) return false;
  if (ref.date < current.date) return true;
  if (ref.date > current.date) return false;
  const other = store.getBriefing(ref.briefingId);
  return other !== undefined && other.receivedAt < current.receivedAt;
}

/** The story `ref` as a "Previously" line shows it: its title and where it was posted. */
export function previousStory(
  store: Reads,
  ref: StoryRef,
  country: string,
  currentDate: string,
): PreviousStory | null {
  const stored = store.getBriefing(ref.briefingId);
  const section = stored?.briefing.sections[ref.sectionIndex];
  if (!stored || !section) return null;
  const item = ref.itemIndex === null ? undefined : section.items[ref.itemIndex];
  const title = item ? firstSentence(item.text, BRIEF_TITLE_CHARS) : section.title || stored.briefing.title;
  const posts = store.getDelivery(stored.id)?.posts ?? [];
  return {
    country,
    date: ref.date,
    currentDate,
    title,
    permalink: sectionPermalink(posts, ref.sectionIndex) ?? cardPermalink(posts),
  };
}

export async function previousStories(
  store: Reads,
  current: StoredBriefing,
  days: number,
): Promise<PreviousStories> {
  const found = new Map<number, PreviousStory>();
  const byCountry = new Map<string, PreviousStory | null>();
  const range = { from: addDays(current.date, -days), to: current.date };
  current.briefing.sections.forEach((section, index) => {
    const country = mainCountry(section);
    if (!country) return;
    if (!byCountry.has(country)) {
      const ref = store
        .storiesAbout(country, range)
        .find((candidate) => isEarlier(store, candidate, current));
      byCountry.set(country, ref ? previousStory(store, ref, country, current.date) : null);
    }
    const story = byCountry.get(country);
    if (story) found.set(index, story);
  });
  return found;
}
