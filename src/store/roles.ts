/**
 * The store roles that several consumers need together, named once so a signature says what a module
 * reads and writes and a change to one role shows which modules it reaches. A module that needs one
 * role names it directly (src/store/types.ts).
 */
import type {
  BriefingStore,
  ClaimStore,
  DeliveryStore,
  DigestStore,
  ReplyStore,
  RevisionStore,
} from './types.js';

/** Briefings and where they were posted: every answer that links a story to its Slack post reads both. */
export type ArchiveReads = BriefingStore & DeliveryStore;

/** What a delivery reads and writes: its briefing, its record, and the re-keying a correction makes. */
export type DeliveryWork = BriefingStore & DeliveryStore & RevisionStore;

/** What a day's digest reads (briefings, their posts, discussion, earlier digests). */
export type DigestReads = ArchiveReads & ReplyStore & DigestStore;

/** What publishing the digest needs besides its reads: one digest per day across instances. */
export type DigestWork = DigestReads & ClaimStore;
