/**
 * A briefing section as one or more Slack posts: a header, the items as mrkdwn (bullets for list
 * sections), and a context line with flags, sources and the links not shown inline.
 */
import type { Link, Section } from '../../briefing/types.js';
import { countryFlag } from '../../countries/index.js';
import { escapeInline, escapeMrkdwn, mrkdwnLink, plainText } from '../escape.js';
import {
  type Block,
  context,
  header,
  MAX_BLOCKS,
  MAX_CONTEXT_ELEMENTS,
  MAX_CONTEXT_TEXT,
  MAX_FALLBACK_TEXT,
  MAX_HEADER_TEXT,
  MAX_SECTION_TEXT,
  type SlackMessage,
  section,
  truncateAtWord,
} from './blocks.js';
import { renderItem } from './item.js';
import { type PreviousStory, previouslyLine } from './previously.js';
import { packPieces } from './split.js';

/** Header + context leave this many blocks for a post's text (one fewer with a "Previously" line). */
const MAX_BODY_BLOCKS = MAX_BLOCKS - 2;
/** Room kept at the end of a header for " (12/12)". */
const PART_SUFFIX_ROOM = 8;

export function sectionTitle(s: Section): string {
  const title = s.title.trim() || 'Untitled section';
  const group = s.group?.trim();
  return group && group !== title ? `${group} · ${title}` : title;
}

/** Flags for a list of ISO codes, unknown codes skipped. */
export function flags(codes: string[]): string {
  return [...new Set(codes)]
    .map((code) => countryFlag(code))
    .filter(Boolean)
    .join(' ');
}

/**
 * The posts for one section, in order; more than one only when Slack's limits demand it. The last
 * ends with a link to the previous story about the section's main country, when there is one.
 */
export function renderSectionPosts(s: Section, previous?: PreviousStory | null): SlackMessage[] {
  const rendered = s.items.map(renderItem);
  const pieces = rendered.map((r) => (s.kind === 'list' ? `• ${r.text}` : r.text)).filter(Boolean);
  const separator = s.kind === 'list' ? '\n' : '\n\n';
  const texts = pieces.length ? packPieces(pieces, separator, MAX_SECTION_TEXT) : ['_(no text)_'];

  const bodyBlocks = previous ? MAX_BODY_BLOCKS - 1 : MAX_BODY_BLOCKS;
  const parts: string[][] = [];
  for (let i = 0; i < texts.length; i += bodyBlocks) parts.push(texts.slice(i, i + bodyBlocks));

  const title = sectionTitle(s);
  const contextLine = contextElements(
    s,
    rendered.flatMap((r) => r.leftover),
  );
  return parts.map((bodies, i) => {
    const suffix = parts.length > 1 ? ` (${i + 1}/${parts.length})` : '';
    const label = plainText(title);
    const blocks: Block[] = [
      header(suffix ? `${truncateAtWord(label, MAX_HEADER_TEXT - PART_SUFFIX_ROOM)}${suffix}` : label),
      ...bodies.map(section),
    ];
    const isLast = i === parts.length - 1;
    if (isLast && contextLine.length) blocks.push(context(contextLine));
    if (isLast && previous) blocks.push(context([previouslyLine(previous)]));
    return { text: fallback(`${escapeInline(title)}${suffix}`, bodies), blocks };
  });
}

function fallback(label: string, bodies: string[]): string {
  return truncateAtWord(`${label}\n${bodies.join('\n')}`, MAX_FALLBACK_TEXT);
}

/**
 * Flags, then sources, then links — each link whole. Past the context block's limits the remaining
 * links are counted rather than shown: they are still in the stored briefing.
 */
function contextElements(s: Section, leftover: Link[]): string[] {
  const codes = s.countries.length ? s.countries : s.items.flatMap((item) => item.countries);
  const sources = [
    ...new Set(s.items.flatMap((item) => item.sources.map((source) => source.trim())).filter(Boolean)),
  ];
  const lead = [flags(codes), sources.length ? `Sources: ${escapeMrkdwn(sources.join(', '))}` : '']
    .filter(Boolean)
    .join('  ·  ');

  const seen = new Set<string>();
  const links = leftover
    .filter((link) => !seen.has(link.url) && seen.add(link.url))
    .map((link) => mrkdwnLink(link.url, link.text || link.url));

  const elements: string[] = [];
  let current = truncateAtWord(lead, MAX_CONTEXT_TEXT);
  let shown = 0;
  for (const link of links) {
    const joined = current ? `${current}  ·  ${link}` : link;
    if (joined.length <= MAX_CONTEXT_TEXT) {
      current = joined;
    } else if (elements.length + 1 < MAX_CONTEXT_ELEMENTS && link.length <= MAX_CONTEXT_TEXT) {
      elements.push(current);
      current = link;
    } else {
      break;
    }
    shown++;
  }
  const hidden = links.length - shown;
  if (hidden > 0) {
    const more = `+${hidden} more link${hidden === 1 ? '' : 's'}`;
    if (current.length + more.length + 5 <= MAX_CONTEXT_TEXT) current = `${current}  ·  ${more}`;
    else if (elements.length + 1 < MAX_CONTEXT_ELEMENTS) {
      elements.push(current);
      current = more;
    }
  }
  if (current) elements.push(current);
  return elements;
}
