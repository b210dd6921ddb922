import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import {
  basicAuth,
  composeEml,
  multipart,
  post,
  rawRequest,
  SECRET,
  signedMailgunFields,
  startServer,
  type TestServer,
  testConfig,
} from './helpers.js';

let server: TestServer;
afterEach(async () => server?.close());

const MAX = 64 * 1024;
const auth = { authorization: basicAuth(SECRET) };

describe('size limit (MAIL_MAX_BYTES)', () => {
  it('refuses a declared Content-Length over the limit with 413 without waiting for the body', async () => {
    server = await startServer({ config: testConfig({ MAIL_MAX_BYTES: String(MAX) }) });
    const result = await rawRequest(
      server.port,
      { ...auth, 'content-type': 'message/rfc822', 'content-length': MAX + 1 },
      async (write, isClosed) => {
        // Send a sliver of the promised body, then hold the rest: the reply must not depend on it.
        write('From: someone@example.org\r\n');
        while (!isClosed()) await sleep(10);
      },
    );
    expect(result.status).toBe(413);
    expect(JSON.parse(result.body)).toMatchObject({ error: 'payload_too_large' });
    expect(result.headers.connection).toBe('close');
    expect(result.closed).toBe(true);
    expect(server.inputs).toHaveLength(0);
    expect(server.logs.some((line) => line.level === 'warn' && line.text.includes('Content-Length'))).toBe(
      true,
    );
  });

  for (const contentType of ['message/rfc822', 'multipart/form-data; boundary=b', 'application/json']) {
    it(`cuts off a chunked ${contentType.split(';')[0]} body as soon as it passes the limit and hangs up`, async () => {
      server = await startServer({ config: testConfig({ MAIL_MAX_BYTES: String(MAX) }) });
      const opening = contentType.startsWith('multipart')
        ? '--b\r\nContent-Disposition: form-data; name="text"\r\n\r\n'
        : '';
      const chunk = Buffer.alloc(16 * 1024, 'a');
      let written = 0;
      const result = await rawRequest(
        server.port,
        { ...auth, 'content-type': contentType, 'transfer-encoding': 'chunked' },
        async (write, isClosed) => {
          write(opening);
          // An endless body, written as fast as the socket takes it; only the server can stop it.
          const ceiling = 512 * 1024 * 1024;
          while (!isClosed() && written < ceiling) {
            written += chunk.length;
            if (!write(chunk)) await sleep(1);
          }
        },
      );
      // Postmark (JSON) is told 403, its code for "do not retry"; the others hear 413.
      expect(result.status).toBe(contentType === 'application/json' ? 403 : 413);
      expect(result.closed).toBe(true);
      // The client was stopped long before its 512 MiB: the server hung up instead of reading on.
      expect(written).toBeLessThan(64 * 1024 * 1024);
      expect(server.inputs).toHaveLength(0);
      expect(server.logs.some((line) => line.text.includes('while streaming'))).toBe(true);
    });
  }

  it('a form field longer than the field budget is a 400, not a shorter briefing', async () => {
    server = await startServer({ limits: { fieldBytes: 1000 } });
    const form = multipart([
      { name: 'text', value: 'x'.repeat(5000) },
      { name: 'charsets', value: '{}' },
    ]);
    const reply = await post(server.url, form.body, { 'content-type': form.contentType });
    expect(reply.status).toBe(400);
    expect(String(reply.body.detail)).toContain('"text" is longer than 1000 bytes');
    const asFile = multipart([{ name: 'email', value: await composeEml(), filename: 'm.eml' }]);
    const fileReply = await post(server.url, asFile.body, { 'content-type': asFile.contentType });
    expect(fileReply.status).toBe(400);
    expect(String(fileReply.body.detail)).toContain('"email" is longer than 1000 bytes');
    const urlencoded = await post(server.url, new URLSearchParams({ 'body-plain': 'y'.repeat(5000) }));
    expect(urlencoded.status).toBe(400);
    expect(server.inputs).toHaveLength(0);
  });

  it('a client-chosen field name cannot forge log lines', async () => {
    server = await startServer({ limits: { fieldBytes: 10 } });
    const name = 'body-plain\nmail webhook: accepted briefing b-1';
    const reply = await post(server.url, new URLSearchParams({ [name]: 'longer than ten bytes' }));
    expect(reply.status).toBe(400);
    expect(String(reply.body.detail)).toContain('"body-plain?mail webhook');
    expect(server.logs.every((line) => !line.text.includes('\n'))).toBe(true);
  });

  it('too many form fields is a 400', async () => {
    server = await startServer({ limits: { maxFields: 10 } });
    const fields = new URLSearchParams({ 'body-plain': 'hello' });
    for (let i = 0; i < 20; i++) fields.set(`X-Extra-${i}`, 'v');
    const reply = await post(server.url, fields);
    expect(reply.status).toBe(400);
    expect(String(reply.body.detail)).toContain('More than 10 form fields');
  });
});

describe('attachments', () => {
  it('drains attachments and skips those past the file budget without refusing the briefing', async () => {
    server = await startServer({ limits: { maxFiles: 2 } });
    const attachments = [1, 2, 3, 4, 5].map((n) => ({
      name: `attachment${n}`,
      value: Buffer.alloc(30_000, n),
      filename: `scan-${n}.pdf`,
      contentType: 'application/pdf',
    }));
    const form = multipart([
      ...attachments,
      { name: 'text', value: 'The briefing text.' },
      { name: 'charsets', value: '{}' },
    ]);
    const reply = await post(server.url, form.body, { 'content-type': form.contentType });
    expect(reply.status).toBe(202);
    const input = server.inputs[0];
    expect(input?.kind === 'parts' && input.parts.text).toBe('The briefing text.');
  });
});

describe('time limits (slow-loris)', () => {
  it('cuts off a body that trickles past the total time limit with 408 and closes the socket', async () => {
    server = await startServer({ limits: { bodyTimeoutMs: 300, idleTimeoutMs: 10_000 } });
    const result = await rawRequest(
      server.port,
      { ...auth, 'content-type': 'message/rfc822', 'transfer-encoding': 'chunked' },
      async (write, isClosed) => {
        // One byte every 20 ms: never idle long enough for the (10 s) idle timer, never done.
        while (!isClosed()) {
          write('x');
          await sleep(20);
        }
      },
    );
    expect(result.status).toBe(408);
    expect(result.closed).toBe(true);
    expect(JSON.parse(result.body)).toMatchObject({ error: 'request_timeout' });
    expect(server.logs.some((line) => line.text.includes('body not complete after 300 ms'))).toBe(true);
  });

  it('cuts off a body that stops arriving (idle) with 408', async () => {
    server = await startServer({ limits: { bodyTimeoutMs: 10_000, idleTimeoutMs: 150 } });
    const result = await rawRequest(
      server.port,
      { ...auth, 'content-type': 'message/rfc822', 'content-length': 5000 },
      async (write, isClosed) => {
        write('From: a@example.org\r\n');
        while (!isClosed()) await sleep(10);
      },
    );
    expect(result.status).toBe(408);
    expect(result.closed).toBe(true);
    expect(server.logs.some((line) => line.text.includes('no body data for 150 ms'))).toBe(true);
  });
});

describe('methods and content types', () => {
  it('answers anything but POST with 405 and Allow: POST', async () => {
    server = await startServer();
    const response = await fetch(server.url, { method: 'GET' });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('POST');
    expect(await response.json()).toMatchObject({ error: 'method_not_allowed' });
  });

  it('refuses unsupported or missing content types with 415', async () => {
    server = await startServer();
    for (const contentType of ['image/png', 'application/xml', 'constructor', '__proto__']) {
      const reply = await post(server.url, 'data', { 'content-type': contentType });
      expect(reply.status, contentType).toBe(415);
    }
    const bare = await fetch(server.url, { method: 'POST', body: new Uint8Array([1, 2, 3]), headers: auth });
    expect(bare.status).toBe(415);
    expect(server.inputs).toHaveLength(0);
  });

  it('refuses a malformed multipart body with 400', async () => {
    server = await startServer();
    const noBoundary = await post(server.url, 'x', { 'content-type': 'multipart/form-data' });
    expect(noBoundary.status).toBe(400);
    const form = multipart([{ name: 'text', value: 'hello' }]);
    const cut = form.body.subarray(0, form.body.length - 20);
    const truncated = await post(server.url, cut, { 'content-type': form.contentType });
    expect(truncated.status).toBe(400);
    expect(server.inputs).toHaveLength(0);
  });
});

describe('concurrency', () => {
  it('sheds bodies past the in-flight budget with 429 and takes them again once one finishes', async () => {
    let release: () => void = () => {};
    const blocked = new Promise<void>((resolve) => {
      release = resolve;
    });
    let calls = 0;
    server = await startServer({
      limits: { maxConcurrentBodies: 1 },
      ingest: async () => {
        calls += 1;
        if (calls === 1) await blocked;
        return { status: 'accepted', id: `b-${calls}`, sections: 1 };
      },
    });
    const eml = await composeEml({ text: 'short' });
    const first = post(server.url, eml, { 'content-type': 'message/rfc822' });
    while (calls === 0) await sleep(5);
    const second = await post(server.url, eml, { 'content-type': 'message/rfc822' });
    expect(second.status).toBe(429);
    expect(second.body.error).toBe('too_many_requests');
    release();
    expect((await first).status).toBe(202);
    const third = await post(server.url, eml, { 'content-type': 'message/rfc822' });
    expect(third.status).toBe(202);
  });
});

describe('slow anonymous senders (issue 11.7)', () => {
  /** A Mailgun-looking post with no Authorization that promises 1 MB and sends a byte, then holds. */
  const slowAnonymous = (port: number) =>
    rawRequest(
      port,
      { 'content-type': 'multipart/form-data; boundary=b', 'content-length': 1_000_000 },
      async (write, isClosed) => {
        write('-');
        while (!isClosed()) await sleep(20);
      },
    );

  it('12 slow unsigned bodies take only the anonymous slots: authenticated mail is still accepted', async () => {
    // A long rate window keeps the slow bodies in their slots for the whole test: the budgets alone must hold.
    server = await startServer({ limits: { rateWindowMs: 60_000, maxAnonymousBodies: 4 } });
    const slow = Array.from({ length: 12 }, () => slowAnonymous(server.port));
    const shed = () => server.logs.filter((line) => line.text.includes('anonymous bodies already in flight'));
    while (shed().length < 8) await sleep(10);

    const eml = await composeEml({ text: 'short' });
    const authenticated = await Promise.all(
      Array.from({ length: 3 }, () => post(server.url, eml, { 'content-type': 'message/rfc822' })),
    );
    expect(authenticated.map((reply) => reply.status)).toEqual([202, 202, 202]);

    // The 8 past the anonymous budget were shed at once with 429 (retried later); 4 were still being
    // read when the server closed, unanswered.
    await server.close();
    const results = await Promise.all(slow);
    expect(results.filter((result) => result.status === 429)).toHaveLength(8);
    expect(results.filter((result) => result.status === null)).toHaveLength(4);
  });

  it('a body below the minimum rate is cut off with 408 and its slot is free again', async () => {
    server = await startServer({
      limits: { rateWindowMs: 100, minBytesPerWindow: 1024, maxAnonymousBodies: 1 },
    });
    const cut = await slowAnonymous(server.port);
    expect(cut.status).toBe(408);
    expect(JSON.parse(cut.body)).toMatchObject({ error: 'request_timeout' });
    expect(cut.closed).toBe(true);
    expect(server.logs.some((line) => line.text.includes('under 1024'))).toBe(true);
    // The one anonymous slot is free: a signed Mailgun post goes through.
    const form = multipart([
      { name: 'body-plain', value: 'short' },
      ...Object.entries(signedMailgunFields(Date.now())).map(([name, value]) => ({ name, value })),
    ]);
    const signed = await post(server.url, form.body, { 'content-type': form.contentType, authorization: '' });
    expect(signed.status).toBe(200);
  });
});
