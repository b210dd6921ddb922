import { describe, expect, it } from 'vitest';
import { collapseWhitespace, oneLine } from '../../src/text/whitespace.js';

/** The reference it must equal on every input: the plain regex it replaces. */
const reference = (text: string) => text.replace(/\s+/g, ' ');

describe('collapseWhitespace', () => {
  it('turns each whitespace run into one space, as /\\s+/g does', () => {
    const samples = [
      '',
      ' ',
      'one two',
      'one  two',
      'one\ttwo',
      'one\u00a0two',
      ' \n lead and trail \r\n',
      'a\u2028b\u2029c\u3000d\ufeffe\u202ff\u205fg\u1680h\u2009i',
      'mixed \t\n\u00a0 run',
      '   ',
      '\n',
    ];
    for (const text of samples) expect(collapseWhitespace(text)).toBe(reference(text));
  });

  it('agrees with the reference on random strings of spaces, letters and other whitespace', () => {
    const alphabet = [' ', ' ', 'a', 'b', '\t', '\n', '\r', '\u00a0', '\u2003', 'é'];
    let seed = 7;
    const next = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed;
    };
    for (let round = 0; round < 2000; round++) {
      let text = '';
      const length = next() % 12;
      for (let i = 0; i < length; i++) text += alphabet[next() % alphabet.length];
      expect(collapseWhitespace(text)).toBe(reference(text));
    }
  });

  it('oneLine also trims', () => {
    expect(oneLine('  Top\n story \t')).toBe('Top story');
  });
});
