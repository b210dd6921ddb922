import { describe, expect, it } from 'vitest';
import type { Briefing, Section } from '../../src/briefing/types.js';
import { diffBriefings, isUnchanged, overlap, WORDS_CHARS } from '../../src/corrections/diff.js';
import { announcesCorrection, classifyResend, sourceOf } from '../../src/corrections/match.js';
import { goneOf, rekeyPosts } from '../../src/corrections/posts.js';
import type { PostRecord, StoredBriefing } from '../../src/store/types.js';

const section = (title: string, ...texts: string[]): Section => ({
  title,
  kind: 'section',
  group: null,
  countries: [],
  items: texts.map((text) => ({ text, countries: [], sources: [], links: [] })),
});

const briefing = (sections: Section[], extra: Partial<Briefing> = {}): Briefing => ({
  subject: 'Andean Monitor (Dec. 2, 2026)',
  title: 'Andean Monitor',
  publication: 'Andean Monitor',
  date: '2026-12-02',
  from: 'Andean Monitor <news@andean.example>',
  note: null,
  sections,
  ...extra,
});

const PERU = section(
  'Peru',
  'Congress voted on the cabinet of the prime minister late on Tuesday night in Lima.',
);
const BOLIVIA = section(
  'Bolivia',
  'La Paz announced fuel subsidies will end in January after months of protests.',
);
const ECUADOR = section(
  'Ecuador',
  'Quito extended the state of emergency in three coastal provinces for sixty days.',
);
const PERU_FIXED = section(
  'Peru',
  'Congress voted on the cabinet of the prime minister late on Wednesday night in Lima.',
);
const CHILE = section('Chile', 'Santiago opened talks with copper miners over the new royalty on exports.');

const stored = (id: string, body: Briefing, receivedAt = '2026-12-02T10:00:00.000Z'): StoredBriefing => ({
  id,
  dedupeKey: `briefings|${id}@example`,
  channel: 'briefings',
  receivedAt,
  date: body.date ?? '2026-12-02',
  forwardedBy: 'editor@example.org',
  forwardedByName: null,
  messageId: `${id}@example`,
  briefing: body,
});

describe('diffBriefings', () => {
  it('pairs sections by title, marks the edited one, and finds added and removed sections', () => {
    const diff = diffBriefings(briefing([PERU, BOLIVIA, ECUADOR]), briefing([PERU_FIXED, ECUADOR, CHILE]));
    expect(diff.kept).toEqual([
      { oldIndex: 0, newIndex: 0, changed: true },
      { oldIndex: 2, newIndex: 1, changed: false },
    ]);
    expect(diff.added).toEqual([2]);
    expect(diff.removed).toEqual([1]);
    expect(isUnchanged(diff)).toBe(false);
  });

  it('pairs a section whose heading was reworded by its words', () => {
    const renamed = { ...PERU_FIXED, title: 'Peru: cabinet vote' };
    const diff = diffBriefings(briefing([PERU, BOLIVIA]), briefing([renamed, BOLIVIA]));
    expect(diff.kept).toEqual([
      { oldIndex: 0, newIndex: 0, changed: true },
      { oldIndex: 1, newIndex: 1, changed: false },
    ]);
    expect(diff.added).toEqual([]);
    expect(diff.removed).toEqual([]);
  });

  it('sees nothing changed in the same sections with other spacing and case', () => {
    const spaced = section('PERU', `  ${PERU.items[0]!.text.replace(/ /g, '  ')}`);
    expect(isUnchanged(diffBriefings(briefing([PERU]), briefing([{ ...spaced, title: 'peru' }])))).toBe(true);
  });

  it('counts as alike only sections that share their words, not only their headings', () => {
    const otherDay = [section('Peru', 'A court in Cusco freed the former mayor pending an appeal.')];
    expect(overlap(briefing([PERU]), briefing(otherDay))).toBe(0);
    expect(overlap(briefing([PERU, BOLIVIA]), briefing([PERU_FIXED, BOLIVIA]))).toBe(1);
  });

  it('knows a section by its first WORDS_CHARS characters, so a huge one costs no more than a real one', () => {
    const opening = 'The minister met the press in Lima on Tuesday about the cabinet. '.repeat(400);
    expect(opening.length).toBeGreaterThan(WORDS_CHARS);
    const tail = (word: string) => ` ${`${word} `.repeat(5000)}`;
    const long = section('Links', opening + tail('alpha'));
    const sameOpening = section('Links', opening + tail('omega'));
    const otherOpening = section(
      'Links',
      `${'Quito extended the emergency for sixty days. '.repeat(600)}${tail('alpha')}`,
    );
    expect(overlap(briefing([long]), briefing([sameOpening]))).toBe(1);
    expect(overlap(briefing([long]), briefing([otherOpening]))).toBe(0);
    // What a reader sees still counts whole: the copy that differs past the bound is a changed section.
    expect(isUnchanged(diffBriefings(briefing([long]), briefing([sameOpening])))).toBe(false);
  });
});

describe('classifyResend', () => {
  const original = stored('b1', briefing([PERU, BOLIVIA, ECUADOR]));

  it('calls a word-for-word copy identical, and an edited copy of the same issue a revision', () => {
    expect(classifyResend(briefing([PERU, BOLIVIA, ECUADOR]), [original])).toEqual({
      kind: 'identical',
      id: 'b1',
    });
    expect(classifyResend(briefing([PERU_FIXED, BOLIVIA, ECUADOR]), [original])).toEqual({
      kind: 'revision',
      id: 'b1',
    });
  });

  it('does not take another publication, another date or another issue for a correction', () => {
    const other = briefing([PERU_FIXED, BOLIVIA, ECUADOR], {
      publication: 'Caribbean Note',
      from: 'x@caribbean.example',
    });
    expect(classifyResend(other, [original])).toBeNull();
    const nextIssue = briefing([section('Peru', 'The new cabinet was sworn in at the palace.'), CHILE]);
    expect(classifyResend(nextIssue, [original])).toBeNull();
    expect(classifyResend(briefing([]), [original])).toBeNull();
    // A second issue the same day under its own headline is its own briefing, however alike.
    const evening = briefing([PERU_FIXED, BOLIVIA, ECUADOR], { title: 'Andean Monitor — evening edition' });
    expect(classifyResend(evening, [original])).toBeNull();
  });

  it('needs less in common when the subject says it corrects', () => {
    const marked = briefing([PERU_FIXED, CHILE, section('Colombia', 'Bogotá and the ELN resumed talks.')], {
      subject: 'CORRECTED: Andean Monitor (Dec. 2, 2026)',
    });
    expect(classifyResend({ ...marked, subject: 'Andean Monitor (Dec. 2, 2026)' }, [original])).toBeNull();
    expect(classifyResend(marked, [original])).toEqual({ kind: 'revision', id: 'b1' });
  });

  it('keeps an old copy arriving after the correction a duplicate, and revises the newest match', () => {
    const revised: StoredBriefing = {
      ...original,
      briefing: briefing([PERU_FIXED, BOLIVIA, ECUADOR]),
      versions: [
        {
          receivedAt: original.receivedAt,
          messageId: 'b1@example',
          dedupeKey: original.dedupeKey,
          briefing: original.briefing,
        },
        {
          receivedAt: '2026-12-02T11:00:00.000Z',
          messageId: 'b2@example',
          dedupeKey: 'k2',
          briefing: briefing([PERU_FIXED, BOLIVIA, ECUADOR]),
        },
      ],
    };
    expect(classifyResend(briefing([PERU, BOLIVIA, ECUADOR]), [revised])).toEqual({
      kind: 'identical',
      id: 'b1',
    });
    const later = stored('b3', briefing([PERU, BOLIVIA, ECUADOR]), '2026-12-02T12:00:00.000Z');
    expect(classifyResend(briefing([PERU_FIXED, BOLIVIA, ECUADOR, CHILE]), [original, later])).toEqual({
      kind: 'revision',
      id: 'b3',
    });
  });

  it('knows the source by publication, else by the original sender', () => {
    expect(sourceOf(briefing([]))).toBe('publication:andean monitor');
    expect(sourceOf(briefing([], { publication: null }))).toBe('from:news@andean.example');
    expect(sourceOf(briefing([], { publication: null, from: null }))).toBeNull();
  });

  it('reads correction marks in English, Spanish and Portuguese', () => {
    for (const subject of [
      'Correction: Daily Brief',
      '[Updated] Morning Report',
      'Boletín (corregido)',
      'Resumo atualizado',
      'Fe de erratas: Agenda',
    ])
      expect(announcesCorrection(subject), subject).toBe(true);
    for (const subject of [
      'Andean Monitor',
      'Brazil updates its tax code? No.'.replace('updates', 'reforms'),
    ])
      expect(announcesCorrection(subject), subject).toBe(false);
  });
});

describe('rekeyPosts', () => {
  const post = (key: string, sectionIndex: number | null, ts: string): PostRecord => ({
    key,
    sectionIndex,
    channel: 'C1',
    ts,
    threadTs: key === 'card' ? null : '1.0',
    permalink: null,
    postedAt: '2026-12-02T10:00:00.000Z',
  });

  it('renumbers kept sections, sets dropped ones aside and leaves other posts alone', () => {
    const diff = diffBriefings(briefing([PERU, BOLIVIA, ECUADOR]), briefing([PERU_FIXED, ECUADOR, CHILE]));
    const posts = [
      post('card', null, '1.0'),
      post('s0', 0, '1.1'),
      post('s1', 1, '1.2'),
      post('s2', 2, '1.3'),
      post('s2.1', 2, '1.4'),
      post('desk:C9', null, '9.0'),
    ];
    const rekeyed = rekeyPosts(posts, diff, 0);
    expect(rekeyed.map((p) => [p.key, p.sectionIndex, p.ts])).toEqual([
      ['card', null, '1.0'],
      ['s0', 0, '1.1'],
      ['gone0:s1', null, '1.2'],
      ['s1', 1, '1.3'],
      ['s1.1', 1, '1.4'],
      ['desk:C9', null, '9.0'],
    ]);
    expect(goneOf('gone0:s1')).toEqual({ base: 0, section: 1, part: 0 });
    expect(goneOf('gone3:s4.2')).toEqual({ base: 3, section: 4, part: 2 });
    expect(goneOf('s1')).toBeNull();
  });
});
