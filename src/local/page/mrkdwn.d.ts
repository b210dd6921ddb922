export type Inline =
  | { type: 'text'; text: string }
  | { type: 'bold' | 'italic' | 'strike'; children: Inline[] }
  | { type: 'code'; text: string }
  | { type: 'link'; url: string; children: Inline[] }
  | { type: 'mention'; kind: 'user' | 'channel' | 'special' | 'date'; id: string; label: string }
  | { type: 'emoji'; name: string; text: string };

export type MrkdwnBlock =
  | { type: 'line'; children: Inline[] }
  | { type: 'quote'; children: Inline[] }
  | { type: 'pre'; text: string };

export function decodeEntities(text: string): string;
export function parseInline(line: string): Inline[];
export function parseMrkdwn(text: string): MrkdwnBlock[];
