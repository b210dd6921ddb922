import { describe, expect, it } from 'vitest';
import type { Briefing } from '../../src/briefing/types.js';
import { dedupeKey, normaliseMessageId } from '../../src/ingest/dedupe.js';
import { isSenderAllowed } from '../../src/ingest/senders.js';

describe('isSenderAllowed', () => {
  const allowed = ['desk@news.example', '@briefings.example'];

  it('admits listed addresses and whole domains, case-insensitively', () => {
    expect(isSenderAllowed('Desk@News.Example', allowed)).toBe(true);
    expect(isSenderAllowed('anyone@briefings.example', allowed)).toBe(true);
  });

  it('refuses others, look-alike subdomains and unknown senders', () => {
    expect(isSenderAllowed('other@news.example', allowed)).toBe(false);
    expect(isSenderAllowed('x@evil.briefings.example', allowed)).toBe(false);
    expect(isSenderAllowed('x@briefings.example.evil', allowed)).toBe(false);
    expect(isSenderAllowed(null, allowed)).toBe(false);
  });

  it('admits anyone when the list is empty', () => {
    expect(isSenderAllowed(null, [])).toBe(true);
  });
});

describe('dedupeKey', () => {
  const briefing: Briefing = {
    subject: 'S',
    title: 'Talks',
    publication: null,
    date: null,
    from: null,
    note: null,
    sections: [
      {
        title: 'Peru',
        kind: 'section',
        group: null,
        countries: [],
        items: [{ text: 'A  b', countries: [], sources: [], links: [] }],
      },
    ],
  };

  it('uses the Message-ID, with or without angle brackets', () => {
    expect(normaliseMessageId(' <abc@mail.example> ')).toBe('abc@mail.example');
    expect(dedupeKey('C1', '<abc@mail.example>', briefing)).toBe('C1|abc@mail.example');
  });

  it('falls back to a hash of the text that ignores spacing and case but not words', () => {
    const spaced = { ...briefing, title: ' talks ' };
    expect(dedupeKey('C1', null, briefing)).toMatch(/^C1\|sha256:[0-9a-f]{64}$/);
    expect(dedupeKey('C1', null, spaced)).toBe(dedupeKey('C1', null, briefing));
    expect(dedupeKey('C1', null, { ...briefing, title: 'Other talks' })).not.toBe(
      dedupeKey('C1', null, briefing),
    );
    expect(dedupeKey('C2', null, briefing)).not.toBe(dedupeKey('C1', null, briefing));
  });
});
