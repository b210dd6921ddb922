import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HTTPReceiver } from '@slack/bolt';
import { afterEach, describe, expect, it } from 'vitest';
import type { MailInput } from '../../src/ingest/types.js';
import { mailWebhookRoute } from '../../src/mail/index.js';
import {
  basicAuth,
  composeEml,
  type LogLine,
  rawRequest,
  recordingLogger,
  SECRET,
  signedMailgunFields,
  testConfig,
  toBody,
} from './helpers.js';

/** The route as Bolt serves it: mounted in HTTPReceiver's customRoutes next to /slack/events. */
async function startReceiver(env: Record<string, string> = {}) {
  const inputs: MailInput[] = [];
  const logs: LogLine[] = [];
  const logger = recordingLogger(logs);
  const route = mailWebhookRoute({
    config: testConfig(env),
    logger,
    ingest: async (input) => {
      inputs.push(input);
      return { status: 'accepted', id: 'b-42', sections: 5 };
    },
  });
  const receiver = new HTTPReceiver({ signingSecret: 'slack-signing-secret', customRoutes: [route], logger });
  const server: Server = await receiver.start({ port: 0, host: '127.0.0.1' });
  const { port } = server.address() as AddressInfo;
  return { receiver, port, url: `http://127.0.0.1:${port}/mail/inbound`, inputs, logs };
}

let running: Awaited<ReturnType<typeof startReceiver>> | undefined;
afterEach(async () => {
  await running?.receiver.stop();
  running = undefined;
});

describe('the mail webhook inside Bolt’s HTTPReceiver', () => {
  it('accepts the seed as raw MIME and answers 202 with the ingest result', async () => {
    running = await startReceiver();
    const eml = await composeEml();
    const response = await fetch(running.url, {
      method: 'POST',
      body: toBody(eml),
      headers: { 'content-type': 'message/rfc822', authorization: basicAuth(SECRET) },
    });
    expect(response.status).toBe(202);
    expect(await response.json()).toEqual({
      status: 'accepted',
      id: 'b-42',
      sections: 5,
      detail: 'Stored; posting to Slack.',
    });
    const input = running.inputs[0];
    expect(input?.kind === 'raw' && input.raw.equals(eml)).toBe(true);
  });

  it('serves /mail/inbound/mime too, where Mailgun posts body-mime with its signature', async () => {
    running = await startReceiver();
    const eml = await composeEml();
    const form = new URLSearchParams({
      ...signedMailgunFields(Date.now()),
      'body-mime': eml.toString('utf8'),
    });
    const response = await fetch(`${running.url}/mime`, { method: 'POST', body: form });
    expect(response.status).toBe(200);
    const input = running.inputs[0];
    expect(input?.kind === 'raw' && input.raw.equals(eml)).toBe(true);
    const elsewhere = await fetch(`${running.url}/other`, { method: 'POST', body: form });
    expect(elsewhere.status).toBe(404);
  });

  it('answers GET with a JSON 405 instead of Bolt’s 404, and bad auth with 401', async () => {
    running = await startReceiver();
    const get = await fetch(running.url);
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toBe('POST');
    const bad = await fetch(running.url, {
      method: 'POST',
      body: 'x',
      headers: { 'content-type': 'message/rfc822', authorization: basicAuth('guess') },
    });
    expect(bad.status).toBe(401);
    expect(running.inputs).toHaveLength(0);
  });

  it('cuts off an oversized chunked body with 413 (Bolt’s own body limit does not apply to custom routes)', async () => {
    running = await startReceiver({ MAIL_MAX_BYTES: '32768' });
    const chunk = Buffer.alloc(8192, 'z');
    const result = await rawRequest(
      running.port,
      { authorization: basicAuth(SECRET), 'content-type': 'message/rfc822', 'transfer-encoding': 'chunked' },
      async (write, isClosed) => {
        for (let sent = 0; !isClosed() && sent < 256 * 1024 * 1024; sent += chunk.length) {
          if (!write(chunk)) await new Promise((resolve) => setTimeout(resolve, 1));
        }
      },
    );
    expect(result.status).toBe(413);
    expect(result.closed).toBe(true);
    expect(running.inputs).toHaveLength(0);
  });
});
