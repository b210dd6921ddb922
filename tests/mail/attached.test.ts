/**
 * Forward as attachment in parsed mode (issue 12.6): SendGrid and Postmark then post the forwarder's
 * text as fields and the original as an attachment. The attachment is the briefing, exactly as when the
 * same forward arrives as raw MIME.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseEmail, parseParts } from '../../src/briefing/index.js';
import type { ParsedEmail } from '../../src/briefing/types.js';
import { composeEml, multipart, post, startServer, type TestServer } from './helpers.js';

const FORWARDER = 'Ed Editor <ed@desk.example>';
const NOTE = 'For the 9am meeting.';
let server: TestServer;
let original: Buffer;
let reference: ParsedEmail;

beforeAll(async () => {
  server = await startServer({
    ingest: async (input) => {
      const parsed = input.kind === 'raw' ? await parseEmail(input.raw) : parseParts(input.parts);
      return { status: 'accepted', id: JSON.stringify(parsed), sections: parsed.briefing.sections.length };
    },
  });
  original = await composeEml({ messageId: '<original.20211007@briefing.example>' });
  const forward = await composeEml({
    from: FORWARDER,
    subject: 'Fwd: today’s briefing',
    text: NOTE,
    messageId: '<forward.1@desk.example>',
    attachments: [{ filename: 'briefing.eml', content: original }],
  });
  reference = await parseEmail(forward);
});
afterAll(async () => server.close());

const parsedFrom = (id: unknown): ParsedEmail => JSON.parse(String(id)) as ParsedEmail;

describe('parsed-mode forward as attachment', () => {
  it('the raw forward reads the attachment as the briefing (the reference)', () => {
    expect(reference.forwardedBy).toBe('ed@desk.example');
    expect(reference.briefing.note).toBe(NOTE);
    expect(reference.briefing.sections.length).toBeGreaterThan(1);
  });

  it('SendGrid: attachment1 (message/rfc822) is the original, the text the note', async () => {
    const form = multipart([
      { name: 'headers', value: 'Message-ID: <forward.1@desk.example>\r\nSubject: Fwd: today’s briefing' },
      { name: 'from', value: FORWARDER },
      { name: 'subject', value: 'Fwd: today’s briefing' },
      { name: 'text', value: NOTE },
      { name: 'charsets', value: '{"text":"UTF-8","from":"UTF-8","subject":"UTF-8","headers":"UTF-8"}' },
      { name: 'attachments', value: '2' },
      {
        name: 'attachment-info',
        value: JSON.stringify({
          attachment1: { filename: 'logo.png', type: 'image/png' },
          attachment2: { filename: 'briefing.eml', type: 'message/rfc822' },
        }),
      },
      {
        name: 'attachment1',
        value: Buffer.from([0x89, 0x50, 0x4e, 0x47]),
        filename: 'logo.png',
        contentType: 'image/png',
      },
      { name: 'attachment2', value: original, filename: 'briefing.eml', contentType: 'message/rfc822' },
    ]);
    const reply = await post(server.url, form.body, { 'content-type': form.contentType });
    expect(reply.status).toBe(202);
    expect(parsedFrom(reply.body.id)).toEqual(reference);
  });

  it('Postmark: the message/rfc822 entry of Attachments is the original, TextBody the note', async () => {
    const body = {
      From: 'ed@desk.example',
      FromFull: { Email: 'ed@desk.example', Name: 'Ed Editor' },
      Subject: 'Fwd: today’s briefing',
      MessageID: '5a1e0000-postmark-own-id',
      Headers: [{ Name: 'Message-ID', Value: '<forward.1@desk.example>' }],
      TextBody: NOTE,
      Attachments: [
        { Name: 'logo.png', ContentType: 'image/png', Content: 'iVBORw0K', ContentLength: 6 },
        {
          Name: 'briefing.eml',
          ContentType: 'message/rfc822',
          Content: original.toString('base64'),
          ContentLength: original.length,
        },
      ],
    };
    const reply = await post(server.url, JSON.stringify(body), { 'content-type': 'application/json' });
    expect(reply.status).toBe(200);
    expect(parsedFrom(reply.body.id)).toEqual(reference);
  });

  it('a line break in a field cannot add a header to the rebuilt message', async () => {
    const body = {
      From: 'ed@desk.example',
      Subject: 'Fwd\r\nFrom: boss@desk.example',
      TextBody: NOTE,
      Attachments: [{ Name: 'b.eml', ContentType: 'message/rfc822', Content: original.toString('base64') }],
    };
    const reply = await post(server.url, JSON.stringify(body), { 'content-type': 'application/json' });
    expect(reply.status).toBe(200);
    expect(parsedFrom(reply.body.id).forwardedBy).toBe('ed@desk.example');
  });
});
