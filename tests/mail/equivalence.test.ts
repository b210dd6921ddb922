/**
 * The seed delivered in every provider format, through the webhook into the real parser: whatever the
 * form, the bot must see the same briefing, the same Message-ID and the same forwarder.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseEmail, parseParts } from '../../src/briefing/index.js';
import type { ParsedEmail } from '../../src/briefing/types.js';
import {
  composeEml,
  multipart,
  post,
  SEED_BODY,
  SEED_DATE,
  SEED_FROM,
  SEED_MESSAGE_ID,
  SEED_SUBJECT,
  signedMailgunFields,
  startServer,
  type TestServer,
} from './helpers.js';

const NOW = new Date('2026-11-29T14:00:00Z');
let server: TestServer;
const parsed: ParsedEmail[] = [];
let eml: Buffer;

beforeAll(async () => {
  eml = await composeEml();
  server = await startServer({
    now: () => NOW,
    ingest: async (input) => {
      const result = input.kind === 'raw' ? await parseEmail(input.raw) : parseParts(input.parts);
      parsed.push(result);
      return { status: 'accepted', id: `b-${parsed.length}`, sections: result.briefing.sections.length };
    },
  });
});
afterAll(async () => server.close());

const headerBlock = [
  `From: ${SEED_FROM}`,
  `Date: ${SEED_DATE}`,
  `Message-ID: ${SEED_MESSAGE_ID}`,
  `Subject: ${SEED_SUBJECT}`,
].join('\r\n');

const formats: Record<string, () => Promise<Response | { status: number }>> = {
  'raw MIME': () => post(server.url, eml, { 'content-type': 'message/rfc822' }),
  'SendGrid raw': () => {
    const form = multipart([{ name: 'email', value: eml }]);
    return post(server.url, form.body, { 'content-type': form.contentType });
  },
  'SendGrid parsed': () => {
    const form = multipart([
      { name: 'headers', value: headerBlock },
      { name: 'text', value: SEED_BODY },
      { name: 'from', value: SEED_FROM },
      { name: 'subject', value: SEED_SUBJECT },
      { name: 'charsets', value: '{"text":"UTF-8","from":"UTF-8","subject":"UTF-8"}' },
    ]);
    return post(server.url, form.body, { 'content-type': form.contentType });
  },
  'Mailgun parsed': () =>
    post(
      server.url,
      new URLSearchParams({
        from: SEED_FROM,
        subject: SEED_SUBJECT,
        'body-plain': SEED_BODY,
        'message-headers': JSON.stringify([
          ['Date', SEED_DATE],
          ['Message-Id', SEED_MESSAGE_ID],
        ]),
      }),
    ),
  'Mailgun mime, signed': () =>
    fetch(server.url, {
      method: 'POST',
      body: new URLSearchParams({ ...signedMailgunFields(NOW.getTime()), 'body-mime': eml.toString('utf8') }),
    }),
  'Postmark raw': () =>
    post(server.url, JSON.stringify({ RawEmail: eml.toString('utf8'), TextBody: 'ignored' }), {
      'content-type': 'application/json',
    }),
  'Postmark parsed': () =>
    post(
      server.url,
      JSON.stringify({
        FromFull: { Email: 'molly@example.org', Name: 'Molly Molloy' },
        Subject: SEED_SUBJECT,
        Date: SEED_DATE,
        Headers: [{ Name: 'Message-ID', Value: SEED_MESSAGE_ID }],
        TextBody: SEED_BODY,
      }),
      { 'content-type': 'application/json' },
    ),
};

describe('every provider format of the seed', () => {
  it('yields the same briefing, Message-ID and forwarder as the raw message', async () => {
    for (const [name, send] of Object.entries(formats)) {
      const reply = await send();
      expect(reply.status, name).toBe(/Mailgun|Postmark/.test(name) ? 200 : 202);
    }
    expect(parsed).toHaveLength(Object.keys(formats).length);
    const [reference, ...others] = parsed;
    expect(reference!.briefing.sections.length).toBeGreaterThan(1);
    // The seed is an inline forward: its Message-ID names Molly's forward, not the briefing, so the parser
    // reports none and the bot deduplicates by text. Every format must agree on that.
    expect(reference!.messageId).toBeNull();
    expect(reference!.forwardedBy).toBe('molly@example.org');
    // The raw path shows the display name as mailparser prints it ("Molly Molloy" <…>); the parts
    // path keeps the header as sent. Same person, so compare without the quotes.
    const unquote = (result: ParsedEmail | undefined) =>
      result && {
        ...result,
        briefing: { ...result.briefing, from: result.briefing.from?.replace(/"/g, '') ?? null },
      };
    Object.keys(formats)
      .slice(1)
      .forEach((name, i) => {
        expect(unquote(others[i]), name).toEqual(unquote(reference));
      });
  });
});
