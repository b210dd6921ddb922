/**
 * The compact word list answers exactly as a Set of the package's words would: every listed word is
 * found (this also fails if a new version of the list were not sorted, which the bisection relies on),
 * in any case, and nothing else is.
 */
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { isEnglishWord } from '../../src/briefing/words.js';

const words = createRequire(import.meta.url)('an-array-of-english-words') as string[];

describe('isEnglishWord', () => {
  it('finds every word of the list, in any case', () => {
    const missed = words.filter((word) => !isEnglishWord(word));
    expect(missed).toEqual([]);
    expect(isEnglishWord('Security')).toBe(true);
    expect(isEnglishWord('TALKS')).toBe(true);
  });

  it('finds nothing that is not in the list: prefixes, extensions, blanks, non-letters', () => {
    const listed = new Set(words);
    const candidates = [
      '',
      'zzzzzz',
      'aaa',
      'securit',
      'securityy',
      'secur1ty',
      '"',
      'a"',
      'talks ',
      'ñandú',
    ];
    for (const word of words.slice(0, 2000)) candidates.push(`${word}q`, word.slice(0, -1));
    for (const candidate of candidates) {
      expect(isEnglishWord(candidate), candidate).toBe(listed.has(candidate.toLowerCase()));
    }
  });
});
