/**
 * Which countries a story is *about* and which it only *mentions*. A story is about a country when the
 * country is its subject: named in its headline, the main actor of its opening sentence, or coming back
 * through the text. It only mentions the countries it compares itself with ("as happened in Peru"),
 * gives as one example among others ("countries such as Chile, Peru and Bolivia") or names once in
 * passing. Names that are not countries at all (a person's, an outlet's, a US state's) are dropped before
 * this, by `findMentions`.
 */

import { catalog } from './catalog.js';
import actorData from './lists/actors.json' with { type: 'json' };
import { findMentions, type Mention } from './mentions.js';
import { foldKey, type Tokens, tokenize } from './tokens.js';

export interface SalienceOptions {
  /**
   * The title is not the story's own headline (a lead under the email's subject, which names the top
   * story of the issue): its countries count only when the text names them too.
   */
  titleNeedsText?: boolean;
}

export interface Salience {
  /** Codes the story is about, most salient first. */
  about: string[];
  /** Codes it only mentions, in order of first mention. */
  mentions: string[];
}

/**
 * Words right before a country that make it a comparison or an example, not the subject (folded,
 * English, Spanish, Portuguese). Matched against the words just before the name in the same sentence.
 */
const ASIDE_CUES: readonly string[] = [
  // comparisons
  'as happened in',
  'as happened with',
  'as it did in',
  'as they did in',
  'as did',
  'as has',
  'as in',
  'like in',
  'like',
  'unlike',
  'similar to',
  'compared with',
  'compared to',
  'than in',
  'than',
  'echoing',
  'reminiscent of',
  'modeled on',
  'modelled on',
  'in the style of',
  'the likes of',
  'como en',
  'como ocurrio en',
  'como sucedio en',
  'como paso en',
  'como ocurrio con',
  'al igual que',
  'igual que',
  'a diferencia de',
  'similar a',
  'parecido a',
  'que en',
  'assim como',
  'como aconteceu em',
  'como aconteceu no',
  'como aconteceu na',
  'como ocorreu em',
  'como ocorreu no',
  'como ocorreu na',
  'como em',
  'como no',
  'como na',
  'a exemplo de',
  'a exemplo do',
  'a exemplo da',
  'ao contrario de',
  'ao contrario do',
  'ao contrario da',
  'semelhante a',
  'semelhante ao',
  'do que',
  'que o',
  'que a',
  // venues
  'summit in',
  'summits in',
  'held in',
  'forum in',
  'conference in',
  'cumbre en',
  'cupula em',
  // examples
  'such as',
  'including',
  'among them',
  'among others',
  'for example',
  'for instance',
  'e g',
  'tales como',
  'como',
  'incluido',
  'incluida',
  'incluidos',
  'incluidas',
  'incluyendo',
  'entre ellos',
  'entre ellas',
  'por ejemplo',
  'incluindo',
  'inclusive',
  'entre eles',
  'entre elas',
  'por exemplo',
];

/** The most words a cue has, so the look-back is bounded. */
const MAX_CUE_WORDS = Math.max(...ASIDE_CUES.map((cue) => cue.split(' ').length));
const CUES = new Set(ASIDE_CUES);

/** Words that join countries into one subject ("Colombia and Venezuela", "Peru y Chile"). */
const JOINERS = new Set(['and', 'y', 'e', '&']);

/** An enumeration of this many countries or more lists examples ("Chile, Peru, Bolivia and Ecuador"). */
const MIN_ENUMERATION = 3;

/** A country named in this many sentences of a story is one of its subjects. */
const REPEATED = 3;

/** Tagging reads this much of a paragraph (hostile or broken input can be far longer). */
const MAX_TAGGED_CHARS = 20_000;

/** A byline or a dateline line opens many pasted articles: "By …, CNN", "Updated 1528 GMT …". */
const BYLINE = /^(?:by|por|updated|actualizado|atualizado|published|publicado)\b/iu;

interface Use extends Mention {
  /** Sentence number within its text. */
  sentence: number;
  /** Compared with or given as an example: not a subject. */
  aside: boolean;
  /** Coordinated with the mention before it ("Colombia and Venezuela", "US-Mexico"). */
  joined: boolean;
  /** A leader or institution standing for the country ("Putin", "the Kremlin"): never a mention. */
  actor: boolean;
}

interface Read {
  tokens: Tokens;
  uses: Use[];
  /** Some use is a city named like places elsewhere (see `uncorroborated`). */
  elsewhere: boolean;
  /** First token of each sentence. */
  sentences: number[];
}

let actorTable: { phrases: Map<string, string>; longest: number } | undefined;

function actors(): { phrases: Map<string, string>; longest: number } {
  if (actorTable) return actorTable;
  const phrases = new Map<string, string>();
  let longest = 1;
  for (const [code, names] of Object.entries(actorData)) {
    if (code.startsWith('$') || !Array.isArray(names)) continue;
    for (const name of names) {
      const key = foldKey(name);
      phrases.set(key, code);
      longest = Math.max(longest, key.split(' ').length);
    }
  }
  actorTable = { phrases, longest };
  return actorTable;
}

/** Leaders and institutions in the tokens, outside the spans already read as countries. */
function actorUses(tokens: Tokens, taken: readonly Mention[]): Mention[] {
  const { phrases, longest } = actors();
  const covered = new Set<number>();
  for (const mention of taken) for (let i = 0; i < mention.length; i++) covered.add(mention.token + i);
  const found: Mention[] = [];
  for (let i = 0; i < tokens.length; i++) {
    if (covered.has(i) || !tokens.capitalised(i)) continue;
    let key = '';
    for (let length = 1; length <= longest && i + length <= tokens.length; length++) {
      const at = i + length - 1;
      if (length > 1 && !tokens.joinsPrevious(at)) break;
      key = length === 1 ? tokens.key(at) : `${key} ${tokens.key(at)}`;
      const code = phrases.get(key);
      if (code !== undefined) {
        found.push({ code, key, kind: 'name', token: i, length });
        i += length - 1;
        break;
      }
    }
  }
  return found;
}

/**
 * Reads shared within one `sharingReads` call: a section's paragraphs are read as items, then again as
 * the section's story, and its title several times over, so each is tokenised and matched once. The
 * sharing ends with the call (nothing is kept from one email to the next).
 */
let sharedReads: Map<string, Read> | null = null;

/** Runs `work` (synchronous) with the texts it reads for salience read once each. */
export function sharingReads<T>(work: () => T): T {
  const outer = sharedReads;
  sharedReads = outer ?? new Map();
  try {
    return work();
  } finally {
    sharedReads = outer;
  }
}

/** The countries of one text (a title or a paragraph), each use with where it stands. */
function read(text: string): Read {
  const known = sharedReads?.get(text);
  if (known) return known;
  const fresh = readText(text);
  sharedReads?.set(text, fresh);
  return fresh;
}

function readText(text: string): Read {
  const tokens = tokenize(text.slice(0, MAX_TAGGED_CHARS));
  const sentences: number[] = tokens.length > 0 ? [0] : [];
  for (let i = 1; i < tokens.length; i++) if (sentenceBreak(tokens, i)) sentences.push(i);
  const countries = findMentions(tokens);
  const found = [
    ...countries.map((mention) => ({ mention, actor: false })),
    ...actorUses(tokens, countries).map((mention) => ({ mention, actor: true })),
  ].sort((a, b) => a.mention.token - b.mention.token);
  const uses: Use[] = [];
  let sentence = 0;
  for (const [index, { mention, actor }] of found.entries()) {
    while (sentence + 1 < sentences.length && sentences[sentence + 1]! <= mention.token) sentence += 1;
    const previous = found[index - 1]?.mention;
    uses.push({
      code: mention.code,
      key: mention.key,
      kind: mention.kind,
      token: mention.token,
      length: mention.length,
      sentence,
      actor,
      aside: afterCue(tokens, mention.token),
      joined: previous !== undefined && joins(tokens, previous, mention),
    });
  }
  markEnumerations(tokens, uses);
  const { elsewhere } = catalog();
  return { tokens, uses, sentences, elsewhere: uses.some((use) => elsewhere.has(use.key)) };
}

/** A sentence ends between tokens i-1 and i: end punctuation or a line break then a capital, or a colon. */
function sentenceBreak(tokens: Tokens, i: number): boolean {
  // Read char by char: this runs for every word of every paragraph, and a slice and two regexes each
  // time were a tenth of the tagging.
  const { text } = tokens;
  const start = tokens.ends[i - 1]!;
  const end = tokens.starts[i]!;
  // A label's colon ends it whatever follows ("Stat: o governo Lula pagou…").
  if (end - start >= 2 && text.charCodeAt(start) === 58 && /\s/u.test(text.charAt(start + 1))) return true;
  for (let at = start; at < end; at++) {
    const c = text.charCodeAt(at);
    // . ! ? … and a line break
    if (c === 46 || c === 33 || c === 63 || c === 0x2026 || c === 10) return tokens.capitalised(i);
  }
  return false;
}

/** The words before token `at` in its sentence end with a comparison or example cue. */
function afterCue(tokens: Tokens, at: number): boolean {
  let phrase = '';
  for (let i = at - 1, words = 0; i >= 0 && words < MAX_CUE_WORDS; i--, words++) {
    const gap = tokens.text.slice(tokens.ends[i]!, tokens.starts[i + 1]!);
    if (sentenceBreak(tokens, i + 1) || /[;:()]/u.test(gap)) break;
    phrase = words === 0 ? tokens.key(i) : `${tokens.key(i)} ${phrase}`;
    if (CUES.has(phrase)) return true;
  }
  return false;
}

/** Articles that may stand between listed countries ("China, the United States and Japan"). */
const ARTICLES = new Set(['the', 'el', 'la', 'los', 'las', 'o', 'a', 'os', 'as']);

/**
 * What separates two mentions as text: the gaps and at most one word, an article before the second
 * dropped (", the", "and the"); null when more stands between them.
 */
function between(tokens: Tokens, first: Mention, second: Mention): string | null {
  const end = first.token + first.length;
  let last = second.token - 1;
  if (last >= end && ARTICLES.has(tokens.key(last))) last -= 1;
  if (last - end > 0) return null;
  const gap = (i: number) => tokens.text.slice(tokens.ends[i - 1]!, tokens.starts[i]!);
  if (last < end) return second.token - end === 1 ? `${gap(end)} ${gap(end + 1)}` : gap(second.token);
  const after = second.token - end === 2 ? `${gap(end + 1)} ${gap(end + 2)}` : gap(end + 1);
  return `${gap(end)}${tokens.key(end)}${after}`;
}

/** Only a joiner word, a hyphen or "&" between two mentions. */
function joins(tokens: Tokens, first: Mention, second: Mention): boolean {
  const gap = between(tokens, first, second);
  if (gap === null) return false;
  if (/^\s*[-–/&]\s*$/u.test(gap)) return true;
  const word = /^\s+(\p{L}+)\s+$/u.exec(gap)?.[1];
  return word !== undefined && JOINERS.has(word);
}

function commaBetween(tokens: Tokens, first: Mention, second: Mention): boolean {
  const gap = between(tokens, first, second);
  return gap !== null && /^\s*,\s*(?:(?:and|y|e|or|o|ou)\s+)?$/u.test(gap);
}

/**
 * Runs of countries separated by commas and joiners: MIN_ENUMERATION or more list examples, and a cue
 * before the first ("such as Chile and Peru") covers the whole run.
 */
function markEnumerations(tokens: Tokens, uses: Use[]): void {
  let start = 0;
  for (let i = 1; i <= uses.length; i++) {
    const listed = i < uses.length && (uses[i]!.joined || commaBetween(tokens, uses[i - 1]!, uses[i]!));
    if (listed) continue;
    const run = uses.slice(start, i);
    if (run.length >= MIN_ENUMERATION || run[0]?.aside) for (const use of run) use.aside = true;
    start = i;
  }
}

/**
 * A country in a headline is its subject, unless the headline names it only as a qualifier after its
 * subject ("Brazil - Prosecutors charge US journalist", "Riga strips Russian TV's license").
 */
function titleSubjects(title: string): string[] {
  const { tokens, uses: all } = read(title);
  const subjects: string[] = [];
  const uses = byNameFirst(all);
  // "Bolsonaro targets Chile": a leader who does something to the country named as its object is a
  // subject beside it; "Trump ends trade talks with Canada" (a country after a preposition) is Canada's.
  const actor = all.find((use) => !use.aside && !frontedTime(tokens, use));
  if (
    actor?.actor &&
    uses !== all &&
    all.some(
      (use) => !use.actor && use.kind === 'name' && use.token > actor.token && objectOfVerb(tokens, use, 0),
    )
  ) {
    subjects.push(actor.code);
  }
  uses.forEach((use, index) => {
    if (use.aside || frontedTime(tokens, use)) return;
    const first = subjects.length === 0;
    const withFirst = use.joined && index > 0 && subjects.includes(uses[index - 1]!.code);
    if (first || withFirst || (use.kind !== 'demonym' && !qualifies(tokens, use))) {
      if (!subjects.includes(use.code)) subjects.push(use.code);
    }
  });
  return subjects;
}

/** Words that open a headline with the time of another story: "After France, Bolsonaro targets Chile". */
const FRONTED_TIME = new Set(['after', 'tras', 'despues de', 'apos', 'depois de', 'depois da', 'depois do']);

/**
 * "After France, …", "Tras Perú, …": a country in a phrase that opens the headline and ends in a comma
 * dates the story by an earlier one; the subject follows the comma.
 */
function frontedTime(tokens: Tokens, use: Mention): boolean {
  const end = use.token + use.length;
  if (end >= tokens.length || !/^\s*,/u.test(tokens.text.slice(tokens.ends[end - 1]!, tokens.starts[end]!)))
    return false;
  const opening: string[] = [];
  for (let i = 0; i < use.token; i++) opening.push(tokens.key(i));
  // An article may stand before the name ("Depois da França", "Tras el Perú").
  if (opening.length > 1 && ARTICLES.has(opening[opening.length - 1]!)) opening.pop();
  return FRONTED_TIME.has(opening.join(' '));
}

/**
 * A leader or an institution is the actor only where no country is named as one ("Xi and Putin draw
 * closer", "Obama Cancels Asia Trip"); beside a named country ("Trump ends trade talks with Canada") the
 * named country is the subject.
 */
function byNameFirst(uses: Use[]): Use[] {
  return uses.some((use) => !use.actor && !use.aside) ? uses.filter((use) => !use.actor) : uses;
}

/**
 * Function words after which a name is not a qualifier ("Maduro acusa os EUA de atacar", "ties with
 * Malaysia and"): a lower-case word right after a name that is not one of these is a noun it qualifies
 * ("US journalist").
 */
const AFTER_NOUN = new Set([
  'and',
  'or',
  'to',
  'in',
  'on',
  'of',
  'for',
  'over',
  'after',
  'amid',
  'as',
  'is',
  'are',
  'was',
  'were',
  'has',
  'have',
  'will',
  'would',
  'could',
  'says',
  'said',
  'de',
  'del',
  'da',
  'do',
  'y',
  'e',
  'en',
  'em',
  'a',
  'al',
  'ao',
  'con',
  'com',
  'por',
  'para',
  'que',
  'se',
  'no',
  'na',
]);

function qualifies(tokens: Tokens, use: Mention): boolean {
  const next = use.token + use.length;
  if (next >= tokens.length || tokens.capitalised(next)) return false;
  if (!/^[ \t]+$/u.test(tokens.text.slice(tokens.ends[next - 1]!, tokens.starts[next]!))) return false;
  return !AFTER_NOUN.has(tokens.key(next)) && !/^\d/u.test(tokens.key(next));
}

/** Sentences this short are greetings or labels ("Good morning.", "Sem trégua."), not an opening. */
const MIN_OPENING_WORDS = 5;
/** A label opening a paragraph of a roundup: "Stat:", "Crise no Irã." — a brief of its own follows. */
const MAX_LABEL_WORDS = 4;
/** A first sentence this short with most words capitalised is a headline glued to its paragraph. */
const MAX_HEADLINE_WORDS = 14;

function sentenceWords(paragraph: Read, sentence: number): number {
  const start = paragraph.sentences[sentence] ?? paragraph.tokens.length;
  return (paragraph.sentences[sentence + 1] ?? paragraph.tokens.length) - start;
}

function sentenceText(paragraph: Read, sentence: number): string {
  const { tokens, sentences } = paragraph;
  const start = sentences[sentence]!;
  const end = (sentences[sentence + 1] ?? tokens.length) - 1;
  return tokens.text.slice(tokens.starts[start]!, tokens.ends[end]!);
}

/** A newsletter greeting its readers: "Welcome to El Cafecito, your weekly brew of …", "Bom dia, leitor". */
const GREETING =
  /^(?:welcome(?: back)? to|bienvenid[oa]s?\b|bem-vind[oa]s?\b|good (?:morning|afternoon|evening)|hello|hi|hey|greetings|buen(?:os|as) (?:d[ií]as|tardes|noches)|bom dia|boa (?:tarde|noite)|hola|ol[aá]|happy \p{L}+day)\b/iu;

/** The first sentence of a paragraph that opens it (a byline, a greeting and a label skipped), or -1. */
function openingSentence(paragraph: Read, text: string): number {
  for (let sentence = 0; sentence < paragraph.sentences.length; sentence++) {
    if (sentenceWords(paragraph, sentence) < MIN_OPENING_WORDS) continue;
    if (sentence === 0 && BYLINE.test(text.trim())) continue;
    if (GREETING.test(sentenceText(paragraph, sentence))) continue;
    return sentence;
  }
  return -1;
}

/**
 * An issue's opening words that preview what follows rather than tell a story: "Here's what you need to
 * know", "Esto es lo que debes saber", "Today we follow corruption in Venezuela and …" (the newsletter
 * speaking of itself). The sections it points to carry those countries; here they are only mentions.
 */
const PREVIEW =
  /\b(?:here(?:'|’)?s what (?:you need to know|to know|to watch|we(?:'|’)re watching|(?:'|’)?s happening)|what you need to know (?:today|this morning)|esto es lo que (?:debes|necesitas|tienes que|hay que) saber|lo que (?:debes|necesitas) saber (?:hoy|para)|(?:isto|isso) [eé] o que (?:voc[eê] )?precisa saber|o que voc[eê] precisa saber (?:hoje|para)|in (?:this|today(?:'|’)s) (?:issue|edition|newsletter)|en (?:esta|la) edici[oó]n de hoy|nesta edi[cç][aã]o)\b/iu;
const FIRST_PERSON_OPENING =
  /^(?:(?:today|this (?:week|morning)|tonight|hoy|hoje|esta semana|nesta semana|este lunes|esta ma[nñ]ana),?\s+)?(?:we|we(?:'|’)ll|we(?:'|’)re|i|i(?:'|’)m|i(?:'|’)ll)\s+\p{Ll}/u;

function previews(paragraph: Read, text: string): boolean {
  if (PREVIEW.test(text)) return true;
  // The same opening the actor is read from: a byline, a greeting and a label skipped.
  const sentence = openingSentence(paragraph, text);
  return (
    sentence >= 0 &&
    FIRST_PERSON_OPENING.test(sentenceText(paragraph, sentence).replace(/^\p{Lu}/u, (c) => c.toLowerCase()))
  );
}

/** Headline case: most words capitalised ("Bolivia Launches Harsh Accusations against Peru."). */
function headlineLike(paragraph: Read): boolean {
  if (paragraph.sentences.length < 2) return false;
  const words = sentenceWords(paragraph, 0);
  if (words < 3 || words > MAX_HEADLINE_WORDS) return false;
  let capitals = 0;
  for (let i = 0; i < words; i++) if (paragraph.tokens.capitalised(i)) capitals += 1;
  return capitals / words >= 0.6;
}

/**
 * The main actor of a sentence stands near its start: past this many words a country sits in a clause
 * about something else ("Bullion slipped … as investors weighed … tensions with China").
 */
const MAX_ACTOR_OFFSET = 15;
/** A demonym is the actor only as the sentence's first words ("Chilean investigators believe…"). */
const MAX_DEMONYM_OFFSET = 3;

/** Indefinite articles: "a U.S. convoy" is a thing the country qualifies, never the country itself. */
const INDEFINITE = new Set(['a', 'an', 'un', 'una', 'um', 'uma']);

/**
 * "A U.S. diplomatic convoy": an indefinite article, the name, then the noun it qualifies; or, in Spanish
 * and Portuguese order, the article, the noun, then the demonym ("una ciudadana mexicana").
 */
function qualifiesAfterArticle(tokens: Tokens, use: Mention): boolean {
  if (use.token > 0 && INDEFINITE.has(tokens.key(use.token - 1)) && qualifies(tokens, use)) return true;
  return (
    use.kind === 'demonym' &&
    use.token > 1 &&
    INDEFINITE.has(tokens.key(use.token - 2)) &&
    !tokens.capitalised(use.token - 1)
  );
}

/**
 * The opening sentence's main actor and the countries coordinated with it. Under a headline that names
 * its subject, a country qualifying a noun after an indefinite article ("A U.S. diplomatic convoy was
 * fired on … in Sudan") is a detail of that story, not another actor ("Moscow blamed Ukraine" stays).
 */
function openingActors(paragraph: Read, sentence: number, titled: boolean): string[] {
  const start = paragraph.sentences[sentence] ?? 0;
  const opening = byNameFirst(paragraph.uses.filter((use) => use.sentence === sentence));
  const first = opening.findIndex(
    (use) =>
      !use.aside &&
      !(titled && qualifiesAfterArticle(paragraph.tokens, use)) &&
      use.token - start <= (use.kind === 'demonym' ? MAX_DEMONYM_OFFSET : MAX_ACTOR_OFFSET),
  );
  if (first < 0) return [];
  const codes = [opening[first]!.code];
  for (let i = first + 1; i < opening.length && opening[i]!.joined && !opening[i]!.aside; i++) {
    codes.push(opening[i]!.code);
  }
  return codes;
}

/** Words that open a clause inside a sentence: a country past one is in a clause about something else. */
const SUBORDINATORS = new Set([
  'as',
  'because',
  'while',
  'whether',
  'that',
  'which',
  'who',
  'since',
  'although',
  'though',
  'if',
  'when',
  'where',
  'amid',
  'despite',
  'como',
  'porque',
  'mientras',
  'que',
  'cuando',
  'donde',
  'aunque',
  'si',
  'enquanto',
  'quando',
  'onde',
  'embora',
]);

/**
 * Words that put a name in a phrase of its own rather than make it a verb's object: prepositions,
 * conjunctions, articles, auxiliaries (English, Spanish, Portuguese).
 */
const NOT_VERBS = new Set([
  ...AFTER_NOUN,
  'by',
  'from',
  'with',
  'against',
  'toward',
  'towards',
  'into',
  'at',
  'about',
  'between',
  'across',
  'near',
  'via',
  'under',
  'than',
  'the',
  'an',
  'its',
  'their',
  'his',
  'her',
  'be',
  'been',
  'being',
  'not',
  'sobre',
  'entre',
  'contra',
  'desde',
  'hacia',
  'hasta',
  'sin',
  'sem',
  'ate',
  'ante',
  'pelo',
  'pela',
  'el',
  'la',
  'los',
  'las',
  'os',
  'as',
  'o',
  'es',
  'fue',
  'foi',
  'ser',
  'su',
  'sus',
  'seu',
  'sua',
  'ni',
  'nem',
]);

/**
 * Countries the opening's main clause makes the object of what its actor did ("Ecuador beat Qatar",
 * "Moscow blamed Ukraine", "A Rússia acusou a Ucrânia"): a country named right after a verb (an article
 * between allowed), near the start and before any subordinate clause. A country after a preposition
 * ("defeat by Saudi Arabia", "a deal with India") or qualifying the object ("warned U.S. allies") stays
 * a mention.
 */
function objectCountries(paragraph: Read, sentence: number): string[] {
  const { tokens } = paragraph;
  const start = paragraph.sentences[sentence] ?? 0;
  const codes: string[] = [];
  for (const use of paragraph.uses) {
    if (use.sentence !== sentence || use.actor || use.aside || use.kind !== 'name') continue;
    if (use.token - start > MAX_ACTOR_OFFSET) break;
    if (objectOfVerb(tokens, use, start)) codes.push(use.code);
  }
  return codes;
}

/** The name is the object of a verb in the main clause that begins at token `start` (see above). */
function objectOfVerb(tokens: Tokens, use: Use, start: number): boolean {
  // "warned U.S. allies": the name qualifies the noun that is the object.
  if (qualifies(tokens, use)) return false;
  let verb = use.token - 1;
  if (verb > start && ARTICLES.has(tokens.key(verb)) && !tokens.capitalised(verb)) verb -= 1;
  if (verb <= start || tokens.capitalised(verb) || !tokens.spaceBefore(use.token)) return false;
  const word = tokens.key(verb);
  if (NOT_VERBS.has(word) || /^\d/u.test(word)) return false;
  for (let i = start; i < verb; i++) if (SUBORDINATORS.has(tokens.key(i))) return false;
  return true;
}

/**
 * A story whose headline and opening name no actor near the start may still tell of one country in its
 * opening's main clause, further in ("Clinton began her first trip abroad, a tour of Asia, in Japan"):
 * the first country named there before any subordinate clause begins.
 */
function mainClauseCountry(paragraph: Read, sentence: number): string | undefined {
  const start = paragraph.sentences[sentence] ?? 0;
  const opening = byNameFirst(paragraph.uses.filter((use) => use.sentence === sentence));
  const first = opening.find((use) => !use.aside && use.kind !== 'demonym');
  if (first === undefined) return undefined;
  for (let i = start; i < first.token; i++) if (SUBORDINATORS.has(paragraph.tokens.key(i))) return undefined;
  return first.code;
}

/**
 * The story's countries by salience: what its title names as subject, the main actor of its opening
 * sentence (with the countries coordinated with it) and of each labelled brief in it, and any country
 * named REPEATED times or more in its text (not counting comparisons and examples). Every other country
 * it names is a mention; leaders and institutions only ever make a country a subject.
 */
export function storySalience(
  title: string,
  paragraphs: readonly string[],
  options: SalienceOptions = {},
): Salience {
  const fromTitle = titleSubjects(title).filter(
    (code) =>
      !options.titleNeedsText || paragraphs.some((text) => read(text).uses.some((use) => use.code === code)),
  );
  const about: string[] = [...fromTitle];
  const add = (code: string) => {
    if (!about.includes(code)) about.push(code);
  };
  const named: string[] = read(title)
    .uses.filter((use) => !use.actor)
    .map((use) => use.code);

  /** Sentences naming each country (not as an aside). */
  const count = new Map<string, number>();
  const reads = paragraphs.map((text) => read(text));
  // A roundup: every paragraph opens with a short label ("Stat:", "Crise no Irã.") — each is a brief
  // with its own subject. Axios-style labels inside one story ("The big picture:") do not make one,
  // since the story's first paragraph has none.
  const labelled = (paragraph: Read) =>
    paragraph.sentences.length > 1 && sentenceWords(paragraph, 0) <= MAX_LABEL_WORDS;
  const roundup = reads.length > 1 && reads.every(labelled);
  let opened = false;
  let fallback: string | undefined;
  reads.forEach((paragraph, index) => {
    const text = paragraphs[index]!;
    const sentences = new Map<string, Set<number>>();
    const preview = options.titleNeedsText === true && previews(paragraph, text);
    for (const use of paragraph.uses) {
      if (use.actor) continue;
      named.push(use.code);
      if (use.aside || preview) continue;
      const seen = sentences.get(use.code) ?? new Set<number>();
      seen.add(use.sentence);
      sentences.set(use.code, seen);
    }
    for (const [code, seen] of sentences) count.set(code, (count.get(code) ?? 0) + seen.size);
    if (paragraph.tokens.length === 0 || preview) return;
    if (opened && !roundup) return;
    if (roundup) for (const code of titleSubjects(sentenceText(paragraph, 0))) add(code);
    if (!opened && headlineLike(paragraph))
      for (const code of titleSubjects(sentenceText(paragraph, 0))) add(code);
    const sentence = openingSentence(paragraph, text);
    if (sentence < 0) return;
    if (!opened) fallback = mainClauseCountry(paragraph, sentence);
    opened = true;
    const actors = openingActors(paragraph, sentence, fromTitle.length > 0);
    for (const code of actors) add(code);
    if (actors.length > 0) for (const code of objectCountries(paragraph, sentence)) add(code);
  });
  if (about.length === 0 && fallback !== undefined && named.includes(fallback)) add(fallback);
  const repeated = [...count.entries()].filter(([, n]) => n >= REPEATED).sort(([, a], [, b]) => b - a);
  for (const [code] of repeated) add(code);

  const ranked = [
    ...fromTitle,
    ...about
      .filter((code) => !fromTitle.includes(code))
      .sort((a, b) => (count.get(b) ?? 0) - (count.get(a) ?? 0)),
  ];
  const subjects = new Set(ranked);
  const mentions = [...new Set(named.filter((code) => !subjects.has(code)))];
  const titleRead = read(title);
  const maybe = (r: Read) => r.elsewhere;
  if (!maybe(titleRead) && !reads.some(maybe)) return { about: ranked, mentions };
  const unsupported = uncorroborated([titleRead, ...reads]);
  if (unsupported.size === 0) return { about: ranked, mentions };
  return {
    about: ranked.filter((code) => !unsupported.has(code)),
    mentions: mentions.filter((code) => !unsupported.has(code)),
  };
}

/**
 * Codes the story names only by a city called like a better-known place elsewhere ("told a Georgetown
 * audience"): without the country named too they are not that country.
 */
function uncorroborated(reads: readonly Read[]): Set<string> {
  const { elsewhere } = catalog();
  const weak = new Set<string>();
  const named = new Set<string>();
  for (const { uses } of reads) {
    for (const use of uses) (elsewhere.has(use.key) && !use.actor ? weak : named).add(use.code);
  }
  for (const code of named) weak.delete(code);
  return weak;
}
