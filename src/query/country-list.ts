/**
 * "Peru, Bolivia Ecuador", "Dominican Republic Haiti", "PE BO EC" → country codes. Names have spaces,
 * so the longest run of words that exactly names one country wins, then the rest is read the same way;
 * a word that starts no exact name is read alone, forgiving typos as /country does. Pure.
 */
import { exactCountry, resolveCountry } from '../countries/index.js';
import { MAX_NAME_WORDS } from './country-query.js';

export interface CountryList {
  codes: string[];
  /** Words that name no country, as typed. */
  unknown: string[];
}

/** A desk or a follow list is a region at most; past this it is not a list anyone typed. */
export const MAX_LISTED_COUNTRIES = 60;

/** "Peru and Bolivia": joining words, which would otherwise read as codes ("and" is Andorra's). */
const JOINERS = new Set(['and', '&', 'y', 'e', 'or', 'plus']);

export function parseCountryList(text: string): CountryList {
  const codes: string[] = [];
  const unknown: string[] = [];
  for (const chunk of text.split(/[,;]+/)) {
    const words = chunk
      .trim()
      .split(/\s+/)
      .filter((word) => word && !JOINERS.has(word.toLowerCase()));
    const add = (code: string) => {
      if (!codes.includes(code) && codes.length < MAX_LISTED_COUNTRIES) codes.push(code);
    };
    let at = 0;
    while (at < words.length) {
      let matched = 0;
      for (let length = Math.min(MAX_NAME_WORDS, words.length - at); length >= 1; length--) {
        const code = exactCountry(words.slice(at, at + length).join(' '));
        if (code) {
          add(code);
          matched = length;
          break;
        }
      }
      if (matched === 0) {
        const resolved = resolveCountry(words[at]!);
        if ('code' in resolved) {
          add(resolved.code);
          at += 1;
          continue;
        }
        unknown.push(words[at]!);
        at += 1;
      } else at += matched;
    }
  }
  return { codes, unknown };
}
