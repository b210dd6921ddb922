/**
 * Downloading a file shared in Slack: its `url_private` with the bot token (scope files:read), the
 * size bounded before and while reading. Without the scope, or for a URL that is not the file,
 * Slack answers 200 with its sign-in page: an HTML answer is refused, never taken as the file.
 */

/** A download slower than this is given up: the shortcut's user is waiting for an answer. */
export const FILE_DOWNLOAD_TIMEOUT_MS = 30_000;

export type Download = { ok: true; bytes: Buffer } | { ok: false; reason: string };

/**
 * Where the bot token may be sent: Slack's own hosts (files.slack.com, a workspace's *.slack.com,
 * GovSlack) over https, or the host of SLACK_API_URL (a stand-in in tests and the local workspace).
 */
export function mayReceiveToken(url: string, slackApiUrl: string): boolean {
  let target: URL;
  let api: URL;
  try {
    target = new URL(url);
    api = new URL(slackApiUrl);
  } catch {
    return false;
  }
  if (target.host === api.host && target.protocol === api.protocol) return true;
  return (
    target.protocol === 'https:' &&
    (/(^|\.)slack\.com$/.test(target.hostname) || /(^|\.)slack-gov\.com$/.test(target.hostname))
  );
}

export async function downloadSlackFile(
  url: string,
  token: string,
  maxBytes: number,
  timeoutMs = FILE_DOWNLOAD_TIMEOUT_MS,
): Promise<Download> {
  const response = await fetch(url, {
    headers: { authorization: `Bearer ${token}` },
    redirect: 'manual',
    signal: AbortSignal.timeout(timeoutMs),
  });
  if (response.status !== 200) {
    await response.body?.cancel();
    return { ok: false, reason: `Slack answered ${response.status} for the file` };
  }
  if ((response.headers.get('content-type') ?? '').toLowerCase().startsWith('text/html')) {
    await response.body?.cancel();
    return {
      ok: false,
      reason: 'Slack did not hand over the file (does the app have the files:read scope?)',
    };
  }
  const declared = Number(response.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > maxBytes) {
    await response.body?.cancel();
    return { ok: false, reason: `the file is larger than MAIL_MAX_BYTES (${maxBytes} bytes)` };
  }
  const chunks: Buffer[] = [];
  let size = 0;
  const reader = response.body?.getReader();
  if (!reader) return { ok: true, bytes: Buffer.alloc(0) };
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      return { ok: false, reason: `the file is larger than MAIL_MAX_BYTES (${maxBytes} bytes)` };
    }
    chunks.push(Buffer.from(value));
  }
  return { ok: true, bytes: Buffer.concat(chunks) };
}
