/**
 * The store serves one process (lowdb rewrites whole files): a CLI command that writes must not run
 * beside a bot using the same DATA_DIR, or one of them silently loses the other's writes.
 */
import type { Config } from '../config.js';

/** A local /healthz that does not answer within this is taken as "no bot here". */
const PROBE_TIMEOUT_MS = 1500;

/** True when a briefing-bot answers /healthz on this machine's PORT. */
export async function botIsRunning(config: Config): Promise<boolean> {
  const host = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
  try {
    const response = await fetch(`http://${host.includes(':') ? `[${host}]` : host}:${config.port}/healthz`, {
      signal: AbortSignal.timeout(PROBE_TIMEOUT_MS),
    });
    const body = (await response.json()) as Record<string, unknown>;
    // One workspace's /healthz counts its deliveries; many workspaces' lists the running workspaces.
    return typeof body.pendingDeliveries === 'number' || Array.isArray(body.workspaces);
  } catch {
    return false;
  }
}

export function runningBotMessage(config: Config): string {
  return `A briefing-bot is running on port ${config.port} with this configuration; stop it first (the store serves one process), or send the email to its POST /mail/inbound.`;
}
