/**
 * The parser's last step: no text it returns carries invisible format or control characters (bidi
 * overrides, zero-width characters, NUL), whatever the email's headers and parts held. Renderers
 * clean again, for briefings stored before this step existed.
 */
import { cleanNullable, cleanText } from '../text/clean.js';
import type { Briefing, Item, Section } from './types.js';

function cleanItem(item: Item): Item {
  return {
    ...item,
    text: cleanText(item.text),
    sources: item.sources.map(cleanText),
    links: item.links.map((link) => ({ ...link, url: cleanText(link.url), text: cleanText(link.text) })),
  };
}

function cleanSection(section: Section): Section {
  return {
    ...section,
    title: cleanText(section.title),
    group: cleanNullable(section.group),
    items: section.items.map(cleanItem),
  };
}

export function cleanBriefing(briefing: Briefing): Briefing {
  return {
    ...briefing,
    subject: cleanText(briefing.subject),
    title: cleanText(briefing.title),
    publication: cleanNullable(briefing.publication),
    from: cleanNullable(briefing.from),
    note: cleanNullable(briefing.note),
    sections: briefing.sections.map(cleanSection),
  };
}
