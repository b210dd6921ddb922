/**
 * The mailbox way in from the environment: IMAP_URL (`imaps://user:password@host[:port]/Folder`),
 * IMAP_PASSWORD (kept out of the URL when a secret store provides it), IMAP_TLS, the folders processed
 * and refused mail go to, and the polling interval. Pure: every problem is returned, nothing throws.
 */

export type ImapTls = 'implicit' | 'starttls' | 'none';

export interface ImapSettings {
  host: string;
  port: number;
  user: string;
  password: string;
  /** implicit: TLS from the first byte (imaps, 993); starttls: upgrade required; none: loopback/trusted only. */
  tls: ImapTls;
  /** The watched folder (INBOX by default). */
  folder: string;
  /** Where taken mail (accepted or duplicate) is moved, so it is never taken again. */
  doneFolder: string;
  /** Where refused mail (not a briefing, sender not allowed, too large, failing) is moved aside. */
  refusedFolder: string;
  /** A full look at the folder this often even while IDLE says nothing (IDLE can die silently). */
  pollMs: number;
}

/** `user@host/folder`: what the store's cursor is kept under. */
export const mailboxKey = (settings: Pick<ImapSettings, 'user' | 'host' | 'folder'>): string =>
  `${settings.user}@${settings.host}/${settings.folder}`;

const blank = (value: string | undefined): string | null => {
  const trimmed = value?.trim();
  return trimmed ? trimmed : null;
};

const decode = (part: string): string => {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
};

export function parseImapSettings(env: NodeJS.ProcessEnv, problems: string[]): ImapSettings | null {
  const raw = blank(env.IMAP_URL);
  if (raw === null) {
    for (const name of [
      'IMAP_PASSWORD',
      'IMAP_TLS',
      'IMAP_DONE_FOLDER',
      'IMAP_REFUSED_FOLDER',
      'IMAP_POLL_SECONDS',
    ]) {
      if (blank(env[name]) !== null)
        problems.push(`${name} is set but IMAP_URL is not: set IMAP_URL to watch a mailbox.`);
    }
    return null;
  }
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    problems.push('IMAP_URL is not a URL: expected imaps://user:password@host/INBOX.');
    return null;
  }
  if (url.protocol !== 'imap:' && url.protocol !== 'imaps:') {
    problems.push(`IMAP_URL must start with imaps:// (or imap:// for STARTTLS), got "${url.protocol}//".`);
    return null;
  }
  const user = decode(url.username);
  const password = blank(env.IMAP_PASSWORD) ?? decode(url.password);
  if (!url.hostname) problems.push('IMAP_URL names no host.');
  if (!user) problems.push('IMAP_URL names no user (imaps://USER:password@host/INBOX).');
  if (!password) problems.push('The mailbox needs a password: in IMAP_URL or IMAP_PASSWORD.');

  const implicit = url.protocol === 'imaps:';
  const tlsRaw = (blank(env.IMAP_TLS) ?? (implicit ? 'implicit' : 'starttls')).toLowerCase();
  const tls = (['implicit', 'starttls', 'none'] as const).find((mode) => mode === tlsRaw);
  if (!tls) problems.push(`IMAP_TLS must be implicit, starttls or none, got "${tlsRaw}".`);
  else if (implicit && tls !== 'implicit')
    problems.push(
      `IMAP_URL is imaps:// (TLS from the start) but IMAP_TLS is "${tls}": use imap:// for that.`,
    );
  else if (!implicit && tls === 'implicit') problems.push('IMAP_TLS=implicit needs an imaps:// IMAP_URL.');

  const folder = decode(url.pathname.replace(/^\/+/, '').replace(/\/+$/, '')) || 'INBOX';
  const doneFolder = blank(env.IMAP_DONE_FOLDER) ?? 'Processed';
  const refusedFolder = blank(env.IMAP_REFUSED_FOLDER) ?? 'Refused';
  const folders = [folder, doneFolder, refusedFolder].map((name) => name.toLowerCase());
  if (new Set(folders).size < 3)
    problems.push(
      'The watched folder, IMAP_DONE_FOLDER and IMAP_REFUSED_FOLDER must be three different folders.',
    );

  const pollRaw = blank(env.IMAP_POLL_SECONDS) ?? '60';
  let pollSeconds = 60;
  if (!/^\d+$/.test(pollRaw) || Number(pollRaw) <= 0)
    problems.push(`IMAP_POLL_SECONDS must be a positive whole number, got "${pollRaw}".`);
  else pollSeconds = Number(pollRaw);

  const port = url.port ? Number(url.port) : implicit ? 993 : 143;
  return {
    host: url.hostname.replace(/^\[(.*)\]$/, '$1'),
    port,
    user,
    password,
    tls: tls ?? (implicit ? 'implicit' : 'starttls'),
    folder,
    doneFolder,
    refusedFolder,
    pollMs: pollSeconds * 1000,
  };
}
