import { afterEach, describe, expect, it } from 'vitest';
import { checkAuthorization, safeEqual } from '../../src/mail/auth.js';
import { mailgunSignature, ReplayGuard, SIGNATURE_MAX_AGE_MS } from '../../src/mail/mailgun-signature.js';
import {
  basicAuth,
  composeEml,
  post,
  SECRET,
  SEED_BODY,
  signedMailgunFields,
  startServer,
  type TestServer,
  testConfig,
  toBody,
} from './helpers.js';

let server: TestServer;
afterEach(async () => server?.close());

const NOW = new Date('2026-11-29T14:00:00Z');

function mailgunForm(signature: Record<string, string>): URLSearchParams {
  return new URLSearchParams({
    ...signature,
    from: 'molly@example.org',
    subject: 'Fwd: briefing',
    'body-plain': SEED_BODY,
  });
}

async function postUnauthenticated(
  url: string,
  body: BodyInit | Buffer,
  headers: Record<string, string> = {},
) {
  const response = await fetch(url, { method: 'POST', body: toBody(body), headers });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('header credentials', () => {
  it('accepts the secret as HTTP Basic password with any user, and as a Bearer token', async () => {
    server = await startServer();
    const eml = await composeEml();
    for (const authorization of [basicAuth(SECRET, 'sendgrid'), basicAuth(SECRET, ''), `Bearer ${SECRET}`]) {
      const reply = await post(server.url, eml, { 'content-type': 'message/rfc822', authorization });
      expect(reply.status, authorization).toBe(202);
    }
    expect(server.inputs).toHaveLength(3);
  });

  it('refuses bad credentials with 401 before reading the body; ingest is never called; the secret is never logged', async () => {
    server = await startServer();
    const eml = await composeEml();
    const attempts = [
      basicAuth('wrong'),
      basicAuth(`${SECRET}x`),
      `Bearer ${SECRET.slice(0, -1)}`,
      `Digest ${SECRET}`,
      'Basic',
      `Basic ${Buffer.from(SECRET).toString('base64')}`, // no colon: a user name, not a password
    ];
    for (const authorization of attempts) {
      const reply = await post(server.url, eml, { 'content-type': 'message/rfc822', authorization });
      expect(reply.status, authorization).toBe(401);
      expect(reply.body.error).toBe('unauthorized');
    }
    expect(server.inputs).toHaveLength(0);
    const warnings = server.logs.filter((line) => line.level === 'warn');
    expect(warnings).toHaveLength(attempts.length);
    for (const line of warnings) {
      expect(line.text).toContain('127.0.0.1');
      expect(line.text).not.toContain(SECRET.slice(0, 10));
    }
  });

  it('refuses a request with no credentials at all', async () => {
    server = await startServer();
    const reply = await postUnauthenticated(server.url, await composeEml(), {
      'content-type': 'message/rfc822',
    });
    expect(reply.status).toBe(401);
    expect(server.inputs).toHaveLength(0);
  });

  it('with no secret configured refuses everything and says the webhook is not configured', async () => {
    server = await startServer({ config: testConfig({ MAIL_WEBHOOK_SECRET: '', MAILGUN_SIGNING_KEY: '' }) });
    const eml = await composeEml();
    const withBasic = await post(server.url, eml, {
      'content-type': 'message/rfc822',
      authorization: basicAuth(''),
    });
    expect(withBasic.status).toBe(401);
    expect(String(withBasic.body.detail)).toContain('not configured');
    const signed = await postUnauthenticated(server.url, mailgunForm(signedMailgunFields(Date.now())));
    expect(signed.status).toBe(401);
    expect(server.inputs).toHaveLength(0);
  });

  it('checkAuthorization tells absent from invalid', () => {
    expect(checkAuthorization(undefined, SECRET)).toEqual({ kind: 'absent' });
    expect(checkAuthorization(`bearer ${SECRET}`, SECRET)).toEqual({ kind: 'valid' });
    expect(checkAuthorization(`Bearer ${SECRET}`, null).kind).toBe('invalid');
    expect(safeEqual('a', 'a')).toBe(true);
    expect(safeEqual('a', 'a\u0000')).toBe(false);
  });
});

describe('Mailgun signature', () => {
  it('accepts a fresh, valid signature without header credentials', async () => {
    server = await startServer({ now: () => NOW });
    const reply = await postUnauthenticated(server.url, mailgunForm(signedMailgunFields(NOW.getTime())));
    expect(reply.status).toBe(200);
    expect(server.inputs).toHaveLength(1);
  });

  it('refuses a wrong signature, a stale one and one from the future', async () => {
    server = await startServer({ now: () => NOW });
    const wrongKey = signedMailgunFields(NOW.getTime());
    wrongKey.signature = mailgunSignature('key-other', wrongKey.timestamp, wrongKey.token);
    const stale = signedMailgunFields(NOW.getTime() - SIGNATURE_MAX_AGE_MS - 1000);
    const future = signedMailgunFields(NOW.getTime() + 10 * 60_000);
    const missing: Record<string, string> = { ...signedMailgunFields(NOW.getTime()) };
    delete missing.signature;
    for (const [label, fields] of Object.entries({ wrongKey, stale, future, missing })) {
      const reply = await postUnauthenticated(server.url, mailgunForm(fields));
      expect(reply.status, label).toBe(401);
    }
    expect(server.inputs).toHaveLength(0);
    const reasons = server.logs.filter((line) => line.level === 'warn').map((line) => line.text);
    expect(reasons.join('\n')).toMatch(
      /signature mismatch[\s\S]*stale[\s\S]*future[\s\S]*no Mailgun signature/,
    );
  });

  it('refuses a replayed token, also when the first request is still in flight', async () => {
    server = await startServer({ now: () => NOW });
    const fields = signedMailgunFields(NOW.getTime());
    const first = await postUnauthenticated(server.url, mailgunForm(fields));
    expect(first.status).toBe(200);
    const replay = await postUnauthenticated(server.url, mailgunForm(fields));
    expect(replay.status).toBe(401);
    expect(server.logs.some((line) => line.text.includes('replayed Mailgun token'))).toBe(true);

    const twin = signedMailgunFields(NOW.getTime());
    const replies = await Promise.all(
      [1, 2, 3].map(() => postUnauthenticated(server.url, mailgunForm(twin))),
    );
    expect(replies.map((reply) => reply.status).sort()).toEqual([200, 401, 401]);
    expect(server.inputs).toHaveLength(2);
  });

  it('lets the provider retry with the same token when ingest failed on our side', async () => {
    let failures = 1;
    server = await startServer({
      now: () => NOW,
      ingest: async () => {
        if (failures-- > 0) throw new Error('store unavailable');
        return { status: 'accepted', id: 'b-2', sections: 4 };
      },
    });
    const fields = signedMailgunFields(NOW.getTime());
    expect((await postUnauthenticated(server.url, mailgunForm(fields))).status).toBe(500);
    expect((await postUnauthenticated(server.url, mailgunForm(fields))).status).toBe(200);
  });

  it('a signed body cannot stand in for header auth on raw MIME or JSON', async () => {
    server = await startServer({ now: () => NOW });
    const reply = await postUnauthenticated(
      server.url,
      JSON.stringify({ ...signedMailgunFields(NOW.getTime()), TextBody: 'x' }),
      {
        'content-type': 'application/json',
      },
    );
    expect(reply.status).toBe(401);
  });
});

describe('ReplayGuard', () => {
  it('forgets tokens once their timestamp is past the window, and stays within its count', () => {
    const guard = new ReplayGuard(3);
    const t0 = NOW.getTime();
    expect(guard.claim('a', t0, t0)).toBe(true);
    expect(guard.claim('a', t0, t0 + 1000)).toBe(false);
    expect(guard.claim('b', t0, t0)).toBe(true);
    expect(guard.claim('c', t0, t0)).toBe(true);
    expect(guard.claim('d', t0, t0)).toBe(true);
    expect(guard.size).toBe(3);
    // 'a' was the oldest and made room for 'd'.
    expect(guard.claim('a', t0, t0)).toBe(true);
    expect(guard.claim('later', t0 + 2 * SIGNATURE_MAX_AGE_MS, t0 + 2 * SIGNATURE_MAX_AGE_MS)).toBe(true);
    expect(guard.size).toBe(1);
    guard.release('later');
    expect(guard.claim('later', t0 + 2 * SIGNATURE_MAX_AGE_MS, t0 + 2 * SIGNATURE_MAX_AGE_MS)).toBe(true);
  });
});
