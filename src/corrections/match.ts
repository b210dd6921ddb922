/**
 * Is an incoming email a re-send of a briefing already stored (pure)? A newsletter that re-sends an
 * issue — a corrected copy, an "Updated:" edition, the same issue under a new Message-ID — must not
 * start a second thread. A re-send is an email of the same publication (or, without one, the same
 * original sender) filed under the same date: word for word it is a duplicate; under the same
 * headline with most sections in common, or under a subject that says it corrects or updates with
 * any section in common, it is a revision. Anything else is a briefing of its own — taking a new
 * issue for a correction would hide it in an old thread, the worse mistake.
 */
import type { Briefing } from '../briefing/types.js';
import type { StoredBriefing } from '../store/types.js';
import { headline, overlap } from './diff.js';

export type Resend = { kind: 'identical'; id: string } | { kind: 'revision'; id: string } | null;

/** Half the sections in common: the same issue, edited (a different issue of a daily shares far less). */
const REVISION_OVERLAP = 0.5;
/** A subject that announces a correction: one section in common is enough to find what it corrects. */
const MARKED_REVISION_OVERLAP = 0.01;

/** "Correction:", "[Updated]", "corrected", "Corrección", "actualizado", "Correção", "atualizada", "errata". */
const CORRECTION_MARK =
  /\b(?:correct(?:ed|ion)|update[ds]?|revised|errata|correcci[oó]n|corregid[oa]|actualizad[oa]|corre[cç][aã]o|corrigid[oa]|atualizad[oa]|fe de erratas)\b/iu;

export function announcesCorrection(subject: string): boolean {
  return CORRECTION_MARK.test(subject);
}

/** Who published it: the publication's name, else the original sender's address; null when unknown. */
export function sourceOf(briefing: Briefing): string | null {
  const publication = briefing.publication?.normalize('NFKC').trim().toLowerCase();
  if (publication) return `publication:${publication}`;
  const address = briefing.from?.match(/[^\s<>"]+@[^\s<>"]+/)?.[0]?.toLowerCase();
  return address ? `from:${address}` : null;
}

const textOf = (briefing: Briefing): string =>
  [briefing.title, ...briefing.sections.flatMap((s) => [s.title, ...s.items.map((i) => i.text)])]
    .join('\n')
    .normalize('NFKC')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();

/**
 * `candidates`: the briefings stored under the incoming one's date in its channel. The most recently
 * received match wins (a second correction revises the first).
 */
export function classifyResend(incoming: Briefing, candidates: readonly StoredBriefing[]): Resend {
  const source = sourceOf(incoming);
  if (source === null || incoming.sections.length === 0) return null;
  const marked = announcesCorrection(incoming.subject);
  const sameSource = candidates
    .filter((candidate) => sourceOf(candidate.briefing) === source)
    .sort((a, b) => (a.receivedAt < b.receivedAt ? 1 : a.receivedAt > b.receivedAt ? -1 : 0));
  if (sameSource.length === 0) return null;
  // Only now: normalising the whole text costs as much as it is long (4.5 MB for a hostile email).
  const text = textOf(incoming);
  for (const candidate of sameSource) {
    // Any version: an editor forwarding the first copy after the correction must not undo it.
    const versions = candidate.versions?.map((version) => version.briefing) ?? [candidate.briefing];
    if (versions.some((version) => textOf(version) === text)) return { kind: 'identical', id: candidate.id };
  }
  for (const candidate of sameSource) {
    const sameHeadline = headline(candidate.briefing.title) === headline(incoming.title);
    const needed = marked ? MARKED_REVISION_OVERLAP : sameHeadline ? REVISION_OVERLAP : null;
    if (needed !== null && overlap(candidate.briefing, incoming) >= needed) {
      return { kind: 'revision', id: candidate.id };
    }
  }
  return null;
}
