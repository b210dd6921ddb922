import { describe, expect, it } from 'vitest';
import { bestLine, foldTerm, highlight, MAX_LINE_CHARS, termsOf } from '../../src/search/text.js';
import { escapeMrkdwn } from '../../src/slack/escape.js';

describe('search text', () => {
  it('folds case and accents, and leaves out stop words and single letters', () => {
    expect(foldTerm('Perú')).toBe('peru');
    expect(termsOf('El presidente de Perú, Pedro Castillo, y a Lima')).toEqual([
      'presidente',
      'peru',
      'pedro',
      'castillo',
      'lima',
    ]);
  });

  it('picks the sentence with the most matched words, else the first', () => {
    const text =
      'Blinken flew to Mexico. Peruvian President Pedro Castillo named a prime minister. Castillo also spoke.';
    expect(bestLine(text, new Set(['castillo', 'minister']))).toBe(
      'Peruvian President Pedro Castillo named a prime minister.',
    );
    expect(bestLine(text, new Set(['nothing']))).toBe('Blinken flew to Mexico.');
  });

  it('cuts a long sentence around its first match', () => {
    const long = `${'word '.repeat(100)}Castillo ${'more '.repeat(100)}end.`;
    const line = bestLine(long, new Set(['castillo']));
    expect(line.length).toBeLessThanOrEqual(MAX_LINE_CHARS + 2);
    expect(line).toContain('Castillo');
    expect(line.startsWith('…')).toBe(true);
    expect(line.endsWith('…')).toBe(true);
  });

  it('bolds the matched words of escaped text, adding no other markup', () => {
    expect(highlight('Perú & <!channel> said Peru’s', new Set(['peru', 'channel']), escapeMrkdwn)).toBe(
      '*Perú* &amp; &lt;!*channel*&gt; said *Peru*’s',
    );
    expect(highlight('nothing here', new Set(['peru']), escapeMrkdwn)).toBe('nothing here');
  });
});
