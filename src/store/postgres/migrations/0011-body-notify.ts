/**
 * Migration 0009's notification also when a briefing's body is rewritten (a correction, by any
 * writer): the hit texts an instance keeps for archive search (src/query/search.ts) are keyed by what
 * it has heard, and another instance's correction must reach them. Kept bodies need no notification:
 * each read checks them against the row's version (store.ts, KeptBody).
 */
export const version = 11;
export const name = 'body-notify';
export const sql = `
drop trigger briefing_dates_changed on briefings;
create trigger briefing_dates_changed
  after insert or delete or update of date, body or truncate on briefings
  for each statement execute function briefing_dates_changed();
`;
