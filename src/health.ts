/**
 * GET /healthz: what an operator (or a monitor) needs to notice a silent stop — can the bot reach
 * Slack, are deliveries piling up or failing, when did the last briefing arrive.
 */
import type { CustomRoute } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { Deliverer } from './delivery/types.js';
import { classifySlackError } from './slack/api/call.js';
import type { ArchiveReads } from './store/roles.js';

/**
 * auth.test answers are reused this long: monitors poll every few seconds, and Slack rate-limits
 * auth.test (tier "special", ~100/min) like any other method.
 */
export const SLACK_CHECK_TTL_MS = 30_000;
/** Monitors give up after a few seconds; a slow Slack is reported as such rather than hanging the probe. */
export const SLACK_CHECK_TIMEOUT_MS = 5_000;

export interface Health {
  ok: boolean;
  slack: string;
  /** BRIEFING_CHANNEL: 'ok', 'not checked yet' or 'error: …' — a wrong channel shows before mail fails. */
  channel: string;
  pendingDeliveries: number;
  failedDeliveries: number;
  lastBriefingAt: string | null;
  /** The watched IMAP folder, when IMAP_URL is set: 'ok', 'connecting' or 'error: …'. */
  mailbox?: string;
  /** 'ok', or 'error: …' while the store refuses the deliveries' writes (a full disk). */
  store: string;
}

export interface HealthDeps {
  /** Only what a probe reads: counts kept by the store, never a walk over every delivery. */
  store: ArchiveReads;
  client: WebClient;
  /** Shared with /readyz so both probes cost one auth.test per TTL. */
  slackStatus?: () => Promise<string>;
  deliverer?: Pick<Deliverer, 'channelStatus'> & Partial<Pick<Deliverer, 'storeStatus'>>;
  /** The mailbox watcher's state (IMAP_URL); absent without a mailbox. */
  mailboxStatus?: () => string;
  now?: () => Date;
}

/** auth.test, answered from a cache for SLACK_CHECK_TTL_MS: 'ok' or 'error: <reason>'. */
export function createSlackStatus(
  client: WebClient,
  now: () => Date = () => new Date(),
): () => Promise<string> {
  let cached: { at: number; slack: string } | null = null;

  return async function slackStatus(): Promise<string> {
    const at = now().getTime();
    if (cached && at - cached.at < SLACK_CHECK_TTL_MS) return cached.slack;
    let slack: string;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`no answer within ${SLACK_CHECK_TIMEOUT_MS} ms`)),
        SLACK_CHECK_TIMEOUT_MS,
      );
    });
    try {
      await Promise.race([client.auth.test(), timeout]);
      slack = 'ok';
    } catch (error) {
      slack = `error: ${classifySlackError(error).reason}`;
    } finally {
      clearTimeout(timer);
    }
    cached = { at, slack };
    return slack;
  };
}

export function createHealthCheck(deps: HealthDeps): () => Promise<Health> {
  const slackStatus = deps.slackStatus ?? createSlackStatus(deps.client, deps.now);

  return async () => {
    const slack = await slackStatus();
    const channel = deps.deliverer?.channelStatus() ?? 'not checked yet';
    // Counts the store keeps as states change: a probe costs the same at ten years as on day one.
    const counts = await deps.store.deliveryCounts();
    const pendingDeliveries = counts.unfinished;
    const failedDeliveries = counts.failed;
    const mailbox = deps.mailboxStatus?.();
    const store = deps.deliverer?.storeStatus?.() ?? 'ok';
    return {
      // A failed delivery needs a person (`deliveries --retry ID`), so it keeps the check red until then;
      // so does a mailbox the bot cannot read (a changed password), which no restart would fix either.
      ok:
        slack === 'ok' &&
        !channel.startsWith('error') &&
        failedDeliveries === 0 &&
        !mailbox?.startsWith('error') &&
        // A full disk stops posting until space returns: pending deliveries are not "fine" meanwhile.
        store === 'ok',
      slack,
      store,
      channel,
      pendingDeliveries,
      failedDeliveries,
      lastBriefingAt: await deps.store.lastReceivedAt(),
      ...(mailbox !== undefined ? { mailbox } : {}),
    };
  };
}

export function healthRoute(deps: HealthDeps): CustomRoute {
  const check = createHealthCheck(deps);
  return {
    path: '/healthz',
    method: ['GET'],
    handler: (_req, res) => {
      check().then(
        (health) => {
          // A failed delivery turns `ok` false but not the status: it needs a person (`deliveries
          // --retry`), and a supervisor that restarts on 503 would only restart the bot in a loop.
          const serving = health.slack === 'ok' && !health.channel.startsWith('error');
          res.writeHead(serving ? 200 : 503, {
            'content-type': 'application/json',
            'cache-control': 'no-store',
          });
          res.end(JSON.stringify(health));
        },
        (error: unknown) => {
          res.writeHead(503, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ ok: false, error: (error as Error).message }));
        },
      );
    },
  };
}
