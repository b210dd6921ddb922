import iconv from 'iconv-lite';
import { simpleParser } from 'mailparser';
import { afterEach, describe, expect, it } from 'vitest';
import type { MailInput } from '../../src/ingest/types.js';
import {
  composeEml,
  multipart,
  post,
  SEED_BODY,
  SEED_FROM,
  SEED_MESSAGE_ID,
  SEED_SUBJECT,
  signedMailgunFields,
  startServer,
  type TestServer,
} from './helpers.js';

let server: TestServer;
afterEach(async () => server?.close());

function rawOf(input: MailInput | undefined): Buffer {
  if (input?.kind !== 'raw')
    throw new Error(`expected a raw input, got ${JSON.stringify(input)?.slice(0, 200)}`);
  return input.raw;
}

function partsOf(input: MailInput | undefined) {
  if (input?.kind !== 'parts') throw new Error(`expected parts, got ${input?.kind}`);
  return input.parts;
}

/** The seed arrived whole: same subject, Message-ID and body text as composed. */
async function expectSeed(raw: Buffer): Promise<void> {
  const parsed = await simpleParser(raw);
  expect(parsed.subject).toBe(SEED_SUBJECT);
  expect(parsed.messageId).toBe(SEED_MESSAGE_ID);
  expect(parsed.text?.trim()).toBe(SEED_BODY.trim());
}

describe('raw MIME bodies', () => {
  for (const contentType of ['message/rfc822', 'application/octet-stream', 'text/plain; charset=utf-8']) {
    it(`takes the whole message as ${contentType}`, async () => {
      server = await startServer();
      const eml = await composeEml();
      const reply = await post(server.url, eml, { 'content-type': contentType });
      expect(reply.status).toBe(202);
      expect(reply.body).toEqual({
        status: 'accepted',
        id: 'b-1',
        sections: 3,
        detail: 'Stored; posting to Slack.',
      });
      expect(rawOf(server.inputs[0]).equals(eml)).toBe(true);
      await expectSeed(rawOf(server.inputs[0]));
    });
  }

  it('refuses an empty message with 400 without calling ingest', async () => {
    server = await startServer();
    const reply = await post(server.url, '  \r\n', { 'content-type': 'message/rfc822' });
    expect(reply.status).toBe(400);
    expect(reply.body.error).toBe('bad_request');
    expect(server.inputs).toHaveLength(0);
  });
});

describe('SendGrid Inbound Parse', () => {
  it('raw mode: the message in the "email" field', async () => {
    server = await startServer();
    const eml = await composeEml();
    const form = new FormData();
    form.set('email', eml.toString('utf8'));
    form.set('to', 'briefings@inbound.example.org');
    form.set(
      'envelope',
      JSON.stringify({ to: ['briefings@inbound.example.org'], from: 'molly@example.org' }),
    );
    const reply = await post(server.url, form);
    expect(reply.status).toBe(202);
    await expectSeed(rawOf(server.inputs[0]));
  });

  it('raw mode: the message uploaded as a file part is kept, other attachments are drained', async () => {
    server = await startServer();
    const eml = await composeEml();
    const form = multipart([
      {
        name: 'attachment1',
        value: Buffer.alloc(200_000, 7),
        filename: 'photo.jpg',
        contentType: 'image/jpeg',
      },
      { name: 'email', value: eml, filename: 'message.eml', contentType: 'message/rfc822' },
    ]);
    const reply = await post(server.url, form.body, { 'content-type': form.contentType });
    expect(reply.status).toBe(202);
    expect(rawOf(server.inputs[0]).equals(eml)).toBe(true);
  });

  it('parsed mode: decodes iso-8859-1 fields with "charsets" and reads Date/Message-ID from "headers"', async () => {
    server = await startServer();
    const text =
      'Peruvian President Pedro Castillo named Mirtha Vásquez prime minister. López Obrador, Bogotá.';
    const html = '<p>Mirtha Vásquez — prime minister</p>';
    const headers = [
      `From: ${SEED_FROM}`,
      'Date: Thu, 07 Oct 2021 13:20:13 -0400',
      `Message-ID:\r\n ${SEED_MESSAGE_ID}`,
      `Subject: ${SEED_SUBJECT}`,
    ].join('\r\n');
    const form = multipart([
      { name: 'headers', value: headers },
      { name: 'text', value: iconv.encode(text, 'iso-8859-1') },
      { name: 'html', value: Buffer.from(html, 'utf8') },
      { name: 'subject', value: iconv.encode('Fwd: Perú cabinet reshuffle', 'iso-8859-1') },
      { name: 'from', value: SEED_FROM },
      {
        name: 'charsets',
        value: JSON.stringify({ text: 'iso-8859-1', html: 'UTF-8', subject: 'iso-8859-1', from: 'UTF-8' }),
      },
      { name: 'spam_score', value: '0.1' },
    ]);
    const reply = await post(server.url, form.body, { 'content-type': form.contentType });
    expect(reply.status).toBe(202);
    expect(partsOf(server.inputs[0])).toEqual({
      subject: 'Fwd: Perú cabinet reshuffle',
      from: SEED_FROM,
      date: '2021-10-07T17:20:13.000Z',
      messageId: SEED_MESSAGE_ID,
      text,
      html,
    });
  });

  it('parsed mode: windows-1252 smart quotes and euro sign come out right (not as latin1 control chars)', async () => {
    server = await startServer();
    const text = 'Castillo’s cabinet “seems more moderate” — €2 billion for Petroperú';
    const form = multipart([
      { name: 'text', value: iconv.encode(text, 'windows-1252') },
      { name: 'charsets', value: JSON.stringify({ text: 'windows-1252' }) },
    ]);
    const reply = await post(server.url, form.body, { 'content-type': form.contentType });
    expect(reply.status).toBe(202);
    expect(partsOf(server.inputs[0]).text).toBe(text);
  });

  it('parsed mode: a part that declares its own charset is not decoded twice', async () => {
    server = await startServer();
    const text = 'Vásquez — “moderate” cabinet';
    const form = multipart([
      { name: 'text', value: Buffer.from(text, 'utf8'), contentType: 'text/plain; charset=utf-8' },
      { name: 'charsets', value: JSON.stringify({ text: 'utf-8' }) },
    ]);
    const reply = await post(server.url, form.body, { 'content-type': form.contentType });
    expect(reply.status).toBe(202);
    expect(partsOf(server.inputs[0]).text).toBe(text);
  });

  it('parsed mode without any body is a 400', async () => {
    server = await startServer();
    const form = new FormData();
    form.set('headers', 'Subject: nothing');
    form.set('subject', 'nothing');
    const reply = await post(server.url, form);
    expect(reply.status).toBe(400);
    expect(String(reply.body.detail)).toContain('SendGrid');
    expect(server.inputs).toHaveLength(0);
  });
});

describe('Mailgun routes', () => {
  it('urlencoded parsed post: full body-plain, never stripped-text; Date and Message-ID from message-headers', async () => {
    server = await startServer();
    const fields = new URLSearchParams({
      recipient: 'briefings@inbound.example.org',
      sender: 'molly@example.org',
      from: SEED_FROM,
      subject: SEED_SUBJECT,
      'body-plain': SEED_BODY,
      'stripped-text': 'FYI',
      'stripped-signature': '',
      'message-headers': JSON.stringify([
        ['Date', 'Thu, 07 Oct 2021 13:20:13 -0400'],
        ['Message-Id', SEED_MESSAGE_ID],
        ['Subject', SEED_SUBJECT],
      ]),
    });
    const reply = await post(server.url, fields);
    expect(reply.status).toBe(200);
    expect(partsOf(server.inputs[0])).toEqual({
      subject: SEED_SUBJECT,
      from: SEED_FROM,
      date: '2021-10-07T17:20:13.000Z',
      messageId: SEED_MESSAGE_ID,
      text: SEED_BODY,
      html: null,
    });
  });

  it('multipart "mime" post signed instead of basic auth: the message from body-mime', async () => {
    const now = new Date('2026-11-29T14:00:00Z');
    server = await startServer({ now: () => now });
    const eml = await composeEml();
    const form = new FormData();
    for (const [name, value] of Object.entries(signedMailgunFields(now.getTime()))) form.set(name, value);
    form.set('recipient', 'briefings@inbound.example.org');
    form.set('body-mime', eml.toString('utf8'));
    form.set('attachment-1', new Blob([Buffer.alloc(50_000, 1)]), 'chart.png');
    const response = await fetch(server.url, { method: 'POST', body: form });
    expect(response.status).toBe(200);
    await expectSeed(rawOf(server.inputs[0]));
  });

  it('a form with neither provider’s fields is a 400', async () => {
    server = await startServer();
    const reply = await post(server.url, new URLSearchParams({ name: 'x', comment: 'hello' }));
    expect(reply.status).toBe(400);
    expect(server.inputs).toHaveLength(0);
  });
});

describe('Postmark inbound JSON', () => {
  const base = {
    From: 'molly@example.org',
    FromFull: { Email: 'molly@example.org', Name: 'Molly Molloy', MailboxHash: '' },
    To: 'briefings@inbound.example.org',
    Subject: SEED_SUBJECT,
    Date: 'Thu, 7 Oct 2021 13:20:13 -0400',
    MessageID: '73e6d360-66eb-11e1-8e72-a8904824019b',
    Headers: [
      { Name: 'X-Spam-Status', Value: 'No' },
      { Name: 'Message-ID', Value: SEED_MESSAGE_ID },
    ],
    TextBody: SEED_BODY,
    HtmlBody: '',
    StrippedTextReply: 'FYI',
    Attachments: [],
  };

  it('uses RawEmail when the server sends it', async () => {
    server = await startServer();
    const eml = await composeEml();
    const reply = await post(server.url, JSON.stringify({ ...base, RawEmail: eml.toString('utf8') }), {
      'content-type': 'application/json',
    });
    expect(reply.status).toBe(200);
    await expectSeed(rawOf(server.inputs[0]));
  });

  it('else TextBody/HtmlBody, FromFull, the Message-ID header over Postmark’s own id, never StrippedTextReply', async () => {
    server = await startServer();
    const reply = await post(server.url, JSON.stringify(base), {
      'content-type': 'application/json; charset=utf-8',
    });
    expect(reply.status).toBe(200);
    expect(partsOf(server.inputs[0])).toEqual({
      subject: SEED_SUBJECT,
      from: SEED_FROM,
      date: '2021-10-07T17:20:13.000Z',
      messageId: SEED_MESSAGE_ID,
      text: SEED_BODY,
      html: null,
    });
  });

  it('JSON that does not parse, or is not a message, is refused for good: 403, Postmark’s code that stops its retries', async () => {
    server = await startServer();
    const bad = await post(server.url, '{"TextBody": "unterminated', { 'content-type': 'application/json' });
    expect(bad.status).toBe(403);
    const notMessage = await post(server.url, JSON.stringify([1, 2, 3]), {
      'content-type': 'application/json',
    });
    expect(notMessage.status).toBe(403);
    const stripped = await post(server.url, JSON.stringify({ StrippedTextReply: 'FYI' }), {
      'content-type': 'application/json',
    });
    expect(stripped.status).toBe(403);
    expect(server.inputs).toHaveLength(0);
  });
});

describe('ingest outcomes become replies', () => {
  const eml = () => composeEml({ text: 'short' });

  it('duplicate → 200 {status: "duplicate", id}', async () => {
    server = await startServer({ ingest: async () => ({ status: 'duplicate', id: 'b-9' }) });
    const reply = await post(server.url, await eml(), { 'content-type': 'message/rfc822' });
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual({
      status: 'duplicate',
      id: 'b-9',
      detail: 'Already received; not posted again.',
    });
  });

  it('sender not allowed → 403, logged with the remote address', async () => {
    server = await startServer({
      ingest: async () => ({
        status: 'rejected',
        code: 403,
        detail: 'Sender stranger@evil.example is not allowed.',
      }),
    });
    const reply = await post(server.url, await eml(), { 'content-type': 'message/rfc822' });
    expect(reply.status).toBe(403);
    expect(reply.body).toEqual({
      error: 'forbidden',
      detail: 'Sender stranger@evil.example is not allowed.',
    });
    expect(
      server.logs.some((line) => line.level === 'warn' && /403 from 127\.0\.0\.1.*stranger/.test(line.text)),
    ).toBe(true);
  });

  it('unparseable → 400', async () => {
    server = await startServer({
      ingest: async () => ({ status: 'rejected', code: 400, detail: 'No briefing found.' }),
    });
    const reply = await post(server.url, await eml(), { 'content-type': 'message/rfc822' });
    expect(reply.status).toBe(400);
    expect(reply.body).toEqual({ error: 'bad_request', detail: 'No briefing found.' });
  });

  it('an ingest failure → 500 so the provider retries, and the error is logged', async () => {
    server = await startServer({
      ingest: async () => {
        throw new Error('disk full');
      },
    });
    const reply = await post(server.url, await eml(), { 'content-type': 'message/rfc822' });
    expect(reply.status).toBe(500);
    expect(reply.body.error).toBe('internal_error');
    expect(server.logs.some((line) => line.level === 'error' && line.text.includes('disk full'))).toBe(true);
  });
});

describe('field helpers on hostile input', () => {
  it('toIsoDate: real dates parse, a megabyte of parentheses is refused at once', async () => {
    const { toIsoDate, parseHeaderBlock } = await import('../../src/mail/text.js');
    expect(toIsoDate('Thu, 7 Oct 2021 13:20:13 -0400 (EDT)')).toBe('2021-10-07T17:20:13.000Z');
    expect(toIsoDate('not a date')).toBeNull();
    expect(toIsoDate('('.repeat(1_000_000))).toBeNull();
    const headers = parseHeaderBlock(
      'Subject: a\r\n  folded\r\nsubject: second\r\nno colon line\r\n: empty name',
    );
    expect([...headers]).toEqual([['subject', 'a folded']]);
  });
});
