import { describe, expect, it } from 'vitest';
import { catalog } from '../../src/countries/catalog.js';
import { countriesIn, countryName, isCountryCode } from '../../src/countries/index.js';
import aliases from '../../src/countries/lists/aliases.json' with { type: 'json' };
import ambiguous from '../../src/countries/lists/ambiguous.json' with { type: 'json' };
import cities from '../../src/countries/lists/cities.json' with { type: 'json' };
import demonyms from '../../src/countries/lists/demonyms.json' with { type: 'json' };
import exclusions from '../../src/countries/lists/exclusions.json' with { type: 'json' };
import regions from '../../src/countries/lists/regions.json' with { type: 'json' };

function entries(data: object): [string, string[]][] {
  return Object.entries(data).filter(
    (e): e is [string, string[]] => !e[0].startsWith('$') && Array.isArray(e[1]),
  );
}

/** Capitalise as prose would: the matcher only reads proper nouns. */
function proper(name: string): string {
  return name.charAt(0).toUpperCase() + name.slice(1);
}

describe('country lists', () => {
  it('have no phrase claimed by two countries and no unknown codes', () => {
    expect(catalog().conflicts).toEqual([]);
  });

  it.each([
    ['aliases', aliases],
    ['ambiguous names', ambiguous.names],
    ['demonyms', demonyms],
    ['cities', cities],
    ['regions', regions],
  ])('every entry of %s is found in prose as its own country', (_, data) => {
    for (const [code, names] of entries(data)) {
      for (const name of names)
        expect([name, countriesIn(`News from ${proper(name)} today.`)]).toEqual([name, [code]]);
    }
  });

  it('every exclusion yields no country', () => {
    for (const [, phrases] of entries(exclusions)) {
      for (const phrase of phrases)
        expect([phrase, countriesIn(`Said ${phrase} today.`)]).toEqual([phrase, []]);
    }
  });
});

describe('names the bot shows', () => {
  it('are read back as their own country in prose', () => {
    const codes = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ'
      .split('')
      .flatMap((a) => 'ABCDEFGHIJKLMNOPQRSTUVWXYZ'.split('').map((b) => a + b))
      .filter(isCountryCode);
    for (const code of codes) {
      const name = countryName(code);
      expect([name, countriesIn(`Reports from ${name} today.`)]).toEqual([name, [code]]);
    }
  });
});
