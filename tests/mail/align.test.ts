import { describe, expect, it } from 'vitest';
import { aligned, domainOf } from '../../src/mail/sender-auth/align.js';

describe('DMARC relaxed alignment', () => {
  it('aligns a subdomain with its organisational domain, either way round', () => {
    expect(aligned('example.org', 'news.example.org')).toBe(true);
    expect(aligned('mail.news.example.org', 'example.org')).toBe(true);
    expect(aligned('EXAMPLE.org.', 'bounce.Example.ORG')).toBe(true);
  });

  it('does not align a look-alike that only contains the From domain', () => {
    expect(aligned('example.org', 'example.org.evil.example')).toBe(false);
    expect(aligned('example.org', 'notexample.org')).toBe(false);
    expect(aligned('example.org', null)).toBe(false);
    expect(aligned('example.org', '')).toBe(false);
  });

  it('reads multi-label public suffixes from the suffix list', () => {
    expect(aligned('bbc.co.uk', 'news.bbc.co.uk')).toBe(true);
    // Two organisations under the same public suffix are not aligned.
    expect(aligned('bbc.co.uk', 'evil.co.uk')).toBe(false);
    expect(aligned('folha.com.br', 'mail.folha.com.br')).toBe(true);
    expect(aligned('folha.com.br', 'estadao.com.br')).toBe(false);
  });

  it('treats names under a private suffix as organisations of their own', () => {
    // github.io is on the private part of the list: each user's site is its own registrant.
    expect(aligned('desk.github.io', 'desk.github.io')).toBe(true);
    expect(aligned('desk.github.io', 'attacker.github.io')).toBe(false);
  });
});

describe('domainOf', () => {
  it('takes the domain after the last @, lower-cased', () => {
    expect(domainOf('Molly <molly@News.Example.org>')).toBe('news.example.org');
    expect(domainOf('"a@b" <c@d.example>')).toBe('d.example');
    expect(domainOf('no address')).toBeNull();
    expect(domainOf(null)).toBeNull();
  });
});
