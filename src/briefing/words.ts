import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

/**
 * The English word list (~275k words) is loaded on the first question only — most briefings never have
 * a line broken mid-sentence, and `parse` start-up should not pay for it — and kept compact: the
 * package's file as one string (3.4 MB, one byte a character) and where each word starts (1.1 MB),
 * searched by bisection because the list is sorted. A Set of the same words held ~18 MB of heap for
 * the life of the process.
 */
interface WordList {
  /** The file as published: ["a","aa","aah",…] */
  text: string;
  /** Offset of each word's first letter, in list (= alphabetical) order. */
  starts: Uint32Array;
}

let list: WordList | null = null;

function load(): WordList {
  const path = createRequire(import.meta.url).resolve('an-array-of-english-words');
  const text = readFileSync(path, 'latin1');
  const QUOTE = 34;
  let count = 0;
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === QUOTE) count++;
  const starts = new Uint32Array(count / 2);
  let word = 0;
  let open = true;
  for (let i = 0; i < text.length; i++) {
    if (text.charCodeAt(i) !== QUOTE) continue;
    if (open) starts[word++] = i + 1;
    open = !open;
  }
  return { text, starts };
}

/** <0, 0, >0 as the listed word at `start` sorts before, equal to, or after `word`. */
function compareAt(text: string, start: number, word: string): number {
  for (let i = 0; ; i++) {
    const listed = text.charCodeAt(start + i);
    const listedEnded = listed === 34;
    if (i === word.length) return listedEnded ? 0 : 1;
    if (listedEnded) return -1;
    const wanted = word.charCodeAt(i);
    if (listed !== wanted) return listed - wanted;
  }
}

export function isEnglishWord(word: string): boolean {
  list ??= load();
  const wanted = word.toLowerCase();
  let low = 0;
  let high = list.starts.length - 1;
  while (low <= high) {
    const middle = (low + high) >>> 1;
    const order = compareAt(list.text, list.starts[middle]!, wanted);
    if (order === 0) return true;
    if (order < 0) low = middle + 1;
    else high = middle - 1;
  }
  return false;
}
