import { oneLine } from '../text/whitespace.js';
import { SUBJECT_PREFIX } from './data/forward.js';

/** Subjects longer than this are truncated before any pattern sees them. */
export const MAX_SUBJECT = 1000;

export function cleanSubject(subject: string | null | undefined): string {
  return oneLine(subject ?? '').slice(0, MAX_SUBJECT);
}

/** "Fwd: FW: RV: Headline" → "Headline". */
export function stripSubjectPrefixes(subject: string): string {
  return cleanSubject(subject).replace(SUBJECT_PREFIX, '').trim();
}
