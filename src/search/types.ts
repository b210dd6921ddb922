/**
 * Archive search as the rest of the bot sees it: one async question, so the lowdb store (an in-memory
 * inverted index, story-index.ts) and a PostgreSQL store (its own full-text search) can each answer it their way.
 */
import type { DateRange } from '../store/types.js';

/** One story that matched: where it is, how well it matched, which index terms it matched on. */
export interface SearchHit {
  briefingId: string;
  date: string;
  sectionIndex: number;
  /** The item of a list section, or null for a whole prose section. */
  itemIndex: number | null;
  score: number;
  /**
   * The matched terms, folded as `foldTerm` folds them (lower case, no accents): the hit's line bolds
   * the words that fold to one of them.
   */
  terms: string[];
}

export interface SearchPage {
  /** All matches in the range. */
  total: number;
  /** The requested slice of them, best first. */
  hits: SearchHit[];
}

/** The store's search role: implemented beside the store's other methods by each backend. */
export interface SearchStore {
  /**
   * Stories matching every word of `query` within `range` (inclusive dates), ranked best first (newest
   * first among equals), the `limit` hits from `offset` on.
   */
  searchStories(query: string, range: DateRange, offset: number, limit: number): Promise<SearchPage>;
  /**
   * Starts getting ready to search (the lowdb store builds its index in the background, month by month,
   * without holding up start-up); idempotent. A search before it is done waits for it.
   */
  warmSearch(): void;
  /** Changes whenever what a search may find or show changes: a cache of answers is good while it stays. */
  searchGeneration(): number;
}
