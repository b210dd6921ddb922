/** Sender names that are a publication, not a person ("Latin America Daily Briefing"). */
const PUBLICATION_WORDS =
  /\b(?:briefing|daily|newsletter|digest|report|weekly|bulletin|news|review|update|dispatch)\b/i;
/** A publication name is a handful of words. */
const MAX_PUBLICATION_CHARS = 80;
const TITLE_WORDS = /^\p{Lu}[\p{L}'’.&-]*(?:\s+(?:of|de|del|da|do|the|and|&|\p{Lu}[\p{L}'’.&-]*)){0,8}$/u;

function publicationLike(text: string | null | undefined): string | null {
  const name = (text ?? '')
    .slice(0, MAX_PUBLICATION_CHARS * 2)
    .replace(/^["'\s]+|["'\s]+$/g, '')
    .trim();
  if (!name || name.length > MAX_PUBLICATION_CHARS) return null;
  return PUBLICATION_WORDS.test(name) && TITLE_WORDS.test(name) ? name : null;
}

/** The publication after the sign-off's last ellipsis or dash ("… Let me know ... Latin America Daily Briefing"). */
export function publicationFromSignOff(signOff: string | null): string | null {
  if (!signOff) return null;
  const tail = signOff.split(/\.{3}|…|\s[-–—]\s/).pop() ?? '';
  return publicationLike(tail);
}

/** "From the Latin America Daily Briefing: http://…" in a forwarder's note. */
export function publicationFromNote(note: string | null): string | null {
  const match = /\bfrom the ([\p{Lu}][^:\n]{2,80}?)\s*[:(\n]/iu.exec(note ?? '');
  return publicationLike(match?.[1]);
}

export function pickPublication(
  senderName: string | null,
  signOff: string | null,
  note: string | null,
): string | null {
  return publicationLike(senderName) ?? publicationFromSignOff(signOff) ?? publicationFromNote(note);
}
