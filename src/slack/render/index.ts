/**
 * Briefing → the ordered list of Slack posts that deliver it. Pure: the same stored briefing always
 * plans the same posts with the same keys, which is what lets an interrupted delivery resume.
 */
import type { SlackMessage } from './blocks.js';
import { type CardInput, renderCard } from './card.js';
import type { PreviousStories } from './previously.js';
import { renderSectionPosts } from './section.js';

export type { Block, SlackMessage } from './blocks.js';
export { type CardInput, formatBriefingDate, renderCard } from './card.js';
export { type PreviousStories, type PreviousStory, previouslyLine } from './previously.js';
export { renderSectionPosts, sectionTitle } from './section.js';

export interface PlannedPost {
  /** Matches PostRecord.key: 'card', `s${i}` for a section's first post, `s${i}.${part}` for the rest. */
  key: string;
  sectionIndex: number | null;
  /** 0 for the card and a section's first post; 1, 2… for its continuations. */
  part: number;
  message: SlackMessage;
}

export function postKey(sectionIndex: number, part: number): string {
  return part === 0 ? `s${sectionIndex}` : `s${sectionIndex}.${part}`;
}

/** `previous`: the "Previously on …" story of each section that has one (by section index). */
export function planPosts(input: CardInput, previous?: PreviousStories): PlannedPost[] {
  const posts: PlannedPost[] = [{ key: 'card', sectionIndex: null, part: 0, message: renderCard(input) }];
  input.briefing.sections.forEach((s, sectionIndex) => {
    renderSectionPosts(s, previous?.get(sectionIndex)).forEach((message, part) => {
      posts.push({ key: postKey(sectionIndex, part), sectionIndex, part, message });
    });
  });
  return posts;
}
