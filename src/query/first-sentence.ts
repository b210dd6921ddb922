/**
 * The first sentence of a story, for one-line summaries. Briefing prose is full of "U.S.", "Gen." and
 * "Jan." — a naive split on ". " would summarise "U.S. Secretary of State Antony Blinken is leading…" as "U.S."
 */

/** About two lines in Slack's desktop client: long enough to say what happened, short enough to scan. */
export const DEFAULT_SUMMARY_CHARS = 200;

/**
 * Words that end with a period without ending a sentence (titles, months, Latin, Spanish and Portuguese
 * honorifics). Lower-case, without the period. Single letters (initials: "John F. Kennedy") and dotted
 * acronyms ("U.S.", "E.U.A.") are recognised by shape and need not be listed.
 */
const ABBREVIATIONS = new Set([
  // Titles and ranks.
  'mr',
  'mrs',
  'ms',
  'dr',
  'drs',
  'prof',
  'sen',
  'sens',
  'rep',
  'reps',
  'gov',
  'govs',
  'pres',
  'gen',
  'lt',
  'col',
  'maj',
  'capt',
  'cpt',
  'sgt',
  'adm',
  'cmdr',
  'rev',
  'hon',
  'amb',
  'sec',
  'atty',
  'supt',
  'jr',
  'sr',
  'sra',
  'srta',
  'dra',
  'lic',
  'arq',
  'abg',
  'dña',
  'sto',
  'sta',
  'mons',
  'fr',
  'st',
  // Months and weekdays as abbreviated in datelines. English words that also end sentences ("ago",
  // "out", "sat") are left out on purpose: a missed abbreviation costs less than a runaway sentence.
  'jan',
  'feb',
  'mar',
  'apr',
  'jun',
  'jul',
  'aug',
  'sep',
  'sept',
  'oct',
  'nov',
  'dec',
  'ene',
  'abr',
  'dic',
  'dez',
  'tue',
  'tues',
  'wed',
  'thu',
  'thur',
  'thurs',
  'fri',
  // Organisations, places, Latin.
  'inc',
  'corp',
  'ltd',
  'bros',
  'dept',
  'univ',
  'assn',
  'ave',
  'blvd',
  'mt',
  'ft',
  'nº',
  'vs',
  'approx',
  'aprox',
  'cf',
  'al',
  'fig',
  'vol',
  'pp',
  'pág',
  'núm',
]);

/** A dotted acronym ("U.S", "E.U.A", "p.m") as it appears before its final period. */
const DOTTED_ACRONYM = /^(?:\p{L}\.)+\p{L}$/u;

/** A sentence ends at . ! ? (plus closing quotes or brackets) followed by space and a plausible start. */
const SENTENCE_END = /[.!?…]+["'”’»)\]]*(?=\s+["'“‘«(¿¡]?[\p{Lu}\p{N}])/gu;

/**
 * Abbreviations only before a number: "No. 2", "Art. 5", "pp. 3" — while "no." or "art." before a
 * capital can end a sentence ("They said no. Then…").
 */
const NUMBER_ABBREVIATIONS = new Set(['no', 'nos', 'nr', 'art', 'arts', 'p', 'ch', 'sec', 'n']);

function endsWithAbbreviation(textBeforeDot: string, textAfterDot: string): boolean {
  const word = /([\p{L}.º]+)$/u.exec(textBeforeDot)?.[1];
  if (!word) return false;
  if (word.length === 1) return true; // an initial
  if (DOTTED_ACRONYM.test(word)) return true;
  const lower = word.toLowerCase();
  if (NUMBER_ABBREVIATIONS.has(lower) && /^\s+\d/.test(textAfterDot)) return true;
  return ABBREVIATIONS.has(lower);
}

/**
 * A wire-service dateline opening a story says where and who, not what: "(CNN)Nearly a year…",
 * "LIMA, Peru (AP) — …", "MEXICO CITY, Oct 6 (Reuters) - …", "CARACAS (EFE).- …". The agency is a short name in brackets
 * right at the start or after a place in capitals; what follows is a dash or, glued, the capitalised
 * first word. A bracket later in the sentence ("He resigned (Reuters).") is left alone.
 */
const WIRE_DATELINE =
  /^(?:\p{Lu}{2,}[\p{Lu}\s.'’-]{0,40}(?:,[^()—–]{1,30}?)?\s*)?\((?:\p{Lu}[\p{L}&.'’\s-]{0,24})\)(?:\s*\.?[—–-]+\s*|\s*(?=[\p{Lu}"“«¿¡]))/u;

/** The text with a leading wire dateline removed, when one is there and something follows it. */
export function withoutDateline(text: string): string {
  const match = WIRE_DATELINE.exec(text);
  if (!match) return text;
  const rest = text.slice(match[0].length);
  return rest.trim() === '' ? text : rest;
}

/** The first sentence of `text` (whitespace collapsed), cut at a word boundary with "…" past `maxChars`. */
export function firstSentence(text: string, maxChars: number = DEFAULT_SUMMARY_CHARS): string {
  const flat = withoutDateline(text.replace(/\s+/g, ' ').trim());
  let sentence = flat;
  for (const match of flat.matchAll(SENTENCE_END)) {
    const end = match.index + match[0].length;
    // Only a lone period can be an abbreviation's; "?" and "!" always end a sentence.
    if (
      match[0].startsWith('.') &&
      !match[0].startsWith('..') &&
      endsWithAbbreviation(flat.slice(0, match.index), flat.slice(end))
    ) {
      continue;
    }
    sentence = flat.slice(0, end);
    break;
  }
  return truncateAtWord(sentence, maxChars);
}

/** Cuts at the last space that keeps the result (with its "…") within `maxChars`. */
export function truncateAtWord(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  const room = Math.max(1, maxChars - 1);
  const slice = text.slice(0, room + 1);
  const space = slice.lastIndexOf(' ');
  // A single word longer than the budget (a URL) is cut hard rather than dropped.
  const cut = space > room / 2 ? slice.slice(0, space) : text.slice(0, room);
  return `${cut.replace(/[\s,;:—–-]+$/u, '')}…`;
}

/** A byline paragraph ("By Evan Perez, Kylie Atwood and Priscilla Alvarez, CNN") says who, not what. */
const BYLINE = /^(?:by|por)\s+\p{Lu}[^.!?]{0,150}$/iu;
/** A dateline paragraph ("Updated 1528 GMT (2328 HKT) October 6, 2021") says when, not what. */
const DATELINE = /^(?:updated|published|actualizado|atualizado)\b[^.!?]{0,120}\d{4}\s*$/iu;
/**
 * The same with a time at the end ("Published October 6, 2021 at 1:20 PM EDT"); the clock time is what
 * tells it from prose that merely opens with "Updated" ("Updated figures show 2021 was worse.").
 */
const TIMED_DATELINE =
  /^(?:last\s+)?(?:updated|published|posted|actualizado|publicado|atualizado)\b[^!?]{0,120}\d{1,2}[:.]\d{2}\s*(?:[ap]\.?\s?m\.?)?(?:\s*\(?\p{Lu}{2,5}\)?)?\s*$/iu;
const MONTH =
  '(?:jan|feb|fev|mar|apr|abr|may|mai|jun|jul|aug|ago|sep|set|oct|out|nov|dec|dic|dez|ene)[\\p{L}]*\\.?';
/**
 * A paragraph that is only a date, maybe with a weekday and a time: "October 6, 2021",
 * "Wed, Oct. 6, 2021 10:53 AM ET", "6 de octubre de 2021".
 */
const BARE_DATE = new RegExp(
  `^(?:\\p{L}+\\.?,?\\s+)?(?:${MONTH}\\s+\\d{1,2},?|\\d{1,2}\\s+(?:de\\s+)?${MONTH})\\s+(?:de\\s+)?\\d{4}(?:,?\\s*(?:at\\s+)?\\d{1,2}[:.]\\d{2}\\s*(?:[ap]\\.?\\s?m\\.?)?(?:\\s*\\p{Lu}{2,5})?)?\\s*$`,
  'iu',
);

function isByOrDateLine(paragraph: string): boolean {
  return [BYLINE, DATELINE, TIMED_DATELINE, BARE_DATE].some((pattern) => pattern.test(paragraph));
}

/** The paragraph a story summary should open with: the first that is not empty, a byline or a date line. */
export function leadParagraph(paragraphs: readonly string[]): string {
  return paragraphs.find((text) => text.trim() !== '' && !isByOrDateLine(text.trim())) ?? paragraphs[0] ?? '';
}
