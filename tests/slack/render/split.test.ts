import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { truncateAtWord } from '../../../src/slack/render/blocks.js';
import { chunkText, packPieces } from '../../../src/slack/render/split.js';

describe('chunkText', () => {
  it('prefers paragraph, then sentence, then word boundaries', () => {
    expect(chunkText('aaa bbb.\n\nccc ddd', 12)).toEqual(['aaa bbb.', 'ccc ddd']);
    expect(chunkText('One two. Three four five.', 12)).toEqual(['One two.', 'Three four', 'five.']);
    expect(chunkText('alpha beta gamma delta', 11)).toEqual(['alpha beta', 'gamma delta']);
  });

  it('never cuts inside a link or an entity', () => {
    const link = '<https://example.org/some/long/path|the link text>';
    const text = `intro words ${link} and then &amp; more words`;
    for (const max of [20, 30, link.length, link.length + 5, 60]) {
      const chunks = chunkText(text, Math.max(max, link.length));
      expect(chunks.join(' ')).toBe(text);
      for (const chunk of chunks) {
        expect(chunk.length).toBeLessThanOrEqual(Math.max(max, link.length));
        expect((chunk.match(/</g) ?? []).length).toBe((chunk.match(/>/g) ?? []).length);
      }
      expect(chunks.some((c) => c.includes(link))).toBe(true);
    }
  });

  it('keeps every word whole and every chunk within the limit', () => {
    const word = fc.stringMatching(/^[a-zé&;]{1,12}$/);
    fc.assert(
      fc.property(
        fc.array(word, { minLength: 1, maxLength: 80 }),
        fc.integer({ min: 12, max: 200 }),
        (words, max) => {
          const text = words.join(' ');
          const chunks = chunkText(text, max);
          expect(chunks.every((c) => c.length <= max && c.length > 0)).toBe(true);
          expect(chunks.join(' ').split(' ')).toEqual(words);
        },
      ),
    );
  });
});

describe('packPieces', () => {
  it('fills groups in order without splitting pieces that fit', () => {
    expect(packPieces(['aa', 'bb', 'cc', 'dd'], '\n', 5)).toEqual(['aa\nbb', 'cc\ndd']);
    expect(packPieces(['aaaa', 'b', 'cccc'], '\n', 5)).toEqual(['aaaa', 'b', 'cccc']);
  });
});

describe('truncateAtWord', () => {
  it('cuts at a word boundary with an ellipsis', () => {
    expect(truncateAtWord('Mexico and the United States talk security', 20)).toBe('Mexico and the…');
    expect(truncateAtWord('short', 20)).toBe('short');
  });

  it('does not cut inside a link', () => {
    const text = 'see <https://example.org/|the whole report> now';
    expect(truncateAtWord(text, 30)).toBe('see…');
  });
});
