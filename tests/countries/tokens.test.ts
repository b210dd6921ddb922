import { describe, expect, it } from 'vitest';
import { foldKey, tokenize } from '../../src/countries/tokens.js';

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
