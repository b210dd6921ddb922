/**
 * How a briefing cites an outlet. Each pattern's group 1 is where the outlet's name starts; the name
 * itself is read by sources.ts (capitalised words), so these stay short and linear.
 */
export const CITATION_LEADS: readonly RegExp[] = [
  /\breports?\s+(?:the\s+)?(?=\p{Lu})/gu,
  /\breported\s+by\s+(?:the\s+)?(?=\p{Lu})/gu,
  /\baccording\s+to\s+(?:the\s+)?(?=\p{Lu})/gu,
  /\btold\s+(?:the\s+)?(?=\p{Lu})/gu,
  /\b(?:writes|wrote|argues|notes)\s+[^.;()]{1,80}?\s+in\s+(?:the\s+)?(?=\p{Lu})/gu,
  /\bin\s+an?\s+(?:interview|op-ed|editorial|column)\s+with\s+(?:the\s+)?(?=\p{Lu})/gu,
  /\bsegún\s+(?:el\s+|la\s+)?(?=\p{Lu})/gu,
  /\bsegundo\s+(?:o\s+|a\s+)?(?=\p{Lu})/gu,
];

/** Lower-case words allowed inside an outlet's name ("Folha de S.Paulo", "Voice of America"). */
export const NAME_CONNECTORS: readonly string[] = [
  'de',
  'del',
  'da',
  'do',
  'dos',
  'of',
  'and',
  '&',
  'y',
  'e',
];

/**
 * Capitalised words that start a clause, not a name: "according to Haiti's …" is a source, "told
 * Reuters" too, but "reports The" or "told Congress" are not outlets.
 */
export const NOT_OUTLETS: ReadonlySet<string> = new Set([
  'congress',
  'parliament',
  'senate',
  'reporters',
  'president',
  'officials',
  'the',
  'a',
  'an',
  'he',
  'she',
  'they',
  'it',
  'we',
  'i',
  'this',
  'that',
  'these',
  'those',
  'see',
  'also',
  'more',
  'read',
  'via',
  'and',
  'but',
  'mr',
  'ms',
  'mrs',
  'dr',
]);

/** Words of a parenthetical that make it an aside, not a source list: "(See yesterday's briefs.)". */
export const ASIDE_WORDS: ReadonlySet<string> = new Set([
  'see',
  'also',
  'and',
  'known',
  'formerly',
  'via',
  'read',
  'update',
  'updated',
]);
