/**
 * The workspace a request from Slack comes from, read from its body the way Slack puts it in each
 * kind: slash commands and Events API envelopes carry `team_id`; interactivity payloads (buttons,
 * shortcuts, views) carry `team.id`; `authorizations` and `user.team_id` are the fallbacks Slack
 * documents for shared channels. Null when the body names none.
 */
export function teamOf(body: unknown): string | null {
  if (typeof body !== 'object' || body === null) return null;
  const record = body as Record<string, unknown>;
  const candidates: unknown[] = [
    record.team_id,
    (record.team as Record<string, unknown> | null | undefined)?.id,
    (Array.isArray(record.authorizations)
      ? (record.authorizations[0] as Record<string, unknown> | undefined)
      : undefined
    )?.team_id,
    (record.user as Record<string, unknown> | null | undefined)?.team_id,
  ];
  const found = candidates.find((value): value is string => typeof value === 'string' && value !== '');
  return found ?? null;
}

/** The Events API events that end an installation: its token no longer works. */
export function endsInstallation(body: unknown): boolean {
  if (typeof body !== 'object' || body === null) return false;
  const record = body as { type?: unknown; event?: { type?: unknown; tokens?: { bot?: unknown } } };
  if (record.type !== 'event_callback') return false;
  if (record.event?.type === 'app_uninstalled') return true;
  // tokens_revoked also reports revoked user tokens, which this bot never holds; only the bot's counts.
  const bots = record.event?.tokens?.bot;
  return record.event?.type === 'tokens_revoked' && Array.isArray(bots) && bots.length > 0;
}
