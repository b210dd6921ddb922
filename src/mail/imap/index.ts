import type { Services } from '../../services.js';
import { createMailboxWatcher, type MailboxWatcher } from './watcher.js';

export { type ImapSettings, mailboxKey, parseImapSettings } from './settings.js';
export { createMailboxWatcher, type MailboxDeps, type MailboxWatcher } from './watcher.js';

/** The watcher of IMAP_URL's folder (not yet started), or null when no mailbox is configured. */
export function mailboxWatcher(
  services: Pick<Services, 'config' | 'ingest' | 'logger' | 'store' | 'now'>,
): MailboxWatcher | null {
  const { config, ingest, logger, store, now } = services;
  if (!config.imap) return null;
  return createMailboxWatcher({
    settings: config.imap,
    maxBytes: config.mailMaxBytes,
    ingest,
    store,
    logger,
    now,
  });
}
