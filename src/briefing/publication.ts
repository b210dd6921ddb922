/**
 * Which publication a briefing is: the newsletter's own name ("Daily News Brief", "Brazil Daily"), else
 * the outlet that sends it. Read from what the email says about itself, most specific first:
 *
 * 1. footer and sign-off phrases that name the newsletter ("You are receiving this because you
 *    subscribed to Brazil Daily.", "Thanks for reading Sin Filtro!", "This is an excerpt of the Daily
 *    News Brief.", "Subscribe to the Daily News Brief");
 * 2. the masthead: a short line at the top of the body that reads as a name (ALL CAPS, or with a word
 *    such as Daily, Report, Brief), not the headline and not a date;
 * 3. the subject's prefix ("Daily News Brief: Obama Cancels Asia Trip", "Morning Bid: …") when it reads
 *    as a publication name;
 * 4. the copyright line ("© 2025 Morning Bid U.S.. All rights reserved.");
 * 5. the original sender's display name (of the forwarded message, never the forwarder): "Boz from
 *    Latin America Risk Report" names the publication after "from", "X via Substack" before "via";
 *    an ESP or relay name ("Substack", "Mailchimp", "Google Groups") and a person's name are refused —
 *    a two- or three-word name with no publication word counts only when the sender's address or the
 *    email's text bears it out;
 * 6. the List-Id's display name;
 * 7. the forwarder's note ("From the Latin America Daily Briefing: http://…").
 */

/** Sender names that are a publication, not a person ("Latin America Daily Briefing"). */
const PUBLICATION_WORDS =
  /\b(?:briefing|brief|daily|newsletter|digest|report|weekly|bulletin|news|review|update|dispatch|monitor|note|notes|times|post|journal|herald|gazette|observer|tribune|online|flagship|edition|explained|explicado|explicada|boletín|boletim|noticias|notícias|diario|diário|semanal|informe|resumen|resumo|jornal)\b/iu;
/** A publication name is a handful of words. */
const MAX_PUBLICATION_CHARS = 80;
const MAX_PUBLICATION_WORDS = 7;
const TITLE_WORDS = /^\p{Lu}[\p{L}'’.&-]*(?:\s+(?:of|de|del|da|do|the|and|&|\p{Lu}[\p{L}'’.&-]*)){0,8}$/u;
/** Display names of the platforms and relays that send for others: never the publication. */
const RELAY_NAMES =
  /^(?:substack|mailchimp|beehiiv|ghost|convertkit|kit|buttondown|campaign monitor|constant contact|sendgrid|mailgun|sendinblue|brevo|revue|google groups?|groups\.io|linkedin|medium|patreon|noreply|no-reply|newsletter|newsletters|news|info|editor|editors|the editors|team)$/iu;
/** Lines and names that are never a publication name (greetings, chrome, possessives). */
const NOT_A_NAME =
  /^(?:our|your|this|these|nuestro|nuestra|nosso|nossa|este|esta|the google groups?|google groups?|view|read|sign|share|subscribe|presented|sponsored|advertisement|good morning|hello|hi|dear|bom dia|buenos días)\b/iu;
const DATE_WORDS =
  /\b(?:january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec|monday|tuesday|wednesday|thursday|friday|saturday|sunday|enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|octubre|noviembre|diciembre|janeiro|fevereiro|março|maio|junho|julho|setembro|outubro|novembro|dezembro|lunes|martes|miércoles|jueves|viernes|sábado|domingo|segunda-feira|terça-feira|quarta-feira|quinta-feira|sexta-feira)\b/iu;

/** The name with quotes, trailing punctuation and a trailing "All rights reserved" removed. */
function tidy(text: string | null | undefined): string {
  return (text ?? '')
    .slice(0, MAX_PUBLICATION_CHARS * 2)
    .replace(
      /[,.]?\s*(?:all rights reserved|todos los derechos reservados|todos os direitos reservados)\.?\s*$/iu,
      '',
    )
    .replace(/^["'“”‘’\s]+|["'“”‘’\s!,:;]+$/gu, '')
    .replace(/(?<!\b\p{Lu})\.$/u, '')
    .replace(/\s+/gu, ' ')
    .trim();
}

/**
 * A plausible publication name: a few words, no sentence, no address, no date; `strict` also asks for
 * a publication word and title case (for sources that also hold headlines and people).
 */
function nameLike(text: string | null | undefined, strict: boolean): string | null {
  const name = tidy(text);
  if (name.length < 2 || name.length > MAX_PUBLICATION_CHARS) return null;
  if (name.split(' ').length > MAX_PUBLICATION_WORDS) return null;
  if (/[@/]{1}|https?:|[?!]|\d{3,}|\.\s/u.test(name.replace(/^AS\/COA/u, 'ASCOA')) || NOT_A_NAME.test(name))
    return null;
  if (RELAY_NAMES.test(name) || DATE_WORDS.test(name)) return null;
  if (strict && !(PUBLICATION_WORDS.test(name) && TITLE_WORDS.test(name))) return null;
  return name;
}

/** ALL-CAPS mastheads are shown in title case ("BRAZIL DAILY" → "Brazil Daily"). */
function displayCase(name: string): string {
  if (name !== name.toUpperCase() || name === name.toLowerCase()) return name;
  const small = new Set(['of', 'de', 'del', 'da', 'do', 'the', 'and', 'y', 'e', 'la', 'el']);
  return name
    .toLowerCase()
    .split(' ')
    .map((word, i) => (i > 0 && small.has(word) ? word : word.charAt(0).toUpperCase() + word.slice(1)))
    .join(' ');
}

/** Footer and sign-off phrases that name the newsletter itself. */
const NAMING_PHRASES: readonly RegExp[] = [
  /\b(?:subscribed to|signed up for|signed up to)\s+([^.!\n]{2,80}?)\s*(?:[.!]\s|[.!]?$)/iu,
  /\b(?:thanks|thank you) for reading\s+([^.!\n…]{2,80}?)\s*(?:[.!…]|\s[-–—]\s|$)/iu,
  /\b(?:gracias por leer|obrigad[oa] por ler)\s+(?:el\s+|la\s+|o\s+|a\s+)?([^.!\n…]{2,80}?)\s*(?:[.!…]|$)/iu,
  /\b(?:te suscribiste a|estás suscrito a|você (?:se inscreveu|assinou)(?: n[oa]| em)?)\s+([^.!\n]{2,80}?)\s*(?:[.!]|$)/iu,
  /\b(?:this is an excerpt of|this is|you are reading)\s+the\s+([^.!\n]{2,80}?)\s*(?:[.!]|$)/iu,
  /\b[Ss]ubscribe to the\s+(\p{Lu}[^.!|\n]{1,80}?)\s*(?:[.!|]|$)/u,
  // "— The Andean Monitor team", "El equipo de Sin Filtro", "Equipe the news"
  /^[—–-]{1,2}\s*(?:the\s+)?(\p{Lu}[^.!\n]{1,60}?)\s+(?:team|staff|editors|desk)\.?$/u,
  /^[—–-]{0,2}\s*(?:el equipo de|la redacción de|a equipe d[oa]|equipe d[oa]|a redação d[oa])\s+([^.!\n]{2,60}?)\.?$/iu,
];

/** Words each of NAMING_PHRASES needs, in the same order: a cheap test before the phrase itself. */
const NAMING_CUES: readonly RegExp[] = [
  /subscribed|signed up/iu,
  /for reading/iu,
  /por le[ea]r/iu,
  /suscri|inscreveu|assinou/iu,
  /this is|you are reading/iu,
  /ubscribe to the/u,
  /team|staff|editors|desk/u,
  /equip|reda[cç]/iu,
];

/** The newsletter as its footer or sign-off names it. */
export function publicationFromFooter(lines: readonly string[]): string | null {
  // Footers are at the end; a sign-off can be anywhere in the second half, a masthead link at the top.
  // Each phrase is looked for line by line only where its key words occur at all: most emails hold one
  // or two of the eight, and a line-by-line pass of every phrase was a tenth of a parse.
  const whole = lines.join('\n');
  for (const [index, pattern] of NAMING_PHRASES.entries()) {
    const cue = NAMING_CUES[index]!;
    if (!cue.test(whole)) continue;
    for (let i = lines.length - 1; i >= 0; i--) {
      if (!cue.test(lines[i]!)) continue;
      const match = pattern.exec(lines[i]!.slice(0, 400));
      // "subscribed to the Daily News Brief" drops the article; "The Latin American Report" keeps it.
      const name = nameLike(match?.[1]?.replace(/^the\s+/u, ''), false);
      if (name && !/\bgroups?\b/iu.test(name) && TITLE_WORDS.test(name)) return displayCase(name);
    }
  }
  return null;
}

/** "© 2025 Morning Bid U.S.. All rights reserved.", "Copyright © 2026 AS/COA Online, All rights reserved." */
export function publicationFromCopyright(lines: readonly string[]): string | null {
  for (let i = lines.length - 1; i >= 0; i--) {
    const match = /^(?:copyright\s*)?(?:©|\(c\))\s*(?:\d{4}(?:\s*[-–]\s*\d{4})?,?\s*)?(.{2,120})$/iu.exec(
      lines[i]!.trim().slice(0, 200),
    );
    const name = nameLike(match?.[1]?.replace(/\s+(?:inc|llc|ltd|s\.?a)\.?$/iu, ''), false);
    if (name) return fromPhrase(name);
  }
  return null;
}

/** "Boz from Latin America Risk Report" → the publication; "The Andean Monitor via Substack" → before "via". */
function fromPhrase(name: string): string {
  const after = /^.{1,40}?\s+from\s+(?:the\s+)?(\p{Lu}.{2,})$/u.exec(name);
  if (after?.[1]) return after[1];
  return name.replace(/\s+via\s+.+$/iu, '');
}

/** A masthead: one of the first body lines, set as a name (ALL CAPS or with a publication word). */
export function publicationFromMasthead(lines: readonly string[], headline: string): string | null {
  const key = (text: string) =>
    text
      .toLowerCase()
      .replace(/[^\p{L}\p{N}]+/gu, ' ')
      .trim();
  const skip = key(headline);
  for (const line of lines.slice(0, 4)) {
    const text = line.trim();
    if (key(text) === skip || /[.!?:]$/u.test(text)) continue;
    const name = nameLike(text, false);
    if (!name) continue;
    const caps = name === name.toUpperCase() && /\p{Lu}{2}/u.test(name) && name.split(' ').length >= 2;
    if (caps || (PUBLICATION_WORDS.test(name) && TITLE_WORDS.test(name))) return displayCase(name);
  }
  return null;
}

/** "Daily News Brief: Obama Cancels Asia Trip" → "Daily News Brief". */
export function publicationFromSubject(subject: string, known: readonly string[]): string | null {
  const match = /^([^:]{2,60}):\s+\S/u.exec(subject);
  if (!match?.[1]) return null;
  const prefix = tidy(match[1]);
  const strict = nameLike(prefix, true);
  if (strict) return strict;
  // "Axios Latino: …" from the sender "Axios": a prefix that starts with a name the email already gave.
  const loose = nameLike(prefix, false);
  const lower = loose?.toLowerCase() ?? '';
  return loose && known.some((name) => name && lower.startsWith(name.toLowerCase())) ? loose : null;
}

/** The sender's display name, when it is a publication and not a person or a relay. */
export function publicationFromSender(
  senderName: string | null,
  senderAddress: string | null,
  text: string,
): string | null {
  const raw = tidy(senderName);
  if (!raw) return null;
  const name = nameLike(fromPhrase(raw), false);
  if (!name) return null;
  if (PUBLICATION_WORDS.test(name)) return name;
  // A person's name looks like any short name: believe it is the publication only when the address's
  // domain spells it ("Morning Brew" <crew@morningbrew.com>; a person's own name is often the mailbox
  // part, so that part does not count) or the email's text repeats it.
  const letters = (value: string) =>
    value
      .normalize('NFD')
      .replace(/\p{M}/gu, '')
      .toLowerCase()
      .replace(/[^a-z0-9]/g, '');
  const compact = letters(name);
  const domain = letters((senderAddress ?? '').split('@')[1] ?? '');
  if (compact.length >= 4 && domain.includes(compact)) return name;
  const first = letters(name.split(' ')[0] ?? '');
  if (first.length >= 4 && domain.startsWith(first)) return name;
  const mentioned = text.toLowerCase().split(name.toLowerCase()).length - 1;
  return mentioned >= 1 && !/^\p{Lu}\p{Ll}+ \p{Lu}\p{Ll}+$/u.test(name) ? name : mentioned >= 2 ? name : null;
}

/** The publication after the sign-off's last ellipsis or dash ("… Let me know ... Latin America Daily Briefing"). */
export function publicationFromSignOff(signOff: string | null): string | null {
  if (!signOff) return null;
  const tail = signOff.split(/\.{3}|…|\s[-–—]\s/).pop() ?? '';
  return nameLike(tail, true);
}

/** "From the Latin America Daily Briefing: http://…" in a forwarder's note. */
export function publicationFromNote(note: string | null): string | null {
  const match = /\bfrom the ([\p{Lu}][^:\n]{2,80}?)\s*[:(\n]/iu.exec(note ?? '');
  return nameLike(match?.[1], true);
}

export interface PublicationClues {
  /** The original sender (of the forwarded message when it is a forward). */
  senderName: string | null;
  senderAddress: string | null;
  /** The List-Id header's display name, of the original message only. */
  listName: string | null;
  subject: string;
  headline: string;
  /** Body lines after the forward is unwrapped, before chrome is removed (footers included). */
  lines: readonly string[];
  signOff: string | null;
  note: string | null;
}

export function pickPublication(clues: PublicationClues): string | null {
  const lines = clues.lines.map((line) => line.trim()).filter(Boolean);
  const text = lines.join('\n');
  const sender = publicationFromSender(clues.senderName, clues.senderAddress, text);
  const list = nameLike(clues.listName, false);
  // The newsletter's own name in its footer or sign-off first: the sender is often the outlet behind it.
  return (
    publicationFromFooter(lines) ??
    publicationFromSignOff(clues.signOff) ??
    publicationFromMasthead(lines, clues.headline) ??
    publicationFromSubject(clues.subject, [sender ?? '', list ?? '']) ??
    publicationFromCopyright(lines) ??
    sender ??
    list ??
    publicationFromNote(clues.note)
  );
}
