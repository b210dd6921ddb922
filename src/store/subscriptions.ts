/**
 * Desks and follows for the lowdb store: kept in the small index file (a newsroom has a few dozen
 * desks and follows, not an archive's worth), each change one rewrite of that file.
 */
import type { IndexData } from './files.js';
import type { Desk, DeskStore, Follow, FollowStore, MutedFollower } from './types.js';

export interface SubscriptionDeps {
  data: () => IndexData;
  /** Persists the index file; resolves once it is on disk. */
  write: () => Promise<void>;
  now: () => Date;
  assertWritable: () => void;
}

const sameChannel = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();

export class Subscriptions implements DeskStore, FollowStore {
  readonly #deps: SubscriptionDeps;

  constructor(deps: SubscriptionDeps) {
    this.#deps = deps;
  }

  get #desks(): Desk[] {
    const data = this.#deps.data();
    data.desks ??= [];
    return data.desks;
  }

  get #follows(): Follow[] {
    const data = this.#deps.data();
    data.follows ??= [];
    return data.follows;
  }

  get #muted(): MutedFollower[] {
    const data = this.#deps.data();
    data.muted ??= [];
    return data.muted;
  }

  async listDesks(): Promise<Desk[]> {
    return (this.#deps.data().desks ?? []).map((desk) => ({ ...desk, countries: [...desk.countries] }));
  }

  async addDeskCountries(channel: string, countries: string[], by: string | null): Promise<Desk> {
    this.#deps.assertWritable();
    const at = this.#deps.now().toISOString();
    let desk = this.#desks.find((candidate) => sameChannel(candidate.channel, channel));
    if (!desk) {
      desk = { channel, countries: [], addedBy: by, updatedAt: at };
      this.#desks.push(desk);
    }
    for (const code of countries) if (!desk.countries.includes(code)) desk.countries.push(code);
    desk.updatedAt = at;
    await this.#deps.write();
    return { ...desk, countries: [...desk.countries] };
  }

  async removeDeskCountries(channel: string, countries: string[]): Promise<Desk | null> {
    this.#deps.assertWritable();
    const desks = this.#desks;
    const index = desks.findIndex((candidate) => sameChannel(candidate.channel, channel));
    if (index < 0) return null;
    const desk = desks[index]!;
    desk.countries = countries.length === 0 ? [] : desk.countries.filter((code) => !countries.includes(code));
    desk.updatedAt = this.#deps.now().toISOString();
    if (desk.countries.length === 0) desks.splice(index, 1);
    await this.#deps.write();
    return desk.countries.length === 0 ? null : { ...desk, countries: [...desk.countries] };
  }

  async follow(user: string, country: string): Promise<boolean> {
    this.#deps.assertWritable();
    const muted = this.#muted;
    const wasMuted = muted.findIndex((entry) => entry.user === user);
    if (wasMuted >= 0) muted.splice(wasMuted, 1);
    const exists = this.#follows.some((f) => f.user === user && f.country === country);
    if (!exists) this.#follows.push({ user, country, since: this.#deps.now().toISOString() });
    if (!exists || wasMuted >= 0) await this.#deps.write();
    return !exists;
  }

  async unfollow(user: string, country: string): Promise<boolean> {
    this.#deps.assertWritable();
    const follows = this.#follows;
    const index = follows.findIndex((f) => f.user === user && f.country === country);
    if (index < 0) return false;
    follows.splice(index, 1);
    await this.#deps.write();
    return true;
  }

  async followsOf(user: string): Promise<string[]> {
    return (this.#deps.data().follows ?? []).filter((f) => f.user === user).map((f) => f.country);
  }

  async followersOf(countries: string[]): Promise<Map<string, string[]>> {
    const wanted = new Set(countries);
    const muted = new Set((this.#deps.data().muted ?? []).map((entry) => entry.user));
    const byUser = new Map<string, string[]>();
    for (const f of this.#deps.data().follows ?? []) {
      if (!wanted.has(f.country) || muted.has(f.user)) continue;
      const list = byUser.get(f.user);
      if (list) list.push(f.country);
      else byUser.set(f.user, [f.country]);
    }
    return byUser;
  }

  async muteFollower(user: string, reason: string): Promise<void> {
    this.#deps.assertWritable();
    const muted = this.#muted;
    const at = this.#deps.now().toISOString();
    const existing = muted.find((entry) => entry.user === user);
    if (existing) Object.assign(existing, { reason, at });
    else muted.push({ user, reason, at });
    await this.#deps.write();
  }

  async mutedFollower(user: string): Promise<MutedFollower | null> {
    const found = (this.#deps.data().muted ?? []).find((entry) => entry.user === user);
    return found ? { ...found } : null;
  }
}
