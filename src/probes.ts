/**
 * Probes for a supervisor or orchestrator, apart from /healthz (the detailed report for a person or a
 * monitor):
 * - GET /livez: the process serves HTTP. Nothing else, so a Slack outage, a full disk or a failed
 *   delivery never makes a supervisor restart a bot that a restart would not mend.
 * - GET /readyz: the bot can do its work — the store takes a write, Slack answers, BRIEFING_CHANNEL was
 *   found. 503 with the failing part named otherwise.
 */
import { randomBytes } from 'node:crypto';
import { rm, writeFile } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { join } from 'node:path';
import type { CustomRoute } from '@slack/bolt';

export interface Readiness {
  ready: boolean;
  store: string;
  slack: string;
  channel: string;
}

export interface ReadinessDeps {
  /** Resolves when the store can take a write; rejects with the reason. */
  storeWritable: () => Promise<void>;
  /** 'ok' or 'error: …' (shared with /healthz, cached: Slack rate-limits auth.test). */
  slackStatus: () => Promise<string>;
  /** BRIEFING_CHANNEL: 'ok', 'not checked yet' or 'error: …'. */
  channelStatus: () => string;
  /** Looks the channel up (again) when it has not been found yet, e.g. Slack was down at start. */
  checkChannel: () => Promise<void>;
}

/** A small file written and removed under `dir`: what a store write needs (space, permission, a disk). */
export async function directoryWritable(dir: string): Promise<void> {
  const probe = join(dir, `.write-probe-${randomBytes(4).toString('hex')}`);
  try {
    await writeFile(probe, 'ok');
  } finally {
    await rm(probe, { force: true });
  }
}

/** A probe every few seconds must not turn into a channel lookup every few seconds. */
export const CHANNEL_RECHECK_MS = 30_000;

export function createReadinessCheck(deps: ReadinessDeps): () => Promise<Readiness> {
  let lastChannelCheck = Number.NEGATIVE_INFINITY;
  return async () => {
    const store = await deps.storeWritable().then(
      () => 'ok',
      (error: unknown) => `error: ${error instanceof Error ? error.message : String(error)}`,
    );
    const slack = await deps.slackStatus();
    if (
      slack === 'ok' &&
      deps.channelStatus() === 'not checked yet' &&
      performance.now() - lastChannelCheck >= CHANNEL_RECHECK_MS
    ) {
      lastChannelCheck = performance.now();
      await deps.checkChannel();
    }
    const channel = deps.channelStatus();
    return { ready: store === 'ok' && slack === 'ok' && channel === 'ok', store, slack, channel };
  };
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

export function livezRoute(): CustomRoute {
  return { path: '/livez', method: ['GET'], handler: (_req, res) => json(res, 200, { ok: true }) };
}

export function readyzRoute(deps: ReadinessDeps): CustomRoute {
  const check = createReadinessCheck(deps);
  return {
    path: '/readyz',
    method: ['GET'],
    handler: (_req, res) => {
      check().then(
        (readiness) => json(res, readiness.ready ? 200 : 503, readiness),
        (error: unknown) => json(res, 503, { ready: false, error: (error as Error).message }),
      );
    },
  };
}
