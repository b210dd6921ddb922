/**
 * The structured briefing: the one value every other part of the bot reads.
 * The JSON shape of `Briefing` is the public contract of `briefing-bot parse` — keep it stable.
 */

export type SectionKind = 'lead' | 'section' | 'list' | 'article';

export interface Link {
  url: string;
  text: string;
}

export interface Item {
  text: string;
  /** ISO 3166-1 alpha-2 codes the paragraph is about (read as a story of its own), most salient first. */
  countries: string[];
  /**
   * Codes it only mentions (a comparison, an example, a passing reference), in order of first mention.
   * The parser always sets it; briefings stored before it existed lack it.
   */
  mentions?: string[];
  /** Outlets the item cites ("Reuters", "CNN", "La República"). */
  sources: string[];
  links: Link[];
}

export interface Section {
  title: string;
  kind: SectionKind;
  /** The grouping heading above this section ("News Briefs"), when the heading only groups others. */
  group: string | null;
  /** ISO 3166-1 alpha-2 codes the section is about (its subjects), most salient first. */
  countries: string[];
  /**
   * Codes it only mentions: comparisons, examples, countries named once in passing; never in `countries`.
   * The parser always sets it; briefings stored before it existed lack it.
   */
  mentions?: string[];
  items: Item[];
}

export interface Briefing {
  /** The innermost original subject, forward prefixes removed. */
  subject: string;
  /** The headline: the subject without its date parenthesis. */
  title: string;
  publication: string | null;
  /** ISO YYYY-MM-DD. */
  date: string | null;
  /** The original sender ("Name <address>" or the address). */
  from: string | null;
  /** What the forwarder wrote above the forward, if anything. */
  note: string | null;
  sections: Section[];
}

/** One email as the parser sees it, whatever the delivery form (raw MIME, provider fields, a paste). */
export interface EmailParts {
  subject: string | null;
  /** The outer From (the forwarder when the email is a forward). */
  from: string | null;
  /** The outer Date header, as an ISO timestamp. */
  date: string | null;
  messageId: string | null;
  /** The display name of the List-Id header ("AS/COA Online" of `AS/COA Online <…list-id…>`), if any. */
  listName?: string | null;
  text: string | null;
  html: string | null;
}

/** The parser's full result: the briefing plus envelope facts the bot needs but `parse` does not print. */
export interface ParsedEmail {
  briefing: Briefing;
  /**
   * Message-ID of the briefing itself: of the message when it is not a forward, of the attached original
   * for a forward-as-attachment; null for an inline forward, whose headers quote no Message-ID.
   */
  messageId: string | null;
  /** The outer sender's address (who forwarded it), lower-cased. */
  forwardedBy: string | null;
  /** Display form of the forwarder ("Molly Molloy"), for the card. */
  forwardedByName: string | null;
}
