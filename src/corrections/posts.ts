/**
 * A revision's bookkeeping on a delivery's post records (pure): the posts follow the sections of the
 * version they were made for, so a corrected copy with sections added, dropped or moved renumbers
 * them — a kept section's posts take its new number, a dropped section's posts are set aside under
 * `gone{version}:…` (still the briefing's, so thread replies to them are still counted) — and the
 * edits to make in Slack are planned from the same diff.
 */
import type { PostRecord } from '../store/types.js';
import type { BriefingDiff } from './diff.js';

/** `s3` → 3, `s3.2` → 3; null for any other key (card, follow-on posts, notes, set-aside posts). */
function sectionOfKey(key: string): { section: number; rest: string } | null {
  const match = /^s(\d+)(\.\d+)?$/.exec(key);
  return match ? { section: Number(match[1]), rest: match[2] ?? '' } : null;
}

/** A set-aside post: `key` of version `base` (the version its key followed when set aside). */
export const goneKey = (base: number, key: string): string => `gone${base}:${key}`;
export const noteKey = (revision: number): string => `note:r${revision}`;

/** `diff` from version `base` (the one the keys follow) to the current one. */
export function rekeyPosts(posts: readonly PostRecord[], diff: BriefingDiff, base: number): PostRecord[] {
  const moved = new Map(diff.kept.map((change) => [change.oldIndex, change.newIndex]));
  return posts.map((post) => {
    const parsed = sectionOfKey(post.key);
    if (!parsed) return { ...post };
    const newIndex = moved.get(parsed.section);
    if (newIndex === undefined) return { ...post, key: goneKey(base, post.key), sectionIndex: null };
    return { ...post, key: `s${newIndex}${parsed.rest}`, sectionIndex: newIndex };
  });
}

/** Which version, section and part a set-aside post showed; null for any other key. */
export function goneOf(key: string): { base: number; section: number; part: number } | null {
  const match = /^gone(\d+):(.*)$/.exec(key);
  if (!match) return null;
  const parsed = sectionOfKey(match[2]!);
  if (!parsed) return null;
  return {
    base: Number(match[1]),
    section: parsed.section,
    part: parsed.rest ? Number(parsed.rest.slice(1)) : 0,
  };
}

/** `s3.2` → part 2 of section 3. */
export function partOf(key: string): { section: number; part: number } | null {
  const parsed = sectionOfKey(key);
  return parsed ? { section: parsed.section, part: parsed.rest ? Number(parsed.rest.slice(1)) : 0 } : null;
}
