/**
 * Slack permalinks, built the way chat.getPermalink builds them, from the workspace URL that auth.test
 * returns once per process: one Web API call per post is then all a briefing costs, and a 10-year
 * archive's permalinks do not depend on a method with its own rate limit.
 */

/** `https://team.slack.com/archives/C123/p1633627213000100`, with `?thread_ts=…&cid=…` for thread replies. */
export function buildPermalink(
  workspaceUrl: string,
  channel: string,
  ts: string,
  threadTs: string | null,
): string {
  const base = workspaceUrl.endsWith('/') ? workspaceUrl : `${workspaceUrl}/`;
  const link = `${base}archives/${channel}/p${ts.replace('.', '')}`;
  return threadTs && threadTs !== ts ? `${link}?thread_ts=${threadTs}&cid=${channel}` : link;
}

/** Only an http(s) workspace URL is trusted to build links from. */
export function isWorkspaceUrl(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
}
