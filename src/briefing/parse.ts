import { cleanNullable, cleanText } from '../text/clean.js';
import { oneLine } from '../text/whitespace.js';
import { stripChrome } from './chrome.js';
import { SEPARATOR_LINES } from './data/forward.js';
import { dayFromIso, dayFromText, splitSubjectDate } from './dates.js';
import { BriefingParseError } from './errors.js';
import { htmlToLines } from './html.js';
import { cleanBriefing } from './invisible.js';
import { isBlank, type Line, linesToText, textToLines } from './lines.js';
import {
  confirmLink,
  isConfirmationSubject,
  NotABriefing,
  SubscriptionConfirmation,
  unreadable,
  wordless,
} from './not-briefing.js';
import { pickPublication } from './publication.js';
import { joinParagraphLines } from './repair.js';
import { buildSections } from './structure.js';
import { cleanSubject, stripSubjectPrefixes } from './subject.js';
import { tagSection } from './tagging.js';
import type { Briefing, EmailParts, Item, ParsedEmail, Section } from './types.js';
import { formatMailbox, splitMailbox, unwrapOnce } from './unwrap.js';

/** Forwards of forwards are unwrapped this deep; more is a loop or an attack, not a newsroom. */
const MAX_FORWARD_DEPTH = 8;
/** Header values are short; longer ones are cut before patterns see them. */
const MAX_ADDRESS = 500;

/** What the envelope of the original (innermost) message says, as far as it is known. */
export interface Original {
  subject: string | null;
  from: string | null;
  fromName: string | null;
  /** Raw, localised date text of the innermost forward header. */
  date: string | null;
  messageId: string | null;
  /** Text of the outer message around an attached original: the forwarder's note. */
  note: string | null;
}

function normaliseKey(text: string): string {
  return oneLine(text);
}

/** Where the unwrapped body starts among the lines: the first body line, searched after the note. */
function bodyStart(lines: readonly Line[], body: string, noteLines: number): number | null {
  const first = body.split('\n').find((line) => line.trim() !== '');
  if (first === undefined) return lines.length;
  const key = normaliseKey(first);
  for (let index = noteLines; index < lines.length; index++) {
    if (normaliseKey(lines[index]?.text ?? '') === key) return index;
  }
  return null;
}

interface Unwrapped {
  lines: Line[];
  /** Whether at least one forward was peeled off (the outer sender is then not the original's). */
  forwarded: boolean;
  note: string | null;
  original: Omit<Original, 'messageId' | 'note'>;
}

/** Peels forwards off the lines until none is left, keeping the outermost note and innermost header. */
function unwrapLines(input: Line[], subject: string): Unwrapped {
  let lines = input;
  let note: string | null = null;
  const original: Omit<Original, 'messageId' | 'note'> = {
    subject: null,
    from: null,
    fromName: null,
    date: null,
  };
  let currentSubject = subject;
  let forwarded = false;
  for (let depth = 0; depth < MAX_FORWARD_DEPTH; depth++) {
    const result = unwrapOnce(linesToText(lines), currentSubject);
    if (!result.forwarded) break;
    forwarded = true;
    if (note === null && result.note) note = cleanNote(result.note);
    const start = bodyStart(lines, result.body, result.note ? result.note.split('\n').length : 0);
    lines = start === null ? textToLines(result.body) : lines.slice(start);
    original.subject = result.subject ?? original.subject;
    original.from = result.from ?? original.from;
    original.fromName = result.fromName ?? (result.from ? null : original.fromName);
    original.date = result.date ?? original.date;
    if (result.subject) currentSubject = result.subject;
  }
  return { lines, forwarded, note, original };
}

/**
 * A forwarder's note without web-view or footer chrome, and without a forward separator the library
 * left in it (it knows Outlook's header block in Spanish, but not "-----Mensaje original-----" as the
 * line above it); null when nothing is left.
 */
function cleanNote(text: string): string | null {
  const lines = stripChrome(textToLines(text))
    .lines.map((line) => line.text.trim())
    .filter((line) => !SEPARATOR_LINES.some((pattern) => pattern.test(line)));
  return lines.filter(Boolean).join('\n').trim() || null;
}

function bodyLines(parts: EmailParts): Line[] {
  const fromHtml = parts.html ? htmlToLines(parts.html) : [];
  if (fromHtml.some((line) => !isBlank(line))) return fromHtml;
  return parts.text ? textToLines(parts.text) : [];
}

/**
 * What one briefing keeps at most. A real briefing is far inside every bound (the 41 newsletters of the
 * corpus have at most 5 sections, 10 items and 4 links each); an email past them is cut there, because everything kept is stored,
 * indexed, and rewritten with its month on every post recorded. Posting is bounded further (planPosts).
 */
export const MAX_SECTIONS = 1_000;
export const MAX_ITEMS = 5_000;
export const MAX_TEXT_CHARS = 1_000_000;
export const MAX_LINKS = 10_000;

/** The sections up to the bounds: whole sections and items, the last item's links cut to what is left. */
function bounded(sections: readonly Section[]): Section[] {
  const kept: Section[] = [];
  let items = 0;
  let chars = 0;
  let links = 0;
  for (const section of sections.slice(0, MAX_SECTIONS)) {
    const keptItems: Item[] = [];
    for (const item of section.items) {
      if (items >= MAX_ITEMS || chars >= MAX_TEXT_CHARS) break;
      const room = MAX_LINKS - links;
      keptItems.push(item.links.length > room ? { ...item, links: item.links.slice(0, room) } : item);
      items++;
      chars += item.text.length;
      links += Math.min(item.links.length, room);
    }
    if (keptItems.length === 0 && section.items.length > 0) break;
    kept.push(keptItems.length === section.items.length ? section : { ...section, items: keptItems });
  }
  return kept;
}

/**
 * Parsed email fields → briefing. Pure and synchronous; throws only BriefingParseError (no text).
 * `inner` carries what a forward-as-attachment already told us about the original.
 */
export function parsePartsWith(parts: EmailParts, inner: Partial<Original> = {}): ParsedEmail {
  for (const body of [parts.text, parts.html]) {
    const why = body ? unreadable(body) : null;
    if (why) throw new NotABriefing(why);
  }
  const lines = bodyLines(parts);
  if (!lines.some((line) => !isBlank(line))) throw new BriefingParseError('The email has no text.');
  const noWords = wordless(linesToText(lines));
  if (noWords) throw new NotABriefing(noWords);
  const outerSubject = cleanSubject(parts.subject);
  const unwrapped = unwrapLines(lines, inner.subject ?? outerSubject);
  if (unwrapped.note === null && inner.note) unwrapped.note = cleanNote(inner.note);
  const cleaned = stripChrome(unwrapped.lines);
  const joined = joinParagraphLines(cleaned.lines);

  const subject = stripSubjectPrefixes(unwrapped.original.subject ?? inner.subject ?? outerSubject);
  if (isConfirmationSubject(subject)) {
    const sender =
      unwrapped.original.fromName ?? unwrapped.original.from ?? inner.fromName ?? inner.from ?? null;
    throw new SubscriptionConfirmation(
      subject,
      sender ? cleanText(sender) : cleanNullable(parts.from),
      confirmLink(lines.flatMap((line) => line.links)),
    );
  }
  const { headline, date: subjectDate } = splitSubjectDate(subject);
  const outer = splitMailbox(cleanSubject(parts.from).slice(0, MAX_ADDRESS));
  const originalFrom = unwrapped.original.from ?? inner.from ?? null;
  const originalName =
    unwrapped.original.fromName ??
    (unwrapped.original.from ? null : inner.fromName) ??
    (originalFrom ? null : outer.name);
  const original = originalFrom ? splitMailbox(originalFrom.slice(0, MAX_ADDRESS)) : null;
  const publication = pickPublication({
    // A forward whose header names no sender leaves only the forwarder's name: not the publication's.
    senderName: unwrapped.forwarded && !originalFrom ? null : originalName,
    senderAddress: original ? original.address : originalName === outer.name ? outer.address : null,
    // A List-Id describes the message it is on: the original's only when nothing was forwarded.
    listName: unwrapped.forwarded || inner.subject !== undefined ? null : (parts.listName ?? null),
    subject,
    headline,
    lines: unwrapped.lines.map((line) => line.text),
    signOff: cleaned.signOff,
    note: unwrapped.note,
  });
  const structure = buildSections({ lines: joined, headline, publication });
  if (structure.sections.length === 0) throw new BriefingParseError('The email has no briefing text.');

  const briefing: Briefing = {
    subject,
    title: headline,
    publication,
    date:
      subjectDate ??
      dayFromText(unwrapped.original.date ?? inner.date) ??
      structure.bodyDate ??
      dayFromIso(parts.date),
    // A forward whose header block names no sender ("Subject:" and "To:" only, as in the seed) leaves
    // the original's sender unknown: the outer From is the forwarder, not the briefing's author.
    from:
      originalFrom ??
      (unwrapped.forwarded || inner.subject !== undefined ? null : formatMailbox(outer.name, outer.address)),
    note: unwrapped.note,
    sections: bounded(structure.sections.slice(0, MAX_SECTIONS).map(tagSection)),
  };
  return {
    briefing: cleanBriefing(briefing),
    // An inline forward's own Message-ID names the forward, not the briefing: two editors forwarding the same
    // issue would get two ids. Then the id is unknown and the bot's exactly-once key falls back to the text.
    messageId: unwrapped.forwarded ? null : (inner.messageId ?? parts.messageId ?? null),
    forwardedBy: outer.address?.toLowerCase() ?? null,
    forwardedByName: cleanNullable(outer.name),
  };
}
