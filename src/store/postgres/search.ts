/**
 * Archive search on PostgreSQL, in SQL: each story row carries its words as a tsvector (migration
 * 0008, GIN-indexed), so a search reads the matching rows only and the bot keeps no index in memory —
 * start-up at ten years does not read every briefing, and every instance sees what any stored at once.
 *
 * The words are the lowdb index's (src/search): a story's title, country names and opening sentences,
 * split, folded and stop-worded by the same functions, written as lexemes as they are (no dictionary,
 * no stemming), so both stores match the same stories: every word, the last also as a prefix from 3
 * letters. Ranking is ts_rank (how often the words occur, over the log of the story's length) where lowdb
 * uses MiniSearch's BM25; both put the newest first among equals.
 */
import type { Sql, TransactionSql } from 'postgres';
import type { Briefing } from '../../briefing/types.js';
import { LEAD_CHARS, LEAD_SENTENCES, MAX_QUERY_TERMS } from '../../search/story-index.js';
import { indexTerm, sentencesOf, storyTexts, wordsOf } from '../../search/text.js';
import type { SearchHit, SearchPage } from '../../search/types.js';
import type { DateRange } from '../types.js';

/** PostgreSQL refuses a lexeme over 2047 bytes; a "word" that long is no one's search anyway. */
const MAX_TERM_CHARS = 500;
/** A tsvector position is at most 16383; a story's indexed words are a few hundred at most. */
const MAX_POSITION = 16383;

/** Briefings whose stories get their words per batch when a database from before 0008 catches up. */
const BACKFILL_BATCH = 200;

function leadOf(text: string): string {
  return sentencesOf(text).slice(0, LEAD_SENTENCES).join(' ').slice(0, LEAD_CHARS);
}

/** A lexeme quoted for a tsvector or tsquery literal (terms are letters and digits; quoted anyway). */
const quote = (term: string): string => `'${term.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;

/** The indexed terms of a text, as the lowdb index reads it. */
function termsOf(text: string): string[] {
  return wordsOf(text).flatMap((word) => {
    const term = indexTerm(word);
    return term !== null && term.length <= MAX_TERM_CHARS ? [term] : [];
  });
}

/**
 * Each story's words as a tsvector literal, in storiesOf's order (stories.position): each term with
 * the positions it occurs at, so ts_rank counts how often.
 */
export function storyWords(briefing: Briefing): string[] {
  return storyTexts(briefing).map((story) => {
    const positions = new Map<string, number[]>();
    const terms = termsOf(`${story.title}\n${story.countries}\n${leadOf(story.text)}`);
    terms.forEach((term, index) => {
      const at = Math.min(index + 1, MAX_POSITION);
      const list = positions.get(term);
      if (list) list.push(at);
      else positions.set(term, [at]);
    });
    return [...positions].map(([term, at]) => `${quote(term)}:${at.join(',')}`).join(' ');
  });
}

interface ParsedQuery {
  /** The tsquery literal: every term, the last also as a prefix when it has 3 letters or more. */
  tsquery: string;
  exact: string[];
  prefix: string;
}

/** The query as the lowdb index reads it (MAX_QUERY_TERMS words, folded, stop words out), or null. */
export function parseQuery(query: string): ParsedQuery | null {
  const terms = termsOf(wordsOf(query).slice(0, MAX_QUERY_TERMS).join(' '));
  const last = terms.at(-1);
  if (last === undefined) return null;
  const prefix = last.length >= 3 ? last : '';
  const exact = prefix ? terms.slice(0, -1) : terms;
  const parts = [...new Set(exact)].map(quote);
  if (prefix) parts.push(`${quote(prefix)}:*`);
  return { tsquery: parts.join(' & '), exact, prefix };
}

/**
 * Stories matching every word within the range, best first (newest first among equals), the page
 * `[offset, offset + limit)` and the total. Each hit's terms are its own words that matched (the
 * prefix's completions included), for the line's bold.
 */
export async function searchStories(
  sql: Sql,
  query: string,
  range: DateRange,
  offset: number,
  limit: number,
): Promise<SearchPage> {
  const parsed = parseQuery(query);
  if (parsed === null || range.from > range.to) return { total: 0, hits: [] };
  const rows = await sql<
    {
      total: number;
      briefing_id: string | null;
      date: string;
      section_index: number;
      item_index: number | null;
      score: number;
      terms: string[];
    }[]
  >`
    with matched as materialized (
      select s.briefing_id, s.position, s.date, s.section_index, s.item_index, s.words,
             ts_rank(s.words, q.query, 1) as score
      from stories s, (select ${parsed.tsquery}::tsquery as query) q
      where s.words @@ q.query and s.date >= ${range.from} and s.date <= ${range.to}
    )
    select t.total, p.briefing_id, p.date, p.section_index, p.item_index, p.score, p.terms
    from (select count(*)::integer as total from matched) t
    left join lateral (
      select m.briefing_id, m.date, m.section_index, m.item_index, m.score::float8 as score,
             array(select w.lexeme from unnest(m.words) w
                   where w.lexeme = any(${parsed.exact}::text[])
                      or (${parsed.prefix} <> '' and starts_with(w.lexeme, ${parsed.prefix}))) as terms
      from matched m
      order by m.score desc, m.date desc, m.briefing_id, m.position
      offset ${Math.max(0, Math.floor(offset))} limit ${Math.max(0, Math.floor(limit))}
    ) p on true`;
  const hits: SearchHit[] = rows.flatMap((row) =>
    row.briefing_id === null
      ? []
      : [
          {
            briefingId: row.briefing_id,
            date: row.date,
            sectionIndex: row.section_index,
            itemIndex: row.item_index,
            score: row.score,
            terms: row.terms,
          },
        ],
  );
  return { total: rows[0]?.total ?? 0, hits };
}

/** Writes the words of one briefing's stories (rows already inserted, positions as storiesOf's). */
export async function writeStoryWords(
  tx: Sql | TransactionSql,
  briefingId: string,
  briefing: Briefing,
): Promise<void> {
  const words = storyWords(briefing);
  if (words.length === 0) return;
  await tx`
    update stories s set words = v.words::tsvector
    from unnest(${words.map((_, position) => position)}::integer[], ${words}::text[]) as v(position, words)
    where s.briefing_id = ${briefingId} and s.position = v.position`;
}

/**
 * Gives the stories stored before migration 0008 (which have no words yet) their words, a batch of
 * briefings at a time, yielding between batches. Idempotent: instances doing it at once write the same.
 */
export async function backfillStoryWords(sql: Sql, closed: () => boolean): Promise<number> {
  let done = 0;
  while (!closed()) {
    const rows = await sql<{ id: string; body: string }[]>`
      select b.id, b.body from briefings b
      where b.id in (select distinct briefing_id from stories where words is null limit ${BACKFILL_BATCH})`;
    if (rows.length === 0) break;
    await sql.begin(async (tx) => {
      for (const row of rows) {
        await writeStoryWords(tx, row.id, (JSON.parse(row.body) as { briefing: Briefing }).briefing);
      }
      // A row the body has no story for (none should be) gets no words rather than being read forever.
      await tx`update stories set words = ''::tsvector
               where briefing_id = any(${rows.map((row) => row.id)}) and words is null`;
    });
    done += rows.length;
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  return done;
}
