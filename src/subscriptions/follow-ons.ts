/**
 * The posts a delivery makes after a briefing's thread: one per desk whose countries the briefing has
 * sections about, one direct message per follower of those countries. Keys are per desk channel and
 * per user, so each goes out once per briefing whatever happens in between.
 */
import type { FixedDesk } from '../config.js';
import type { FollowOnPost, PlanFollowOns } from '../delivery/deliverer.js';
import { cardPermalink, sectionPermalink } from '../query/permalinks.js';
import type { DeskStore, FollowStore, PostRecord } from '../store/types.js';
import { countriesAbout, sectionsAbout } from './about.js';
import { renderDeskPost, renderFollowNotice, type SectionIndexInput } from './render.js';

export const deskPostKey = (channel: string): string => `desk:${channel.toLowerCase()}`;
export const followPostKey = (user: string): string => `dm:${user}`;

/** DESKS and /desk desks together: a channel in both gets the union of their countries. */
export async function allDesks(fixed: readonly FixedDesk[], store: DeskStore): Promise<FixedDesk[]> {
  const merged = new Map<string, FixedDesk>();
  const add = (desk: FixedDesk) => {
    const key = desk.channel.toLowerCase();
    const known = merged.get(key);
    if (known) known.countries = [...new Set([...known.countries, ...desk.countries])];
    else merged.set(key, { channel: desk.channel, countries: [...desk.countries] });
  };
  fixed.forEach(add);
  (await store.listDesks()).forEach(add);
  return [...merged.values()];
}

export function planFollowOns(deps: {
  fixedDesks: readonly FixedDesk[];
  store: DeskStore & FollowStore;
}): PlanFollowOns {
  return async (stored, posted) => {
    const posts = [...posted.values()];
    const base: Omit<SectionIndexInput, 'sections'> = {
      stored,
      sectionLink: (index) => sectionPermalink(posts as PostRecord[], index),
      cardLink: cardPermalink(posts as PostRecord[]),
    };
    const planned: FollowOnPost[] = [];
    for (const desk of await allDesks(deps.fixedDesks, deps.store)) {
      const sections = sectionsAbout(stored.briefing, desk.countries);
      if (sections.length === 0) continue;
      planned.push({
        key: deskPostKey(desk.channel),
        target: { kind: 'channel', channel: desk.channel },
        message: renderDeskPost({ ...base, sections }, desk.countries),
      });
    }
    const about = countriesAbout(stored.briefing);
    if (about.length === 0) return planned;
    for (const [user, followed] of await deps.store.followersOf(about)) {
      const sections = sectionsAbout(stored.briefing, followed);
      if (sections.length === 0) continue;
      planned.push({
        key: followPostKey(user),
        target: { kind: 'dm', user },
        message: renderFollowNotice({ ...base, sections }, [
          ...new Set(sections.flatMap((s) => s.countries)),
        ]),
      });
    }
    return planned;
  };
}
