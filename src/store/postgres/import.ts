/**
 * Copies a lowdb archive (DATA_DIR's month files) into PostgreSQL, keeping every id, post, reply
 * and digest. One transaction per month, and every row inserted only when absent: a run that stops
 * part way keeps the months it finished, and running it again copies only what is missing.
 */
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Sql } from 'postgres';
import type { IndexData, MonthData } from '../files.js';
import { parseJsonFile, readMonthSync } from '../files.js';
import { INDEX_FILE, LEGACY_FILE, monthOfFileName, monthPath, monthsDir } from '../layout.js';
import { replyTime } from '../replies.js';
import { insertStories } from './store.js';

export interface ImportCounts {
  briefings: number;
  deliveries: number;
  posts: number;
  replies: number;
  digests: number;
  /** From index.json: desks, follows, muted followers, watched mailboxes' cursors. */
  desks: number;
  follows: number;
  muted: number;
  mailboxes: number;
}

export interface MonthImport {
  month: string;
  copied: ImportCounts;
  /** Rows the database already had (an earlier run, or the same mail received there). */
  present: ImportCounts;
}

const zero = (): ImportCounts => ({
  briefings: 0,
  deliveries: 0,
  posts: 0,
  replies: 0,
  digests: 0,
  desks: 0,
  follows: 0,
  muted: 0,
  mailboxes: 0,
});

/** The months of a lowdb data directory, oldest first; refuses a layout the bot has not migrated yet. */
export async function archiveMonths(dataDir: string): Promise<string[]> {
  if (existsSync(join(dataDir, LEGACY_FILE)) && !existsSync(join(dataDir, INDEX_FILE))) {
    throw new Error(`${join(dataDir, LEGACY_FILE)} has the old layout: start the bot once on it first.`);
  }
  if (!existsSync(join(dataDir, INDEX_FILE))) throw new Error(`${dataDir} holds no briefing-bot store.`);
  const names = await readdir(monthsDir(dataDir)).catch(() => [] as string[]);
  return names
    .map(monthOfFileName)
    .filter((month): month is string => month !== null)
    .sort();
}

export async function importArchive(
  sql: Sql,
  dataDir: string,
  onMonth: (result: MonthImport) => void = () => {},
): Promise<{ copied: ImportCounts; present: ImportCounts; months: number }> {
  const copied = zero();
  const present = zero();
  const months = await archiveMonths(dataDir);
  for (const month of months) {
    const result = await importMonth(sql, month, readMonthSync(monthPath(dataDir, month)));
    for (const key of Object.keys(copied) as (keyof ImportCounts)[]) {
      copied[key] += result.copied[key];
      present[key] += result.present[key];
    }
    onMonth(result);
  }
  const settings = await importIndex(sql, dataDir);
  for (const key of Object.keys(copied) as (keyof ImportCounts)[]) {
    copied[key] += settings.copied[key];
    present[key] += settings.present[key];
  }
  if (copied.briefings > 0) await analyzeCopied(sql);
  return { copied, present, months: months.length };
}

/**
 * A bulk load leaves the tables without planner statistics until autovacuum comes round (a minute or
 * more): a bot started meanwhile pages `/country` by sorting all of a country's stories, not by walking
 * the index — 17 ms instead of 0.6 ms for a 2,000-story country at ten years (EXPLAIN ANALYZE). VACUUM
 * also marks the pages all-visible, so the count beside each page is an index-only scan without heap
 * fetches. PostgreSQL's own advice after a bulk load ("Populating a Database": run ANALYZE afterwards).
 */
async function analyzeCopied(sql: Sql): Promise<void> {
  await sql`vacuum (analyze) briefings, briefing_keys, stories, story_countries, story_mentions, deliveries, posts, threads, replies, digests`;
}

/**
 * What index.json holds besides event ids (those expire within a day and need no copy): desks,
 * follows and muted followers in the order they were added, and each watched mailbox's cursor, so the
 * moved bot neither loses a desk's setup nor re-reads a mailbox. A row the database has is kept.
 */
export async function importIndex(
  sql: Sql,
  dataDir: string,
): Promise<{ copied: ImportCounts; present: ImportCounts }> {
  const copied = zero();
  const present = zero();
  const path = join(dataDir, INDEX_FILE);
  const index = parseJsonFile(path, await readFile(path, 'utf8')) as IndexData;
  const count = (key: keyof ImportCounts, inserted: boolean) => {
    if (inserted) copied[key] += 1;
    else present[key] += 1;
  };
  await sql.begin(async (tx) => {
    for (const desk of index.desks ?? []) {
      const inserted = await tx`
        insert into desks (channel_key, channel, countries, added_by, updated_at)
        values (${desk.channel.toLowerCase()}, ${desk.channel}, ${desk.countries}, ${desk.addedBy}, ${desk.updatedAt})
        on conflict do nothing returning channel_key`;
      count('desks', inserted.length > 0);
    }
    for (const follow of index.follows ?? []) {
      const inserted = await tx`
        insert into follows (user_id, country, since) values (${follow.user}, ${follow.country}, ${follow.since})
        on conflict do nothing returning user_id`;
      count('follows', inserted.length > 0);
    }
    for (const muted of index.muted ?? []) {
      const inserted = await tx`
        insert into muted_followers (user_id, reason, at) values (${muted.user}, ${muted.reason}, ${muted.at})
        on conflict do nothing returning user_id`;
      count('muted', inserted.length > 0);
    }
    for (const [mailbox, cursor] of Object.entries(index.mailboxes ?? {})) {
      const inserted = await tx`
        insert into mailbox_cursors (mailbox, uid_validity, last_uid, updated_at)
        values (${mailbox}, ${cursor.uidValidity}, ${cursor.lastUid}, ${cursor.updatedAt})
        on conflict do nothing returning mailbox`;
      count('mailboxes', inserted.length > 0);
    }
  });
  return { copied, present };
}

export async function importMonth(sql: Sql, month: string, data: MonthData): Promise<MonthImport> {
  const copied = zero();
  const present = zero();
  const count = (key: keyof ImportCounts, inserted: boolean) => {
    if (inserted) copied[key] += 1;
    else present[key] += 1;
  };
  await sql.begin(async (tx) => {
    // Only briefings stored under their own id here carry their deliveries and threads along: one the
    // database received itself (same dedupe key, other id) keeps its own.
    const ours = new Set<string>();
    for (const briefing of data.briefings) {
      const inserted = await tx`
        insert into briefings (id, dedupe_key, date, received_at, received_at_text, body)
        values (${briefing.id}, ${briefing.dedupeKey}, ${briefing.date}, ${new Date(briefing.receivedAt)},
                ${briefing.receivedAt}, ${JSON.stringify(briefing)})
        on conflict do nothing returning id`;
      if (inserted.length > 0) {
        await insertStories(tx, briefing);
        // A revised briefing: each corrected copy's key keeps finding it (a redelivery stays a duplicate).
        for (const version of briefing.versions ?? []) {
          if (version.dedupeKey === briefing.dedupeKey) continue;
          await tx`
            insert into briefing_keys (dedupe_key, briefing_id) values (${version.dedupeKey}, ${briefing.id})
            on conflict do nothing`;
        }
      }
      count('briefings', inserted.length > 0);
      const [row] =
        await tx`select 1 from briefings where id = ${briefing.id} and dedupe_key = ${briefing.dedupeKey}`;
      if (row) ours.add(briefing.id);
    }
    for (const delivery of data.deliveries) {
      if (!ours.has(delivery.briefingId)) continue;
      const inserted = await tx`
        insert into deliveries (briefing_id, state, attempts, last_error, next_attempt_at, updated_at,
                                revision, updated_revision)
        values (${delivery.briefingId}, ${delivery.state}, ${delivery.attempts}, ${delivery.lastError},
                ${delivery.nextAttemptAt}, ${delivery.updatedAt}, ${delivery.revision ?? 0},
                ${delivery.updatedRevision ?? 0})
        on conflict do nothing returning briefing_id`;
      count('deliveries', inserted.length > 0);
      for (const post of delivery.posts) {
        const added = await tx`
          insert into posts (briefing_id, key, section_index, channel, ts, thread_ts, permalink, posted_at)
          values (${delivery.briefingId}, ${post.key}, ${post.sectionIndex}, ${post.channel}, ${post.ts},
                  ${post.threadTs}, ${post.permalink}, ${post.postedAt})
          on conflict do nothing returning key`;
        count('posts', added.length > 0);
      }
    }
    for (const thread of data.threads) {
      if (!ours.has(thread.briefingId)) continue;
      await tx`
        insert into threads (channel, thread_ts, briefing_id, section_index, last_reply_at)
        values (${thread.channel}, ${thread.threadTs}, ${thread.briefingId}, ${thread.sectionIndex},
                ${thread.lastReplyAt})
        on conflict do nothing`;
      for (const [replyTs, user] of Object.entries(thread.replies)) {
        const added = await tx`
          insert into replies (channel, thread_ts, reply_ts, user_id, reply_ms)
          values (${thread.channel}, ${thread.threadTs}, ${replyTs}, ${user}, ${replyTime(replyTs)})
          on conflict do nothing returning reply_ts`;
        count('replies', added.length > 0);
      }
    }
    for (const digest of data.digests) {
      const inserted = await tx`
        insert into digests (date, channel, ts, posted_at)
        values (${digest.date}, ${digest.channel}, ${digest.ts}, ${digest.postedAt})
        on conflict do nothing returning date`;
      count('digests', inserted.length > 0);
    }
  });
  return { month, copied, present };
}
