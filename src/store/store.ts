import { randomBytes } from 'node:crypto';
import type { Logger } from '@slack/bolt';
import type { Low } from 'lowdb';
import { type Segment, StoryIndex } from '../search/story-index.js';
import type { SearchPage } from '../search/types.js';
import { MemoryClaims } from './claims.js';
import { SeenEvents } from './events.js';
import type { IndexData } from './files.js';
import { ArchiveIndex, type BriefingMeta } from './indexes.js';
import { isIsoDate, monthOf } from './layout.js';
import type { MonthFile } from './month.js';
import { type BriefingSummary, summarise } from './open-cache.js';
import { PostIndex } from './post-index.js';
import { latestReplyTime, ReplyTimeline, replyTime } from './replies.js';
import { Subscriptions } from './subscriptions.js';
import type {
  BriefingVersion,
  ClaimKind,
  ClaimResult,
  CountryPages,
  CountryPageWindow,
  DateRange,
  Delivery,
  DeliveryCounts,
  Desk,
  DigestRecord,
  FiledDay,
  MailboxCursor,
  MutedFollower,
  NewBriefing,
  PostRecord,
  Store,
  StoredBriefing,
  StoryRef,
  StoryRefPage,
  ThreadActivity,
  TokenScope,
} from './types.js';

/**
 * Months whose briefing bodies stay in memory (least recently used beyond that are evicted). A month
 * of ~30 briefings is ~1.2 MB of heap; six cover what a desk asks about day to day (this week, last
 * month, the digest's day) while a ten-year archive stays near the idle goal, and an older month
 * reloads from its file in a few milliseconds when someone asks.
 */
export const MONTH_BODY_CACHE = 6;

/** Ids are `b_` + 10 base64url characters (60 random bits): short, URL-safe, never reused. */
const ID_RANDOM_BYTES = 8;
const ID_LENGTH = 10;

export interface StoreDeps {
  index: Low<IndexData>;
  /** Opens (or creates, empty) the file of a month. */
  openMonth: (month: string) => MonthFile;
  logger?: Logger;
  now: () => Date;
  monthCacheSize: number;
  /** Called once every write is flushed at close (releases the data directory's lock). */
  release?: () => Promise<void>;
  /** Every write method throws (openStore's readOnly: no lock is held, so nothing may be written). */
  readOnly?: boolean;
  /**
   * Builds the search index of these months' files off the bot's thread (search/build.ts); absent for a
   * memory store, whose months have no files: the index is then built here, month by month.
   */
  buildSearch?: (months: string[], signal: AbortSignal) => Promise<Segment>;
  /** buildSearch is used from this many months on (fewer are built here: see SEARCH_WORKER_MIN_MONTHS). */
  searchWorkerMinMonths?: number;
  /** Writes the open cache (open-cache.ts) for these months; absent for memory and read-only stores. */
  saveOpenCache?: (months: MonthFile[]) => Promise<void>;
}

const postKey = (channel: string, ts: string): string => `${channel}\u0000${ts}`;

/**
 * A delivery's posts repeat strings: every section post's threadTs is the card's ts, and posts sent in
 * one go share postedAt. Parsed from JSON each is a string of its own (V8 interns only the shortest), so
 * the repeats are made one string: ~1.9 MB of heap at ten years (25,000 posts), the same values.
 */
function shareRepeats(posts: PostRecord[]): void {
  const seen = new Map<string, string>();
  const shared = (value: string): string => {
    const known = seen.get(value);
    if (known !== undefined) return known;
    seen.set(value, value);
    return value;
  };
  for (const post of posts) {
    shared(post.ts);
    if (post.threadTs !== null) post.threadTs = shared(post.threadTs);
    post.postedAt = shared(post.postedAt);
  }
}

const copyDelivery = (delivery: Delivery): Delivery => ({
  ...delivery,
  posts: delivery.posts.map((post) => ({ ...post })),
});
const copyThread = (thread: ThreadActivity): ThreadActivity => ({
  ...thread,
  replies: { ...thread.replies },
});

/**
 * The partitioned store: one lowdb file per month plus a small index file (layout in README.md).
 * All reads are served from memory (as already-resolved Promises: the Store contract is async for
 * backends that are not); every write rewrites one month file (or the small index) and resolves once
 * it is on disk.
 */
export class PartitionedStore implements Store {
  readonly #deps: StoreDeps;
  readonly #months = new Map<string, MonthFile>();
  /** Months whose bodies are in memory, least recently used first. */
  readonly #recent = new Set<string>();
  readonly #index = new ArchiveIndex();
  /**
   * Full-text index of every story: built in the background by warmSearch (the bot calls it once it
   * listens, so start-up does not wait ~1 s per ten years for it) and kept current on add and removal.
   */
  readonly #stories = new StoryIndex();
  #storiesBuilt: Promise<void> | null = null;
  /** Ends the search build's worker when the store closes. */
  readonly #stopBuild = new AbortController();
  readonly #deliveries = new Map<string, Delivery>();
  /**
   * Ids of unfinished (pending/posting) and failed deliveries, kept in step with every state change:
   * /healthz counts them on each probe and resumeAll walks them at start, neither at the cost of
   * every delivery ever made.
   */
  readonly #unfinished = new Set<string>();
  readonly #failed = new Set<string>();
  readonly #posts = new PostIndex();
  readonly #threads = new Map<string, ThreadActivity>();
  readonly #threadsByBriefing = new Map<string, ThreadActivity[]>();
  /** Every counted reply by its ts's time: the day's discussion without walking every thread. */
  readonly #replyTimes = new ReplyTimeline();
  readonly #digests = new Map<string, DigestRecord>();
  readonly #events: SeenEvents;
  /** Adds whose write is in flight, so a concurrent duplicate waits for the same outcome. */
  readonly #pendingAdds = new Map<string, Promise<StoredBriefing>>();
  readonly #inFlight = new Set<Promise<unknown>>();
  readonly #subscriptions: Subscriptions;
  /** Claims and one-use keys: this process's memory is the truth while it holds the directory lock. */
  readonly #claims = new MemoryClaims();
  #closed = false;

  constructor(deps: StoreDeps) {
    this.#deps = deps;
    this.#events = new SeenEvents(deps.index.data.events);
    this.#subscriptions = new Subscriptions({
      data: () => deps.index.data,
      write: () => this.#track(deps.index.write()),
      now: deps.now,
      assertWritable: () => this.#assertOpen(),
    });
  }

  /**
   * Takes in a month file read at open: indexes it, then lets the cache evict its bodies if old.
   * `summaries`: the month came from the open cache without its bodies, and these say what to index.
   */
  loadMonth(file: MonthFile, summaries?: readonly BriefingSummary[]): void {
    this.#months.set(file.month, file);
    const data = file.data;
    for (const summary of summaries ?? data.briefings.map(summarise)) {
      if (this.#index.idForKey(summary.dedupeKey) !== undefined || this.#index.get(summary.id)) {
        // Only a crash between two racing writes could leave this; the first copy is the one answered.
        this.#deps.logger?.warn(`store: ignoring duplicate briefing ${summary.id} in ${file.month}`);
        continue;
      }
      this.#indexSummary(file.month, summary);
    }
    for (const delivery of data.deliveries) {
      this.#deliveries.set(delivery.briefingId, delivery);
      this.#trackState(delivery);
      shareRepeats(delivery.posts);
      for (const post of delivery.posts) {
        this.#posts.set(post.channel, post.ts, delivery.briefingId);
      }
    }
    for (const thread of data.threads) {
      this.#indexThread(thread);
      const key = postKey(thread.channel, thread.threadTs);
      for (const replyTs of Object.keys(thread.replies)) this.#replyTimes.load(key, replyTs);
    }
    for (const digest of data.digests) this.#digests.set(digest.date, digest);
    this.#touch(file);
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#stopBuild.abort();
    while (this.#inFlight.size > 0) await Promise.allSettled([...this.#inFlight]);
    if (this.#openCacheStale()) await this.#saveOpenCache();
    await this.#deps.release?.();
  }

  /** True when some month's open-cache entry is missing or out of date (it was written, or parsed at open). */
  #openCacheStale(): boolean {
    if (!this.#deps.saveOpenCache) return false;
    for (const file of this.#months.values()) if (file.cached === null) return true;
    return false;
  }

  /**
   * Writes the open cache now, in the background of the caller (openStore calls it once a month had to
   * be parsed; close calls it when a month changed). A failure costs only a slower next open.
   */
  saveOpenCacheSoon(): void {
    if (!this.#deps.saveOpenCache) return;
    // After the current turn, so openStore's caller goes on first.
    this.#track(new Promise<void>((resolve) => setImmediate(resolve)).then(() => this.#saveOpenCache()));
  }

  async #saveOpenCache(): Promise<void> {
    try {
      await this.#deps.saveOpenCache?.([...this.#months.values()]);
    } catch (error) {
      this.#deps.logger?.warn(`store: could not write the open cache (${(error as Error).message})`);
    }
  }

  // Briefings

  async addBriefing(input: NewBriefing): Promise<{ briefing: StoredBriefing; created: boolean }> {
    this.#assertOpen();
    // Everything up to the write happens synchronously, so concurrent adds of one key cannot interleave.
    const pending = this.#pendingAdds.get(input.dedupeKey);
    if (pending) return { briefing: await pending, created: false };
    const existing = this.#byDedupeKey(input.dedupeKey);
    if (existing) return { briefing: existing, created: false };
    if (!isIsoDate(input.date))
      throw new Error(`addBriefing: date must be YYYY-MM-DD, got ${JSON.stringify(input.date)}`);

    const file = this.#monthFile(monthOf(input.date));
    const bodies = file.bodies();
    const briefing: StoredBriefing = { id: this.#newId(), ...structuredClone(input) };
    const delivery: Delivery = {
      briefingId: briefing.id,
      state: 'pending',
      attempts: 0,
      lastError: null,
      nextAttemptAt: null,
      updatedAt: this.#deps.now().toISOString(),
      posts: [],
    };
    file.data.briefings.push(briefing);
    bodies.set(briefing.id, briefing);
    file.data.deliveries.push(delivery);
    this.#indexBriefing(file.month, briefing);
    this.#stories.add(briefing.id, briefing.date, briefing.briefing);
    this.#deliveries.set(briefing.id, delivery);
    this.#trackState(delivery);

    const written = this.#track(file.write()).then(() => briefing);
    this.#pendingAdds.set(input.dedupeKey, written);
    try {
      await written;
    } catch (error) {
      this.#unadd(file, briefing.id);
      throw error;
    } finally {
      this.#pendingAdds.delete(input.dedupeKey);
    }
    return { briefing, created: true };
  }

  async getBriefing(id: string): Promise<StoredBriefing | undefined> {
    return this.#briefing(id);
  }

  async reviseBriefing(
    id: string,
    version: BriefingVersion,
  ): Promise<{ briefing: StoredBriefing; created: boolean }> {
    this.#assertOpen();
    // As in addBriefing: synchronous up to the write, so two copies of one correction revise once.
    const pending = this.#pendingAdds.get(version.dedupeKey);
    if (pending) return { briefing: await pending, created: false };
    const existing = this.#byDedupeKey(version.dedupeKey);
    if (existing) return { briefing: existing, created: false };
    const current = this.#briefing(id);
    const meta = this.#index.get(id);
    const delivery = this.#deliveries.get(id);
    if (!current || !meta || !delivery) throw new Error(`reviseBriefing: no briefing ${id}`);
    const file = this.#monthFile(meta.month);
    const bodies = file.bodies();
    const first: BriefingVersion = {
      receivedAt: current.receivedAt,
      messageId: current.messageId,
      dedupeKey: current.dedupeKey,
      briefing: current.briefing,
    };
    const revised: StoredBriefing = {
      ...current,
      briefing: structuredClone(version.briefing),
      versions: [...(current.versions ?? [first]), structuredClone(version)],
    };
    const position = file.data.briefings.findIndex((briefing) => briefing.id === id);
    if (position < 0) throw new Error(`reviseBriefing: ${id} is not in its month file`);
    const before = { delivery: copyDelivery(delivery) };
    file.data.briefings[position] = revised;
    bodies.set(id, revised);
    this.#index.remove(id);
    this.#indexBriefing(meta.month, revised);
    this.#stories.remove(id);
    this.#stories.add(id, revised.date, revised.briefing);
    delivery.state = 'pending';
    delivery.attempts = 0;
    delivery.lastError = null;
    delivery.nextAttemptAt = null;
    delivery.updatedAt = this.#deps.now().toISOString();
    this.#trackState(delivery);

    const written = this.#track(file.write()).then(() => revised);
    this.#pendingAdds.set(version.dedupeKey, written);
    try {
      await written;
    } catch (error) {
      // Put the month back as it was: the correction was not stored.
      file.data.briefings[position] = current;
      bodies.set(id, current);
      this.#index.remove(id);
      this.#indexBriefing(meta.month, current);
      this.#stories.remove(id);
      this.#stories.add(id, current.date, current.briefing);
      Object.assign(delivery, before.delivery);
      this.#trackState(delivery);
      throw error;
    } finally {
      this.#pendingAdds.delete(version.dedupeKey);
    }
    return { briefing: revised, created: true };
  }

  /** Synchronous, so addBriefing's check-then-insert cannot interleave with another add. */
  #briefing(id: string): StoredBriefing | undefined {
    const meta = this.#index.get(id);
    if (!meta) return undefined;
    const file = this.#months.get(meta.month);
    if (!file) return undefined;
    const briefing = file.bodies().get(id);
    this.#touch(file);
    return briefing;
  }

  async findByDedupeKey(key: string): Promise<StoredBriefing | undefined> {
    return this.#byDedupeKey(key);
  }

  #byDedupeKey(key: string): StoredBriefing | undefined {
    const id = this.#index.idForKey(key);
    return id === undefined ? undefined : this.#briefing(id);
  }

  async briefingsOn(date: string): Promise<StoredBriefing[]> {
    const result: StoredBriefing[] = [];
    for (const meta of this.#index.on(date)) {
      const briefing = this.#briefing(meta.id);
      if (briefing) result.push(briefing);
    }
    return result;
  }

  async filedDay(date: string): Promise<FiledDay> {
    const briefings = await this.briefingsOn(date);
    return { briefings, posts: await this.postsOf(briefings.map((one) => one.id)) };
  }

  async briefingsFiledBetween(range: DateRange): Promise<StoredBriefing[]> {
    const result: StoredBriefing[] = [];
    // From one filed date to the next in the date index: only the days that have briefings are read.
    let date =
      this.#index.on(range.from).length > 0 ? range.from : this.#index.nearestDates(range.from).after;
    while (date !== null && date <= range.to) {
      result.push(...(await this.briefingsOn(date)));
      date = this.#index.nearestDates(date).after;
    }
    return result;
  }

  async nearestDates(date: string): Promise<{ before: string | null; after: string | null }> {
    return this.#index.nearestDates(date);
  }

  async latestDate(): Promise<string | null> {
    return this.#index.latestDate();
  }

  async briefingCount(): Promise<number> {
    return this.#index.count();
  }

  async lastReceivedAt(): Promise<string | null> {
    return this.#index.lastReceivedAt();
  }

  async briefingsReceivedBetween(fromIso: string, toIso: string): Promise<StoredBriefing[]> {
    const result: StoredBriefing[] = [];
    for (const meta of this.#index.receivedBetween(fromIso, toIso)) {
      const briefing = this.#briefing(meta.id);
      if (briefing) result.push(briefing);
    }
    return result;
  }

  async storiesAbout(country: string, range: DateRange): Promise<StoryRef[]> {
    return this.#index.storiesAbout(country, range);
  }

  async storiesMentioning(country: string, range: DateRange): Promise<StoryRef[]> {
    return this.#index.storiesMentioning(country, range);
  }

  async storiesPage(
    which: 'about' | 'mentioning',
    country: string,
    range: DateRange,
    offset: number,
    limit: number,
  ): Promise<StoryRefPage> {
    // The index's lists are in memory already: a slice of them is the page.
    const refs =
      which === 'about'
        ? this.#index.storiesAbout(country, range)
        : this.#index.storiesMentioning(country, range);
    return { total: refs.length, stories: refs.slice(offset, offset + Math.max(0, limit)) };
  }

  async countryPages(country: string, range: DateRange, window: CountryPageWindow): Promise<CountryPages> {
    const [about, mentioning] = await Promise.all([
      this.storiesPage('about', country, range, window.offset, window.limit),
      this.storiesPage('mentioning', country, range, 0, window.mentionsLimit),
    ]);
    return { about, mentioning };
  }

  async getBriefings(ids: readonly string[]): Promise<Map<string, StoredBriefing>> {
    const found = new Map<string, StoredBriefing>();
    for (const id of ids) {
      const briefing = this.#briefing(id);
      if (briefing) found.set(id, briefing);
    }
    return found;
  }

  // Deliveries

  async getDelivery(briefingId: string): Promise<Delivery | undefined> {
    const delivery = this.#deliveries.get(briefingId);
    return delivery && copyDelivery(delivery);
  }

  async postsOf(briefingIds: readonly string[]): Promise<Map<string, PostRecord[]>> {
    const found = new Map<string, PostRecord[]>();
    for (const id of briefingIds) {
      const posts = this.#deliveries.get(id)?.posts;
      if (posts?.length)
        found.set(
          id,
          posts.map((post) => ({ ...post })),
        );
    }
    return found;
  }

  async listDeliveries(): Promise<Delivery[]> {
    return [...this.#deliveries.values()].map(copyDelivery);
  }

  async unfinishedDeliveries(): Promise<Delivery[]> {
    const result: Delivery[] = [];
    for (const id of this.#unfinished) {
      const delivery = this.#deliveries.get(id);
      if (delivery) result.push(copyDelivery(delivery));
    }
    return result;
  }

  async deliveryCounts(): Promise<DeliveryCounts> {
    return { unfinished: this.#unfinished.size, failed: this.#failed.size };
  }

  async recordPost(briefingId: string, post: PostRecord): Promise<void> {
    this.#assertOpen();
    const { delivery, month } = this.#deliveryOf(briefingId);
    const stored = { ...post };
    const index = delivery.posts.findIndex((other) => other.key === post.key);
    if (index >= 0) {
      const previous = delivery.posts[index]!;
      this.#posts.delete(previous.channel, previous.ts);
      delivery.posts[index] = stored;
    } else {
      delivery.posts.push(stored);
    }
    this.#posts.set(post.channel, post.ts, briefingId);
    delivery.updatedAt = this.#deps.now().toISOString();
    await this.#write(month);
  }

  async rekeyPosts(briefingId: string, posts: PostRecord[], revision: number): Promise<Delivery> {
    this.#assertOpen();
    const { delivery, month } = this.#deliveryOf(briefingId);
    for (const post of delivery.posts) this.#posts.delete(post.channel, post.ts);
    delivery.posts = posts.map((post) => ({ ...post }));
    for (const post of delivery.posts) this.#posts.set(post.channel, post.ts, briefingId);
    delivery.revision = revision;
    delivery.updatedAt = this.#deps.now().toISOString();
    await this.#write(month);
    return copyDelivery(delivery);
  }

  async updateDelivery(
    briefingId: string,
    patch: Partial<Pick<Delivery, 'state' | 'attempts' | 'lastError' | 'nextAttemptAt' | 'updatedRevision'>>,
  ): Promise<Delivery> {
    this.#assertOpen();
    const { delivery, month } = this.#deliveryOf(briefingId);
    if (patch.state !== undefined) {
      delivery.state = patch.state;
      this.#trackState(delivery);
    }
    if (patch.attempts !== undefined) delivery.attempts = patch.attempts;
    if (patch.lastError !== undefined) delivery.lastError = patch.lastError;
    if (patch.nextAttemptAt !== undefined) delivery.nextAttemptAt = patch.nextAttemptAt;
    if (patch.updatedRevision !== undefined) delivery.updatedRevision = patch.updatedRevision;
    delivery.updatedAt = this.#deps.now().toISOString();
    await this.#write(month);
    return copyDelivery(delivery);
  }

  async findPost(channel: string, ts: string): Promise<{ briefingId: string; post: PostRecord } | undefined> {
    const briefingId = this.#posts.get(channel, ts);
    if (briefingId === undefined) return undefined;
    const post = this.#deliveries
      .get(briefingId)
      ?.posts.find((candidate) => candidate.channel === channel && candidate.ts === ts);
    return post && { briefingId, post: { ...post } };
  }

  // Threads

  async recordReply(
    thread: Omit<ThreadActivity, 'replies' | 'lastReplyAt'>,
    replyTs: string,
    user: string,
    at: string,
  ): Promise<boolean> {
    this.#assertOpen();
    const meta = this.#metaOf(thread.briefingId);
    let activity = this.#threads.get(postKey(thread.channel, thread.threadTs));
    if (activity && Object.hasOwn(activity.replies, replyTs)) return false;
    if (!activity) {
      activity = {
        channel: thread.channel,
        threadTs: thread.threadTs,
        briefingId: thread.briefingId,
        sectionIndex: thread.sectionIndex,
        replies: {},
        lastReplyAt: null,
      };
      this.#monthFile(meta.month).data.threads.push(activity);
      this.#indexThread(activity);
    }
    // defineProperty, not assignment: a ts of "__proto__" must stay a plain key.
    Object.defineProperty(activity.replies, replyTs, {
      value: user,
      enumerable: true,
      writable: true,
      configurable: true,
    });
    if (activity.lastReplyAt === null || at > activity.lastReplyAt) activity.lastReplyAt = at;
    this.#replyTimes.add(postKey(activity.channel, activity.threadTs), replyTs);
    await this.#write(this.#metaOf(activity.briefingId).month);
    return true;
  }

  async removeReply(channel: string, threadTs: string, replyTs: string): Promise<boolean> {
    this.#assertOpen();
    const activity = this.#threads.get(postKey(channel, threadTs));
    if (!activity || !Object.hasOwn(activity.replies, replyTs)) return false;
    delete activity.replies[replyTs];
    this.#replyTimes.remove(postKey(channel, threadTs), replyTs);
    activity.lastReplyAt = latestReplyTime(activity.replies, activity.lastReplyAt);
    await this.#write(this.#metaOf(activity.briefingId).month);
    return true;
  }

  async threadActivity(channel: string, threadTs: string): Promise<ThreadActivity | undefined> {
    const activity = this.#threads.get(postKey(channel, threadTs));
    return activity && copyThread(activity);
  }

  async threadsForDate(date: string): Promise<ThreadActivity[]> {
    return this.#index
      .on(date)
      .flatMap((meta) => (this.#threadsByBriefing.get(meta.id) ?? []).map(copyThread));
  }

  async threadsWithRepliesBetween(fromIso: string, toIso: string): Promise<ThreadActivity[]> {
    const fromMs = Date.parse(fromIso);
    const toMs = Date.parse(toIso);
    if (Number.isNaN(fromMs) || Number.isNaN(toMs)) {
      throw new Error(`threadsWithRepliesBetween: expected ISO instants, got ${fromIso} and ${toIso}`);
    }
    const result: ThreadActivity[] = [];
    for (const [key, stamps] of this.#replyTimes.between(fromMs, toMs)) {
      const activity = this.#threads.get(key);
      if (!activity) continue;
      const replies: Record<string, string> = {};
      for (const replyTs of stamps) {
        const user = activity.replies[replyTs];
        if (user === undefined || !Object.hasOwn(activity.replies, replyTs)) continue;
        Object.defineProperty(replies, replyTs, {
          value: user,
          enumerable: true,
          writable: true,
          configurable: true,
        });
      }
      // Stamps come oldest first, so the last one is the window's latest reply.
      const latest = replyTime(stamps[stamps.length - 1]!);
      result.push({
        ...activity,
        replies,
        lastReplyAt: latest === null ? activity.lastReplyAt : new Date(latest).toISOString(),
      });
    }
    return result;
  }

  // Digests

  async getDigest(date: string): Promise<DigestRecord | undefined> {
    const digest = this.#digests.get(date);
    return digest && { ...digest };
  }

  async recordDigest(record: DigestRecord): Promise<void> {
    this.#assertOpen();
    const file = this.#monthFile(monthOf(record.date));
    const stored = { ...record };
    const digests = file.data.digests;
    const index = digests.findIndex((digest) => digest.date === record.date);
    if (index >= 0) digests[index] = stored;
    else digests.push(stored);
    this.#digests.set(record.date, stored);
    await this.#write(file.month);
  }

  async searchStories(query: string, range: DateRange, offset: number, limit: number): Promise<SearchPage> {
    this.warmSearch();
    await this.#storiesBuilt;
    return this.#stories.search(query, range, offset, limit);
  }

  searchGeneration(): number {
    return this.#stories.generation;
  }

  warmSearch(): void {
    this.#storiesBuilt ??= this.#buildStories();
  }

  /**
   * In a worker thread from the month files when the store has them (deps.buildSearch), installed in one
   * step: what was indexed here meanwhile (added or revised since open) is handed back by install and
   * indexed again from this thread's copy, after the segment. Without a worker (a memory store, fewer
   * months than SEARCH_WORKER_MIN_MONTHS, or a worker that failed), one month at a time here, yielding
   * between months so commands are answered meanwhile;
   * an evicted month's briefings are read from its file for this and not kept (readBriefings: an evicted
   * month has no write in flight, so its file is current). Briefings added or revised meanwhile are
   * indexed by addBriefing and reviseBriefing, so none is missed and none is indexed twice.
   */
  async #buildStories(): Promise<void> {
    // Not a month in the caller's turn: the bot calls this as it finishes starting, and the first month
    // (read from its file, then indexed) was tens of ms of its start-up.
    await new Promise<void>((resolve) => setImmediate(resolve));
    if (this.#deps.buildSearch && this.#months.size >= (this.#deps.searchWorkerMinMonths ?? 0)) {
      try {
        const segment = await this.#deps.buildSearch([...this.#months.keys()].sort(), this.#stopBuild.signal);
        if (this.#closed) return;
        for (const id of this.#stories.install(segment)) {
          const stored = this.#briefing(id);
          if (stored) this.#stories.add(id, stored.date, stored.briefing);
        }
        return;
      } catch (error) {
        if (this.#closed) return;
        this.#deps.logger?.warn(
          `store: the search index could not be built in a worker (${(error as Error).message}); building it on the main thread`,
        );
      }
    }
    for (const month of [...this.#months.keys()].sort()) {
      if (this.#closed) return;
      const file = this.#months.get(month);
      if (!file) continue;
      for (const briefing of file.readBriefings()) {
        // Added or revised since the file was read: already indexed by addBriefing or reviseBriefing.
        if (this.#stories.has(briefing.id)) continue;
        this.#stories.add(briefing.id, briefing.date, briefing.briefing);
      }
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }

  async eventSeen(eventId: string): Promise<boolean> {
    this.#assertOpen();
    return this.#events.has(eventId, this.#deps.now().getTime());
  }

  async markEventSeen(eventId: string): Promise<boolean> {
    this.#assertOpen();
    if (!this.#events.mark(eventId, this.#deps.now().getTime())) return false;
    const index = this.#deps.index;
    index.data.events = this.#events.toJSON();
    await this.#track(index.write());
    return true;
  }

  // Claims and one-use keys (claims.ts)

  claim(kind: ClaimKind, name: string, owner: string, leaseMs: number): Promise<ClaimResult> {
    return this.#claims.claim(kind, name, owner, leaseMs);
  }

  release(kind: ClaimKind, name: string, owner: string, done?: boolean): Promise<void> {
    return this.#claims.release(kind, name, owner, done);
  }

  renewClaims(owner: string, leaseMs: number): Promise<number> {
    return this.#claims.renewClaims(owner, leaseMs);
  }

  firstSighting(scope: TokenScope, key: string, expiresAtMs: number, nowMs: number): Promise<boolean> {
    return this.#claims.firstSighting(scope, key, expiresAtMs, nowMs);
  }

  forgetToken(scope: TokenScope, key: string): Promise<void> {
    return this.#claims.forgetToken(scope, key);
  }

  // Desks and follows (in the index file)

  listDesks(): Promise<Desk[]> {
    return this.#subscriptions.listDesks();
  }

  addDeskCountries(channel: string, countries: string[], by: string | null): Promise<Desk> {
    return this.#subscriptions.addDeskCountries(channel, countries, by);
  }

  removeDeskCountries(channel: string, countries: string[]): Promise<Desk | null> {
    return this.#subscriptions.removeDeskCountries(channel, countries);
  }

  follow(user: string, country: string): Promise<boolean> {
    return this.#subscriptions.follow(user, country);
  }

  unfollow(user: string, country: string): Promise<boolean> {
    return this.#subscriptions.unfollow(user, country);
  }

  followsOf(user: string): Promise<string[]> {
    return this.#subscriptions.followsOf(user);
  }

  followersOf(countries: string[]): Promise<Map<string, string[]>> {
    return this.#subscriptions.followersOf(countries);
  }

  muteFollower(user: string, reason: string): Promise<void> {
    return this.#subscriptions.muteFollower(user, reason);
  }

  mutedFollower(user: string): Promise<MutedFollower | null> {
    return this.#subscriptions.mutedFollower(user);
  }

  // Mailbox cursors (in the index file: one small record per watched folder)

  async mailboxCursor(mailbox: string): Promise<MailboxCursor | null> {
    const cursor = this.#deps.index.data.mailboxes?.[mailbox];
    return cursor ? { ...cursor } : null;
  }

  async saveMailboxCursor(mailbox: string, cursor: Omit<MailboxCursor, 'updatedAt'>): Promise<void> {
    this.#assertOpen();
    const index = this.#deps.index;
    index.data.mailboxes ??= {};
    index.data.mailboxes[mailbox] = { ...cursor, updatedAt: this.#deps.now().toISOString() };
    await this.#track(index.write());
  }

  // Internals

  #assertOpen(): void {
    if (this.#closed) throw new Error('The store is closed');
    if (this.#deps.readOnly) throw new Error('The store was opened read-only');
  }

  #newId(): string {
    for (;;) {
      const id = `b_${randomBytes(ID_RANDOM_BYTES).toString('base64url').slice(0, ID_LENGTH)}`;
      if (!this.#index.get(id)) return id;
    }
  }

  #monthFile(month: string): MonthFile {
    let file = this.#months.get(month);
    if (!file) {
      file = this.#deps.openMonth(month);
      this.#months.set(month, file);
    }
    this.#touch(file);
    return file;
  }

  /** Marks a month's bodies as recently used and evicts the least recently used beyond the cache. */
  #touch(file: MonthFile): void {
    this.#recent.delete(file.month);
    if (!file.bodiesLoaded) return;
    this.#recent.add(file.month);
    if (this.#recent.size <= this.#deps.monthCacheSize) return;
    for (const month of this.#recent) {
      if (this.#recent.size <= this.#deps.monthCacheSize) break;
      if (month !== file.month && this.#months.get(month)?.evict()) this.#recent.delete(month);
    }
  }

  #metaOf(briefingId: string): BriefingMeta {
    const meta = this.#index.get(briefingId);
    if (!meta) throw new Error(`No briefing with id ${briefingId}`);
    return meta;
  }

  #deliveryOf(briefingId: string): { delivery: Delivery; month: string } {
    const delivery = this.#deliveries.get(briefingId);
    if (!delivery) throw new Error(`No delivery for briefing ${briefingId}`);
    return { delivery, month: this.#metaOf(briefingId).month };
  }

  #indexBriefing(month: string, briefing: StoredBriefing): void {
    this.#indexSummary(month, summarise(briefing));
  }

  #indexSummary(month: string, summary: BriefingSummary): void {
    const { id, date, receivedAt, dedupeKey } = summary;
    this.#index.add({ id, month, date, receivedAt, dedupeKey }, summary.stories);
    for (const key of summary.keys) this.#index.addKey(key, id);
  }

  /** Files a delivery under its state's set; membership only moves when the state's class changes. */
  #trackState(delivery: Delivery): void {
    const id = delivery.briefingId;
    const unfinished = delivery.state === 'pending' || delivery.state === 'posting';
    const failed = delivery.state === 'failed';
    if (unfinished) this.#unfinished.add(id);
    else this.#unfinished.delete(id);
    if (failed) this.#failed.add(id);
    else this.#failed.delete(id);
  }

  #indexThread(thread: ThreadActivity): void {
    this.#threads.set(postKey(thread.channel, thread.threadTs), thread);
    const list = this.#threadsByBriefing.get(thread.briefingId);
    if (list) list.push(thread);
    else this.#threadsByBriefing.set(thread.briefingId, [thread]);
  }

  /** Takes back an add whose write failed, so a retry by the provider stores it afresh. */
  #unadd(file: MonthFile, id: string): void {
    const data = file.data;
    data.briefings = data.briefings.filter((briefing) => briefing.id !== id);
    data.deliveries = data.deliveries.filter((delivery) => delivery.briefingId !== id);
    file.bodies().delete(id);
    this.#index.remove(id);
    this.#stories.remove(id);
    this.#deliveries.delete(id);
    this.#unfinished.delete(id);
    this.#failed.delete(id);
  }

  async #write(month: string): Promise<void> {
    const file = this.#months.get(month);
    if (!file) throw new Error(`No month file ${month}`);
    await this.#track(file.write());
  }

  #track<T>(promise: Promise<T>): Promise<T> {
    this.#inFlight.add(promise);
    const forget = () => this.#inFlight.delete(promise);
    promise.then(forget, forget);
    return promise;
  }
}
