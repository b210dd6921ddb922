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
  /**
   * Every version received, oldest first, once a corrected copy revised the briefing (absent before):
   * the last one is `briefing`. The record's own receivedAt, messageId and dedupeKey stay the first
   * version's, so the briefing keeps its place in the archive.
   */
  versions?: BriefingVersion[];
}

/** One copy of a briefing as it was received. */
export interface BriefingVersion {
  receivedAt: string;
  messageId: string | null;
  dedupeKey: string;
  briefing: Briefing;
}

/** The number of the briefing's current version: 0 for the first. */
export function revisionOf(stored: StoredBriefing): number {
  return stored.versions ? stored.versions.length - 1 : 0;
}

export type DeliveryState = 'pending' | 'posting' | 'posted' | 'failed';

/** One Slack message the bot posted for a briefing. */
export interface PostRecord {
  /**
   * 'card' for the briefing card; `s${sectionIndex}` or `s${sectionIndex}.${part}` for section posts;
   * `fold${part}` for the posts of the sections folded past the bound (sectionIndex null).
   */
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
  /** The version whose sections the post keys follow (absent: 0, the first). */
  revision?: number;
  /** The version whose edits (chat.update) are all in Slack (absent: 0). */
  updatedRevision?: number;
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

/** One page of a country's stories, and how many stories the range holds in all. */
export interface StoryRefPage {
  total: number;
  stories: StoryRef[];
  /**
   * The posts of the page's briefings (those with any), when the store read them with the page in the
   * same statement (PostgreSQL: one round trip less per `/country`); absent, the reader asks postsOf.
   */
  posts?: Map<string, PostRecord[]>;
}

/** Which stories a /country page shows: the page of 'about' stories and how many mentions beside it. */
export interface CountryPageWindow {
  offset: number;
  limit: number;
  /** The first this many stories that only mention the country (0 on later pages: the total alone). */
  mentionsLimit: number;
}

/** A /country page's two lists, as storiesPage would give each; `posts` (when read) covers both. */
export interface CountryPages {
  about: StoryRefPage;
  mentioning: StoryRefPage;
}

/** A day's briefings and their posts, as briefingsOn and postsOf give them. */
export interface FiledDay {
  briefings: StoredBriefing[];
  /** By briefing id; a briefing with no post is absent. */
  posts: Map<string, PostRecord[]>;
}

export interface DateRange {
  /** Inclusive YYYY-MM-DD bounds. */
  from: string;
  to: string;
}

/** A desk: a channel that gets one post per briefing listing the sections about its countries. */
export interface Desk {
  /** The channel as given (an id, or a name without '#'). */
  channel: string;
  /** ISO alpha-2 codes, in the order they were added. */
  countries: string[];
  /** Who set it up with /desk add (null for desks written by other means). */
  addedBy: string | null;
  updatedAt: string;
}

/** Desks set with /desk (DESKS in the environment are config, not stored). */
export interface DeskStore {
  listDesks(): Promise<Desk[]>;
  /** Adds countries to a channel's desk (creating it); returns the desk as it now is. */
  addDeskCountries(channel: string, countries: string[], by: string | null): Promise<Desk>;
  /**
   * Removes countries from a channel's desk, or the whole desk when `countries` is empty (or it ends up
   * with none); returns what is left (null when the desk is gone or never existed).
   */
  removeDeskCountries(channel: string, countries: string[]): Promise<Desk | null>;
}

/** One person following one country with /country follow. */
export interface Follow {
  user: string;
  country: string;
  since: string;
}

/** A user the bot stopped writing to (left the workspace, cannot be messaged). */
export interface MutedFollower {
  user: string;
  reason: string;
  at: string;
}

export interface FollowStore {
  /** False when the user already followed it. Following again un-mutes a muted user. */
  follow(user: string, country: string): Promise<boolean>;
  /** False when the user did not follow it. */
  unfollow(user: string, country: string): Promise<boolean>;
  /** The countries a user follows, in the order followed. */
  followsOf(user: string): Promise<string[]>;
  /** Every follow of any of these countries by a user who is not muted, grouped per user (order followed). */
  followersOf(countries: string[]): Promise<Map<string, string[]>>;
  /** Stops notices to a user (their follows are kept, in case they come back and follow again). */
  muteFollower(user: string, reason: string): Promise<void>;
  mutedFollower(user: string): Promise<MutedFollower | null>;
}

/**
 * Where a watched IMAP folder was left: its UIDVALIDITY (a string, as servers send up to 2^32-1) and the
 * highest UID taken from it. A UID at or below `lastUid` under the same UIDVALIDITY was ingested before.
 */
export interface MailboxCursor {
  uidValidity: string;
  lastUid: number;
  updatedAt: string;
}

export interface MailboxStore {
  /** The cursor of a mailbox (`user@host/folder`), or null before its first message. */
  mailboxCursor(mailbox: string): Promise<MailboxCursor | null>;
  saveMailboxCursor(mailbox: string, cursor: Omit<MailboxCursor, 'updatedAt'>): Promise<void>;
}

/**
 * The store is split by role so each consumer names only what it uses, and every method returns a
 * Promise so a backend may answer from memory (lowdb) or over the network (PostgreSQL) alike.
 */

/** Briefings — the add is atomic per dedupeKey, so concurrent identical deliveries store once. */
export interface BriefingStore {
  addBriefing(input: NewBriefing): Promise<{ briefing: StoredBriefing; created: boolean }>;
  getBriefing(id: string): Promise<StoredBriefing | undefined>;
  findByDedupeKey(key: string): Promise<StoredBriefing | undefined>;
  /** Briefings filed under a date, oldest received first. */
  briefingsOn(date: string): Promise<StoredBriefing[]>;
  /** briefingsOn with the briefings' posts: a day's answer waits for one read (one round trip), not two. */
  filedDay(date: string): Promise<FiledDay>;
  /**
   * Briefings filed under the dates of a range (inclusive), by date, then oldest received first as
   * briefingsOn: a period's summary in one read.
   */
  briefingsFiledBetween(range: DateRange): Promise<StoredBriefing[]>;
  /** Nearest dates strictly before and after `date` that have a briefing. */
  nearestDates(date: string): Promise<{ before: string | null; after: string | null }>;
  latestDate(): Promise<string | null>;
  briefingCount(): Promise<number>;
  lastReceivedAt(): Promise<string | null>;
  /**
   * Briefings received within [fromIso, toIso) (ISO instants), whatever date they are filed under,
   * oldest received first.
   */
  briefingsReceivedBetween(fromIso: string, toIso: string): Promise<StoredBriefing[]>;
  /** Stories tagged with a country within a range, newest first (read-only, frozen). */
  storiesAbout(country: string, range: DateRange): Promise<StoryRef[]>;
  /**
   * Stories that only mention a country (the parse contract's `mentions`), never one that is about it,
   * within a range, newest first (read-only, frozen).
   */
  storiesMentioning(country: string, range: DateRange): Promise<StoryRef[]>;
  /**
   * The stories `[offset, offset + limit)` of storiesAbout ('about') or storiesMentioning ('mentioning'),
   * in the same order, and how many the range holds: a /country page without handing over every ref of
   * ten years (a database pages and counts where the rows are).
   */
  storiesPage(
    which: 'about' | 'mentioning',
    country: string,
    range: DateRange,
    offset: number,
    limit: number,
  ): Promise<StoryRefPage>;
  /**
   * storiesPage('about', …window) and storiesPage('mentioning', …, 0, mentionsLimit) in one read: what a
   * /country page shows, with its briefings' posts where the store reads them in the same statement.
   */
  countryPages(country: string, range: DateRange, window: CountryPageWindow): Promise<CountryPages>;
  /** Those of these briefings that exist, by id: a page of stories read in one go, not one by one. */
  getBriefings(ids: readonly string[]): Promise<Map<string, StoredBriefing>>;
}

/** Corrected copies of a briefing (src/corrections): versions kept, the thread edited in place. */
export interface RevisionStore {
  /**
   * Makes `version` the briefing's current one: the earlier ones stay in `versions`, `version.dedupeKey`
   * finds this briefing from now on (a redelivery of the correction is a duplicate), and the delivery
   * goes back to pending so the thread is edited. created false: that key was already stored.
   */
  reviseBriefing(
    id: string,
    version: BriefingVersion,
  ): Promise<{ briefing: StoredBriefing; created: boolean }>;
  /**
   * Replaces the delivery's post records at once (a revision re-keys them to the new version's section
   * numbers) and records that they follow `revision`.
   */
  rekeyPosts(briefingId: string, posts: PostRecord[], revision: number): Promise<Delivery>;
}

/** Deliveries — created 'pending' by addBriefing when created is true. */
export interface DeliveryStore {
  getDelivery(briefingId: string): Promise<Delivery | undefined>;
  listDeliveries(): Promise<Delivery[]>;
  /** Deliveries in state pending or posting (to resume after a restart). */
  unfinishedDeliveries(): Promise<Delivery[]>;
  /**
   * How many deliveries are unfinished (pending or posting) and how many failed, kept up to date on
   * every state change: /healthz asks on every probe, and must not walk ten years of deliveries.
   */
  deliveryCounts(): Promise<DeliveryCounts>;
  /** Persists a post as soon as Slack returned its ts (before anything else is posted). */
  recordPost(briefingId: string, post: PostRecord): Promise<void>;
  updateDelivery(
    briefingId: string,
    patch: Partial<Pick<Delivery, 'state' | 'attempts' | 'lastError' | 'nextAttemptAt' | 'updatedRevision'>>,
  ): Promise<Delivery>;
  /**
   * The posts of these briefings' deliveries, by briefing id, each list as getDelivery orders it; a
   * briefing with no post (or no delivery) is absent. A page of answers links all its posts in one read.
   */
  postsOf(briefingIds: readonly string[]): Promise<Map<string, PostRecord[]>>;
  /** Which briefing post (if any) has this ts in this channel. */
  findPost(channel: string, ts: string): Promise<{ briefingId: string; post: PostRecord } | undefined>;
}

/** Thread discussion: ids and counts of replies under the bot's posts. */
export interface ReplyStore {
  /** Counts a reply once; false when this reply ts was already counted. */
  recordReply(
    thread: Omit<ThreadActivity, 'replies' | 'lastReplyAt'>,
    replyTs: string,
    user: string,
    at: string,
  ): Promise<boolean>;
  /** Uncounts a deleted reply; false when it was not counted. */
  removeReply(channel: string, threadTs: string, replyTs: string): Promise<boolean>;
  threadActivity(channel: string, threadTs: string): Promise<ThreadActivity | undefined>;
  /** Threads of the briefings filed under a date. */
  threadsForDate(date: string): Promise<ThreadActivity[]>;
  /**
   * Threads with at least one reply posted within [fromIso, toIso) — the reply's Slack ts (epoch
   * seconds) gives its time — whatever the briefing's date. Each copy's `replies` holds only the
   * replies of that window and its `lastReplyAt` is the latest of them.
   */
  threadsWithRepliesBetween(fromIso: string, toIso: string): Promise<ThreadActivity[]>;
}

/** Digests — one per date. */
export interface DigestStore {
  getDigest(date: string): Promise<DigestRecord | undefined>;
  recordDigest(record: DigestRecord): Promise<void>;
}

/**
 * Ids already handled, so a provider's retry is recognised. A mention is looked up first and marked
 * only once answered, so an answer that failed is given when Slack delivers the event again.
 */
export interface SeenStore {
  /** True when the id was marked within the window; marks nothing. */
  eventSeen(eventId: string): Promise<boolean>;
  /** Event-id dedupe for Slack's retried deliveries; true the first time an id is seen. */
  markEventSeen(eventId: string): Promise<boolean>;
}

/**
 * Units of work several instances may reach for at once: a delivery, a channel's posting turn, a day's
 * digest. A claim is a lease: held until released, renewed while its holder lives, and free for anyone
 * once it expires (a holder killed with SIGKILL renews nothing). The embedded store is one process
 * (its lock refuses a second), so there the claims live in memory; on PostgreSQL they are rows.
 */
export type ClaimKind = 'delivery' | 'channel' | 'digest';

export type ClaimResult =
  /** sinceDoneMs: how long ago this unit's last release with `done` was (null: never), by the store's clock. */
  | { ok: true; sinceDoneMs: number | null }
  /** Another owner holds it for this much longer (its lease, unless renewed). */
  | { ok: false; heldForMs: number };

export interface ClaimStore {
  /** Takes (or renews) the claim for `owner` when it is free, expired or already `owner`'s. */
  claim(kind: ClaimKind, name: string, owner: string, leaseMs: number): Promise<ClaimResult>;
  /**
   * Gives a claim up if `owner` still holds it. `done` keeps the unit's row and stamps when it was done
   * (a channel's last post, which paces the next); otherwise the claim is forgotten.
   */
  release(kind: ClaimKind, name: string, owner: string, done?: boolean): Promise<void>;
  /** Extends every claim `owner` holds to `leaseMs` from now; returns how many it holds. */
  renewClaims(owner: string, leaseMs: number): Promise<number>;
}

/** Where a one-use key comes from; each scope is its own namespace. */
export type TokenScope = 'mailgun' | 'slack-request';

/**
 * One-use keys: a Mailgun signature token, a signed Slack request. Only needed until `expiresAtMs`
 * (after it the timestamp check refuses them anyway). Shared by every instance on PostgreSQL.
 */
export interface TokenStore {
  /** Records the key; true the first time it is seen before it expires (`nowMs`: the caller's clock). */
  firstSighting(scope: TokenScope, key: string, expiresAtMs: number, nowMs: number): Promise<boolean>;
  /** Forgets a key whose request failed on our side, so the provider's retry is not taken for a replay. */
  forgetToken(scope: TokenScope, key: string): Promise<void>;
}

/** Everything a running bot needs from its store; SearchStore (archive search) is in src/search/types.ts. */
export interface Store
  extends BriefingStore,
    RevisionStore,
    DeliveryStore,
    ReplyStore,
    DigestStore,
    SeenStore,
    ClaimStore,
    TokenStore,
    DeskStore,
    FollowStore,
    MailboxStore,
    SearchStore {
  /** Flushes pending writes; the store is unusable afterwards. */
  close(): Promise<void>;
}
