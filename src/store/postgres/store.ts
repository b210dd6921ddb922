import { randomBytes } from 'node:crypto';
import type { Sql, TransactionSql } from 'postgres';
import type { SearchPage } from '../../search/types.js';
import { EVENT_TTL_MS } from '../events.js';
import { isIsoDate } from '../layout.js';
import { latestReplyTime, replyTime } from '../replies.js';
import { storiesOf } from '../stories.js';
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
} from '../types.js';
import type { ArchiveWatch, WatchToken } from './archive-watch.js';
import { PostgresClaims } from './claims.js';
import { backfillStoryWords, searchStories, storyWords } from './search.js';
import { PostgresSubscriptions } from './subscriptions.js';

/**
 * Parsed bodies kept, each with its row version: a correction (on any instance) rewrites the row, and
 * a kept body is used only while the row still has the version it was read at.
 */
const BODY_CACHE = 2000;

/**
 * A briefing row's version: PostgreSQL's xmin, the transaction that wrote the row as it is now. Any
 * update of the row — a correction by this instance, another one, or a person with psql — changes it
 * (freezing does not), so a kept copy is checked against the row without reading the body again.
 */
interface KeptBody {
  stamp: string;
  briefing: StoredBriefing;
  /** The archive watch as it stood when the stamp was last checked: vouches for it while fresh. */
  checked: WatchToken | null;
}

/** A briefing row named by a query, before its body is wanted. */
interface Listed {
  id: string;
  stamp: string;
}

interface BodyRow {
  id: string;
  stamp: string;
  /** Null where the query left out a body this instance keeps at this very stamp. */
  body: string | null;
}

interface DeliveryRow {
  briefing_id: string;
  state: Delivery['state'];
  attempts: number;
  last_error: string | null;
  next_attempt_at: string | null;
  updated_at: string;
  revision: number;
  updated_revision: number;
}

interface PostRow {
  briefing_id: string;
  key: string;
  section_index: number | null;
  channel: string;
  ts: string;
  thread_ts: string | null;
  permalink: string | null;
  posted_at: string;
}

interface ThreadRow {
  channel: string;
  thread_ts: string;
  briefing_id: string;
  section_index: number | null;
  last_reply_at: string | null;
}

const toPost = (row: PostRow): PostRecord => ({
  key: row.key,
  sectionIndex: row.section_index,
  channel: row.channel,
  ts: row.ts,
  threadTs: row.thread_ts,
  permalink: row.permalink,
  postedAt: row.posted_at,
});

type StoryTable = 'story_countries' | 'story_mentions';

interface StoryRefRow {
  briefing_id: string;
  date: string;
  section_index: number;
  item_index: number | null;
  countries: string[];
}

/** A story_countries / story_mentions row joined to its story → the frozen ref the query layer reads. */
const toStoryRef = (row: StoryRefRow): StoryRef =>
  Object.freeze({
    briefingId: row.briefing_id,
    date: row.date,
    sectionIndex: row.section_index,
    itemIndex: row.item_index,
    countries: Object.freeze([...row.countries]) as string[],
  });

/** Post rows (in seq order) by briefing, as postsOf answers. */
function postsByBriefing(rows: readonly PostRow[]): Map<string, PostRecord[]> {
  const found = new Map<string, PostRecord[]>();
  for (const row of rows) {
    const list = found.get(row.briefing_id);
    if (list) list.push(toPost(row));
    else found.set(row.briefing_id, [toPost(row)]);
  }
  return found;
}

const toDelivery = (row: DeliveryRow, posts: PostRecord[]): Delivery => ({
  briefingId: row.briefing_id,
  state: row.state,
  attempts: row.attempts,
  lastError: row.last_error,
  nextAttemptAt: row.next_attempt_at,
  updatedAt: row.updated_at,
  posts,
  // Absent while 0, as the embedded store leaves them: a never-revised delivery looks the same in both.
  ...(row.revision ? { revision: row.revision } : {}),
  ...(row.updated_revision ? { updatedRevision: row.updated_revision } : {}),
});

/** An object whose keys come from Slack: defineProperty so a ts of "__proto__" stays a plain key. */
function repliesObject(entries: Iterable<[string, string]>): Record<string, string> {
  const replies: Record<string, string> = {};
  for (const [ts, user] of entries) {
    Object.defineProperty(replies, ts, { value: user, enumerable: true, writable: true, configurable: true });
  }
  return replies;
}

const normaliseCountry = (code: string): string => code.trim().toUpperCase();

function instant(iso: string, what: string): Date {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new Error(`${what}: expected ISO instants, got ${iso}`);
  return new Date(ms);
}

export interface PostgresStoreOptions {
  now: () => Date;
  /** Tells when a kept latest date may be stale; without one, every latestDate() asks the database. */
  watch?: ArchiveWatch;
  /** Called once at close, before the pool is ended. */
  beforeEnd?: () => Promise<void>;
}

/**
 * The Store on PostgreSQL. Every method is one statement or one transaction, so any number of bot
 * processes can share the database; nothing a second instance needs is kept only in this process
 * (the body cache holds immutable briefings), and what makes posting exactly-once across them —
 * delivery, channel and digest claims, one-use keys — is in tables (claims.ts).
 */
export class PostgresStore implements Store {
  readonly #sql: Sql;
  readonly #now: () => Date;
  readonly #beforeEnd: (() => Promise<void>) | undefined;
  readonly #bodies = new Map<string, KeptBody>();
  /**
   * Archive search is in SQL (search.ts): nothing is loaded to answer one. This counts what this
   * instance stored or revised, for the hit texts search.ts keeps (searchGeneration).
   */
  #generation = 0;
  /** Search generations handed out while the watch was not listening (searchGeneration). */
  #unheard = 0;
  /** Words for stories stored before migration 0008, written once in the background (warmSearch). */
  #backfill: Promise<void> | null = null;
  readonly #subscriptions: PostgresSubscriptions;
  readonly #claims: PostgresClaims;
  readonly #watch: ArchiveWatch | undefined;
  /** The latest date as read under a watch token: good while the watch says it is fresh. */
  #latest: { date: string | null; token: WatchToken } | null = null;
  #closed = false;

  constructor(sql: Sql, options: PostgresStoreOptions) {
    this.#sql = sql;
    this.#now = options.now;
    this.#beforeEnd = options.beforeEnd;
    this.#watch = options.watch;
    this.#subscriptions = new PostgresSubscriptions(sql, options.now, () => this.#assertOpen());
    this.#claims = new PostgresClaims(sql, () => this.#assertOpen());
  }

  // Desks and follows (subscriptions.ts)

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

  // Mailbox cursors

  async mailboxCursor(mailbox: string): Promise<MailboxCursor | null> {
    const [row] = await this.#sql<{ uid_validity: string; last_uid: string; updated_at: string }[]>`
      select uid_validity, last_uid, updated_at from mailbox_cursors where mailbox = ${mailbox}`;
    return row
      ? { uidValidity: row.uid_validity, lastUid: Number(row.last_uid), updatedAt: row.updated_at }
      : null;
  }

  async saveMailboxCursor(mailbox: string, cursor: Omit<MailboxCursor, 'updatedAt'>): Promise<void> {
    this.#assertOpen();
    const at = this.#now().toISOString();
    await this.#sql`
      insert into mailbox_cursors (mailbox, uid_validity, last_uid, updated_at)
      values (${mailbox}, ${cursor.uidValidity}, ${cursor.lastUid}, ${at})
      on conflict (mailbox) do update
        set uid_validity = excluded.uid_validity, last_uid = excluded.last_uid, updated_at = excluded.updated_at`;
  }

  /** The connection pool, for the jobs that coordinate instances (locks, claims). */
  get sql(): Sql {
    return this.#sql;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#beforeEnd?.();
    await this.#watch?.close();
    await this.#sql.end({ timeout: 5 });
  }

  // Briefings

  async addBriefing(input: NewBriefing): Promise<{ briefing: StoredBriefing; created: boolean }> {
    this.#assertOpen();
    if (!isIsoDate(input.date))
      throw new Error(`addBriefing: date must be YYYY-MM-DD, got ${JSON.stringify(input.date)}`);
    const existing = await this.findByDedupeKey(input.dedupeKey);
    if (existing) return { briefing: existing, created: false };
    const briefing: StoredBriefing = { id: newId(), ...structuredClone(input) };
    const receivedAt = instant(briefing.receivedAt, 'addBriefing receivedAt');
    const created = await this.#sql.begin(async (tx) => {
      const inserted = await tx`
        insert into briefings (id, dedupe_key, date, received_at, received_at_text, body)
        values (${briefing.id}, ${briefing.dedupeKey}, ${briefing.date}, ${receivedAt},
                ${briefing.receivedAt}, ${JSON.stringify(briefing)})
        on conflict (dedupe_key) do nothing
        returning id`;
      if (inserted.length === 0) return false;
      await insertStories(tx, briefing);
      await tx`
        insert into deliveries (briefing_id, state, attempts, updated_at)
        values (${briefing.id}, 'pending', 0, ${this.#now().toISOString()})`;
      return true;
    });
    if (created) {
      this.#generation++;
      // Our own write is seen at once, not when its notification comes back.
      this.#watch?.changed();
      return { briefing, created: true };
    }
    // Another caller (or instance) stored the same key between the look-up and the insert.
    const winner = await this.findByDedupeKey(input.dedupeKey);
    if (!winner) throw new Error(`addBriefing: ${input.dedupeKey} was stored and is gone`);
    return { briefing: winner, created: false };
  }

  /**
   * Changes with this instance's writes and with every change another instance's commit notifies
   * (its corrections included): both counts only grow, so their sum moves whenever either does.
   * Unwatched (no notifications), every call is a new generation: no kept hit text is trusted.
   */
  searchGeneration(): number {
    if (!this.#watch) return this.#generation;
    const heard = this.#watch.heard();
    if (heard === null) return -++this.#unheard;
    return this.#generation + heard;
  }

  warmSearch(): void {
    void this.#storyWords().catch(() => undefined);
  }

  async searchStories(query: string, range: DateRange, offset: number, limit: number): Promise<SearchPage> {
    // Only a database migrated from before 0008 has stories without words: a search waits for them once.
    await this.#storyWords();
    return searchStories(this.#sql, query, range, offset, limit);
  }

  /** The backfill, once per process: a failed one (the database went away) is tried again next time. */
  #storyWords(): Promise<void> {
    this.#backfill ??= backfillStoryWords(this.#sql, () => this.#closed).then(
      () => undefined,
      (error: unknown) => {
        this.#backfill = null;
        throw error;
      },
    );
    return this.#backfill;
  }

  /** Always checked against the row: a delivery must post the version that is stored now. */
  async getBriefing(id: string): Promise<StoredBriefing | undefined> {
    return (await this.#readBriefings([id], true)).get(id);
  }

  async findByDedupeKey(key: string): Promise<StoredBriefing | undefined> {
    const rows = await this.#sql<BodyRow[]>`
      select id, xmin::text as stamp, body from briefings where dedupe_key = ${key}
      union all
      select b.id, b.xmin::text, b.body from briefing_keys k join briefings b on b.id = k.briefing_id
      where k.dedupe_key = ${key}
      limit 1`;
    const row = rows[0];
    return row?.body ? this.#keep(row.id, row.stamp, row.body) : undefined;
  }

  async reviseBriefing(
    id: string,
    version: BriefingVersion,
  ): Promise<{ briefing: StoredBriefing; created: boolean }> {
    this.#assertOpen();
    const existing = await this.findByDedupeKey(version.dedupeKey);
    if (existing) return { briefing: existing, created: false };
    const revised = await this.#sql.begin(async (tx) => {
      // The row lock orders two corrections of one briefing, from any instance.
      const [row] = await tx<{ body: string }[]>`select body from briefings where id = ${id} for update`;
      if (!row) throw new Error(`reviseBriefing: no briefing ${id}`);
      const inserted = await tx`
        insert into briefing_keys (dedupe_key, briefing_id) values (${version.dedupeKey}, ${id})
        on conflict (dedupe_key) do nothing returning dedupe_key`;
      if (inserted.length === 0) return null;
      const current = JSON.parse(row.body) as StoredBriefing;
      const first: BriefingVersion = {
        receivedAt: current.receivedAt,
        messageId: current.messageId,
        dedupeKey: current.dedupeKey,
        briefing: current.briefing,
      };
      const next: StoredBriefing = {
        ...current,
        briefing: structuredClone(version.briefing),
        versions: [...(current.versions ?? [first]), structuredClone(version)],
      };
      const [written] = await tx<{ stamp: string }[]>`
        update briefings set body = ${JSON.stringify(next)} where id = ${id} returning xmin::text as stamp`;
      await tx`delete from stories where briefing_id = ${id}`;
      await insertStories(tx, next);
      await tx`
        update deliveries set state = 'pending', attempts = 0, last_error = null, next_attempt_at = null,
          updated_at = ${this.#now().toISOString()}
        where briefing_id = ${id}`;
      return { next, stamp: written?.stamp ?? '' };
    });
    if (!revised) {
      const winner = await this.findByDedupeKey(version.dedupeKey);
      if (!winner) throw new Error(`reviseBriefing: ${version.dedupeKey} was stored and is gone`);
      return { briefing: winner, created: false };
    }
    this.#bodies.delete(id);
    this.#bodies.set(id, { stamp: revised.stamp, briefing: revised.next, checked: null });
    // The stories' words were replaced with the stories; the hit texts this instance keeps go stale.
    this.#generation++;
    this.#watch?.changed();
    return { briefing: revised.next, created: true };
  }

  async briefingsOn(date: string): Promise<StoredBriefing[]> {
    return this.#briefingsListed(
      await this.#sql<Listed[]>`
        select id, xmin::text as stamp from briefings where date = ${date} order by received_at, id`,
    );
  }

  async filedDay(date: string): Promise<FiledDay> {
    const rows = await this.#sql<(Listed & { posts: PostRow[] | null })[]>`
      select b.id, b.xmin::text as stamp,
             (select json_agg(po order by po.seq) from posts po where po.briefing_id = b.id) as posts
      from briefings b where b.date = ${date} order by b.received_at, b.id`;
    const posts = new Map<string, PostRecord[]>();
    for (const row of rows) if (row.posts?.length) posts.set(row.id, row.posts.map(toPost));
    return { briefings: await this.#briefingsListed(rows), posts };
  }

  async briefingsFiledBetween(range: DateRange): Promise<StoredBriefing[]> {
    if (range.from > range.to) return [];
    return this.#briefingsListed(
      await this.#sql<Listed[]>`
        select id, xmin::text as stamp from briefings where date >= ${range.from} and date <= ${range.to}
        order by date, received_at, id`,
    );
  }

  async nearestDates(date: string): Promise<{ before: string | null; after: string | null }> {
    const [row] = await this.#sql<{ before: string | null; after: string | null }[]>`
      select (select max(date) from briefings where date < ${date}) as before,
             (select min(date) from briefings where date > ${date}) as after`;
    return { before: row?.before ?? null, after: row?.after ?? null };
  }

  /**
   * Every `/country` and a plain `/briefing` start here: kept in memory while the watch vouches for it
   * (any instance's write to the briefings' dates ends that), instead of a round trip before the
   * command's own query.
   */
  async latestDate(): Promise<string | null> {
    const kept = this.#latest;
    if (kept && this.#watch?.fresh(kept.token)) return kept.date;
    const token = this.#watch?.before() ?? null;
    const [row] = await this.#sql<{ date: string | null }[]>`select max(date) as date from briefings`;
    const date = row?.date ?? null;
    // Kept only if nothing changed while it was read.
    if (token && this.#watch?.fresh(token)) this.#latest = { date, token };
    return date;
  }

  async briefingCount(): Promise<number> {
    const [row] = await this.#sql<{ count: string }[]>`select count(*) as count from briefings`;
    return Number(row?.count ?? 0);
  }

  async lastReceivedAt(): Promise<string | null> {
    const [row] = await this.#sql<{ at: string }[]>`
      select received_at_text as at from briefings order by received_at desc, id desc limit 1`;
    return row?.at ?? null;
  }

  async briefingsReceivedBetween(fromIso: string, toIso: string): Promise<StoredBriefing[]> {
    const from = instant(fromIso, 'briefingsReceivedBetween');
    const to = instant(toIso, 'briefingsReceivedBetween');
    if (from >= to) return [];
    return this.#briefingsListed(
      await this.#sql<Listed[]>`
        select id, xmin::text as stamp from briefings where received_at >= ${from} and received_at < ${to}
        order by received_at, id`,
    );
  }

  async storiesAbout(country: string, range: DateRange): Promise<StoryRef[]> {
    return this.#storiesIn('story_countries', country, range);
  }

  async storiesMentioning(country: string, range: DateRange): Promise<StoryRef[]> {
    return this.#storiesIn('story_mentions', country, range);
  }

  async #storiesIn(table: StoryTable, country: string, range: DateRange): Promise<StoryRef[]> {
    if (range.from > range.to) return [];
    const rows = await this.#sql<StoryRefRow[]>`
      select c.briefing_id, c.date, s.section_index, s.item_index, s.countries
      from ${this.#sql(table)} c
      join stories s on s.briefing_id = c.briefing_id and s.position = c.position
      where c.country = ${normaliseCountry(country)} and c.date >= ${range.from} and c.date <= ${range.to}
      order by c.date desc, c.received_at_text desc, c.briefing_id desc, c.position`;
    return rows.map(toStoryRef);
  }

  async storiesPage(
    which: 'about' | 'mentioning',
    country: string,
    range: DateRange,
    offset: number,
    limit: number,
  ): Promise<StoryRefPage> {
    if (range.from > range.to) return { total: 0, stories: [] };
    const table = which === 'about' ? 'story_countries' : 'story_mentions';
    const code = normaliseCountry(country);
    // One round trip: the count (an index-only range of the country's rows) beside the page, which the
    // same index hands over newest first, so ten years cost what ten stories do — and each story's
    // briefing's posts, which the answer links to and would otherwise wait a second read for.
    const rows = await this.#sql<
      (Omit<StoryRefRow, 'briefing_id'> & {
        total: number;
        briefing_id: string | null;
        posts: PostRow[] | null;
      })[]
    >`
      select t.total, p.briefing_id, p.date, p.section_index, p.item_index, p.countries,
             (select json_agg(po order by po.seq) from posts po where po.briefing_id = p.briefing_id) as posts
      from (${this.#countOf(table, code, range)}) t
      left join lateral (${this.#pageOf(table, code, range, offset, limit)}) p on true`;
    // The left join gives one row with no story when the page is past the end.
    const stories = rows.filter(
      (row): row is StoryRefRow & { total: number; posts: PostRow[] | null } => row.briefing_id !== null,
    );
    const posts = new Map<string, PostRecord[]>();
    for (const row of stories) {
      if (row.posts?.length && !posts.has(row.briefing_id)) posts.set(row.briefing_id, row.posts.map(toPost));
    }
    return { total: rows[0]?.total ?? 0, stories: stories.map(toStoryRef), posts };
  }

  /**
   * Both lists in one statement, each aggregated in its own order (an aggregate's ORDER BY is kept; a
   * union's row order is not promised), with the posts of every briefing either list names.
   */
  async countryPages(country: string, range: DateRange, window: CountryPageWindow): Promise<CountryPages> {
    if (range.from > range.to)
      return { about: { total: 0, stories: [] }, mentioning: { total: 0, stories: [] } };
    const code = normaliseCountry(country);
    const [row] = await this.#sql<
      {
        about_total: number;
        mentioning_total: number;
        about: StoryRefRow[] | null;
        mentioning: StoryRefRow[] | null;
        posts: Record<string, PostRow[]> | null;
      }[]
    >`
      with about as (${this.#pageOf('story_countries', code, range, window.offset, window.limit)}),
      mentioning as (${this.#pageOf('story_mentions', code, range, 0, window.mentionsLimit)}),
      named as (select briefing_id from about union select briefing_id from mentioning)
      select
        (${this.#countOf('story_countries', code, range)}) as about_total,
        (${this.#countOf('story_mentions', code, range)}) as mentioning_total,
        (select json_agg(a order by a.date desc, a.received_at_text desc, a.briefing_id desc, a.position)
         from about a) as about,
        (select json_agg(m order by m.date desc, m.received_at_text desc, m.briefing_id desc, m.position)
         from mentioning m) as mentioning,
        (select json_object_agg(n.briefing_id, p.list)
         from named n cross join lateral (
           select json_agg(po order by po.seq) as list from posts po where po.briefing_id = n.briefing_id
         ) p
         where p.list is not null) as posts`;
    const posts = new Map<string, PostRecord[]>();
    for (const [id, list] of Object.entries(row?.posts ?? {})) posts.set(id, list.map(toPost));
    return {
      about: { total: row?.about_total ?? 0, stories: (row?.about ?? []).map(toStoryRef), posts },
      mentioning: {
        total: row?.mentioning_total ?? 0,
        stories: (row?.mentioning ?? []).map(toStoryRef),
        posts,
      },
    };
  }

  /**
   * What commands and search read: a copy checked under the archive watch is used while the watch
   * vouches for it (no change heard since, MAX_AGE_MS at most), so another instance's correction shows
   * once its notification arrives, milliseconds after its commit.
   */
  getBriefings(ids: readonly string[]): Promise<Map<string, StoredBriefing>> {
    return this.#readBriefings(ids, false);
  }

  /**
   * One round trip for what is not vouched for (`exact`: nothing is): each row's version, and its body
   * only where the copy kept here is not of that version (or there is none).
   */
  async #readBriefings(ids: readonly string[], exact: boolean): Promise<Map<string, StoredBriefing>> {
    const found = new Map<string, StoredBriefing>();
    const wanted: string[] = [];
    for (const id of new Set(ids)) {
      const copy = this.#bodies.get(id);
      if (!exact && copy && this.#watch?.fresh(copy.checked)) found.set(id, copy.briefing);
      else wanted.push(id);
    }
    if (wanted.length === 0) return found;
    const checked = this.#watch?.before() ?? null;
    // Taken now: reads overlapping this one may evict or replace a kept copy before the answer comes.
    const kept = wanted.map((id) => this.#bodies.get(id));
    const rows = await this.#sql<BodyRow[]>`
      select b.id, b.xmin::text as stamp, case when b.xmin::text = w.stamp then null else b.body end as body
      from unnest(${wanted}::text[], ${kept.map((copy) => copy?.stamp ?? '')}::text[]) as w(id, stamp)
      join briefings b on b.id = w.id`;
    const keptById = new Map(wanted.map((id, index) => [id, kept[index]]));
    for (const row of rows) {
      const copy = keptById.get(row.id);
      if (row.body === null && copy) {
        found.set(row.id, copy.briefing);
        copy.checked = checked;
      } else if (row.body !== null) found.set(row.id, this.#keep(row.id, row.stamp, row.body, checked));
    }
    // Gone from the table (deleted by hand): not kept either.
    for (const id of wanted) if (!found.has(id)) this.#bodies.delete(id);
    return found;
  }

  // Deliveries

  async postsOf(briefingIds: readonly string[]): Promise<Map<string, PostRecord[]>> {
    if (briefingIds.length === 0) return new Map();
    return postsByBriefing(
      await this.#sql<PostRow[]>`
        select * from posts where briefing_id = any(${[...new Set(briefingIds)]}) order by seq`,
    );
  }

  async getDelivery(briefingId: string): Promise<Delivery | undefined> {
    const [row] = await this.#sql<DeliveryRow[]>`select * from deliveries where briefing_id = ${briefingId}`;
    if (!row) return undefined;
    const posts = await this.#sql<PostRow[]>`
      select * from posts where briefing_id = ${briefingId} order by seq`;
    return toDelivery(row, posts.map(toPost));
  }

  async listDeliveries(): Promise<Delivery[]> {
    const rows = await this.#sql<DeliveryRow[]>`
      select d.* from deliveries d join briefings b on b.id = d.briefing_id order by b.seq`;
    return this.#withPosts(rows, await this.#sql<PostRow[]>`select * from posts order by seq`);
  }

  async unfinishedDeliveries(): Promise<Delivery[]> {
    const rows = await this.#sql<DeliveryRow[]>`
      select d.* from deliveries d join briefings b on b.id = d.briefing_id
      where d.state in ('pending', 'posting') order by b.seq`;
    if (rows.length === 0) return [];
    const ids = rows.map((row) => row.briefing_id);
    const posts = await this.#sql<PostRow[]>`
      select * from posts where briefing_id = any(${ids}) order by seq`;
    return this.#withPosts(rows, posts);
  }

  async deliveryCounts(): Promise<DeliveryCounts> {
    const [row] = await this.#sql<{ unfinished: string; failed: string }[]>`
      select (select count(*) from deliveries where state in ('pending', 'posting')) as unfinished,
             (select count(*) from deliveries where state = 'failed') as failed`;
    return { unfinished: Number(row?.unfinished ?? 0), failed: Number(row?.failed ?? 0) };
  }

  async recordPost(briefingId: string, post: PostRecord): Promise<void> {
    this.#assertOpen();
    await this.#sql.begin(async (tx) => {
      const updated = await tx`
        update deliveries set updated_at = ${this.#now().toISOString()}
        where briefing_id = ${briefingId} returning briefing_id`;
      if (updated.length === 0) throw new Error(`No delivery for briefing ${briefingId}`);
      await tx`
        insert into posts (briefing_id, key, section_index, channel, ts, thread_ts, permalink, posted_at)
        values (${briefingId}, ${post.key}, ${post.sectionIndex}, ${post.channel}, ${post.ts},
                ${post.threadTs}, ${post.permalink}, ${post.postedAt})
        on conflict (briefing_id, key) do update set
          section_index = excluded.section_index, channel = excluded.channel, ts = excluded.ts,
          thread_ts = excluded.thread_ts, permalink = excluded.permalink, posted_at = excluded.posted_at`;
    });
  }

  async rekeyPosts(briefingId: string, posts: PostRecord[], revision: number): Promise<Delivery> {
    this.#assertOpen();
    await this.#sql.begin(async (tx) => {
      const updated = await tx`
        update deliveries set revision = ${revision}, updated_at = ${this.#now().toISOString()}
        where briefing_id = ${briefingId} returning briefing_id`;
      if (updated.length === 0) throw new Error(`No delivery for briefing ${briefingId}`);
      await tx`delete from posts where briefing_id = ${briefingId}`;
      for (const post of posts) {
        await tx`
          insert into posts (briefing_id, key, section_index, channel, ts, thread_ts, permalink, posted_at)
          values (${briefingId}, ${post.key}, ${post.sectionIndex}, ${post.channel}, ${post.ts},
                  ${post.threadTs}, ${post.permalink}, ${post.postedAt})`;
      }
    });
    const delivery = await this.getDelivery(briefingId);
    if (!delivery) throw new Error(`No delivery for briefing ${briefingId}`);
    return delivery;
  }

  async updateDelivery(
    briefingId: string,
    patch: Partial<Pick<Delivery, 'state' | 'attempts' | 'lastError' | 'nextAttemptAt' | 'updatedRevision'>>,
  ): Promise<Delivery> {
    this.#assertOpen();
    const has = (key: keyof typeof patch): boolean => patch[key] !== undefined;
    const rows = await this.#sql<DeliveryRow[]>`
      update deliveries set
        state = case when ${has('state')} then ${patch.state ?? null}::text else state end,
        attempts = case when ${has('attempts')} then ${patch.attempts ?? null}::integer else attempts end,
        last_error = case when ${has('lastError')} then ${patch.lastError ?? null}::text else last_error end,
        next_attempt_at = case when ${has('nextAttemptAt')} then ${patch.nextAttemptAt ?? null}::text
                               else next_attempt_at end,
        updated_revision = case when ${has('updatedRevision')} then ${patch.updatedRevision ?? null}::integer
                                else updated_revision end,
        updated_at = ${this.#now().toISOString()}
      where briefing_id = ${briefingId}
      returning *`;
    const row = rows[0];
    if (!row) throw new Error(`No delivery for briefing ${briefingId}`);
    const posts = await this.#sql<
      PostRow[]
    >`select * from posts where briefing_id = ${briefingId} order by seq`;
    return toDelivery(row, posts.map(toPost));
  }

  async findPost(channel: string, ts: string): Promise<{ briefingId: string; post: PostRecord } | undefined> {
    const [row] = await this.#sql<PostRow[]>`
      select * from posts where channel = ${channel} and ts = ${ts} order by seq desc limit 1`;
    return row && { briefingId: row.briefing_id, post: toPost(row) };
  }

  // Threads

  async recordReply(
    thread: Omit<ThreadActivity, 'replies' | 'lastReplyAt'>,
    replyTs: string,
    user: string,
    at: string,
  ): Promise<boolean> {
    this.#assertOpen();
    return this.#sql.begin(async (tx) => {
      const known = await tx`select 1 from briefings where id = ${thread.briefingId}`;
      if (known.length === 0) throw new Error(`No briefing with id ${thread.briefingId}`);
      await tx`
        insert into threads (channel, thread_ts, briefing_id, section_index)
        values (${thread.channel}, ${thread.threadTs}, ${thread.briefingId}, ${thread.sectionIndex})
        on conflict (channel, thread_ts) do nothing`;
      const inserted = await tx`
        insert into replies (channel, thread_ts, reply_ts, user_id, reply_ms)
        values (${thread.channel}, ${thread.threadTs}, ${replyTs}, ${user}, ${replyTime(replyTs)})
        on conflict do nothing returning reply_ts`;
      if (inserted.length === 0) return false;
      await tx`
        update threads set last_reply_at = case
          when last_reply_at is null or ${at} > last_reply_at then ${at} else last_reply_at end
        where channel = ${thread.channel} and thread_ts = ${thread.threadTs}`;
      return true;
    });
  }

  async removeReply(channel: string, threadTs: string, replyTs: string): Promise<boolean> {
    this.#assertOpen();
    return this.#sql.begin(async (tx) => {
      const deleted = await tx`
        delete from replies where channel = ${channel} and thread_ts = ${threadTs} and reply_ts = ${replyTs}
        returning reply_ts`;
      if (deleted.length === 0) return false;
      const [thread] = await tx<{ last_reply_at: string | null }[]>`
        select last_reply_at from threads where channel = ${channel} and thread_ts = ${threadTs} for update`;
      const left = await tx<{ reply_ts: string; user_id: string }[]>`
        select reply_ts, user_id from replies where channel = ${channel} and thread_ts = ${threadTs}`;
      const latest = latestReplyTime(
        repliesObject(left.map((row) => [row.reply_ts, row.user_id])),
        thread?.last_reply_at ?? null,
      );
      await tx`update threads set last_reply_at = ${latest}
               where channel = ${channel} and thread_ts = ${threadTs}`;
      return true;
    });
  }

  async threadActivity(channel: string, threadTs: string): Promise<ThreadActivity | undefined> {
    const [row] = await this.#sql<ThreadRow[]>`
      select * from threads where channel = ${channel} and thread_ts = ${threadTs}`;
    if (!row) return undefined;
    return (await this.#withReplies([row]))[0];
  }

  async threadsForDate(date: string): Promise<ThreadActivity[]> {
    const rows = await this.#sql<ThreadRow[]>`
      select t.* from threads t join briefings b on b.id = t.briefing_id
      where b.date = ${date} order by b.received_at, b.id, t.seq`;
    return this.#withReplies(rows);
  }

  async threadsWithRepliesBetween(fromIso: string, toIso: string): Promise<ThreadActivity[]> {
    const fromMs = Date.parse(fromIso);
    const toMs = Date.parse(toIso);
    if (Number.isNaN(fromMs) || Number.isNaN(toMs)) {
      throw new Error(`threadsWithRepliesBetween: expected ISO instants, got ${fromIso} and ${toIso}`);
    }
    if (!(fromMs < toMs)) return [];
    const rows = await this.#sql<(ThreadRow & { reply_ts: string; user_id: string; reply_ms: number })[]>`
      select t.*, r.reply_ts, r.user_id, r.reply_ms
      from replies r join threads t on t.channel = r.channel and t.thread_ts = r.thread_ts
      where r.reply_ms >= ${fromMs} and r.reply_ms < ${toMs}
      order by r.reply_ms, r.reply_ts`;
    const byThread = new Map<string, { row: ThreadRow; replies: [string, string][]; latest: number }>();
    for (const row of rows) {
      const key = `${row.channel}\u0000${row.thread_ts}`;
      const entry = byThread.get(key) ?? { row, replies: [], latest: row.reply_ms };
      entry.replies.push([row.reply_ts, row.user_id]);
      entry.latest = row.reply_ms;
      byThread.set(key, entry);
    }
    return [...byThread.values()].map(({ row, replies, latest }) => ({
      channel: row.channel,
      threadTs: row.thread_ts,
      briefingId: row.briefing_id,
      sectionIndex: row.section_index,
      replies: repliesObject(replies),
      lastReplyAt: new Date(latest).toISOString(),
    }));
  }

  // Digests

  async getDigest(date: string): Promise<DigestRecord | undefined> {
    const [row] = await this.#sql<{ date: string; channel: string; ts: string; posted_at: string }[]>`
      select * from digests where date = ${date}`;
    return row && { date: row.date, channel: row.channel, ts: row.ts, postedAt: row.posted_at };
  }

  async recordDigest(record: DigestRecord): Promise<void> {
    this.#assertOpen();
    await this.#sql`
      insert into digests (date, channel, ts, posted_at)
      values (${record.date}, ${record.channel}, ${record.ts}, ${record.postedAt})
      on conflict (date) do update set
        channel = excluded.channel, ts = excluded.ts, posted_at = excluded.posted_at`;
  }

  async eventSeen(eventId: string): Promise<boolean> {
    this.#assertOpen();
    const expired = new Date(this.#now().getTime() - EVENT_TTL_MS);
    const rows = await this.#sql`select 1 from seen_events where id = ${eventId} and seen_at > ${expired}`;
    return rows.length > 0;
  }

  async markEventSeen(eventId: string): Promise<boolean> {
    this.#assertOpen();
    const now = this.#now();
    const expired = new Date(now.getTime() - EVENT_TTL_MS);
    // An id seen longer ago than Slack ever retries counts as new, as in the lowdb store.
    const rows = await this.#sql`
      insert into seen_events (id, seen_at) values (${eventId}, ${now})
      on conflict (id) do update set seen_at = excluded.seen_at where seen_events.seen_at <= ${expired}
      returning id`;
    if (rows.length > 0 && Math.random() < 0.01) {
      await this.#sql`delete from seen_events where seen_at <= ${expired}`;
    }
    return rows.length > 0;
  }

  // Internals

  /** How many of a country's story rows a range holds: an index-only range of story_countries/_mentions. */
  #countOf(table: StoryTable, code: string, range: DateRange) {
    return this.#sql`
      select count(*)::integer as total from ${this.#sql(table)} c
      where c.country = ${code} and c.date >= ${range.from} and c.date <= ${range.to}`;
  }

  /**
   * Stories `[offset, offset + limit)` of a country's rows in a range, newest first, as the index hands
   * them over; with the order's columns, for callers that aggregate the page in the same order.
   */
  #pageOf(table: StoryTable, code: string, range: DateRange, offset: number, limit: number) {
    return this.#sql`
      select c.briefing_id, c.date, c.received_at_text, c.position, s.section_index, s.item_index, s.countries
      from ${this.#sql(table)} c
      join stories s on s.briefing_id = c.briefing_id and s.position = c.position
      where c.country = ${code} and c.date >= ${range.from} and c.date <= ${range.to}
      order by c.date desc, c.received_at_text desc, c.briefing_id desc, c.position
      offset ${Math.max(0, Math.floor(offset))} limit ${Math.max(0, Math.floor(limit))}`;
  }

  #assertOpen(): void {
    if (this.#closed) throw new Error('The store is closed');
  }

  /** The row's briefing: the copy kept at the row's stamp, or the body parsed (once) and kept. */
  #keep(id: string, stamp: string, body: string, checked: WatchToken | null = null): StoredBriefing {
    const kept = this.#bodies.get(id);
    if (kept?.stamp === stamp) return kept.briefing;
    const briefing = JSON.parse(body) as StoredBriefing;
    this.#bodies.delete(id);
    this.#bodies.set(id, { stamp, briefing, checked });
    if (this.#bodies.size > BODY_CACHE) {
      const oldest = this.#bodies.keys().next().value;
      if (oldest !== undefined) this.#bodies.delete(oldest);
    }
    return briefing;
  }

  /** The briefings of listed rows, in their order: bodies read only for rows not kept at their stamp. */
  async #briefingsListed(rows: readonly Listed[]): Promise<StoredBriefing[]> {
    const kept = new Map<string, StoredBriefing>();
    for (const row of rows) {
      const copy = this.#bodies.get(row.id);
      if (copy?.stamp === row.stamp) kept.set(row.id, copy.briefing);
    }
    const unkept = rows.filter((row) => !kept.has(row.id)).map((row) => row.id);
    const read =
      unkept.length > 0 ? await this.#readBriefings(unkept, true) : new Map<string, StoredBriefing>();
    return rows.flatMap((row) => {
      const briefing = kept.get(row.id) ?? read.get(row.id);
      return briefing ? [briefing] : [];
    });
  }

  #withPosts(rows: DeliveryRow[], posts: PostRow[]): Delivery[] {
    const byBriefing = new Map<string, PostRecord[]>();
    for (const post of posts) {
      const list = byBriefing.get(post.briefing_id);
      if (list) list.push(toPost(post));
      else byBriefing.set(post.briefing_id, [toPost(post)]);
    }
    return rows.map((row) => toDelivery(row, byBriefing.get(row.briefing_id) ?? []));
  }

  async #withReplies(rows: ThreadRow[]): Promise<ThreadActivity[]> {
    if (rows.length === 0) return [];
    const channels = rows.map((row) => row.channel);
    const stamps = rows.map((row) => row.thread_ts);
    const replies = await this.#sql<
      { channel: string; thread_ts: string; reply_ts: string; user_id: string }[]
    >`
      select r.channel, r.thread_ts, r.reply_ts, r.user_id
      from replies r join unnest(${channels}::text[], ${stamps}::text[]) as k(channel, thread_ts)
        on r.channel = k.channel and r.thread_ts = k.thread_ts
      order by r.reply_ms nulls last, r.reply_ts`;
    const byThread = new Map<string, [string, string][]>();
    for (const reply of replies) {
      const key = `${reply.channel}\u0000${reply.thread_ts}`;
      const list = byThread.get(key);
      if (list) list.push([reply.reply_ts, reply.user_id]);
      else byThread.set(key, [[reply.reply_ts, reply.user_id]]);
    }
    return rows.map((row) => ({
      channel: row.channel,
      threadTs: row.thread_ts,
      briefingId: row.briefing_id,
      sectionIndex: row.section_index,
      replies: repliesObject(byThread.get(`${row.channel}\u0000${row.thread_ts}`) ?? []),
      lastReplyAt: row.last_reply_at,
    }));
  }
}

/** Ids are `b_` + 10 base64url characters (60 random bits), as in the lowdb store. */
function newId(): string {
  return `b_${randomBytes(8).toString('base64url').slice(0, 10)}`;
}

export async function insertStories(tx: TransactionSql, briefing: StoredBriefing): Promise<void> {
  const stories = storiesOf(briefing.briefing);
  if (stories.length === 0) return;
  const words = storyWords(briefing.briefing);
  await tx`insert into stories ${tx(
    stories.map((story, position) => ({
      briefing_id: briefing.id,
      position,
      section_index: story.sectionIndex,
      item_index: story.itemIndex,
      countries: story.countries,
      date: briefing.date,
      words: words[position] ?? '',
    })),
  )}`;
  const countries = stories.flatMap((story, position) =>
    [...new Set(story.countries.map(normaliseCountry))].map((country) => ({
      country,
      date: briefing.date,
      received_at_text: briefing.receivedAt,
      briefing_id: briefing.id,
      position,
    })),
  );
  if (countries.length > 0) await tx`insert into story_countries ${tx(countries)}`;
  const mentions = stories.flatMap((story, position) => {
    const about = new Set(story.countries.map(normaliseCountry));
    return [...new Set(story.mentions.map(normaliseCountry))]
      .filter((country) => !about.has(country))
      .map((country) => ({
        country,
        date: briefing.date,
        received_at_text: briefing.receivedAt,
        briefing_id: briefing.id,
        position,
      }));
  });
  if (mentions.length > 0) await tx`insert into story_mentions ${tx(mentions)}`;
}
