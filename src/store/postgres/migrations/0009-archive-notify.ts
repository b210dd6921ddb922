/**
 * A notification whenever the set of briefing dates may have changed — a briefing stored, deleted or
 * moved to another date, by any writer: this bot, another instance, an older bot during a rolling
 * deploy, `migrate`, a person with psql. Each instance keeps the archive's latest date in memory and
 * forgets it on the notification (archive-watch.ts), so `/briefing` and `/country` need not ask the
 * database for it on every command. A trigger, not a NOTIFY in the bot's own statements, so that no
 * writer can forget it. NOTIFY is sent at commit and folded to one per transaction; the payload is
 * the schema, as every workspace's archive (a schema each) shares the database's channels.
 */
export const version = 9;
export const name = 'archive-notify';
export const sql = `
create function briefing_dates_changed() returns trigger language plpgsql as $$
begin
  perform pg_notify('briefing_dates', tg_table_schema);
  return null;
end $$;
create trigger briefing_dates_changed
  after insert or delete or update of date or truncate on briefings
  for each statement execute function briefing_dates_changed();
`;
