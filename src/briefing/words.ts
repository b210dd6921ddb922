import { createRequire } from 'node:module';

/**
 * The English word list (~275k words, ~35 MB as a Set) is loaded on the first question only: most
 * briefings never have a word broken across lines, and `parse` start-up should not pay for it.
 */
let words: Set<string> | null = null;

export function isEnglishWord(word: string): boolean {
  if (words === null) {
    const require = createRequire(import.meta.url);
    words = new Set(require('an-array-of-english-words') as string[]);
  }
  return words.has(word.toLowerCase());
}
