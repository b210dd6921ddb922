/**
 * Issue 11 item 9: the local Slack stand-in (and the local page's API) cannot be driven by other web
 * pages: it listens on loopback only, checks Host and Origin, and its token is made for each run.
 */
import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { SlackStandIn } from '../../src/local/slack-stand-in.js';

let standIn: SlackStandIn | null = null;
afterEach(async () => {
  await standIn?.close();
  standIn = null;
});

/** A raw request, so Host and Origin are exactly what a browser under attack would send. */
function send(
  url: string,
  headers: Record<string, string>,
  body: string,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        text += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('11.9 the local stand-in', () => {
  it('refuses a cross-site form POST to chat.postMessage, even with the right token', async () => {
    standIn = new SlackStandIn();
    const api = await standIn.listen();
    const form = new URLSearchParams({ token: standIn.token, channel: 'briefings', text: '<!channel> hi' });
    const answer = await send(
      `${api}chat.postMessage`,
      { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://evil.example' },
      form.toString(),
    );
    expect(answer.status).toBe(403);
    expect(standIn.messages('briefings')).toHaveLength(0);
    for (const method of ['chat.update', 'chat.delete']) {
      const other = await send(
        `${api}${method}`,
        { 'content-type': 'application/x-www-form-urlencoded', origin: 'null' },
        new URLSearchParams({ token: standIn.token, channel: 'briefings', ts: '1.1', text: 'x' }).toString(),
      );
      expect(other.status).toBe(403);
    }
  });

  it('refuses a rebound Host name', async () => {
    standIn = new SlackStandIn();
    const api = await standIn.listen();
    const answer = await send(
      `${api}conversations.history`,
      {
        host: 'rebind.evil.example',
        'content-type': 'application/x-www-form-urlencoded',
      },
      new URLSearchParams({ token: standIn.token, channel: 'briefings' }).toString(),
    );
    expect(answer.status).toBe(403);
    expect(answer.body).not.toContain('"messages"');
  });

  it('still answers the bot (no Origin, loopback Host)', async () => {
    standIn = new SlackStandIn();
    const api = await standIn.listen();
    const answer = await send(
      `${api}chat.postMessage`,
      { 'content-type': 'application/x-www-form-urlencoded' },
      new URLSearchParams({ token: standIn.token, channel: 'briefings', text: 'hi' }).toString(),
    );
    expect(JSON.parse(answer.body)).toMatchObject({ ok: true });
  });

  it('makes a new token for every run, and no published one works', async () => {
    const a = new SlackStandIn();
    const b = new SlackStandIn();
    expect(a.token).not.toBe(b.token);
    expect(a.token).toMatch(/^xoxb-local-[0-9a-f]{36}$/);
    standIn = a;
    const api = await a.listen();
    const published = await send(
      `${api}auth.test`,
      { 'content-type': 'application/x-www-form-urlencoded' },
      'token=xoxb-local-workspace-0000000000',
    );
    expect(JSON.parse(published.body)).toMatchObject({ ok: false, error: 'invalid_auth' });
  });

  it('will not listen on anything but loopback', async () => {
    standIn = new SlackStandIn();
    await expect(standIn.listen(0, '0.0.0.0')).rejects.toThrow(/loopback only/);
  });
});
