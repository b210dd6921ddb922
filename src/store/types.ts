import type { Briefing } from '../briefing/types.js';
import type { SearchStore } from '../search/types.js';

/**
 * What the store keeps. All timestamps are ISO strings (UTC); dates are ISO YYYY-MM-DD in the
 * briefing's own calendar (Briefing.date, falling back to the receive date in NEWSROOM_TZ).
 */

export interface NewBriefing {
  /** Exactly-once key: `${channel}|${messageId}` or `${channel}|sha256(normalised text)`. */
  dedupeKey: string;
  channel: string;
  receivedAt: string;
  /** The date the briefing is filed under (YYYY-MM-DD). */
  date: string;
  forwardedBy: string | null;
  forwardedByName: string | null;
  messageId: string | null;
  briefing: Briefing;
}

export interface StoredBriefing extends NewBriefing {
  id: string;
}

export type DeliveryState = 'pending' | 'posting' | 'posted' | 'failed';

/** One Slack message the bot posted for a briefing. */
export interface PostRecord {
  /** 'card' for the briefing card; `s${sectionIndex}` or `s${sectionIndex}.${part}` for section posts. */
  key: string;
  sectionIndex: number | null;
  channel: string;
  ts: string;
  /** The parent's ts when this post is a thread reply. */
  threadTs: string | null;
  permalink: string | null;
  postedAt: string;
}

export interface Delivery {
  briefingId: string;
  state: DeliveryState;
  attempts: number;
  lastError: string | null;
  nextAttemptAt: string | null;
  updatedAt: string;
  posts: PostRecord[];
}

export interface DeliveryCounts {
  /** State pending or posting. */
  unfinished: number;
  failed: number;
}

export interface ThreadActivity {
  channel: string;
  threadTs: string;
  briefingId: string;
  sectionIndex: number | null;
  /** reply ts → user id. Ids and counts only: the bot never stores what people wrote. */
  replies: Record<string, string>;
  lastReplyAt: string | null;
}

export interface DigestRecord {
  date: string;
  channel: string;
  ts: string;
  postedAt: string;
}

/** A story: one item of a list section, or a whole prose section (itemIndex null). */
export interface StoryRef {
  briefingId: string;
  date: string;
  sectionIndex: number;
  itemIndex: number | null;
  countries: string[];
}

export interface DateRange {
  /** Inclusive YYYY-MM-DD bounds. */
  from: string;
  to: string;
}

/** Every role of the store; SearchStore (archive search) is declared in src/search/types.ts. */
export interface Store extends SearchStore {
  /** Flushes pending writes; the store is unusable afterwards. */
  close(): Promise<void>;

  // Briefings — the add is atomic per dedupeKey, so concurrent identical deliveries store once.
  addBriefing(input: NewBriefing): Promise<{ briefing: StoredBriefing; created: boolean }>;
  getBriefing(id: string): StoredBriefing | undefined;
  findByDedupeKey(key: string): StoredBriefing | undefined;
  /** Briefings filed under a date, oldest received first. */
  briefingsOn(date: string): StoredBriefing[];
  /** Nearest dates strictly before and after `date` that have a briefing. */
  nearestDates(date: string): { before: string | null; after: string | null };
  latestDate(): string | null;
  briefingCount(): number;
  lastReceivedAt(): string | null;
  /**
   * Briefings received within [fromIso, toIso) (ISO instants), whatever date they are filed under,
   * oldest received first. Served from a receivedAt index built at open and kept current on add.
   */
  briefingsReceivedBetween(fromIso: string, toIso: string): StoredBriefing[];
  /** Stories tagged with a country within a range, newest first (served from an in-memory index; read-only, frozen). */
  storiesAbout(country: string, range: DateRange): StoryRef[];

  // Deliveries — created 'pending' by addBriefing when created is true.
  getDelivery(briefingId: string): Delivery | undefined;
  listDeliveries(): Delivery[];
  /** Deliveries in state pending or posting (to resume after a restart). */
  unfinishedDeliveries(): Delivery[];
  /**
   * How many deliveries are unfinished (pending or posting) and how many failed, kept up to date on
   * every state change: /healthz asks on every probe, and must not walk ten years of deliveries.
   */
  deliveryCounts(): DeliveryCounts;
  /** Persists a post as soon as Slack returned its ts (before anything else is posted). */
  recordPost(briefingId: string, post: PostRecord): Promise<void>;
  updateDelivery(
    briefingId: string,
    patch: Partial<Pick<Delivery, 'state' | 'attempts' | 'lastError' | 'nextAttemptAt'>>,
  ): Promise<Delivery>;
  /** Which briefing post (if any) has this ts in this channel. */
  findPost(channel: string, ts: string): { briefingId: string; post: PostRecord } | undefined;

  // Thread discussion.
  /** Counts a reply once; false when this reply ts was already counted. */
  recordReply(
    thread: Omit<ThreadActivity, 'replies' | 'lastReplyAt'>,
    replyTs: string,
    user: string,
    at: string,
  ): Promise<boolean>;
  /** Uncounts a deleted reply; false when it was not counted. */
  removeReply(channel: string, threadTs: string, replyTs: string): Promise<boolean>;
  threadActivity(channel: string, threadTs: string): ThreadActivity | undefined;
  /** Threads of the briefings filed under a date. */
  threadsForDate(date: string): ThreadActivity[];
  /**
   * Threads with at least one reply posted within [fromIso, toIso) — the reply's Slack ts (epoch
   * seconds) gives its time — whatever the briefing's date. Each copy's `replies` holds only the
   * replies of that window and its `lastReplyAt` is the latest of them. Served from an in-memory
   * index of reply times (a binary search plus the window's replies), never a scan of all threads.
   */
  threadsWithRepliesBetween(fromIso: string, toIso: string): ThreadActivity[];

  // Digests — one per date.
  getDigest(date: string): DigestRecord | undefined;
  recordDigest(record: DigestRecord): Promise<void>;

  /** Event-id dedupe for Slack's retried deliveries; true the first time an id is seen. */
  markEventSeen(eventId: string): Promise<boolean>;
}
