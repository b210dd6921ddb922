import { ASIDE_WORDS, CITATION_LEADS, NAME_CONNECTORS, NOT_OUTLETS } from './data/sources.js';

/** An outlet's name is a few words ("The Wall Street Journal", "Folha de S.Paulo"). */
const MAX_NAME_WORDS = 6;
/** Parenthetical source lists are short ("(Reuters, Al Jazeera)"). */
const MAX_PARENTHETICAL = 120;
/** The closing source list is looked for in this many final characters only (a bounded regex input). */
const TRAILING_WINDOW = MAX_PARENTHETICAL + 10;

const NAME_WORD = /^[\p{Lu}\d][\p{L}\p{N}.&'’-]*$/u;

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
        !ASIDE_WORDS.has((name.split(/\s+/)[0] ?? '').toLowerCase()),
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
  for (const pattern of CITATION_LEADS) {
    pattern.lastIndex = 0;
    for (const match of text.matchAll(pattern)) {
      const name = readName(text, match.index + match[0].length);
      if (name) found.push({ at: match.index, name });
    }
  }
  for (const name of parentheticalSources(text)) found.push({ at: text.indexOf(name), name });
  const byline = bylineOutlet(text);
  if (byline) found.push({ at: text.length, name: byline });
  found.sort((a, b) => a.at - b.at);
  const seen = new Set<string>();
  const out: string[] = [];
  for (const { name } of found) {
    const key = name.toLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(name);
  }
  return out;
}
