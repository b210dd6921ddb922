import { describe, expect, it } from 'vitest';
import { mailboxKey, parseImapSettings } from '../../src/mail/imap/settings.js';

function parse(env: Record<string, string>) {
  const problems: string[] = [];
  return { settings: parseImapSettings(env, problems), problems };
}

describe('IMAP settings', () => {
  it('reads an imaps URL: TLS from the start on 993, INBOX, Processed and Refused, a minute between looks', () => {
    const { settings, problems } = parse({ IMAP_URL: 'imaps://desk%40example.org:p%40ss@mail.example.org' });
    expect(problems).toEqual([]);
    expect(settings).toEqual({
      host: 'mail.example.org',
      port: 993,
      user: 'desk@example.org',
      password: 'p@ss',
      tls: 'implicit',
      folder: 'INBOX',
      doneFolder: 'Processed',
      refusedFolder: 'Refused',
      pollMs: 60_000,
    });
    expect(mailboxKey(settings!)).toBe('desk@example.org@mail.example.org/INBOX');
  });

  it('reads imap:// as STARTTLS required on 143, the folder from the path, the password from IMAP_PASSWORD', () => {
    const { settings, problems } = parse({
      IMAP_URL: 'imap://bot@10.0.0.5/Briefings/Daily',
      IMAP_PASSWORD: 'from-a-secret-store',
      IMAP_DONE_FOLDER: 'Briefings/Done',
      IMAP_POLL_SECONDS: '300',
    });
    expect(problems).toEqual([]);
    expect(settings).toMatchObject({
      port: 143,
      tls: 'starttls',
      folder: 'Briefings/Daily',
      doneFolder: 'Briefings/Done',
      password: 'from-a-secret-store',
      pollMs: 300_000,
    });
  });

  it('says what is wrong, every problem at once', () => {
    expect(parse({ IMAP_URL: 'pop3://a:b@host' }).problems).toEqual([
      'IMAP_URL must start with imaps:// (or imap:// for STARTTLS), got "pop3://".',
    ]);
    expect(
      parse({
        IMAP_URL: 'imaps://host/INBOX',
        IMAP_TLS: 'none',
        IMAP_DONE_FOLDER: 'inbox',
        IMAP_POLL_SECONDS: '0',
      }).problems,
    ).toEqual([
      'IMAP_URL names no user (imaps://USER:password@host/INBOX).',
      'The mailbox needs a password: in IMAP_URL or IMAP_PASSWORD.',
      'IMAP_URL is imaps:// (TLS from the start) but IMAP_TLS is "none": use imap:// for that.',
      'The watched folder, IMAP_DONE_FOLDER and IMAP_REFUSED_FOLDER must be three different folders.',
      'IMAP_POLL_SECONDS must be a positive whole number, got "0".',
    ]);
    expect(parse({ IMAP_DONE_FOLDER: 'Done' })).toEqual({
      settings: null,
      problems: ['IMAP_DONE_FOLDER is set but IMAP_URL is not: set IMAP_URL to watch a mailbox.'],
    });
  });

  it('is off without IMAP_URL', () => {
    expect(parse({})).toEqual({ settings: null, problems: [] });
  });
});
