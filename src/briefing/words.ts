import { createRequire } from 'node:module';

/**
 * The English word list (~275k words: ~18 MB of heap and ~120 ms to load, measured) is loaded on the
 * first question only: most briefings never have a line broken mid-sentence, and `parse` start-up
 * should not pay for it.
 */
let words: Set<string> | null = null;

export function isEnglishWord(word: string): boolean {
  if (words === null) {
    const require = createRequire(import.meta.url);
    const path = require.resolve('an-array-of-english-words');
    words = new Set(require(path) as string[]);
    // The Set is all we keep: the module cache would otherwise hold the 2 MB array as well.
    delete require.cache[path];
  }
  return words.has(word.toLowerCase());
}
