/**
 * Archive search in SQL (postgres/search.ts): each story gets its briefing's date (a search filters by
 * period without a join) and its words as a tsvector, GIN-indexed. The words are computed by the bot
 * (the same folding and stop words as the lowdb index), so rows stored before this migration get them
 * from the bot once, in the background (backfillStoryWords): the partial index finds those rows.
 */
export const version = 8;
export const name = 'story-search';
export const sql = `
alter table stories add column date text;
update stories s set date = b.date from briefings b where b.id = s.briefing_id;
alter table stories alter column date set not null;
alter table stories add column words tsvector;
create index stories_by_words on stories using gin (words);
create index stories_without_words on stories (briefing_id) where words is null;
`;
