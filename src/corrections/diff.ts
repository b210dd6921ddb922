/**
 * What changed between two versions of one briefing, section by section (pure). Sections are matched
 * in order by title, or by their words when a title was reworded; a matched section is "changed" when
 * its words, links or countries differ.
 */
import type { Briefing, Section } from '../briefing/types.js';

export interface SectionChange {
  oldIndex: number;
  newIndex: number;
  changed: boolean;
}

export interface BriefingDiff {
  /** Sections found in both versions (unchanged ones too), in the new version's order. */
  kept: SectionChange[];
  /** New-version sections with no counterpart in the old one. */
  added: number[];
  /** Old-version sections with no counterpart in the new one. */
  removed: number[];
}

/** Two sections whose words overlap this much (Jaccard over word sets) are one section reworded. */
const SAME_SECTION_SIMILARITY = 0.4;

const normalise = (text: string): string => text.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();

/** "CORRECTED: …", "[Updated] …": the mark a corrected copy puts on its headline is not a change. */
const CORRECTION_PREFIX =
  /^(?:[[(]?\s*(?:correct(?:ed|ion)|updated?|revised|correcci[oó]n|corregid[oa]|actualizad[oa]|corre[cç][aã]o|corrigid[oa]|atualizad[oa])\s*[\])]?\s*[:\-–—|]?\s*)+/iu;

const heading = (title: string): string => normalise(title).replace(CORRECTION_PREFIX, '');

/** A briefing's or section's title as compared across copies: normalised, correction mark removed. */
export const headline = heading;

/**
 * A section is recognised by the words of its first WORDS_CHARS characters: real sections are far
 * shorter, and a hostile one (a 4.5 MB paragraph of links) then costs no more to match than a real one —
 * unbounded, comparing it with a later copy held the bot's event loop for ~200 ms (bench, hostile emails).
 */
export const WORDS_CHARS = 20_000;

function words(section: Section): Set<string> {
  let text = heading(section.title);
  for (const item of section.items) {
    if (text.length >= WORDS_CHARS) break;
    text += ` ${item.text.slice(0, WORDS_CHARS - text.length)}`;
  }
  return new Set(normalise(text.slice(0, WORDS_CHARS)).match(/[\p{L}\p{N}]+/gu) ?? []);
}

export function similarity(a: Set<string>, b: Set<string>): number {
  if (a.size === 0 && b.size === 0) return 1;
  let shared = 0;
  for (const word of a) if (b.has(word)) shared++;
  return shared / (a.size + b.size - shared);
}

/** Everything a reader sees of a section: a difference here is a change worth marking. */
function fingerprint(section: Section): string {
  return JSON.stringify([
    heading(section.title),
    normalise(section.group ?? ''),
    section.kind,
    [...section.countries].sort(),
    section.items.map((item) => [normalise(item.text), item.links.map((link) => link.url)]),
  ]);
}

/** Which old section each new one is (new index → old index), and every section's words. */
function matchSections(
  before: Briefing,
  after: Briefing,
): { pairs: Map<number, number>; taken: Set<number>; oldWords: Set<string>[]; newWords: Set<string>[] } {
  const oldWords = before.sections.map(words);
  const newWords = after.sections.map(words);
  const oldTitles = before.sections.map((section) => heading(section.title));
  const taken = new Set<number>();
  const pairs = new Map<number, number>();

  // Same title first (the usual correction fixes a paragraph, not its heading), then the best reworded
  // match among what is left.
  after.sections.forEach((section, newIndex) => {
    const title = heading(section.title);
    if (!title) return;
    const oldIndex = oldTitles.findIndex((other, index) => other === title && !taken.has(index));
    if (oldIndex >= 0) {
      pairs.set(newIndex, oldIndex);
      taken.add(oldIndex);
    }
  });
  after.sections.forEach((_, newIndex) => {
    if (pairs.has(newIndex)) return;
    let best = -1;
    let bestScore = SAME_SECTION_SIMILARITY;
    oldWords.forEach((old, oldIndex) => {
      if (taken.has(oldIndex)) return;
      const score = similarity(old, newWords[newIndex]!);
      if (score >= bestScore) {
        best = oldIndex;
        bestScore = score;
      }
    });
    if (best >= 0) {
      pairs.set(newIndex, best);
      taken.add(best);
    }
  });
  return { pairs, taken, oldWords, newWords };
}

export function diffBriefings(before: Briefing, after: Briefing): BriefingDiff {
  const { pairs, taken } = matchSections(before, after);
  const kept: SectionChange[] = [];
  const added: number[] = [];
  after.sections.forEach((section, newIndex) => {
    const oldIndex = pairs.get(newIndex);
    if (oldIndex === undefined) added.push(newIndex);
    else
      kept.push({
        oldIndex,
        newIndex,
        changed: fingerprint(before.sections[oldIndex]!) !== fingerprint(section),
      });
  });
  const removed = before.sections.map((_, index) => index).filter((index) => !taken.has(index));
  return { kept, added, removed };
}

/** True when nothing a reader sees differs. */
export function isUnchanged(diff: BriefingDiff): boolean {
  return diff.added.length === 0 && diff.removed.length === 0 && diff.kept.every((change) => !change.changed);
}

/**
 * Matched sections whose words are at least this alike count towards `overlap`: two issues of a daily
 * share their fixed headings ("Markets", "Top Story"), not their words.
 */
const SAME_STORY_SIMILARITY = 0.3;

/** How alike two versions are: the share of sections of the larger one with a counterpart in words. */
export function overlap(before: Briefing, after: Briefing): number {
  const size = Math.max(before.sections.length, after.sections.length);
  if (size === 0) return 0;
  // The matching alone: whether a matched section changed (its fingerprint) does not count here.
  const { pairs, oldWords, newWords } = matchSections(before, after);
  let alike = 0;
  for (const [newIndex, oldIndex] of pairs) {
    if (similarity(oldWords[oldIndex]!, newWords[newIndex]!) >= SAME_STORY_SIMILARITY) alike++;
  }
  return alike / size;
}
