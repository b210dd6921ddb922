import type { ServicesWith } from '../../services.js';
import type { MailboxStore } from '../../store/types.js';
import type { MailboxWatcher } from './watcher.js';

export { type ImapSettings, mailboxKey, parseImapSettings } from './settings.js';
export type { MailboxDeps, MailboxWatcher } from './watcher.js';

/**
 * The watcher of IMAP_URL's folder (not yet started), or null when no mailbox is configured. The IMAP
 * client is loaded only then: a bot fed by webhooks never holds it in memory.
 */
export async function mailboxWatcher(
  services: ServicesWith<MailboxStore, 'config' | 'ingest' | 'logger' | 'now'>,
): Promise<MailboxWatcher | null> {
  const { config, ingest, logger, store, now } = services;
  if (!config.imap) return null;
  const { createMailboxWatcher } = await import('./watcher.js');
  return createMailboxWatcher({
    settings: config.imap,
    maxBytes: config.mailMaxBytes,
    ingest,
    store,
    logger,
    now,
  });
}
