/**
 * Lines that are not the briefing: web-view furniture, list footers, sign-offs. Kept as data so a new
 * newsletter's footer is a one-line addition. Every pattern is anchored and free of nested quantifiers,
 * and is only tried on lines shorter than MAX_CHROME_LINE (see chrome.ts).
 */

/** Google Groups web view ("1 view", "Skip to first unread message", …), copied along with a paste. */
export const WEB_VIEW_LINES: readonly RegExp[] = [
  /^\d+ views?$/i,
  /^skip to first unread message$/i,
  /^reply all$/i,
  /^reply to author$/i,
  /^forward$/i,
  /^\d+ new messages?$/i,
  /^(?:unread|unread message)$/i,
];

/**
 * The post date of the Google Groups web view, glued to its short form:
 * "Oct 7, 2021, 1:20:13 PMOct 7". The line before it is the poster's name.
 */
export const WEB_VIEW_DATE =
  /^[A-Z][a-z]{2,8}\.? \d{1,2}, \d{4}, \d{1,2}:\d{2}(?::\d{2})?\s?[AP]M(?:\s?[A-Z][a-z]{2,8}\.? \d{1,2})?$/;

/** One footer line of a mailing list or newsletter platform. */
export const FOOTER_LINES: readonly RegExp[] = [
  /^(?:view|read|open)(?: this)?(?: (?:email|e-mail|message|newsletter|issue))?(?: (?:in|on))(?: (?:your|a|the))?(?: web)? browser\b/i,
  /^(?:having trouble|can't|cannot) (?:view|read)ing this (?:email|e-mail|message)/i,
  /\bunsubscribe\b/i,
  /^(?:update|manage) (?:your )?(?:email |subscription |mailing )?(?:preferences|subscriptions?)\b/i,
  /^(?:you are|you're|you were) receiving this (?:email|e-mail|message|newsletter)\b/i,
  /^forward (?:this email )?to a friend\b/i,
  /^our mailing address is:?$/i,
  /^(?:sent from my (?:iphone|ipad|android|mobile)|get outlook for (?:ios|android))\b/i,
  /^(?:enviado desde mi|enviado do meu) /i,
  /^want to change how you receive these emails\b/i,
  /^(?:this|the) (?:email|e-mail|message) was sent to\b/i,
  /^why (?:did|do) i (?:get|receive) this\b/i,
  /^(?:copyright\s*)?©\s*(?:\d{4}\s*)?[^.]{0,120}all rights reserved\.?$/i,
];

/** First line of the Google Groups footer; the lines that may follow it are FOOTER_TAIL_LINES. */
export const GROUP_FOOTER_START =
  /^you received this (?:message|topic) because you are subscribed to the google groups?\b/i;

export const FOOTER_TAIL_LINES: readonly RegExp[] = [
  /^to unsubscribe from this group/i,
  /^to (?:post to|view this discussion|view this (?:message|topic)|stop receiving)/i,
  /^for more options,? visit/i,
  /^visit this group at/i,
  /^https?:\/\/\S+$/i,
  /^\S+@googlegroups\.com\.?$/i,
];

/** The signature separator ("-- ") and other rules that only mean "footer follows". */
export const SIGNATURE_SEPARATOR = /^--\s*$/;

/** Lines made only of separator characters (Outlook's underscores, dashes, equals signs). */
export const RULE_LINE = /^[_=~*-]{5,}$/;

/**
 * The briefing's sign-off, after which only the publication's name follows on the same line
 * ("Did I miss something, get something wrong, or do you have a different take? Let me know ... LADB").
 */
export const SIGN_OFF_LINES: readonly RegExp[] = [
  /^did i miss something\b/i,
  /^(?:thanks|thank you) for reading\b/i,
];

/**
 * A video teaser pasted with an article: a short line ending in a clip duration ("… policy 01:26").
 */
export const VIDEO_CAPTION = /\s\d{1,2}:[0-5]\d$/;
