/**
 * The mailbox way in: the bot logs in to an IMAP folder, takes each message through the same ingest
 * as the webhook (parse, sender checks, store), and moves it out — to the done folder once stored (or
 * found a duplicate), to the refused folder with the reason logged when it will never be taken. Moved
 * mail is never seen again, and the folder's UIDVALIDITY + the highest UID taken are kept in the store,
 * so a crash between storing and moving does not ingest the message twice (the ingest's own
 * exactly-once key would catch it anyway, but the cursor saves the parse).
 *
 * New mail is noticed by IDLE (imapflow keeps the connection idling and reports EXISTS), and the
 * folder is also looked at every `pollMs` whatever IDLE says: a server without IDLE, or an IDLE that
 * died silently behind a NAT, still gets its mail taken. A dropped connection is reopened with
 * exponential backoff.
 */
import type { ConnectionOptions } from 'node:tls';
import type { Logger } from '@slack/bolt';
import { ImapFlow } from 'imapflow';
import type { Ingest } from '../../ingest/types.js';
import type { MailboxCursor, MailboxStore } from '../../store/types.js';
import { printable } from '../refusal.js';
import { type ImapSettings, mailboxKey } from './settings.js';

export interface MailboxDeps {
  settings: ImapSettings;
  /** MAIL_MAX_BYTES: a larger message is moved aside unread. */
  maxBytes: number;
  ingest: Ingest;
  store: MailboxStore;
  logger: Logger;
  now?: () => Date;
  /** More TLS options (tests trust their own certificate authority). */
  tls?: ConnectionOptions;
  /** Reconnect waits: first `baseMs`, doubling up to `maxMs`. */
  backoff?: { baseMs: number; maxMs: number };
}

export interface MailboxWatcher {
  /** Connects and keeps watching until stop(); returns at once. */
  start(): void;
  /** Logs out and waits for the current message to finish. */
  stop(): Promise<void>;
  /** For /healthz: 'ok', 'connecting', or 'error: …'. */
  status(): string;
}

/** A message whose ingest keeps throwing while others are taken is the message's fault after this many. */
const MAX_ATTEMPTS = 3;
/** Whatever the cause, a message failing this long is moved aside (the log says why), not retried forever. */
const MAX_FAILING_MS = 60 * 60 * 1000;
const DEFAULT_BACKOFF = { baseMs: 1000, maxMs: 5 * 60 * 1000 };
/** Room for the protocol around the largest literal a fetch may return (MAIL_MAX_BYTES). */
const RESPONSE_MARGIN = 64 * 1024;

interface Failure {
  attempts: number;
  since: number;
  reason: string;
  /** How many messages had been taken when this one first failed. */
  takenBefore: number;
}

export function createMailboxWatcher(deps: MailboxDeps): MailboxWatcher {
  const { settings, ingest, store, logger } = deps;
  const now = deps.now ?? (() => new Date());
  const backoff = deps.backoff ?? DEFAULT_BACKOFF;
  const key = mailboxKey(settings);
  const where = `IMAP ${settings.user}@${settings.host}/${settings.folder}`;

  let stopped = false;
  let state = 'connecting';
  let client: ImapFlow | null = null;
  let running: Promise<void> | null = null;
  /** Wakes the wait between looks at the folder (new mail, a closed connection, stop). */
  let wake: (() => void) | null = null;
  /** EXISTS arrived while a look was under way: look again straight after. */
  let dirty = false;
  /** Keyed by `${uidValidity}:${uid}`; in memory, since a restart is a fresh start for a message. */
  const failures = new Map<string, Failure>();
  /** Messages taken (stored, duplicate or refused) since start. */
  let takenTotal = 0;

  const nudge = (): void => {
    dirty = true;
    wake?.();
  };

  function connect(): ImapFlow {
    const tls = settings.tls;
    const imap = new ImapFlow({
      host: settings.host,
      port: settings.port,
      secure: tls === 'implicit',
      doSTARTTLS: tls === 'starttls' ? true : tls === 'none' ? false : undefined,
      auth: { user: settings.user, pass: settings.password },
      logger: false,
      ...(deps.tls ? { tls: deps.tls } : {}),
      // A fetched message is at most MAIL_MAX_BYTES (larger ones are never fetched): a server sending
      // more is cut off rather than buffered.
      maxLiteralSize: deps.maxBytes + RESPONSE_MARGIN,
      maxResponseSize: deps.maxBytes + 2 * RESPONSE_MARGIN,
      connectionTimeout: 30_000,
      greetingTimeout: 16_000,
      socketTimeout: 5 * 60_000,
      // Restarting IDLE every few minutes keeps NAT boxes from forgetting the connection.
      maxIdleTime: 4 * 60_000,
      disableCompression: true,
      // IDLE only while waiting for mail (see pause), not between the commands of a look.
      disableAutoIdle: true,
      clientInfo: { name: 'briefing-bot' },
    });
    imap.on('error', (error: Error) => logger.warn(`${where}: ${error.message}`));
    imap.on('exists', nudge);
    imap.on('close', () => wake?.());
    return imap;
  }

  async function ensureFolder(imap: ImapFlow, path: string): Promise<void> {
    const folders = await imap.list();
    if (folders.some((folder) => folder.path.toLowerCase() === path.toLowerCase())) return;
    await imap.mailboxCreate(path);
    logger.info(`${where}: created folder ${path}`);
  }

  async function move(imap: ImapFlow, uid: number, folder: string): Promise<void> {
    await imap.messageMove(String(uid), folder, { uid: true });
  }

  async function refuse(imap: ImapFlow, uid: number, label: string, reason: string): Promise<void> {
    logger.warn(`${where}: refused message ${label}, moved to ${settings.refusedFolder}: ${reason}`);
    await move(imap, uid, settings.refusedFolder);
  }

  /** One look at the folder: every message in it, oldest UID first. True when something failed. */
  async function look(imap: ImapFlow): Promise<boolean> {
    const box = imap.mailbox;
    if (!box) throw new Error(`${settings.folder} is not open`);
    const uidValidity = String(box.uidValidity);
    let cursor: Omit<MailboxCursor, 'updatedAt'> | null = await store.mailboxCursor(key);
    if (cursor && cursor.uidValidity !== uidValidity) cursor = null;
    const uids = ((await imap.search({ all: true }, { uid: true })) || []).sort((a, b) => a - b);
    const failed: { uid: number; label: string; failure: Failure }[] = [];

    for (const uid of uids) {
      if (stopped) break;
      if (cursor && uid <= cursor.lastUid) {
        // Stored before a crash (or a failed move) left it here: only the move is missing.
        await move(imap, uid, settings.doneFolder);
        continue;
      }
      const meta = await imap.fetchOne(String(uid), { uid: true, size: true, envelope: true }, { uid: true });
      if (!meta) continue; // Moved or deleted by someone else meanwhile.
      const label = `UID ${uid}${meta.envelope?.subject ? ` "${printable(meta.envelope.subject, 120)}"` : ''}`;
      const size = meta.size ?? 0;
      if (size > deps.maxBytes) {
        await refuse(imap, uid, label, `${size} bytes, over MAIL_MAX_BYTES (${deps.maxBytes})`);
        takenTotal += 1;
        continue;
      }
      const message = await imap.fetchOne(String(uid), { uid: true, source: true }, { uid: true });
      if (message === false || !message.source) continue;

      let outcome: Awaited<ReturnType<Ingest>>;
      try {
        outcome = await ingest({ kind: 'raw', raw: message.source });
        // Only a gap-free prefix moves the cursor: a message that failed below stays above it.
        if (failed.length === 0) {
          cursor = { uidValidity, lastUid: uid };
          await store.saveMailboxCursor(key, cursor);
        }
      } catch (error) {
        const failureKey = `${uidValidity}:${uid}`;
        const reason = error instanceof Error ? error.message : String(error);
        const before = failures.get(failureKey);
        const failure = {
          attempts: (before?.attempts ?? 0) + 1,
          since: before?.since ?? now().getTime(),
          reason,
          takenBefore: before?.takenBefore ?? takenTotal,
        };
        failures.set(failureKey, failure);
        logger.error(`${where}: message ${label} not taken (attempt ${failure.attempts}): ${reason}`);
        failed.push({ uid, label, failure });
        continue;
      }
      failures.delete(`${uidValidity}:${uid}`);
      takenTotal += 1;
      if (outcome.status === 'rejected') {
        await refuse(imap, uid, label, `${outcome.code}: ${printable(outcome.detail, 300)}`);
      } else {
        logger.info(`${where}: message ${label} ${outcome.status} as briefing ${outcome.id}`);
        await move(imap, uid, settings.doneFolder);
      }
    }

    // While other mail gets through, a message that keeps failing is the trouble, not the store.
    for (const { uid, label, failure } of failed) {
      const tooMany = takenTotal > failure.takenBefore && failure.attempts >= MAX_ATTEMPTS;
      const tooLong = now().getTime() - failure.since >= MAX_FAILING_MS;
      if (!tooMany && !tooLong) continue;
      await refuse(imap, uid, label, `failed ${failure.attempts} times: ${failure.reason}`);
      failures.delete(`${uidValidity}:${uid}`);
    }
    return failed.length > 0;
  }

  /** Waits `ms`, or less when new mail, a dropped connection or stop() wakes it; IDLEs meanwhile. */
  function pause(ms: number, imap?: ImapFlow): Promise<void> {
    // The next command ends the IDLE; a server without IDLE gets imapflow's NOOP polling instead.
    if (imap?.usable)
      imap.idle().catch((error: Error) => logger.debug(`${where}: IDLE ended: ${error.message}`));
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        wake = null;
        resolve();
      }
      wake = done;
    });
  }

  /** One connection, from login until it drops or stop(). Throws why it ended, unless stopped. */
  async function session(onReady: () => void): Promise<void> {
    const imap = connect();
    client = imap;
    try {
      await imap.connect();
      await ensureFolder(imap, settings.doneFolder);
      await ensureFolder(imap, settings.refusedFolder);
      await imap.mailboxOpen(settings.folder);
      state = 'ok';
      onReady();
      logger.info(`${where}: watching (${imap.capabilities.has('IDLE') ? 'IDLE' : 'polling'})`);
      let retryMs = backoff.baseMs;
      while (!stopped && imap.usable) {
        dirty = false;
        const trouble = await look(imap);
        if (stopped || !imap.usable) break;
        if (dirty) continue;
        // Trouble taking a message: try again soon, later and later; otherwise wait for mail.
        await pause(trouble ? retryMs : settings.pollMs, imap);
        retryMs = trouble ? Math.min(retryMs * 2, backoff.maxMs) : backoff.baseMs;
      }
      if (!stopped) throw new Error('the server closed the connection');
    } finally {
      client = null;
      if (imap.usable) await imap.logout().catch(() => imap.close());
      else imap.close();
    }
  }

  async function run(): Promise<void> {
    let delay = backoff.baseMs;
    while (!stopped) {
      try {
        await session(() => {
          delay = backoff.baseMs;
        });
      } catch (error) {
        if (stopped) break;
        const reason = error instanceof Error ? error.message : String(error);
        state = `error: ${printable(reason, 200)}`;
        logger.warn(`${where}: ${reason}; reconnecting in ${Math.round(delay / 1000)} s`);
        await pause(delay);
        delay = Math.min(delay * 2, backoff.maxMs);
      }
    }
  }

  return {
    start() {
      if (running) return;
      stopped = false;
      running = run();
    },
    async stop() {
      stopped = true;
      wake?.();
      // Logging out ends the IDLE a session may be waiting in; the session then returns.
      await client?.logout().catch(() => client?.close());
      await running;
      running = null;
      state = 'stopped';
    },
    status: () => state,
  };
}
