/**
 * The mailbox way in (issue 12.3) against a real Dovecot started here: IDLE notices new mail, each
 * message goes through the real ingest into a real store and is moved to the done folder, refused and
 * oversized mail is moved aside with the reason logged, a message whose ingest keeps failing is moved
 * aside instead of retried forever, an outage of the store loses nothing, a restart takes nothing twice.
 */
import { ImapFlow } from 'imapflow';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createIngest } from '../../src/ingest/ingest.js';
import type { Ingest, IngestOutcome, MailInput } from '../../src/ingest/types.js';
import type { ImapSettings } from '../../src/mail/imap/settings.js';
import { createMailboxWatcher, type MailboxWatcher } from '../../src/mail/imap/watcher.js';
import { openMemoryStore } from '../../src/store/index.js';
import type { Store } from '../../src/store/types.js';
import { notBriefings } from '../fixtures/not-briefings.js';
import { until } from '../support/bot.js';
import { connectClient, type DovecotServer, SKIP_DOVECOT, startDovecot } from '../support/dovecot-server.js';
import { composeEml, type LogLine, recordingLogger, testConfig } from './helpers.js';

let server: DovecotServer;
let admin: ImapFlow;
beforeAll(async () => {
  server = await startDovecot();
  admin = await connectClient(server);
});
afterAll(async () => {
  await admin?.logout();
  await server?.stop();
});

const watchers: MailboxWatcher[] = [];
afterEach(async () => {
  for (const watcher of watchers.splice(0)) await watcher.stop();
});

let folderCount = 0;
/** Each test watches folders of its own on the shared server. */
function settings(overrides: Partial<ImapSettings> = {}): ImapSettings {
  folderCount += 1;
  return {
    host: server.host,
    port: server.port,
    user: server.user,
    password: server.password,
    tls: 'none',
    folder: `in${folderCount}`,
    doneFolder: `done${folderCount}`,
    refusedFolder: `refused${folderCount}`,
    // Long: a test that sees new mail taken without a look of its own proves IDLE noticed it.
    pollMs: 3_600_000,
    ...overrides,
  };
}

async function uidsIn(folder: string): Promise<number[]> {
  await admin.mailboxOpen(folder, { readOnly: true });
  try {
    return ((await admin.search({ all: true }, { uid: true })) || []).sort((a, b) => a - b);
  } finally {
    // STATUS of a selected mailbox may be stale (RFC 9051): count() must not look at one.
    await admin.mailboxClose();
  }
}

async function count(folder: string): Promise<number> {
  const list = await admin.list();
  if (!list.some((box) => box.path === folder)) return 0;
  const status = await admin.status(folder, { messages: true });
  return status ? (status.messages ?? 0) : 0;
}

async function deliver(folder: string, raw: Buffer): Promise<void> {
  const list = await admin.list();
  if (!list.some((box) => box.path === folder)) await admin.mailboxCreate(folder);
  await admin.append(folder, raw);
}

interface Running {
  store: Store;
  logs: LogLine[];
  outcomes: IngestOutcome[];
  watcher: MailboxWatcher;
  settings: ImapSettings;
}

async function watch(
  options: {
    settings?: ImapSettings;
    store?: Store;
    env?: Record<string, string>;
    /** Wraps the real ingest (to make it fail). */
    around?: (input: MailInput, real: Ingest) => Promise<IngestOutcome>;
    maxBytes?: number;
  } = {},
): Promise<Running> {
  const store = options.store ?? (await openMemoryStore());
  const logs: LogLine[] = [];
  const logger = recordingLogger(logs);
  const config = testConfig({ BRIEFING_CHANNEL: 'briefings', ...options.env });
  const real = createIngest({ config, store, deliverer: { kick: () => {} }, logger });
  const outcomes: IngestOutcome[] = [];
  const ingest: Ingest = async (input) => {
    const outcome = await (options.around ? options.around(input, real) : real(input));
    outcomes.push(outcome);
    return outcome;
  };
  const mailbox = options.settings ?? settings();
  const watcher = createMailboxWatcher({
    settings: mailbox,
    maxBytes: options.maxBytes ?? config.mailMaxBytes,
    ingest,
    store,
    logger,
    backoff: { baseMs: 20, maxMs: 200 },
  });
  watchers.push(watcher);
  watcher.start();
  return { store, logs, outcomes, watcher, settings: mailbox };
}

const seed = (messageId: string, subject?: string) =>
  composeEml({ messageId, ...(subject ? { subject } : {}) });

describe.skipIf(SKIP_DOVECOT)('the IMAP mailbox', () => {
  it('takes mail already waiting, then new mail as IDLE reports it, into the store and the done folder', async () => {
    const mine = settings();
    await deliver(mine.folder, await seed('<waiting@example.org>'));
    const running = await watch({ settings: mine });
    await until(async () => (await count(mine.doneFolder)) === 1, 'the waiting message taken', 10_000);
    expect(running.watcher.status()).toBe('ok');
    expect(running.outcomes.map((o) => o.status)).toEqual(['accepted']);

    await deliver(mine.folder, await seed('<new@example.org>'));
    await until(async () => (await count(mine.doneFolder)) === 2, 'the new message taken', 10_000);
    // The seed twice under two Message-IDs: the second is the same briefing.
    expect(running.outcomes.map((o) => o.status)).toEqual(['accepted', 'duplicate']);
    expect(await count(mine.folder)).toBe(0);
    expect(await running.store.briefingCount()).toBe(1);
    const briefing = (await running.store.briefingsOn('2021-10-07'))[0];
    expect(briefing?.forwardedBy).toBe('molly@example.org');
  });

  it('moves mail it will never take to the refused folder, with the reason logged', async () => {
    const mine = settings();
    const running = await watch({ settings: mine, env: { ALLOWED_SENDERS: '@newsroom.example' } });
    await deliver(mine.folder, await seed('<stranger@example.org>'));
    await until(async () => (await count(mine.refusedFolder)) === 1, 'the refused message moved', 10_000);
    expect(await count(mine.doneFolder)).toBe(0);
    expect(await running.store.briefingCount()).toBe(0);
    const line = running.logs.find((log) => log.text.includes(`moved to ${mine.refusedFolder}`));
    expect(line?.level).toBe('warn');
    expect(line?.text).toMatch(/403: Sender molly@example\.org is not allowed/);
  });

  it('moves mail that is not a briefing (an auto-reply, a bounce) to the refused folder, saying why', async () => {
    const mine = settings();
    const running = await watch({ settings: mine });
    const cases = await notBriefings();
    for (const name of ['Auto-Submitted: auto-replied', 'delivery status notification']) {
      await deliver(mine.folder, cases.find((c) => c.name === name)!.raw);
    }
    await until(async () => (await count(mine.refusedFolder)) === 2, 'both moved to refused', 10_000);
    expect(await count(mine.doneFolder)).toBe(0);
    expect(await running.store.briefingCount()).toBe(0);
    const reasons = running.logs.filter((log) => log.text.includes(`moved to ${mine.refusedFolder}`));
    expect(reasons.map((log) => log.text).join('\n')).toMatch(
      /400: Not a briefing: The email is an automatic reply/,
    );
    expect(reasons.map((log) => log.text).join('\n')).toMatch(/delivery status notification/);
  });

  it('moves a message over MAIL_MAX_BYTES aside without reading it', async () => {
    const mine = settings();
    const big = await seed('<big@example.org>');
    const running = await watch({ settings: mine, maxBytes: big.length - 1 });
    await deliver(mine.folder, big);
    await until(async () => (await count(mine.refusedFolder)) === 1, 'the large message moved', 10_000);
    expect(running.outcomes).toEqual([]);
    expect(running.logs.some((log) => /over MAIL_MAX_BYTES/.test(log.text))).toBe(true);
  });

  it('moves a message whose ingest keeps failing aside while the rest gets through', async () => {
    const mine = settings();
    let poisonAttempts = 0;
    await deliver(mine.folder, await seed('<poison@example.org>', 'Fwd: poison'));
    await deliver(mine.folder, await seed('<fine@example.org>'));
    const running = await watch({
      settings: mine,
      around: async (input, real) => {
        if (input.kind === 'raw' && input.raw.includes('Fwd: poison')) {
          poisonAttempts += 1;
          throw new Error('parser crashed');
        }
        return real(input);
      },
    });
    await until(async () => (await count(mine.refusedFolder)) === 1, 'the failing message moved', 10_000);
    expect(poisonAttempts).toBe(3);
    expect(await count(mine.doneFolder)).toBe(1);
    expect(running.logs.some((log) => /failed 3 times: parser crashed/.test(log.text))).toBe(true);
  });

  it('keeps mail in the folder while the store cannot take it, and takes it once the store is back', async () => {
    const mine = settings();
    let storeDown = true;
    let attempts = 0;
    await deliver(mine.folder, await seed('<outage-a@example.org>'));
    await deliver(mine.folder, await seed('<outage-b@example.org>'));
    const running = await watch({
      settings: mine,
      around: async (input, real) => {
        attempts += 1;
        if (storeDown) throw new Error('EROFS: read-only file system');
        return real(input);
      },
    });
    // Every message failing alike is an outage, not a bad message: nothing is moved aside.
    await until(() => attempts >= 10, 'ten attempts during the outage', 10_000);
    expect(await count(mine.refusedFolder)).toBe(0);
    expect(await count(mine.folder)).toBe(2);
    storeDown = false;
    await until(async () => (await count(mine.doneFolder)) === 2, 'both messages taken', 10_000);
    expect(running.outcomes.map((o) => o.status)).toEqual(['accepted', 'duplicate']);
  });

  it('never takes a message twice across restarts: the stored cursor covers a crash before the move', async () => {
    const mine = settings();
    const store = await openMemoryStore();
    await deliver(mine.folder, await seed('<first@example.org>'));
    const first = await watch({ settings: mine, store });
    await until(async () => (await count(mine.doneFolder)) === 1, 'the first message taken', 10_000);
    await first.watcher.stop();

    // A crash after the store took the second message but before it was moved: the cursor already
    // covers its UID, as the watcher saves it before moving.
    await deliver(mine.folder, await seed('<second@example.org>'));
    const [uid] = await uidsIn(mine.folder);
    const cursor = await store.mailboxCursor(`${mine.user}@${mine.host}/${mine.folder}`);
    expect(cursor?.lastUid).toBeLessThan(uid!);
    await store.saveMailboxCursor(`${mine.user}@${mine.host}/${mine.folder}`, {
      uidValidity: cursor!.uidValidity,
      lastUid: uid!,
    });

    const second = await watch({ settings: mine, store });
    await until(async () => (await count(mine.doneFolder)) === 2, 'the second message moved', 10_000);
    expect(second.outcomes).toEqual([]);
    expect(await count(mine.folder)).toBe(0);
  });

  it('refuses to start half-configured: a wrong password is an error it keeps retrying', async () => {
    const running = await watch({ settings: settings({ password: 'wrong' }) });
    await until(() => running.watcher.status().startsWith('error'), 'the login error', 10_000);
    expect(running.watcher.status()).toMatch(/^error: /);
  });
});

describe.skipIf(SKIP_DOVECOT)('the IMAP mailbox when the server goes away', () => {
  it('reconnects with backoff after the server restarts, and takes the mail that came meanwhile', async () => {
    const own = await startDovecot();
    try {
      const mine: ImapSettings = {
        ...settings(),
        host: own.host,
        port: own.port,
        user: own.user,
        password: own.password,
        folder: 'INBOX',
      };
      const running = await watch({ settings: mine });
      await until(() => running.watcher.status() === 'ok', 'the first login', 10_000);
      await own.kill();
      await until(() => running.watcher.status().startsWith('error'), 'the lost connection', 10_000);
      await own.start();
      const client = new ImapFlow({
        host: own.host,
        port: own.port,
        secure: false,
        doSTARTTLS: false,
        auth: { user: own.user, pass: own.password },
        logger: false,
      });
      await client.connect();
      try {
        await client.append('INBOX', await seed('<after-restart@example.org>'));
        await until(
          async () => {
            const status = await client.status(mine.doneFolder, { messages: true });
            return status !== false && status.messages === 1;
          },
          'the message taken after the reconnect',
          20_000,
        );
      } finally {
        await client.logout();
      }
      expect(running.watcher.status()).toBe('ok');
      expect(running.outcomes.map((o) => o.status)).toEqual(['accepted']);
    } finally {
      for (const watcher of watchers.splice(0)) await watcher.stop();
      await own.stop();
    }
  });
});
