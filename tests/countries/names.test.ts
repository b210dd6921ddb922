import { describe, expect, it } from 'vitest';
import { countryFlag, countryName, isCountryCode } from '../../src/countries/index.js';

describe('countryName', () => {
  it.each([
    ['MX', 'Mexico'],
    ['US', 'United States'],
    ['PR', 'Puerto Rico'],
    ['pe', 'Peru'],
    ['KR', 'South Korea'],
    ['CN', 'China'],
    ['VE', 'Venezuela'],
    ['BO', 'Bolivia'],
    ['GB', 'United Kingdom'],
    ['XK', 'Kosovo'],
  ])('%s → %s', (code, name) => {
    expect(countryName(code)).toBe(name);
  });

  it('returns an unknown code unchanged', () => {
    expect(countryName('ZZ')).toBe('ZZ');
  });

  it('has no list-style names left ("Korea, Republic of", "Falkland Islands (Malvinas)")', () => {
    const codes = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ'
      .split('')
      .flatMap((a) => 'ABCDEFGHIJKLMNOPQRSTUVWXYZ'.split('').map((b) => a + b))
      .filter(isCountryCode);
    expect(codes.length).toBe(250);
    for (const code of codes) expect(countryName(code)).not.toMatch(/,|\)$/);
  });
});

describe('countryFlag', () => {
  it('builds the regional-indicator pair', () => {
    expect(countryFlag('MX')).toBe('🇲🇽');
    expect(countryFlag('pr')).toBe('🇵🇷');
    expect(countryFlag('US')).toBe('\u{1F1FA}\u{1F1F8}');
  });

  it('is empty for anything that is not a code', () => {
    expect(countryFlag('ZZ')).toBe('');
    expect(countryFlag('Mexico')).toBe('');
    expect(countryFlag('')).toBe('');
  });
});

describe('isCountryCode', () => {
  it('accepts assigned alpha-2 codes in any case', () => {
    expect(isCountryCode('MX')).toBe(true);
    expect(isCountryCode('mx')).toBe(true);
    expect(isCountryCode('PR')).toBe(true);
  });

  it('rejects unassigned codes, alpha-3 codes and words', () => {
    for (const value of ['ZZ', 'UN', 'EU', 'MEX', 'M', '', 'toString', '__proto__']) {
      expect(isCountryCode(value)).toBe(false);
    }
  });
});
