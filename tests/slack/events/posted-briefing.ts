/**
 * Files a briefing in a store and records its Slack posts the way the deliverer does: the card, then one
 * post per section — as replies in the card's thread (THREAD_LAYOUT=briefing) or as top-level posts with
 * threads of their own (THREAD_LAYOUT=sections).
 */
import type { Briefing } from '../../../src/briefing/types.js';
import type { ThreadLayout } from '../../../src/config.js';
import type { Store, StoredBriefing } from '../../../src/store/types.js';

export interface PostedBriefing {
  stored: StoredBriefing;
  cardTs: string;
  /** ts of each section's post, by section index. */
  sectionTs: string[];
}

/** The card's thread of a posted briefing, as store.recordReply takes it. */
export function cardThread(posted: PostedBriefing, channel: string) {
  return { channel, threadTs: posted.cardTs, briefingId: posted.stored.id, sectionIndex: null };
}

export function permalinkOf(channel: string, ts: string, threadTs: string | null = null): string {
  const base = `https://briefing-newsroom.slack.com/archives/${channel}/p${ts.replace('.', '')}`;
  return threadTs ? `${base}?thread_ts=${threadTs}&cid=${channel}` : base;
}

export async function postBriefing(
  store: Store,
  briefing: Briefing,
  options: {
    channel: string;
    date: string;
    receivedAt: string;
    baseTs: number;
    layout?: ThreadLayout;
    posted?: boolean;
  },
): Promise<PostedBriefing> {
  const { channel, date, receivedAt, baseTs } = options;
  const { briefing: stored } = await store.addBriefing({
    dedupeKey: `${channel}|${briefing.subject}|${date}`,
    channel,
    receivedAt,
    date,
    forwardedBy: 'molly@example.org',
    forwardedByName: 'Molly Molloy',
    messageId: null,
    briefing,
  });
  const cardTs = `${baseTs}.000100`;
  const sectionTs = briefing.sections.map((_, index) => `${baseTs + 1 + index}.000200`);
  if (options.posted === false) return { stored, cardTs, sectionTs };
  const layout = options.layout ?? 'briefing';
  await store.recordPost(stored.id, {
    key: 'card',
    sectionIndex: null,
    channel,
    ts: cardTs,
    threadTs: null,
    permalink: permalinkOf(channel, cardTs),
    postedAt: receivedAt,
  });
  for (const [index, ts] of sectionTs.entries()) {
    const threadTs = layout === 'briefing' ? cardTs : null;
    await store.recordPost(stored.id, {
      key: `s${index}`,
      sectionIndex: index,
      channel,
      ts,
      threadTs,
      permalink: permalinkOf(channel, ts, threadTs),
      postedAt: receivedAt,
    });
  }
  await store.updateDelivery(stored.id, { state: 'posted' });
  return { stored, cardTs, sectionTs };
}
