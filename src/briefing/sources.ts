import { countriesIn } from '../countries/index.js';
import { MONTHS } from './data/months.js';
import {
  ASIDE_WORDS,
  CITATION_LEADS,
  KNOWN_OUTLETS,
  NAME_CONNECTORS,
  NON_OUTLET_NAMES,
  NON_OUTLET_WORDS,
  NOT_OUTLETS,
  OUTLET_WORDS,
  REPORTING_VERBS,
} from './data/sources.js';

/** An outlet's name is a few words ("The Wall Street Journal", "Folha de S.Paulo"). */
const MAX_NAME_WORDS = 6;
/** Parenthetical source lists are short ("(Reuters, Al Jazeera)"). */
const MAX_PARENTHETICAL = 120;
/** The closing source list is looked for in this many final characters only (a bounded regex input). */
const TRAILING_WINDOW = MAX_PARENTHETICAL + 10;

const NAME_WORD = /^[\p{Lu}\d][\p{L}\p{N}.&'’-]*$/u;
/** Articles that open outlet names in Spanish, Portuguese and French ("La República", "O Globo"). */
const NAME_ARTICLES = new Set(['el', 'la', 'los', 'las', 'o', 'a', 'os', 'le', 'les']);
/** After a person's name, the outlet they write in: "reports Tom Phillips in the Guardian". */
const WRITES_IN = /^\s+(?:in|for)\s+(?:the\s+)?\p{Lu}/u;

function outletKey(name: string): string {
  return name.toLowerCase().replace(/^the\s+/, '');
}

const KNOWN = new Set(KNOWN_OUTLETS.map(outletKey));

/** Every lead's cues in one alternation: one scan per paragraph instead of one substring search per cue. */
const CUE = new RegExp(
  [...new Set(CITATION_LEADS.flatMap((lead) => lead.cues))]
    .sort((a, b) => b.length - a.length)
    .map((cue) => cue.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&'))
    .join('|'),
  'g',
);

/** Known outlets by their last word, lower-case: "reported" is found first, then the name before it. */
const KNOWN_BY_LAST_WORD = new Map<string, string[]>();
for (const name of KNOWN_OUTLETS) {
  const last = name.slice(name.lastIndexOf(' ') + 1).toLowerCase();
  const names = [...(KNOWN_BY_LAST_WORD.get(last) ?? []), name];
  KNOWN_BY_LAST_WORD.set(
    last,
    names.sort((a, b) => b.length - a.length),
  );
}
// The verb first and the space before it checked by hand: a pattern opening with \\s is tried at every
// space of the paragraph, one with the verbs' letters only where a verb can start.
const REPORTING_VERB = new RegExp(`(?:${REPORTING_VERBS.join('|')})\\b`, 'g');
const SPACE_BEFORE = /\s/u;
const WORD_CHAR = /[\p{L}\p{N}]/u;

/**
 * Known outlets named before a reporting verb ("Reuters reported", "the Associated Press says"). Only
 * known names: any capitalised word may open a clause ("Officials said").
 */
function outletsBeforeVerbs(text: string): { at: number; name: string }[] {
  const found: { at: number; name: string }[] = [];
  REPORTING_VERB.lastIndex = 0;
  for (const match of text.matchAll(REPORTING_VERB)) {
    if (match.index === 0 || !SPACE_BEFORE.test(text.charAt(match.index - 1))) continue;
    const end = match.index - 1;
    const last = text.slice(text.lastIndexOf(' ', end - 1) + 1, end).toLowerCase();
    for (const name of KNOWN_BY_LAST_WORD.get(last) ?? []) {
      const at = end - name.length;
      if (at >= 0 && text.startsWith(name, at) && !WORD_CHAR.test(text.charAt(at - 1))) {
        found.push({ at, name });
        break;
      }
    }
  }
  return found;
}

function nameWords(name: string): string[] {
  return outletKey(name)
    .split(/\s+/)
    .map((word) => word.replace(/[.'’]+$/u, ''));
}

/** A person, an office, an institution, a pollster or a country ("Mexican", "Nicaragua"), not an outlet. */
function isNonOutlet(name: string): boolean {
  if (NON_OUTLET_NAMES.has(outletKey(name).replace(/\.$/, ''))) return true;
  const words = nameWords(name);
  if (words.some((word) => NON_OUTLET_WORDS.has(word))) return true;
  return countriesIn(name).length > 0 && !words.some((word) => OUTLET_WORDS.has(word));
}

/** Shaped like a newspaper's name: "Jamaica Observer", "Diario Co Latino", "La Prensa". */
function outletShaped(name: string): boolean {
  const words = nameWords(name);
  return (
    words.some((word) => OUTLET_WORDS.has(word)) || (words.length >= 2 && NAME_ARTICLES.has(words[0] ?? ''))
  );
}

/** Whether a name read after a citation lead is an outlet (`strict`: only known or outlet-shaped). */
function isOutlet(name: string, strict: boolean): boolean {
  if (KNOWN.has(outletKey(name))) return true;
  if (isNonOutlet(name)) return false;
  return !strict || outletShaped(name);
}

/** Reads capitalised words from `start`: "La República's editorial" → "La República". */
function readName(text: string, start: number): string | null {
  const words = text.slice(start, start + 120).split(/\s+/);
  const taken: string[] = [];
  for (const [index, raw] of words.entries()) {
    const word = raw.replace(/[,;:!?)"”]+$|\.+$/u, '');
    const stoppedByPunctuation = word !== raw;
    if (NAME_WORD.test(word) || (taken.length > 0 && NAME_CONNECTORS.includes(word))) {
      taken.push(word);
      if (/['’]s$/u.test(word) && !stoppedByPunctuation) {
        // "the Guardian's Tom Phillips": an outlet's reporter is the outlet citing.
        const possessor = taken.join(' ').replace(/['’]s$/u, '');
        if (KNOWN.has(outletKey(possessor)) || outletShaped(possessor)) break;
        // "Haiti's National Human Rights Defense Network": the possessor only qualifies the name.
        if (NAME_WORD.test(words[index + 1] ?? '')) {
          taken.length = 0;
          continue;
        }
        break;
      }
      if (stoppedByPunctuation || taken.length >= MAX_NAME_WORDS) break;
      continue;
    }
    break;
  }
  while (taken.length > 0 && NAME_CONNECTORS.includes(taken[taken.length - 1]!)) taken.pop();
  if (taken.length === 0) return null;
  const name = taken
    .join(' ')
    .replace(/['’]s$/u, '')
    .replace(/\.$/, '');
  const first = (taken[0] ?? '').toLowerCase().replace(/[.'’]/g, '');
  if (NOT_OUTLETS.has(first) && taken.length === 1) return null;
  return name.length >= 2 ? name : null;
}

/** "Oct. 18" of a date in parentheses, "(Oct. 18, 2021)", which splits like a list of two names. */
function isMonthDay(name: string): boolean {
  const month = /^(\p{L}{3,10})\.?\s+\d{1,2}$/u.exec(name)?.[1];
  return month !== undefined && Object.hasOwn(MONTHS, month.toLowerCase());
}

/** "(Reuters, Al Jazeera)" / "(Financial Times)" at the end of a paragraph, or "(CNN)" dateline. */
function parentheticalSources(text: string): string[] {
  const found: string[] = [];
  const trailing = /\(([^()]{2,120})\)[.\s]*$/u.exec(text.slice(-TRAILING_WINDOW).trimEnd());
  const leading = /^\(([\p{Lu}][\p{L} .&-]{1,30})\)/u.exec(text);
  for (const match of [trailing, leading]) {
    const inner = match?.[1];
    if (!inner || inner.length > MAX_PARENTHETICAL) continue;
    const parts = inner.split(/\s*[,;/]\s*|\s+and\s+/);
    const names = parts.map((part) => part.trim());
    const outletLike = names.every(
      (name) =>
        name.split(/\s+/).length <= MAX_NAME_WORDS &&
        name.split(/\s+/).every((word) => NAME_WORD.test(word) || NAME_CONNECTORS.includes(word)) &&
        !ASIDE_WORDS.has((name.split(/\s+/)[0] ?? '').toLowerCase()) &&
        /\p{L}/u.test(name) &&
        !isMonthDay(name),
    );
    if (outletLike) found.push(...names.filter((name) => name.length >= 2));
  }
  return found;
}

/** A byline "By Evan Perez, Kylie Atwood and Priscilla Alvarez, CNN" names its outlet last. */
export function bylineOutlet(text: string): string | null {
  const match = /^By\s.{1,200},\s*([\p{Lu}][\p{L}\p{N} .&-]{1,40})$/u.exec(text.trim());
  return match?.[1]?.trim() ?? null;
}

/** The outlets a paragraph cites, in order of first mention, without duplicates. */
export function sourcesIn(text: string): string[] {
  const found: { at: number; name: string }[] = [];
  const cuesFound = new Set<string>();
  CUE.lastIndex = 0;
  for (const match of text.matchAll(CUE)) cuesFound.add(match[0]);
  for (const { cues, pattern, strict } of CITATION_LEADS) {
    if (!cues.some((cue) => cuesFound.has(cue))) continue;
    pattern.lastIndex = 0;
    for (const match of text.matchAll(pattern)) {
      const start = match.index + match[0].length;
      const name = readName(text, start);
      if (!name || !isOutlet(name, strict)) continue;
      // A writer's name before "in the Guardian": the outlet is read by its own lead.
      const after = text.indexOf(name, start);
      if (!KNOWN.has(outletKey(name)) && after !== -1 && WRITES_IN.test(text.slice(after + name.length)))
        continue;
      found.push({ at: match.index, name });
    }
  }
  found.push(...outletsBeforeVerbs(text));
  for (const name of parentheticalSources(text)) {
    if (isOutlet(name, false)) found.push({ at: text.indexOf(name), name });
  }
  const byline = bylineOutlet(text);
  if (byline) found.push({ at: text.length, name: byline });
  found.sort((a, b) => a.at - b.at);
  const seen = new Set<string>();
  const out: string[] = [];
  for (const found_ of found) {
    // "told The Guardian" and "reports the Guardian" name one outlet.
    const name = found_.name.replace(/^The\s+(?=\S)/, '');
    const key = outletKey(name);
    if (!name || seen.has(key)) continue;
    seen.add(key);
    out.push(name);
  }
  return out;
}
