/**
 * Corrected copies of a briefing (src/corrections): the dedupe key of each copy answers the briefing it
 * revised, and a delivery remembers which version its post keys follow and whose edits are in Slack.
 * The versions themselves are in the briefing's body (StoredBriefing.versions).
 */
export const version = 4;
export const name = 'revisions';
export const sql = `
create table briefing_keys (
  dedupe_key text primary key,
  briefing_id text not null references briefings (id) on delete cascade
);
alter table deliveries add column revision integer not null default 0;
alter table deliveries add column updated_revision integer not null default 0;
`;
