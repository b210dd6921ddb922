import type { Link } from './types.js';

/**
 * The parser's working form: one line per paragraph-ish block, with what the HTML said about it.
 * Text bodies and HTML bodies both become lines, so unwrapping, chrome removal and sectioning are
 * written once.
 */
export interface Line {
  text: string;
  /**
   * `heading` from <h1-6> or a fully bold/underlined paragraph, `bullet` from <li>; null in plain text.
   * `break` is an empty line standing where the briefing's sign-off was: what follows is pasted material.
   * `caption` is a short line right under an image: its credit or caption, never news text.
   */
  hint: 'heading' | 'bullet' | 'break' | 'caption' | null;
  /** Heading level (1–6; 7 for a bold paragraph), 0 when not a heading. */
  level: number;
  links: Link[];
  /** An emphasised ALL-CAPS label opening the line ("ARGENTINA" in "<b>ARGENTINA</b> The government…"). */
  label?: string;
}

export function plainLine(text: string): Line {
  return { text, hint: null, level: 0, links: [] };
}

/** Text body → lines. CRLF, a BOM and non-breaking spaces are normalised; nothing else changes. */
export function textToLines(text: string): Line[] {
  return text
    .replace(/^\uFEFF/, '')
    .replace(/\r\n?/g, '\n')
    .replace(/[\u00A0\u2007\u202F]/g, ' ')
    .split('\n')
    .map((line) => plainLine(line.trimEnd()));
}

export function linesToText(lines: readonly Line[]): string {
  return lines.map((line) => line.text).join('\n');
}

export function isBlank(line: Line | undefined): boolean {
  return line === undefined || line.text.trim() === '';
}
