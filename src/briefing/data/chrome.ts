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

/**
 * Lines that only ever mean "the footer starts here": unsubscribe and preference links, the reason you
 * got the email, copyright. The footer is cut from the first of them in the second half of the body.
 */
export const FOOTER_START_LINES: readonly RegExp[] = [
  /\bunsubscribe\b/i,
  /\b(?:update|manage|change) (?:your )?(?:email |newsletter |subscription |mailing )?(?:preferences|subscriptions?|settings)\b/i,
  /^(?:you are|you're|you were) receiving this\b/i,
  /^you received this (?:email|e-mail|message|newsletter)\b/i,
  /\ball rights reserved\b/i,
  /\btodos los derechos reservados\b/i,
  /^©\s*\d{4}\b/,
  /^copyright\b/i,
  /\b(?:was this|this) (?:email|newsletter|e-mail) forwarded to you\b/i,
  /\bpowered by (?:beehiiv|substack|mailchimp|convertkit|ghost)\b/i,
  /\b(?:darse de baja|dar de baja|cancelar (?:a )?(?:sua )?inscrição|descadastr)/i,
  /^recibes este (?:correo|email|boletín)\b/i,
  /^(?:você está recebendo|voce esta recebendo) este\b/i,
];

/** Short lines that belong to a footer when they stand just above its first line. */
export const FOOTER_SOFT_LINES: readonly RegExp[] = [
  /\b(?:subscribe|sign up|signup|get the app|start writing|advertise|privacy|podcast|follow us|share this|forward)\b/i,
  /\b(?:thanks for reading|our mailing address|quer anunciar|inscreva-se|suscríbete|síguenos)\b/i,
  /^[\p{Lu}\s]{3,}(?:\s*(?:\/\/|\||·)\s*[\p{Lu}\s]{2,})+$/u,
];

/** The web-view link line at the top, with whatever shares it (a date, "Sign Up | Shop"). */
export const WEB_VIEW_LINK =
  /\b(?:view (?:this email |it )?(?:online|in (?:your |a )?browser)|read online|ver (?:en el|no) navegador|ver online|abrir no navegador)\b/i;

/** Separator lines: "***", "———", "….", "• • •". */
export const SEPARATOR_LINE = /^(?:[*_=~·•.…—–-]\s?){3,}$|^…\.?$/u;

/** A sponsor's label: the block it opens is an advertisement, not news. */
export const SPONSOR_LABEL =
  /^(?:sponsored(?: by)?|presented by|brought to you by|together with|in partnership with|partner content|advertisement|advertising|ad|publicidade|publicidad|patrocinado(?: por)?|conteúdo patrocinado|a message from)\b.{0,60}$/i;
