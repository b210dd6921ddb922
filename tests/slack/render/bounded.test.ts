/**
 * Issue 10.8: what one briefing posts is bounded — sections past MAX_POSTED_SECTIONS folded into posts
 * of their own (and the card says so), at most MAX_POSTS posts, a section too long for its share cut
 * with a pointer to `more N` — and every post stays within Slack's limits. Link placement is the same
 * as before for ordinary items (in order, repeated anchors, out of order) at linear cost.
 */
import { describe, expect, it } from 'vitest';
import type { Briefing, Item, Section } from '../../../src/briefing/types.js';
import { checkBlocks } from '../../../src/local/block-limits.js';
import { MAX_POSTED_SECTIONS, MAX_POSTS, planPosts } from '../../../src/slack/render/index.js';
import { renderItemRich } from '../../../src/slack/render/item.js';
import { blockTexts } from '../../support/bot.js';

const item = (text: string, links: Item['links'] = []): Item => ({ text, countries: [], sources: [], links });
const section = (title: string, items: Item[]): Section => ({
  title,
  kind: 'section',
  group: null,
  countries: [],
  items,
});
const briefing = (sections: Section[]): Briefing => ({
  subject: 'Daily',
  title: 'Daily',
  publication: null,
  date: '2026-12-02',
  from: null,
  note: null,
  sections,
});
const plan = (b: Briefing) =>
  planPosts({ briefing: b, date: '2026-12-02', forwardedBy: null, forwardedByName: null });
const words = (post: ReturnType<typeof plan>[number]) =>
  blockTexts(post.message.blocks)
    .map((t) => t.text)
    .join('\n');

describe('bounded posts per briefing', () => {
  it('100 sections: 40 posted as themselves, 60 folded into one post, and the card says so', () => {
    const sections = Array.from({ length: 100 }, (_, i) =>
      section(`Story ${i + 1}`, [item(`Text of story ${i + 1}.`)]),
    );
    const posts = plan(briefing(sections));
    expect(posts.map((p) => p.key)).toEqual([
      'card',
      ...Array.from({ length: MAX_POSTED_SECTIONS }, (_, i) => `s${i}`),
      'fold0',
    ]);
    expect(words(posts[0]!)).toContain('60 more sections folded into one post at the end of the thread');
    const fold = words(posts.at(-1)!);
    expect(fold).toContain('More: sections 41–100');
    for (let i = 41; i <= 100; i++) expect(fold).toContain(`Story ${i}`);
    for (const post of posts) expect(checkBlocks(post.message.blocks)).toMatchObject({ ok: true });
  });

  it('a briefing of 39 sections plans exactly as many posts as before: no fold, no note', () => {
    const sections = Array.from({ length: 39 }, (_, i) => section(`Story ${i + 1}`, [item('Text.')]));
    const posts = plan(briefing(sections));
    expect(posts).toHaveLength(40);
    expect(posts.some((p) => words(p).includes('folded'))).toBe(false);
  });

  it('sections too long for a thread: never more than 60 posts, each cut one pointing to `more N`', () => {
    const long = Array.from({ length: 400 }, (_, i) =>
      item(`Paragraph ${i}: ${'the minister met the press in Lima. '.repeat(20)}`),
    );
    const sections = Array.from({ length: 30 }, (_, i) => section(`Long story ${i + 1}`, long));
    const posts = plan(briefing(sections));
    expect(posts.length).toBeLessThanOrEqual(MAX_POSTS);
    const cut = posts.filter((p) => words(p).includes('`more '));
    expect(cut.length).toBeGreaterThan(0);
    expect(words(cut[0]!)).toMatch(/`more 1`/);
    for (const post of posts) expect(checkBlocks(post.message.blocks)).toMatchObject({ ok: true });
  });

  it('100,000 links in one item: the posts stay few and within Slack limits', () => {
    const links = Array.from({ length: 100_000 }, (_, i) => ({
      url: `https://news.example.org/${i}`,
      text: `story ${i}`,
    }));
    const text = links.map((l) => `${l.text} in Lima`).join(', and ');
    const posts = plan(briefing([section('Links', [item(text, links)])]));
    expect(posts.length).toBeLessThanOrEqual(MAX_POSTS);
    for (const post of posts) expect(checkBlocks(post.message.blocks)).toMatchObject({ ok: true });
  });
});

describe('link placement', () => {
  const linkTexts = (i: Item) =>
    renderItemRich(i).elements.flatMap((e) => (e.type === 'link' ? [`${e.text}→${e.url}`] : []));

  it('repeated anchors go to successive occurrences, in order', () => {
    const i = item('Lima, then Lima, then Lima.', [
      { url: 'https://a.example/1', text: 'Lima' },
      { url: 'https://a.example/2', text: 'Lima' },
      { url: 'https://a.example/3', text: 'Lima' },
    ]);
    expect(linkTexts(i)).toEqual([
      'Lima→https://a.example/1',
      'Lima→https://a.example/2',
      'Lima→https://a.example/3',
    ]);
  });

  it('links out of document order are still placed where their words are', () => {
    const i = item('Reuters reported it first; AP followed.', [
      { url: 'https://apnews.com/x', text: 'AP' },
      { url: 'https://reuters.com/y', text: 'Reuters' },
    ]);
    expect(linkTexts(i)).toEqual(['Reuters→https://reuters.com/y', 'AP→https://apnews.com/x']);
    expect(renderItemRich(i).leftover).toEqual([]);
  });

  it('an anchor not in the text is left over for the tail', () => {
    const i = item('Nothing to see.', [{ url: 'https://a.example/1', text: 'elsewhere' }]);
    expect(renderItemRich(i).leftover).toHaveLength(1);
  });
});
