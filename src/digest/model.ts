/**
 * What a daily digest says, before it is rendered: collected from the store by `collectDigest`,
 * turned into Block Kit by `renderDigest` and into plain text by `digestAsText`.
 * Everything here is the bot's data or email text still unescaped; renderers escape.
 */

export interface DigestSectionLine {
  /** 1-based, as the section posts number them. */
  number: number;
  title: string;
  /** One sentence saying what the section is about. */
  summary: string;
  /** Permalink of the section's (first) post, when known. */
  link: string | null;
}

export interface DigestBriefing {
  title: string;
  publication: string | null;
  /** Permalink of the briefing card. */
  link: string | null;
  /**
   * The date the briefing is filed under when it is not the digest's: a briefing dated an earlier day
   * that was received (forwarded late, or after its own day's digest) within the digest's window. Null
   * for the day's own briefings.
   */
  datedOn: string | null;
  /** ISO instant the bot received it (shown for a late one: the window can start the day before). */
  receivedAt: string;
  sections: DigestSectionLine[];
}

export interface DigestCountry {
  code: string;
  name: string;
  flag: string;
  /** Stories about it today (list items, or whole prose sections). */
  stories: number;
  /** True when no story in the 7 days before the digest's date was about it. */
  newThisWeek: boolean;
}

export interface DigestThread {
  briefingTitle: string;
  /** The section whose thread it is (THREAD_LAYOUT=sections), else null for the briefing's thread. */
  sectionTitle: string | null;
  /** The briefing's date when it is not the digest's (an older briefing still being discussed), else null. */
  datedOn: string | null;
  /** Replies posted within the digest's window (Slack ts), and the distinct people who posted them. */
  replies: number;
  participants: number;
  link: string | null;
}

export interface DigestModel {
  /** YYYY-MM-DD in the newsroom's zone. */
  date: string;
  /**
   * The newsroom's date when the digest was built: a digest asked for another day (`digest yesterday`,
   * a past date) names its day instead of saying "today".
   */
  today: string;
  timeZone: string;
  /**
   * The ISO instants `[from, to)` whose receipts and replies the digest covers: from the end of the
   * previous digest's window (its postedAt; local midnight when there was none) to when this one was
   * built, at most the end of `date` (see digestWindow in collect.ts).
   */
  window: { from: string; to: string };
  /**
   * The briefings filed under the date (oldest received first), then those dated an earlier day but
   * received within `window`, each once.
   */
  briefings: DigestBriefing[];
  /** Most stories first. */
  countries: DigestCountry[];
  /** Most discussed first; threads without replies are left out. */
  threads: DigestThread[];
  /**
   * ISO instant the newest of the digest's own briefings was received; for an empty digest, the newest
   * receipt before the window's end (null when there is none), so a past day's digest never reports a
   * briefing that arrived after that day.
   */
  lastReceivedAt: string | null;
  /** True when the store holds no briefing at all ("No briefing has been received yet"). */
  archiveEmpty: boolean;
}

export function isEmptyDigest(model: DigestModel): boolean {
  return model.briefings.length === 0;
}
