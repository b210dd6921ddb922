/**
 * "Previously on …": for each section of a briefing, the last earlier story about its main country
 * within a window, read from the store's country index (a binary search and a short slice per country).
 */
import type { Section } from '../briefing/types.js';
import type { PreviousStories, PreviousStory } from '../slack/render/previously.js';
import type { ArchiveReads } from '../store/roles.js';
import type { StoredBriefing, StoryRef } from '../store/types.js';
import { addDays } from './calendar.js';
import { firstSentence } from './first-sentence.js';
import { cardPermalink, sectionPermalink } from './permalinks.js';

/** A brief's first words stand in for a title: about one line of a context block. */
const BRIEF_TITLE_CHARS = 80;

type Reads = ArchiveReads;

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
async function isEarlier(store: Reads, ref: StoryRef, current: StoredBriefing): Promise<boolean> {
  if (ref.briefingId === current.id) return false;
  if (ref.date < current.date) return true;
  if (ref.date > current.date) return false;
  const other = await store.getBriefing(ref.briefingId);
  return other !== undefined && other.receivedAt < current.receivedAt;
}

/** The story `ref` as a "Previously" line shows it: its title and where it was posted. */
export async function previousStory(
  store: Reads,
  ref: StoryRef,
  country: string,
  currentDate: string,
): Promise<PreviousStory | null> {
  const stored = await store.getBriefing(ref.briefingId);
  const section = stored?.briefing.sections[ref.sectionIndex];
  if (!stored || !section) return null;
  const item = ref.itemIndex === null ? undefined : section.items[ref.itemIndex];
  const title = item ? firstSentence(item.text, BRIEF_TITLE_CHARS) : section.title || stored.briefing.title;
  const posts = (await store.getDelivery(stored.id))?.posts ?? [];
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
  for (const [index, section] of current.briefing.sections.entries()) {
    const country = mainCountry(section);
    if (!country) continue;
    if (!byCountry.has(country)) {
      let story: PreviousStory | null = null;
      // Newest first: the first earlier one is the one; same-day briefings are the rare extra read.
      for (const candidate of await store.storiesAbout(country, range)) {
        if (!(await isEarlier(store, candidate, current))) continue;
        story = await previousStory(store, candidate, country, current.date);
        break;
      }
      byCountry.set(country, story);
    }
    const story = byCountry.get(country);
    if (story) found.set(index, story);
  }
  return found;
}
