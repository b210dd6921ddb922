/** Desks and follows on PostgreSQL: each method one statement (or one transaction). */
import type { Sql } from 'postgres';
import type { Desk, DeskStore, FollowStore, MutedFollower } from '../types.js';

interface DeskRow {
  channel: string;
  countries: string[];
  added_by: string | null;
  updated_at: string;
}

const toDesk = (row: DeskRow): Desk => ({
  channel: row.channel,
  countries: [...row.countries],
  addedBy: row.added_by,
  updatedAt: row.updated_at,
});

export class PostgresSubscriptions implements DeskStore, FollowStore {
  readonly #sql: Sql;
  readonly #now: () => Date;
  readonly #assertOpen: () => void;

  constructor(sql: Sql, now: () => Date, assertOpen: () => void) {
    this.#sql = sql;
    this.#now = now;
    this.#assertOpen = assertOpen;
  }

  async listDesks(): Promise<Desk[]> {
    const rows = await this.#sql<DeskRow[]>`
      select channel, countries, added_by, updated_at from desks order by position`;
    return rows.map(toDesk);
  }

  async addDeskCountries(channel: string, countries: string[], by: string | null): Promise<Desk> {
    this.#assertOpen();
    const at = this.#now().toISOString();
    return this.#sql.begin(async (tx) => {
      const [existing] = await tx<DeskRow[]>`
        select channel, countries, added_by, updated_at from desks
        where channel_key = ${channel.toLowerCase()} for update`;
      const merged = [...(existing?.countries ?? [])];
      for (const code of countries) if (!merged.includes(code)) merged.push(code);
      const [row] = await tx<DeskRow[]>`
        insert into desks (channel_key, channel, countries, added_by, updated_at)
        values (${channel.toLowerCase()}, ${channel}, ${merged}, ${by}, ${at})
        on conflict (channel_key) do update set countries = excluded.countries, updated_at = excluded.updated_at
        returning channel, countries, added_by, updated_at`;
      return toDesk(row!);
    });
  }

  async removeDeskCountries(channel: string, countries: string[]): Promise<Desk | null> {
    this.#assertOpen();
    const key = channel.toLowerCase();
    return this.#sql.begin(async (tx) => {
      const [existing] = await tx<DeskRow[]>`
        select channel, countries, added_by, updated_at from desks where channel_key = ${key} for update`;
      if (!existing) return null;
      const left =
        countries.length === 0 ? [] : existing.countries.filter((code) => !countries.includes(code));
      if (left.length === 0) {
        await tx`delete from desks where channel_key = ${key}`;
        return null;
      }
      const [row] = await tx<DeskRow[]>`
        update desks set countries = ${left}, updated_at = ${this.#now().toISOString()}
        where channel_key = ${key} returning channel, countries, added_by, updated_at`;
      return toDesk(row!);
    });
  }

  async follow(user: string, country: string): Promise<boolean> {
    this.#assertOpen();
    return this.#sql.begin(async (tx) => {
      await tx`delete from muted_followers where user_id = ${user}`;
      const rows = await tx`
        insert into follows (user_id, country, since) values (${user}, ${country}, ${this.#now().toISOString()})
        on conflict (user_id, country) do nothing returning user_id`;
      return rows.length > 0;
    });
  }

  async unfollow(user: string, country: string): Promise<boolean> {
    this.#assertOpen();
    const rows = await this.#sql`
      delete from follows where user_id = ${user} and country = ${country} returning user_id`;
    return rows.length > 0;
  }

  async followsOf(user: string): Promise<string[]> {
    const rows = await this.#sql<{ country: string }[]>`
      select country from follows where user_id = ${user} order by position`;
    return rows.map((row) => row.country);
  }

  async followersOf(countries: string[]): Promise<Map<string, string[]>> {
    const rows = await this.#sql<{ user_id: string; country: string }[]>`
      select f.user_id, f.country from follows f
      where f.country = any(${countries})
        and not exists (select 1 from muted_followers m where m.user_id = f.user_id)
      order by f.position`;
    const byUser = new Map<string, string[]>();
    for (const row of rows) {
      const list = byUser.get(row.user_id);
      if (list) list.push(row.country);
      else byUser.set(row.user_id, [row.country]);
    }
    return byUser;
  }

  async muteFollower(user: string, reason: string): Promise<void> {
    this.#assertOpen();
    await this.#sql`
      insert into muted_followers (user_id, reason, at) values (${user}, ${reason}, ${this.#now().toISOString()})
      on conflict (user_id) do update set reason = excluded.reason, at = excluded.at`;
  }

  async mutedFollower(user: string): Promise<MutedFollower | null> {
    const [row] = await this.#sql<{ user_id: string; reason: string; at: string }[]>`
      select user_id, reason, at from muted_followers where user_id = ${user}`;
    return row ? { user: row.user_id, reason: row.reason, at: row.at } : null;
  }
}
