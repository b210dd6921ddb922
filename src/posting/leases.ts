/**
 * This process's side of the store's claims (ClaimStore): an owner name per component, and a heartbeat
 * that renews whatever it holds, so a lease outlives a long Retry-After wait while its holder lives and
 * runs out soon after the holder dies (SIGKILL, a lost host) for another instance to take over.
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Logger } from '@slack/bolt';
import type { ClaimKind, ClaimResult, ClaimStore } from '../store/types.js';

/**
 * How long a claim outlives its holder's last renewal: the longest a crashed instance's delivery or
 * digest waits for another instance. Renewed every third of it, so two missed beats are tolerated.
 */
export const DEFAULT_LEASE_MS = 30_000;

/** A name for this process, unique across hosts and restarts: a restarted bot is a new owner. */
export function newInstanceId(): string {
  return `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
}

export interface Leases {
  readonly owner: string;
  readonly leaseMs: number;
  claim(kind: ClaimKind, name: string): Promise<ClaimResult>;
  release(kind: ClaimKind, name: string, done?: boolean): Promise<void>;
  /** Stops the heartbeat (the claims then expire unless released). */
  stop(): void;
}

export function createLeases(options: {
  store: ClaimStore;
  owner: string;
  leaseMs?: number;
  logger?: Logger;
}): Leases {
  const { store, owner } = options;
  const leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
  /** What this process holds, counted here: the heartbeat runs only while it holds something. */
  const held = new Set<string>();
  let heartbeat: NodeJS.Timeout | null = null;
  let stopped = false;
  const beat = () => {
    store.renewClaims(owner, leaseMs).catch((error: unknown) => {
      // A missed beat is survivable (two may be missed); a store that stays away expires the claims,
      // and the fence before each post (see delivery/poster.ts) stops this process posting on a lost claim.
      options.logger?.warn(`claims: renewal failed (${(error as Error).message})`);
    });
  };
  const idle = () => {
    if (heartbeat && (held.size === 0 || stopped)) {
      clearInterval(heartbeat);
      heartbeat = null;
    }
  };
  return {
    owner,
    leaseMs,
    async claim(kind, name) {
      const result = await store.claim(kind, name, owner, leaseMs);
      if (result.ok) {
        held.add(`${kind}\u0000${name}`);
        if (!heartbeat && !stopped) {
          heartbeat = setInterval(beat, Math.max(10, Math.floor(leaseMs / 3)));
          heartbeat.unref();
        }
      }
      return result;
    },
    async release(kind, name, done) {
      held.delete(`${kind}\u0000${name}`);
      idle();
      await store.release(kind, name, owner, done);
    },
    stop() {
      stopped = true;
      idle();
    },
  };
}
