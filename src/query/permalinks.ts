/**
 * Where a section lives in Slack. A section posted in parts has keys `s3.1`, `s3.2`…; the first part is
 * where a reader should land. Before a section is posted (delivery pending or failed) there is no link.
 */
import type { PostRecord } from '../store/types.js';

export function sectionPermalink(posts: readonly PostRecord[], sectionIndex: number): string | null {
  const whole =
    posts.find((post) => post.key === `s${sectionIndex}`) ??
    posts.find((post) => post.key === `s${sectionIndex}.1`);
  return whole?.permalink ?? posts.find((post) => post.sectionIndex === sectionIndex)?.permalink ?? null;
}

export function cardPermalink(posts: readonly PostRecord[]): string | null {
  return posts.find((post) => post.key === 'card')?.permalink ?? null;
}
