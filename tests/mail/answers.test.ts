/**
 * Each provider gets the status code its own docs give the outcome (src/mail/answers.ts): Postmark
 * and Mailgun 200 for accepted and duplicate mail and their "do not retry" code (403, 406) for
 * permanent refusals; raw MIME and SendGrid plain HTTP. Temporary trouble is a code every provider
 * retries. Accepted and duplicate go through the real ingest and an in-memory store.
 */
import { ConsoleLogger, LogLevel } from '@slack/logger';
import { afterEach, describe, expect, it } from 'vitest';
import { createIngest } from '../../src/ingest/ingest.js';
import type { Ingest } from '../../src/ingest/types.js';
import type { MailLimits } from '../../src/mail/index.js';
import { openMemoryStore } from '../../src/store/index.js';
import type { Store } from '../../src/store/types.js';
import {
  composeEml,
  multipart,
  post,
  type Reply,
  signedMailgunFields,
  startServer,
  type TestServer,
  testConfig,
} from './helpers.js';

const NOW = new Date('2026-11-29T14:00:00Z');
const quiet = new ConsoleLogger();
quiet.setLevel(LogLevel.ERROR);

type Provider = 'raw MIME' | 'SendGrid' | 'Mailgun' | 'Postmark';

/** The message as each provider delivers it; Mailgun signs every post afresh, as its retries do. */
function send(provider: Provider, server: TestServer, eml: Buffer): Promise<Reply> {
  switch (provider) {
    case 'raw MIME':
      return post(server.url, eml, { 'content-type': 'message/rfc822' });
    case 'SendGrid': {
      const form = multipart([
        { name: 'email', value: eml },
        { name: 'to', value: 'briefings@inbound.example.org' },
      ]);
      return post(server.url, form.body, { 'content-type': form.contentType });
    }
    case 'Mailgun': {
      const signed = signedMailgunFields(NOW.getTime());
      const form = multipart([
        { name: 'body-mime', value: eml },
        { name: 'recipient', value: 'briefings@inbound.example.org' },
        ...Object.entries(signed).map(([name, value]) => ({ name, value })),
      ]);
      return post(`${server.url}/mime`, form.body, { 'content-type': form.contentType, authorization: '' });
    }
    case 'Postmark':
      return post(
        server.url,
        JSON.stringify({ From: 'molly@example.org', Subject: 'Fwd', RawEmail: eml.toString('utf8') }),
        { 'content-type': 'application/json' },
      );
  }
}

const PROVIDERS: Provider[] = ['raw MIME', 'SendGrid', 'Mailgun', 'Postmark'];

/** Expected codes per provider: [accepted, duplicate, permanent refusal (or its own code)]. */
const STOPS: Record<Provider, { accepted: number; permanent: (plain: number) => number }> = {
  'raw MIME': { accepted: 202, permanent: (plain) => plain },
  SendGrid: { accepted: 202, permanent: (plain) => plain },
  Mailgun: { accepted: 200, permanent: () => 406 },
  Postmark: { accepted: 200, permanent: () => 403 },
};

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function withRealIngest(env: Record<string, string> = {}, limits: Partial<MailLimits> = {}) {
  const store: Store = await openMemoryStore({ now: () => NOW });
  const config = testConfig({ BRIEFING_CHANNEL: 'briefings', ...env });
  const ingest: Ingest = createIngest({
    config,
    store,
    deliverer: { kick: () => {} },
    logger: quiet,
    now: () => NOW,
  });
  server = await startServer({ config, ingest, now: () => NOW, limits });
  return { server, store };
}

describe.each(PROVIDERS)('%s', (provider) => {
  const codes = STOPS[provider];

  it(`accepted → ${codes.accepted}, the same message again → 200 duplicate, stored once`, async () => {
    const { server, store } = await withRealIngest();
    const eml = await composeEml();
    const first = await send(provider, server, eml);
    expect(first.status).toBe(codes.accepted);
    expect(first.body.status).toBe('accepted');
    const again = await send(provider, server, eml);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ status: 'duplicate', id: first.body.id });
    expect(await store.briefingCount()).toBe(1);
  });

  it(`not a briefing → ${codes.permanent(400)}`, async () => {
    const { server } = await withRealIngest();
    const reply = await send(provider, server, await composeEml({ text: ' ' }));
    expect(reply.status).toBe(codes.permanent(400));
    expect(reply.body.error).toBe('bad_request');
  });

  it(`sender not allowed → ${codes.permanent(403)}`, async () => {
    const { server } = await withRealIngest({ ALLOWED_SENDERS: 'editor@desk.example' });
    const reply = await send(provider, server, await composeEml());
    expect(reply.status).toBe(codes.permanent(403));
    expect(reply.body.error).toBe('forbidden');
    expect(String(reply.body.detail)).toContain('molly@example.org');
  });

  it(`too large → ${codes.permanent(413)}`, async () => {
    const { server } = await withRealIngest({ MAIL_MAX_BYTES: '4000' });
    const reply = await send(provider, server, await composeEml());
    expect(reply.status).toBe(codes.permanent(413));
    expect(reply.body.error).toBe('payload_too_large');
  });

  it('store not writable → 500, which every provider retries', async () => {
    server = await startServer({
      now: () => NOW,
      ingest: async () => {
        throw Object.assign(new Error('EACCES: permission denied, open data/index.json'), { code: 'EACCES' });
      },
    });
    const reply = await send(provider, server, await composeEml());
    expect(reply.status).toBe(500);
    expect(reply.body.error).toBe('internal_error');
  });

  it('overloaded → 429, which every provider retries', async () => {
    const { server } = await withRealIngest({}, { maxConcurrentBodies: 0, maxAnonymousBodies: 0 });
    const reply = await send(provider, server, await composeEml());
    expect(reply.status).toBe(429);
    expect(reply.body.error).toBe('too_many_requests');
  });
});

describe('Mailgun retries', () => {
  it('a retry carries a fresh signature: it is a duplicate (200), not a replay (401)', async () => {
    const { server, store } = await withRealIngest();
    const eml = await composeEml();
    const first = await send('Mailgun', server, eml);
    expect(first.status).toBe(200);
    // Mailgun did not see our 200 (a timeout on its side) and posts again, newly signed.
    const retry = await send('Mailgun', server, eml);
    expect(retry.status).toBe(200);
    expect(retry.body).toMatchObject({ status: 'duplicate', id: first.body.id });
    expect(await store.briefingCount()).toBe(1);
  });
});
