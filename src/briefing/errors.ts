/**
 * The parser's one documented failure: the input holds no briefing text at all (empty, unreadable, or
 * larger than any mail server would deliver). Every other oddity degrades into a best-effort briefing.
 */
export class BriefingParseError extends Error {
  override readonly name = 'BriefingParseError';
}
