/**
 * The built-in SMTP receiver (issue 12.4), driven by nodemailer as the sending server: STARTTLS with
 * a certificate made here, the recipient check, the size limit, 5xx for permanent refusals and 4xx
 * when the store cannot take the message. The same briefing by SMTP and by the webhook posts once.
 */
import type { AddressInfo } from 'node:net';
import { ConsoleLogger, LogLevel } from '@slack/logger';
import nodemailer from 'nodemailer';
import { generate } from 'selfsigned';
import type { SMTPServer } from 'smtp-server';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createIngest } from '../../src/ingest/ingest.js';
import type { Ingest } from '../../src/ingest/types.js';
import { createSmtpReceiver } from '../../src/mail/smtp/receiver.js';
import { openMemoryStore } from '../../src/store/index.js';
import type { Store } from '../../src/store/types.js';
import { notBriefings } from '../fixtures/not-briefings.js';
import { composeEml, post, startServer, type TestServer, testConfig } from './helpers.js';

const quiet = new ConsoleLogger();
quiet.setLevel(LogLevel.ERROR);
let pems: { private: string; cert: string };
beforeAll(async () => {
  pems = await generate([{ name: 'commonName', value: 'localhost' }], { keySize: 2048, algorithm: 'sha256' });
});

let smtp: SMTPServer | undefined;
let webhook: TestServer | undefined;
afterEach(async () => {
  await new Promise<void>((resolve) => (smtp ? smtp.close(() => resolve()) : resolve()));
  await webhook?.close();
  smtp = undefined;
  webhook = undefined;
});

async function start(env: Record<string, string> = {}, options: { ingest?: Ingest; tls?: boolean } = {}) {
  const store: Store = await openMemoryStore();
  const config = testConfig({
    BRIEFING_CHANNEL: 'briefings',
    SMTP_RECIPIENTS: 'briefings@desk.example',
    ...env,
  });
  const ingest =
    options.ingest ?? createIngest({ config, store, deliverer: { kick: () => {} }, logger: quiet });
  const tls = options.tls ? { key: pems.private, cert: pems.cert } : undefined;
  smtp = createSmtpReceiver({ config, ingest, logger: quiet, ...(tls ? { tls } : {}) });
  await new Promise<void>((resolve) => smtp!.listen(0, '127.0.0.1', resolve));
  const port = (smtp.server.address() as AddressInfo).port;
  const transport = nodemailer.createTransport({
    host: '127.0.0.1',
    port,
    secure: false,
    ...(options.tls
      ? { requireTLS: true, tls: { ca: [pems.cert], servername: 'localhost' } }
      : { ignoreTLS: true }),
  });
  const send = (raw: Buffer, to = 'briefings@desk.example') =>
    transport.sendMail({ envelope: { from: 'molly@example.org', to }, raw });
  return { store, config, ingest, send };
}

describe('SMTP receiver', () => {
  it('takes a message over STARTTLS into the store, once', async () => {
    const { send, store } = await start({}, { tls: true });
    const eml = await composeEml();
    const info = await send(eml);
    expect(info.response).toMatch(/^250 /);
    expect(info.accepted).toEqual(['briefings@desk.example']);
    await send(eml);
    expect(await store.briefingCount()).toBe(1);
  });

  it('refuses an unknown recipient with 550', async () => {
    const { send } = await start();
    await expect(send(await composeEml(), 'someone@desk.example')).rejects.toMatchObject({
      responseCode: 550,
    });
  });

  it('refuses a message over MAIL_MAX_BYTES with 552', async () => {
    const { send } = await start({ MAIL_MAX_BYTES: '4000' });
    await expect(send(await composeEml())).rejects.toMatchObject({ responseCode: 552 });
  });

  it('a sender not allowed (or not authenticated) is a permanent 550, naming why', async () => {
    const { send } = await start({ ALLOWED_SENDERS: 'editor@desk.example' });
    await expect(send(await composeEml())).rejects.toMatchObject({
      responseCode: 550,
      response: expect.stringContaining('molly@example.org is not allowed'),
    });
  });

  it('mail that is not a briefing (an auto-reply, random bytes) is a permanent 550 with the reason', async () => {
    const { send, store } = await start();
    const cases = await notBriefings();
    for (const name of [
      'Auto-Submitted: auto-replied',
      'delivery status notification',
      'calendar invitation',
    ]) {
      const found = cases.find((c) => c.name === name)!;
      await expect(send(found.raw)).rejects.toMatchObject({
        responseCode: 550,
        response: expect.stringMatching(found.reason),
      });
    }
    expect(await store.briefingCount()).toBe(0);
  });

  it('answers 451 when the store cannot take the message, so the sending server retries', async () => {
    const { send } = await start(
      {},
      {
        ingest: async () => {
          throw Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' });
        },
      },
    );
    await expect(send(await composeEml())).rejects.toMatchObject({ responseCode: 451 });
  });

  it('exactly once across ways in: the same briefing by SMTP and by the webhook is stored once', async () => {
    const { send, store, config, ingest } = await start();
    webhook = await startServer({ config, ingest });
    const eml = await composeEml();
    await send(eml);
    const reply = await post(webhook.url, eml, { 'content-type': 'message/rfc822' });
    expect(reply.body.status).toBe('duplicate');
    expect(await store.briefingCount()).toBe(1);
  });
});
