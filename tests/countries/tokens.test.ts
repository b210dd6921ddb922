import { describe, expect, it } from 'vitest';
import { foldKey, stripMarks, tokenize } from '../../src/countries/tokens.js';

function words(text: string): string[] {
  const tokens = tokenize(text);
  return Array.from({ length: tokens.length }, (_, i) => tokens.word(i));
}

describe('tokenize', () => {
  it('keeps dotted abbreviations whole and drops their dots', () => {
    expect(words('the U.S.-backed plan, U.N. staff, EE.UU. and U.S.A.')).toEqual([
      'the',
      'US',
      'backed',
      'plan',
      'UN',
      'staff',
      'EEUU',
      'and',
      'USA',
    ]);
  });

  it('does not take a sentence end for an abbreviation', () => {
    expect(words('in Peru.Mexico is next')).toEqual(['in', 'Peru', 'Mexico', 'is', 'next']);
    expect(words('a.b')).toEqual(['a', 'b']);
  });

  it('strips accents and splits on hyphens and apostrophes', () => {
    expect(foldKey('Port-au-Prince')).toBe('port au prince');
    expect(foldKey("Côte d'Ivoire")).toBe('cote d ivoire');
    expect(foldKey('São Tomé e Príncipe')).toBe('sao tome e principe');
    expect(foldKey('  PERÚ  ')).toBe('peru');
  });

  it('joins names across spaces, hyphens and "St." but not commas or sentence ends', () => {
    const t = tokenize('St. Lucia, Haiti. Guinea-Bissau');
    expect([t.joinsPrevious(1), t.joinsPrevious(2), t.joinsPrevious(3), t.joinsPrevious(4)]).toEqual([
      true,
      false,
      false,
      true,
    ]);
  });

  it('tells capitalised and all-caps words', () => {
    const t = tokenize('US us Us Élysée');
    expect([0, 1, 2, 3].map((i) => t.capitalised(i))).toEqual([true, false, true, true]);
    expect([0, 1, 2, 3].map((i) => t.allCaps(i))).toEqual([true, false, false, false]);
  });

  it('marks currency prefixes', () => {
    const t = tokenize('US$5 million');
    expect(t.currency(0)).toBe(true);
  });
});

describe('stripMarks', () => {
  /** The plain definition the fast checks must agree with: fold only text with Latin accents or marks. */
  const reference = (text: string) =>
    /[\u00c0-\u024f\u1e00-\u1eff]|\p{M}/u.test(text) ? text.normalize('NFD').replace(/\p{M}+/gu, '') : text;

  it('folds accents in every script the way NFD and dropping marks does, and leaves the rest as it is', () => {
    const samples = [
      'México y São Paulo',
      'plain ASCII',
      'curly ’quotes’ — and dashes…',
      'Ελλάδα', // Greek accents alone are not folded (no Latin letter, no mark in the text)
      'Ελλάδα and México', // …but are once the text has something to fold
      '한국', // Hangul stays composed
      'हिंदी', // Devanagari's marks are marks
      'e\u0301 decomposed already',
      'arrow\u20d7 on a symbol',
      'Việt Nam',
      '€ 5 and ™',
      '',
    ];
    for (const text of samples) expect(stripMarks(text)).toBe(reference(text));
  });
});

describe('tokenize outside ASCII', () => {
  it('reads words of any script as letters and digits are, one UTF-16 unit at a time', () => {
    // Astral letters (here a mathematical bold A) stay separators, as the scanner has always read them.
    expect(words('Straße, Москва and 東京 ٣٤ — “quoted” 𝐀x')).toEqual([
      'Straße',
      'Москва',
      'and',
      '東京',
      '٣٤',
      'quoted',
      'x',
    ]);
  });
});
