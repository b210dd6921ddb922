/**
 * From a mention to the messages that answer it: plan the request, read what it needs from the store
 * (the same /country search the slash command uses), render. No Slack I/O here.
 */
import { addDays } from '../../query/calendar.js';
import { storyPage } from '../../query/country-stories.js';
import { ALL_TIME } from '../../query/period.js';
import { mainCountry } from '../../query/previously.js';
import type { ArchiveReads } from '../../store/roles.js';
import type { SlackMessage } from '../render/blocks.js';
import { planMention } from './mention-plan.js';
import {
  helpReply,
  moreReply,
  outsideHelp,
  pickSectionReply,
  previouslyReply,
  relatedReply,
  sourcesReply,
  unknownSectionReply,
} from './mention-replies.js';
import type { BriefingThread } from './thread-of.js';

/** "Earlier stories" reach back a year: background older than that is rarely what a desk asks for. */
export const RELATED_LOOKBACK_DAYS = 365;

export async function answerMention(
  store: ArchiveReads,
  text: string,
  thread: BriefingThread | null,
): Promise<SlackMessage[]> {
  const sections = thread?.briefing.briefing.sections ?? [];
  const plan = planMention(text, thread ? { sections, sectionIndex: thread.sectionIndex } : null);
  if (!thread) return outsideHelp();
  const { briefing } = thread.briefing;
  switch (plan.kind) {
    case 'outside':
      return outsideHelp();
    case 'help':
      return helpReply(sections, thread.sectionIndex !== null);
    case 'more': {
      const section = sections[plan.sectionIndex];
      return section ? moreReply(section) : helpReply(sections, thread.sectionIndex !== null);
    }
    case 'sources':
      return sourcesReply(briefing, plan.sectionIndex);
    case 'related': {
      const to = addDays(thread.briefing.date, -1);
      const range = { from: plan.allTime ? ALL_TIME.from : addDays(to, -(RELATED_LOOKBACK_DAYS - 1)), to };
      const pages = await Promise.all(plan.countries.map((country) => storyPage(store, country, range, 1)));
      // An empty year says where the older stories are, rather than "none" when 2021 has some.
      const older = new Map<string, string>();
      for (const page of pages) {
        if (page.total > 0 || plan.allTime) continue;
        const before = { from: ALL_TIME.from, to: addDays(range.from, -1) };
        const newest = (await store.storiesPage('about', page.country, before, 0, 1)).stories[0];
        if (newest) older.set(page.country, newest.date);
      }
      return relatedReply(pages, { briefingDate: thread.briefing.date, older });
    }
    case 'previously': {
      const section = sections[plan.sectionIndex];
      const country = section ? mainCountry(section) : null;
      if (!section || !country) return relatedReply([]);
      // Everything filed before this briefing's day, however old: paging is how a reader goes back.
      const range = { from: ALL_TIME.from, to: addDays(thread.briefing.date, -1) };
      return previouslyReply(await storyPage(store, country, range, plan.page), {
        sectionIndex: plan.sectionIndex,
        implied: thread.sectionIndex === plan.sectionIndex,
      });
    }
    case 'pick-section':
      return pickSectionReply(plan.verb, sections, plan.candidates);
    case 'unknown-section':
      return unknownSectionReply(plan.verb, plan.query, sections);
  }
}
