/**
 * Builds small archives in a memory store for query and command tests: briefings filed under given
 * dates, with section posts and permalinks recorded the way the deliverer records them.
 */
import type { Briefing, Section } from '../../src/briefing/types.js';
import { openMemoryStore } from '../../src/store/index.js';
import type { Store, StoredBriefing } from '../../src/store/types.js';

export const CHANNEL = 'C0BRIEFING';

export function prose(title: string, countries: string[], ...paragraphs: string[]): Section {
  return {
    title,
    kind: 'section',
    group: null,
    countries,
    items: paragraphs.map((text) => ({ text, countries, sources: [], links: [] })),
  };
}

export function list(title: string, items: Array<{ text: string; countries: string[] }>): Section {
  return {
    title,
    kind: 'list',
    group: 'News Briefs',
    countries: [...new Set(items.flatMap((item) => item.countries))],
    items: items.map((item) => ({ ...item, sources: [], links: [] })),
  };
}

export function briefing(title: string, date: string, sections: Section[]): Briefing {
  return {
    subject: `${title} (${date})`,
    title,
    publication: 'Latin America Daily Briefing',
    date,
    from: 'Latin America Daily Briefing <ladb@example.org>',
    note: null,
    sections,
  };
}

export function permalinkFor(id: string, key: string): string {
  return `https://newsroom.slack.com/archives/${CHANNEL}/p${id.replace(/\W/g, '')}${key.replace(/\W/g, '')}`;
}

let counter = 0;

/** Stores a briefing and, unless `posted` is false, records a card and one post per section. */
export async function addBriefing(
  store: Store,
  input: Briefing,
  options: { posted?: boolean; receivedAt?: string } = {},
): Promise<StoredBriefing> {
  counter += 1;
  const date = input.date!;
  const { briefing: stored } = await store.addBriefing({
    dedupeKey: `${CHANNEL}|test-${counter}-${input.title}`,
    channel: CHANNEL,
    receivedAt: options.receivedAt ?? `${date}T15:00:${String(counter % 60).padStart(2, '0')}Z`,
    date,
    forwardedBy: 'molly@example.org',
    forwardedByName: 'Molly Molloy',
    messageId: null,
    briefing: input,
  });
  if (options.posted === false) return stored;
  const keys = ['card', ...input.sections.map((_, index) => `s${index}`)];
  for (const [position, key] of keys.entries()) {
    await store.recordPost(stored.id, {
      key,
      sectionIndex: key === 'card' ? null : position - 1,
      channel: CHANNEL,
      ts: `${1_600_000_000 + counter}.${String(position).padStart(6, '0')}`,
      threadTs: key === 'card' ? null : `${1_600_000_000 + counter}.000000`,
      permalink: permalinkFor(stored.id, key),
      postedAt: `${date}T15:01:00Z`,
    });
  }
  return stored;
}

export async function emptyStore(): Promise<Store> {
  return openMemoryStore({ now: () => new Date('2026-11-29T14:00:00Z') });
}

/** The store, except that calling `method` throws, the way reading a corrupt month file would. */
export function failingOn(store: Store, method: keyof Store, message = 'disk on fire'): Store {
  return new Proxy(store, {
    get(target, key, receiver) {
      if (key === method) {
        return () => {
          throw new Error(message);
        };
      }
      const value = Reflect.get(target, key, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
