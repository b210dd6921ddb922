/**
 * The archive: briefings (bodies as JSON text — a briefing never changes once stored), their stories
 * and the per-country index /country reads, deliveries with their posts, thread replies, digests and
 * seen Slack event ids. Indexes follow the queries: by date (/briefing, the digest), by receive time
 * (the digest's late arrivals), by country then date (/country), by state (resume, /healthz), by
 * post ts (which briefing a thread belongs to) and by reply time (the digest's discussion).
 */
export const version = 1;
export const name = 'archive';
export const sql = `
create table briefings (
  seq bigserial not null unique,
  id text primary key,
  dedupe_key text not null unique,
  date text not null,
  received_at timestamptz not null,
  received_at_text text not null,
  body text not null
);
create index briefings_by_date on briefings (date, received_at, id);
create index briefings_by_received on briefings (received_at, id);

create table stories (
  briefing_id text not null references briefings (id) on delete cascade,
  position integer not null,
  section_index integer not null,
  item_index integer,
  countries text[] not null,
  primary key (briefing_id, position)
);

create table story_countries (
  country text not null,
  date text not null,
  received_at_text text not null,
  briefing_id text not null,
  position integer not null,
  primary key (country, date, received_at_text, briefing_id, position),
  foreign key (briefing_id, position) references stories (briefing_id, position) on delete cascade
);

create table deliveries (
  briefing_id text primary key references briefings (id) on delete cascade,
  state text not null check (state in ('pending', 'posting', 'posted', 'failed')),
  attempts integer not null default 0,
  last_error text,
  next_attempt_at text,
  updated_at text not null
);
create index deliveries_unfinished on deliveries (briefing_id) where state in ('pending', 'posting');
create index deliveries_failed on deliveries (briefing_id) where state = 'failed';

create table posts (
  seq bigserial not null unique,
  briefing_id text not null references deliveries (briefing_id) on delete cascade,
  key text not null,
  section_index integer,
  channel text not null,
  ts text not null,
  thread_ts text,
  permalink text,
  posted_at text not null,
  primary key (briefing_id, key)
);
create index posts_by_ts on posts (channel, ts);

create table threads (
  seq bigserial not null unique,
  channel text not null,
  thread_ts text not null,
  briefing_id text not null references briefings (id) on delete cascade,
  section_index integer,
  last_reply_at text,
  primary key (channel, thread_ts)
);
create index threads_by_briefing on threads (briefing_id, seq);

create table replies (
  channel text not null,
  thread_ts text not null,
  reply_ts text not null,
  user_id text not null,
  reply_ms double precision,
  primary key (channel, thread_ts, reply_ts),
  foreign key (channel, thread_ts) references threads (channel, thread_ts) on delete cascade
);
create index replies_by_time on replies (reply_ms, reply_ts) where reply_ms is not null;

create table digests (
  date text primary key,
  channel text not null,
  ts text not null,
  posted_at text not null
);

create table seen_events (
  id text primary key,
  seen_at timestamptz not null
);
create index seen_events_by_time on seen_events (seen_at);
`;
