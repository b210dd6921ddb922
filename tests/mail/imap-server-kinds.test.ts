/**
 * The mailbox way in against Dovecots set up the ways real servers are: TLS from the first byte
 * (imaps), STARTTLS required on the plain port, and a server that does not offer IDLE, where the
 * watcher's own polling must notice new mail.
 */
import { ImapFlow } from 'imapflow';
import { generate } from 'selfsigned';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createIngest } from '../../src/ingest/ingest.js';
import type { IngestOutcome } from '../../src/ingest/types.js';
import type { ImapSettings } from '../../src/mail/imap/settings.js';
import { createMailboxWatcher, type MailboxWatcher } from '../../src/mail/imap/watcher.js';
import { openMemoryStore } from '../../src/store/index.js';
import { until } from '../support/bot.js';
import { type DovecotServer, SKIP_DOVECOT, startDovecot } from '../support/dovecot-server.js';
import { composeEml, type LogLine, recordingLogger, testConfig } from './helpers.js';

let pems: { private: string; cert: string };
beforeAll(async () => {
  pems = await generate([{ name: 'commonName', value: 'localhost' }], { keySize: 2048, algorithm: 'sha256' });
});

let server: DovecotServer | undefined;
let watcher: MailboxWatcher | undefined;
afterEach(async () => {
  await watcher?.stop();
  await server?.stop();
  watcher = undefined;
  server = undefined;
});

async function watchAndDeliver(settings: ImapSettings, tls?: { ca: string[]; servername: string }) {
  const store = await openMemoryStore();
  const config = testConfig({ BRIEFING_CHANNEL: 'briefings' });
  const logs: LogLine[] = [];
  const logger = recordingLogger(logs);
  const real = createIngest({ config, store, deliverer: { kick: () => {} }, logger });
  const outcomes: IngestOutcome[] = [];
  watcher = createMailboxWatcher({
    settings,
    maxBytes: config.mailMaxBytes,
    ingest: async (input) => {
      const outcome = await real(input);
      outcomes.push(outcome);
      return outcome;
    },
    store,
    logger,
    backoff: { baseMs: 20, maxMs: 200 },
    ...(tls ? { tls } : {}),
  });
  watcher.start();
  const running = watcher;
  await until(() => running.status() === 'ok', 'the login', 15_000);
  const client = new ImapFlow({
    host: settings.host,
    port: server!.port,
    secure: false,
    doSTARTTLS: false,
    auth: { user: settings.user, pass: settings.password },
    logger: false,
  });
  await client.connect();
  try {
    // Arrives after the watcher settled: only IDLE or its polling can notice it.
    await client.append('INBOX', await composeEml());
    await until(
      async () => {
        const status = await client.status(settings.doneFolder, { messages: true });
        return status !== false && status.messages === 1;
      },
      'the message in the done folder',
      15_000,
    );
  } finally {
    await client.logout();
  }
  return { outcomes, store, logs };
}

function settingsFor(own: DovecotServer, overrides: Partial<ImapSettings>): ImapSettings {
  return {
    host: own.host,
    port: own.port,
    user: own.user,
    password: own.password,
    tls: 'none',
    folder: 'INBOX',
    doneFolder: 'Processed',
    refusedFolder: 'Refused',
    pollMs: 3_600_000,
    ...overrides,
  };
}

describe.skipIf(SKIP_DOVECOT)('the IMAP mailbox on real server setups', () => {
  it('reads over TLS from the first byte (imaps), trusting the server certificate', async () => {
    server = await startDovecot({ tls: { key: pems.private, cert: pems.cert } });
    const { outcomes } = await watchAndDeliver(
      settingsFor(server, { port: server.tlsPort!, tls: 'implicit' }),
      { ca: [pems.cert], servername: 'localhost' },
    );
    expect(outcomes.map((o) => o.status)).toEqual(['accepted']);
  });

  it('upgrades with STARTTLS on the plain port, and refuses a certificate it does not trust', async () => {
    server = await startDovecot({ tls: { key: pems.private, cert: pems.cert } });
    const { outcomes } = await watchAndDeliver(settingsFor(server, { tls: 'starttls' }), {
      ca: [pems.cert],
      servername: 'localhost',
    });
    expect(outcomes.map((o) => o.status)).toEqual(['accepted']);
    await watcher?.stop();

    const store = await openMemoryStore();
    watcher = createMailboxWatcher({
      settings: settingsFor(server, { tls: 'starttls' }),
      maxBytes: 1_000_000,
      ingest: async () => {
        throw new Error('an untrusted server must never hand over mail');
      },
      store,
      logger: recordingLogger([]),
      backoff: { baseMs: 20, maxMs: 200 },
    });
    watcher.start();
    const untrusting = watcher;
    await until(() => untrusting.status().startsWith('error'), 'the certificate refusal', 15_000);
    expect(untrusting.status()).toMatch(/certificate/i);
  });

  it('polls a server without IDLE', async () => {
    server = await startDovecot({
      capability: 'IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE LITERAL+ UIDPLUS MOVE NAMESPACE CHILDREN',
    });
    const { outcomes, logs } = await watchAndDeliver(settingsFor(server, { pollMs: 200 }));
    expect(outcomes.map((o) => o.status)).toEqual(['accepted']);
    expect(logs.some((log) => log.text.endsWith('watching (polling)'))).toBe(true);
  });
});
