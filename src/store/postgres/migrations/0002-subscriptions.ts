/**
 * Desks (/desk) and follows (/country follow): a newsroom's worth of rows. `position` keeps the order
 * things were added in, which the answers show.
 */
export const version = 2;
export const name = 'subscriptions';
export const sql = `
create table desks (
  channel_key text primary key,
  channel text not null,
  countries text[] not null,
  added_by text,
  updated_at text not null,
  position bigserial not null
);

create table follows (
  user_id text not null,
  country text not null,
  since text not null,
  position bigserial not null,
  primary key (user_id, country)
);
create index follows_by_country on follows (country);

create table muted_followers (
  user_id text primary key,
  reason text not null,
  at text not null
);
`;
