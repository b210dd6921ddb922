import { describe, expect, it } from 'vitest';
import { REDACTED, redactText, redactValue } from '../../src/log/redact.js';

describe('redactText', () => {
  it('blanks Slack tokens, bearer and basic credentials, and passwords in URLs', () => {
    expect(redactText('token xoxb-1234-5678-abcdEFGH rejected')).toBe(`token ${REDACTED} rejected`);
    expect(redactText('app xapp-1-A01-2345-ffff')).toBe(`app ${REDACTED}`);
    expect(redactText('Authorization: Bearer s3cr3t.value')).toBe(`Authorization: Bearer ${REDACTED}`);
    expect(redactText('basic YWxhZGRpbjpvcGVuc2VzYW1l')).toBe(`basic ${REDACTED}`);
    expect(redactText('POST https://bot:hunter22@example.org/mail/inbound')).toBe(
      `POST https://bot:${REDACTED}@example.org/mail/inbound`,
    );
  });

  it('keeps the domain of an email address and drops the person', () => {
    expect(redactText('Mail refused (403): ana.perez@desk.example.com is not in ALLOWED_SENDERS')).toBe(
      `Mail refused (403): ${REDACTED}@desk.example.com is not in ALLOWED_SENDERS`,
    );
  });

  it('blanks configured secrets wherever they appear, and leaves ordinary text alone', () => {
    expect(redactText('signature with topsecretvalue failed', ['topsecretvalue'])).toBe(
      `signature with ${REDACTED} failed`,
    );
    expect(redactText('Briefing b_1 delivered (7 posts) at 10:00', ['x'])).toBe(
      'Briefing b_1 delivered (7 posts) at 10:00',
    );
  });
});

describe('redactValue', () => {
  it('blanks credential-named keys and redacts every string inside', () => {
    expect(
      redactValue({
        headers: { authorization: 'whatever', 'content-type': 'text/plain' },
        token: 'abc',
        from: ['a@b.org'],
        count: 3,
      }),
    ).toEqual({
      headers: { authorization: REDACTED, 'content-type': 'text/plain' },
      token: REDACTED,
      from: [`${REDACTED}@b.org`],
      count: 3,
    });
  });
});
