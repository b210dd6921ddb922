/**
 * Which sections of a briefing are *about* some countries: the same notion of a story as the archive's
 * country index (storiesOf) — a list's briefs by their own tags, any other section by the section's —
 * and never the passing `mentions`. Pure.
 */
import type { Briefing } from '../briefing/types.js';

export interface SectionAbout {
  sectionIndex: number;
  /** The asked-for countries this section is about, in the order asked. */
  countries: string[];
}

export function sectionsAbout(briefing: Briefing, countries: readonly string[]): SectionAbout[] {
  const wanted = new Set(countries);
  const found: SectionAbout[] = [];
  briefing.sections.forEach((section, sectionIndex) => {
    const tags = new Set(
      section.kind === 'list' ? section.items.flatMap((item) => item.countries) : section.countries,
    );
    const matched = countries.filter((code) => wanted.has(code) && tags.has(code));
    if (matched.length > 0) found.push({ sectionIndex, countries: [...new Set(matched)] });
  });
  return found;
}

/** Every country some section of the briefing is about. */
export function countriesAbout(briefing: Briefing): string[] {
  const codes = new Set<string>();
  for (const section of briefing.sections) {
    const tags =
      section.kind === 'list' ? section.items.flatMap((item) => item.countries) : section.countries;
    for (const code of tags) codes.add(code);
  }
  return [...codes];
}
