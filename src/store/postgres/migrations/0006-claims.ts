/**
 * What lets several bot instances share one database and still post exactly once (issue 13.2):
 *
 * - `claims`: leases on a unit of work — a delivery, a channel's posting turn, a day's digest — taken
 *   with one conditional upsert (PostgreSQL locks the conflicting row, so two instances cannot both
 *   win) and given up, or simply left to expire when the holder died. A channel's row keeps `done_at`,
 *   when its last post was answered, so the next poster of any instance waits Slack's interval.
 * - `seen_tokens`: one-use keys (Mailgun signature tokens, signed Slack requests), so a replay sent to
 *   another instance is refused like one sent to the same one.
 */
export const version = 6;
export const name = 'claims';
export const sql = `
create table claims (
  kind text not null,
  name text not null,
  owner text,
  expires_at timestamptz not null,
  done_at timestamptz,
  primary key (kind, name)
);
create index claims_by_owner on claims (owner) where owner is not null;

create table seen_tokens (
  scope text not null,
  key text not null,
  expires_at timestamptz not null,
  primary key (scope, key)
);
create index seen_tokens_by_expiry on seen_tokens (expires_at);
`;
