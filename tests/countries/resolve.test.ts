import fc from 'fast-check';
import isoCountries from 'i18n-iso-countries/index.js';
import { describe, expect, it } from 'vitest';
import { countryName, isCountryCode, MAX_SUGGESTIONS, resolveCountry } from '../../src/countries/index.js';

describe('resolveCountry', () => {
  it.each([
    ['peru', 'PE'],
    ['Perú', 'PE'],
    ['PE', 'PE'],
    ['pe', 'PE'],
    ['PER', 'PE'],
    ['Peruvian', 'PE'],
    ['  PERUVIANS ', 'PE'],
    ['Mexico', 'MX'],
    ['méxico', 'MX'],
    ['Mexican', 'MX'],
    ['Brasil', 'BR'],
    ['us', 'US'],
    ['U.S.', 'US'],
    ['USA', 'US'],
    ['Estados Unidos', 'US'],
    ['United States of America', 'US'],
    ['Puerto Rico', 'PR'],
    ['puerto rican', 'PR'],
    ['the Bahamas', 'BS'],
    ['Haití', 'HT'],
    ['Salvadoran', 'SV'],
    ['el salvador', 'SV'],
    ['Port-au-Prince', 'HT'],
    ['Lima', 'PE'],
    ['Korea, Republic of', 'KR'],
    ['in', 'IN'],
  ])('%s → %s', (query, code) => {
    expect(resolveCountry(query)).toMatchObject({ code });
  });

  it('gives the English common name with the code', () => {
    expect(resolveCountry('estados unidos')).toEqual({ code: 'US', name: 'United States' });
    expect(resolveCountry('porto rico')).toEqual({ code: 'PR', name: 'Puerto Rico' });
  });

  it.each([
    ['Venezeula', 'VE'],
    ['Columbia', 'CO'],
    ['Argentinia', 'AR'],
    ['Guatamala', 'GT'],
    ['Nicaraguaa', 'NI'],
    ['Hondoras', 'HN'],
  ])('resolves the typo %s → %s', (query, code) => {
    expect(resolveCountry(query)).toMatchObject({ code });
  });

  it('resolves a word of a longer name when only one country has it', () => {
    expect(resolveCountry('timor')).toMatchObject({ code: 'TL' });
    expect(resolveCountry('salvador')).toMatchObject({ code: 'SV' });
    expect(resolveCountry('Rico')).toMatchObject({ code: 'PR' });
  });

  it('suggests every country sharing that word', () => {
    const codes = (query: string) => {
      const result = resolveCountry(query);
      return 'suggestions' in result ? result.suggestions.map((s) => s.code).sort() : [result.code];
    };
    expect(codes('korea')).toEqual(['KP', 'KR']);
    expect(codes('Virgin Islands')).toEqual(['VG', 'VI']);
  });

  it('resolves a unique prefix of four letters or more', () => {
    expect(resolveCountry('venez')).toMatchObject({ code: 'VE' });
    expect(resolveCountry('Guate')).toMatchObject({ code: 'GT' });
  });

  it('suggests when a name belongs to two countries', () => {
    const congo = resolveCountry('Congo');
    expect(congo).toHaveProperty('suggestions');
    if (!('suggestions' in congo)) return;
    expect(congo.suggestions.map((s) => s.code).sort()).toEqual(['CD', 'CG']);
    const dominic = resolveCountry('Dominic');
    expect('suggestions' in dominic && dominic.suggestions.map((s) => s.code).sort()).toEqual(['DM', 'DO']);
  });

  it('suggests at most three countries for an unknown name', () => {
    const result = resolveCountry('Atlantis');
    expect(result).not.toHaveProperty('code');
    if (!('suggestions' in result)) return;
    expect(result.suggestions.length).toBeGreaterThan(0);
    expect(result.suggestions.length).toBeLessThanOrEqual(MAX_SUGGESTIONS);
    for (const s of result.suggestions) expect(isCountryCode(s.code)).toBe(true);
  });

  it('does not guess from two letters that are not a code, nor from gibberish', () => {
    expect(resolveCountry('xx')).toEqual({ suggestions: [] });
    expect(resolveCountry('qqqqqqqqqqqqqqqq')).toEqual({ suggestions: [] });
    expect(resolveCountry('')).toEqual({ suggestions: [] });
    expect(resolveCountry('   ')).toEqual({ suggestions: [] });
  });

  it('never throws and always returns a code or valid suggestions', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 120 }), (query) => {
        const result = resolveCountry(query);
        if ('code' in result) expect(isCountryCode(result.code)).toBe(true);
        else {
          expect(result.suggestions.length).toBeLessThanOrEqual(MAX_SUGGESTIONS);
          for (const s of result.suggestions) expect(isCountryCode(s.code)).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('resolveCountry round trip', () => {
  const codes = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ'
    .split('')
    .flatMap((a) => 'ABCDEFGHIJKLMNOPQRSTUVWXYZ'.split('').map((b) => a + b))
    .filter(isCountryCode);

  it('resolves every country from its code, its alpha-3 code and the name the bot shows for it', () => {
    for (const code of codes) {
      expect([code, resolveCountry(code)]).toEqual([code, { code, name: countryName(code) }]);
      expect([code, resolveCountry(code.toLowerCase())]).toMatchObject([code, { code }]);
      expect([code, resolveCountry(isoCountries.alpha2ToAlpha3(code)!)]).toMatchObject([code, { code }]);
      expect([code, resolveCountry(countryName(code))]).toMatchObject([code, { code }]);
    }
  });
});
