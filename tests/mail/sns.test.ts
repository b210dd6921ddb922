/**
 * Amazon SES via SNS (issue 12.5): notifications signed for real with a certificate made here, served
 * by an injected fetch; the SigningCertURL must be Amazon's; the subscription is confirmed; the mail in
 * `content` goes through the real ingest, once.
 */
import { createSign } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConsoleLogger, LogLevel } from '@slack/logger';
import { generate } from 'selfsigned';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { createIngest } from '../../src/ingest/ingest.js';
import { createSnsHandler } from '../../src/mail/sns/handler.js';
import { type SnsMessage, stringToSign } from '../../src/mail/sns/verify.js';
import { openMemoryStore } from '../../src/store/index.js';
import type { Store } from '../../src/store/types.js';
import { composeEml } from './helpers.js';

const quiet = new ConsoleLogger();
quiet.setLevel(LogLevel.ERROR);
const TOPIC = 'arn:aws:sns:us-east-1:123456789012:briefings';
const CERT_URL = 'https://sns.us-east-1.amazonaws.com/SimpleNotificationService-0000000000000000000000.pem';
let pems: { private: string; cert: string };
let other: { private: string; cert: string };

beforeAll(async () => {
  pems = await generate([{ name: 'commonName', value: 'sns.amazonaws.com' }], {
    keySize: 2048,
    algorithm: 'sha256',
  });
  other = await generate([{ name: 'commonName', value: 'attacker.example' }], {
    keySize: 2048,
    algorithm: 'sha256',
  });
});

function signed(
  fields: Omit<SnsMessage, 'Signature' | 'SignatureVersion' | 'SigningCertURL'>,
  key = pems.private,
  certUrl = CERT_URL,
): SnsMessage {
  const message = { ...fields, SignatureVersion: '2', SigningCertURL: certUrl, Signature: '' } as SnsMessage;
  message.Signature = createSign('RSA-SHA256').update(stringToSign(message)).sign(key, 'base64');
  return message;
}

async function notification(
  eml: Buffer,
  receipt: Record<string, unknown> = {},
  encoding: 'utf8' | 'base64' = 'utf8',
) {
  return signed({
    Type: 'Notification',
    MessageId: `m-${Math.random()}`,
    TopicArn: TOPIC,
    Subject: 'Amazon SES Email Receipt Notification',
    Timestamp: '2026-11-29T14:00:00.000Z',
    Message: JSON.stringify({
      notificationType: 'Received',
      mail: { source: 'molly@example.org', destination: ['briefings@inbound.example.org'] },
      receipt: { action: { type: 'SNS', encoding: encoding === 'utf8' ? 'UTF8' : 'BASE64' }, ...receipt },
      content: eml.toString(encoding),
    }),
  });
}

let server: Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(null)));
  server = undefined;
});

async function start(env: Record<string, string> = {}) {
  const store: Store = await openMemoryStore();
  const { config } = loadConfig({ SNS_TOPIC_ARNS: TOPIC, BRIEFING_CHANNEL: 'briefings', ...env });
  const fetched: string[] = [];
  const confirmed: string[] = [];
  const ingest = createIngest({ config, store, deliverer: { kick: () => {} }, logger: quiet });
  const handler = createSnsHandler({
    config,
    ingest,
    logger: quiet,
    fetchCertificate: async (url) => {
      fetched.push(url);
      return pems.cert;
    },
    confirmSubscription: async (url) => void confirmed.push(url),
  });
  server = createServer((req, res) => void handler(req, res));
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/mail/inbound/sns`;
  const send = async (message: unknown) => {
    const response = await fetch(url, {
      method: 'POST',
      // SNS posts JSON as text/plain.
      headers: {
        'content-type': 'text/plain; charset=UTF-8',
        'x-amz-sns-message-type': String((message as SnsMessage).Type),
      },
      body: JSON.stringify(message),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
  return { store, send, fetched, confirmed };
}

describe('POST /mail/inbound/sns', () => {
  it('confirms the subscription by visiting its SubscribeURL', async () => {
    const { send, confirmed } = await start();
    const subscribe = 'https://sns.us-east-1.amazonaws.com/?Action=ConfirmSubscription&TopicArn=x&Token=t0k';
    const reply = await send(
      signed({
        Type: 'SubscriptionConfirmation',
        MessageId: 'c-1',
        TopicArn: TOPIC,
        Message: 'You have chosen to subscribe',
        Timestamp: '2026-11-29T14:00:00.000Z',
        SubscribeURL: subscribe,
        Token: 't0k',
      }),
    );
    expect(reply).toMatchObject({ status: 200, body: { status: 'subscribed' } });
    expect(confirmed).toEqual([subscribe]);
  });

  it('takes the raw message in content (UTF-8 or base64) once; the same mail again is a duplicate', async () => {
    const { send, store, fetched } = await start();
    const eml = await composeEml();
    const first = await send(await notification(eml));
    expect(first).toMatchObject({ status: 200, body: { status: 'accepted' } });
    const again = await send(await notification(eml, {}, 'base64'));
    expect(again).toMatchObject({ status: 200, body: { status: 'duplicate', id: first.body.id } });
    expect(await store.briefingCount()).toBe(1);
    // The certificate is fetched once and kept.
    expect(fetched).toEqual([CERT_URL]);
  });

  it('refuses a forged signature, a certificate off Amazon’s host, and another topic — with 4xx, which SNS does not retry', async () => {
    const { send, fetched } = await start();
    const eml = await composeEml();
    const good = await notification(eml);
    expect((await send({ ...good, Message: good.Message.replace('molly', 'mallory') })).status).toBe(403);
    const otherKey = signed({ ...good }, other.private);
    expect((await send(otherKey)).status).toBe(403);
    for (const host of [
      'https://sns.us-east-1.amazonaws.com.evil.example/x.pem',
      'http://sns.us-east-1.amazonaws.com/x.pem',
      'https://evil.example/sns.us-east-1.amazonaws.com.pem',
    ]) {
      const reply = await send(signed({ ...good }, other.private, host));
      expect(reply.status, host).toBe(403);
    }
    expect(fetched.every((url) => url === CERT_URL)).toBe(true);
    const elsewhere = signed({ ...good, TopicArn: 'arn:aws:sns:us-east-1:999999999999:someone-else' });
    expect((await send(elsewhere)).status).toBe(403);
  });

  it('uses SES’s verdicts for sender authentication', async () => {
    const { send } = await start({ ALLOWED_SENDERS: 'molly@example.org' });
    const eml = await composeEml();
    const failed = await send(
      await notification(eml, { dmarcVerdict: { status: 'FAIL' }, spfVerdict: { status: 'FAIL' } }),
    );
    expect(failed.status).toBe(403);
    expect(String(failed.body.detail)).toContain('Amazon SES: DMARC fail, SPF fail');
    const passed = await send(
      await notification(eml, { dmarcVerdict: { status: 'PASS' }, spfVerdict: { status: 'PASS' } }),
    );
    expect(passed).toMatchObject({ status: 200, body: { status: 'accepted' } });
  });

  it('says what to do with mail that went to S3 (no content)', async () => {
    const { send } = await start();
    const message = signed({
      Type: 'Notification',
      MessageId: 'm-s3',
      TopicArn: TOPIC,
      Timestamp: '2026-11-29T14:00:00.000Z',
      Message: JSON.stringify({
        notificationType: 'Received',
        mail: {},
        receipt: { action: { type: 'S3' } },
      }),
    });
    const reply = await send(message);
    expect(reply.status).toBe(400);
    expect(String(reply.body.detail)).toContain('S3 action is not supported');
  });
});
