/**
 * Briefing → the ordered list of Slack posts that deliver it. Pure: the same stored briefing always
 * plans the same posts with the same keys, which is what lets an interrupted delivery resume.
 */
import type { Section } from '../../briefing/types.js';
import { type Block, context, header, MAX_BLOCKS, MAX_SECTION_TEXT, type SlackMessage } from './blocks.js';
import { type CardInput, renderCard } from './card.js';
import type { PreviousStories } from './previously.js';
import type { RichInline, RichTextBlock } from './rich.js';
import { foldedRuns, packRuns, renderSectionBounded, sectionTitle } from './section.js';

export type { Block, SlackMessage } from './blocks.js';
export { type CardInput, formatBriefingDate, renderCard } from './card.js';
export { type PreviousStories, type PreviousStory, previouslyBlock, previouslyLine } from './previously.js';
export { renderSectionPosts, sectionTitle } from './section.js';

export interface PlannedPost {
  /**
   * Matches PostRecord.key: 'card', `s${i}` for a section's first post, `s${i}.${part}` for the rest,
   * `fold${part}` for the posts of the sections folded past MAX_POSTED_SECTIONS.
   */
  key: string;
  sectionIndex: number | null;
  /** 0 for the card and a section's first post; 1, 2… for its continuations. */
  part: number;
  message: SlackMessage;
}

export function postKey(sectionIndex: number, part: number): string {
  return part === 0 ? `s${sectionIndex}` : `s${sectionIndex}.${part}`;
}

/**
 * Bounds on what one briefing posts, whatever its size: the posts of a thread a desk can read, and
 * linear, bounded rendering work (a hostile email of 5,000 headed paragraphs once planned 5,002 posts;
 * one of 100,000 links spent seconds rendering). Sections past MAX_POSTED_SECTIONS are folded into
 * posts of their own at the end of the thread and the card says so; no briefing plans more than
 * MAX_POSTS posts or renders more than MAX_RENDERED_CHARS characters or MAX_RENDERED_LINKS links of its
 * text. The stored briefing
 * keeps everything: `@briefing-bot more N` shows any section in full.
 */
export const MAX_POSTED_SECTIONS = 40;
export const MAX_POSTS = 60;
export const MAX_RENDERED_CHARS = 400_000;
export const MAX_RENDERED_LINKS = 1_000;
/** A folded section shows this much of its text at most: the fold is an index with a taste. */
const MAX_FOLDED_SECTION_CHARS = 600;

/** `previous`: the "Previously on …" story of each section that has one (by section index). */
export function planPosts(input: CardInput, previous?: PreviousStories): PlannedPost[] {
  const sections = input.briefing.sections;
  const posted = Math.min(sections.length, MAX_POSTED_SECTIONS);
  const folding = sections.length > posted;
  // The card, one post per posted section, and at least one fold post when folding.
  let postsLeft = MAX_POSTS - 1 - (folding ? 1 : 0);
  let charsLeft = MAX_RENDERED_CHARS;
  let linksLeft = MAX_RENDERED_LINKS;
  const sectionPosts: PlannedPost[] = [];
  for (let sectionIndex = 0; sectionIndex < posted; sectionIndex++) {
    const sectionsAfter = posted - sectionIndex - 1;
    const { messages, chars, links } = renderSectionBounded(
      sections[sectionIndex]!,
      previous?.get(sectionIndex) ?? null,
      {
        number: sectionIndex + 1,
        maxParts: Math.max(1, postsLeft - sectionsAfter),
        // Each section after this one keeps a share, so one huge section cannot starve the rest.
        maxChars: Math.max(
          1_000,
          Math.min(charsLeft, Math.floor((charsLeft / (sectionsAfter + 1 + (folding ? 1 : 0))) * 2)),
        ),
        maxLinks: Math.max(20, Math.min(linksLeft, Math.floor((linksLeft / (sectionsAfter + 1)) * 2))),
      },
    );
    charsLeft = Math.max(0, charsLeft - chars);
    linksLeft = Math.max(0, linksLeft - links);
    postsLeft -= messages.length;
    messages.forEach((message, part) => {
      sectionPosts.push({ key: postKey(sectionIndex, part), sectionIndex, part, message });
    });
  }
  const folds = folding ? foldPosts(sections.slice(posted), posted, postsLeft + 1, charsLeft) : [];
  const card = renderCard(
    input,
    folding ? { sections: sections.length - posted, posts: folds.length } : null,
  );
  return [{ key: 'card', sectionIndex: null, part: 0, message: card }, ...sectionPosts, ...folds];
}

/**
 * The sections past the bound as a few posts: each section's title in bold and the start of its text,
 * in order, as many posts as needed up to `maxPosts`; what still does not fit is counted at the end.
 */
function foldPosts(
  folded: readonly Section[],
  firstIndex: number,
  maxPosts: number,
  maxChars: number,
): PlannedPost[] {
  const blocksPerPost = MAX_BLOCKS - 2;
  const runs: RichInline[][] = [];
  let chars = 0;
  let shown = 0;
  // Each block holds up to MAX_SECTION_TEXT characters: this many fill the posts there are.
  const room = Math.min(maxChars, blocksPerPost * maxPosts * MAX_SECTION_TEXT);
  for (const s of folded) {
    if (chars >= room) break;
    const { runs: sectionRuns, chars: used } = foldedRuns(
      s,
      Math.min(MAX_FOLDED_SECTION_CHARS, room - chars),
    );
    runs.push(...sectionRuns);
    chars += used + sectionTitle(s).length;
    shown++;
  }
  const bodies = packRuns(runs, false);
  const posts: RichTextBlock[][] = [];
  for (let i = 0; i < bodies.length && posts.length < maxPosts; i += blocksPerPost) {
    posts.push(bodies.slice(i, i + blocksPerPost));
  }
  const first = firstIndex + 1;
  const last = firstIndex + folded.length;
  const range = folded.length === 1 ? `section ${first}` : `sections ${first}–${last}`;
  const hidden = folded.length - shown;
  return posts.map((blocks, part) => {
    const suffix = posts.length > 1 ? ` (${part + 1}/${posts.length})` : '';
    const title = `More: ${range}${suffix}`;
    const tail: Block[] = [];
    if (part === posts.length - 1) {
      tail.push(
        context([
          `_${hidden > 0 ? `${hidden} more section${hidden === 1 ? '' : 's'} not shown. ` : ''}Folded: this briefing has more sections than a thread carries; mention the bot here with_ \`more ${first}\` _(or any section number) for one in full._`,
        ]),
      );
    }
    return {
      key: `fold${part}`,
      sectionIndex: null,
      part,
      message: { text: title, blocks: [header(title), ...blocks, ...tail] },
    };
  });
}
