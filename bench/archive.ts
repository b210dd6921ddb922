/**
 * A ten-year archive for the benchmarks: 3,650 daily briefings made from the fixture briefings (varied
 * sections, items, lengths and countries, one per day), each fully delivered (card + one post per
 * section, permalinks), with thread replies on some and a digest per day — written through the Store,
 * as the bot would have written them over the years.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Briefing, Section } from '../src/briefing/types.js';
import { openStore } from '../src/store/index.js';
import type { NewBriefing, Store, StoredBriefing } from '../src/store/types.js';
import { type Rng, rng } from './random.js';

/** Countries the Latin America Daily Briefing covers; tags are remapped among them for variety. */
const REGION = [
  'MX',
  'GT',
  'SV',
  'HN',
  'NI',
  'CR',
  'PA',
  'CU',
  'HT',
  'DO',
  'PR',
  'JM',
  'CO',
  'VE',
  'EC',
  'PE',
  'BO',
  'BR',
  'PY',
  'UY',
  'AR',
  'CL',
] as const;
const DAY_MS = 24 * 60 * 60 * 1000;
/** Share of briefings someone discussed in their thread (a newsroom discusses a few a week). */
const DISCUSSED_SHARE = 0.3;

export interface ArchiveOptions {
  dataDir: string;
  /** Number of consecutive days, one briefing each, ending at `endDate`. */
  days: number;
  endDate: string;
  templates: readonly Briefing[];
  channel?: string;
  digestChannel?: string;
  seed?: number;
}

export interface ArchiveSummary {
  briefings: number;
  months: number;
  firstDate: string;
  lastDate: string;
}

const isoDate = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

function displayDate(date: string): string {
  return new Date(`${date}T12:00:00Z`).toLocaleDateString('en-US', {
    month: 'short',
    day: 'numeric',
    year: 'numeric',
    timeZone: 'UTC',
  });
}

/** One varied briefing from a template: other countries, some sections and items left out, shorter prose. */
export function variedBriefing(template: Briefing, r: Rng, date: string): Briefing {
  const shuffled = r.shuffle(REGION);
  const swap = new Map<string, string>();
  REGION.forEach((code, i) => {
    if (r.chance(0.6)) swap.set(code, shuffled[i]!);
  });
  const remap = (codes: readonly string[]): string[] => [
    ...new Set(codes.map((code) => swap.get(code) ?? code)),
  ];

  const sections: Section[] = [];
  template.sections.forEach((section, index) => {
    const keep = index === 0 || (section.kind === 'article' ? r.chance(0.3) : r.chance(0.8));
    if (!keep) return;
    let items = section.items;
    if (section.kind === 'list') {
      items = r.shuffle(items).slice(0, Math.max(1, r.int(Math.ceil(items.length / 2), items.length)));
    } else if (items.length > 1) {
      items = items.slice(0, r.int(1, items.length));
    }
    sections.push({
      ...section,
      countries: remap(section.countries),
      items: items.map((item) => ({ ...item, countries: remap(item.countries) })),
    });
  });
  const title = sections[0]?.title ?? template.title;
  return { ...template, title, subject: `${title} (${displayDate(date)})`, date, sections };
}

function slackTs(ms: number, sequence: number): string {
  return `${Math.floor(ms / 1000)}.${String(sequence).padStart(6, '0')}`;
}

async function deliverAsTheBotWould(
  store: Store,
  briefing: StoredBriefing,
  r: Rng,
  channel: string,
): Promise<void> {
  const base = Date.parse(briefing.receivedAt) + 60_000;
  const cardTs = slackTs(base, 100);
  const permalink = (ts: string) => `https://newsroom.slack.com/archives/${channel}/p${ts.replace('.', '')}`;
  const posts = [
    { key: 'card', sectionIndex: null, ts: cardTs },
    ...briefing.briefing.sections.map((_, index) => ({
      key: `s${index}`,
      sectionIndex: index,
      ts: slackTs(base, 200 + index),
    })),
  ];
  await store.updateDelivery(briefing.id, { state: 'posting', attempts: 1 });
  // One recordPost per Slack post, as the deliverer does; concurrent ones coalesce into few writes.
  await Promise.all(
    posts.map((post) =>
      store.recordPost(briefing.id, {
        ...post,
        channel,
        threadTs: post.key === 'card' ? null : cardTs,
        permalink: permalink(post.ts),
        postedAt: new Date(base).toISOString(),
      }),
    ),
  );
  await store.updateDelivery(briefing.id, { state: 'posted' });

  if (r.chance(DISCUSSED_SHARE)) {
    const replies = Array.from({ length: r.int(1, 6) }, (_, i) => ({
      at: base + (i + 1) * 7 * 60_000,
      ts: slackTs(base + (i + 1) * 7 * 60_000, 300 + i),
      user: `U0${r.int(100, 140)}`,
    }));
    await Promise.all(
      replies.map(({ at, ts, user }) =>
        store.recordReply(
          { channel, threadTs: cardTs, briefingId: briefing.id, sectionIndex: null },
          ts,
          user,
          new Date(at).toISOString(),
        ),
      ),
    );
  }
}

/** Writes `days` daily briefings, month by month (each month's writes in parallel, as coalesced writes). */
export async function generateArchive(options: ArchiveOptions): Promise<ArchiveSummary> {
  if (options.templates.length === 0) throw new Error('generateArchive needs at least one template briefing');
  const channel = options.channel ?? 'C0BRIEFING';
  const digestChannel = options.digestChannel ?? 'C0DIGEST';
  const r = rng(options.seed ?? 20211007);
  const end = Date.parse(`${options.endDate}T00:00:00Z`);
  const dates = Array.from({ length: options.days }, (_, i) =>
    isoDate(end - (options.days - 1 - i) * DAY_MS),
  );

  const byMonth = new Map<string, string[]>();
  for (const date of dates) {
    const month = date.slice(0, 7);
    byMonth.set(month, [...(byMonth.get(month) ?? []), date]);
  }

  const store = await openStore({ dataDir: options.dataDir });
  try {
    for (const monthDates of byMonth.values()) {
      const inputs: NewBriefing[] = monthDates.map((date) => {
        const briefing = variedBriefing(r.pick(options.templates), r, date);
        // Received on the day, between 11:00 and 14:59 UTC (morning in the Americas).
        const receivedAt = new Date(
          Date.parse(`${date}T11:00:00Z`) + r.int(0, 4 * 3600 - 1) * 1000,
        ).toISOString();
        const messageId = `<archive-${date}@latinamericadailybriefing.example>`;
        return {
          dedupeKey: `${channel}|${messageId}`,
          channel,
          receivedAt,
          date,
          forwardedBy: 'molly@newsroom.example',
          forwardedByName: 'Molly Molloy',
          messageId,
          briefing,
        };
      });
      const stored = await Promise.all(inputs.map((input) => store.addBriefing(input)));
      await Promise.all(stored.map(({ briefing }) => deliverAsTheBotWould(store, briefing, r, channel)));
      await Promise.all(
        monthDates.map((date) =>
          store.recordDigest({
            date,
            channel: digestChannel,
            ts: slackTs(Date.parse(`${date}T21:00:00Z`), 100),
            postedAt: `${date}T21:00:00.000Z`,
          }),
        ),
      );
    }
  } finally {
    await store.close();
  }
  return {
    briefings: dates.length,
    months: byMonth.size,
    firstDate: dates[0] ?? '',
    lastDate: dates.at(-1) ?? '',
  };
}

/** Total size of the store files under a data directory. */
export async function directoryBytes(dir: string): Promise<number> {
  let total = 0;
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) {
      total += (await stat(join(entry.parentPath, entry.name))).size;
    }
  }
  return total;
}

/** The fixture files the parser understands, read as raw bytes. */
export async function fixtureFiles(dir: string): Promise<Array<{ name: string; raw: Buffer }>> {
  const names = (await readdir(dir)).filter((name) => /\.(eml|txt|html?)$/i.test(name)).sort();
  return Promise.all(names.map(async (name) => ({ name, raw: await readFile(join(dir, name)) })));
}
