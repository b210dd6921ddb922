/**
 * The exactly-once key of a briefing in a channel: its innermost Message-ID, else a hash of its
 * normalised text — so a provider retry, a second forward of the same message, or five concurrent
 * deliveries all map to one stored briefing.
 */
import { createHash } from 'node:crypto';
import type { Briefing } from '../briefing/types.js';

/** `<abc@host>` and `abc@host ` are the same Message-ID. */
export function normaliseMessageId(messageId: string | null): string | null {
  const trimmed = messageId?.trim().replace(/^<+/, '').replace(/>+$/, '').trim();
  return trimmed ? trimmed : null;
}

/**
 * The briefing's words only: case, spacing, Unicode form and forward chrome differences do not make
 * a different briefing.
 */
export function normalisedText(briefing: Briefing): string {
  const parts = [
    briefing.title,
    ...briefing.sections.flatMap((s) => [s.title, ...s.items.map((i) => i.text)]),
  ];
  return parts.join('\n').normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();
}

export function dedupeKey(channel: string, messageId: string | null, briefing: Briefing): string {
  const id = normaliseMessageId(messageId);
  if (id) return `${channel}|${id}`;
  return `${channel}|sha256:${createHash('sha256').update(normalisedText(briefing)).digest('hex')}`;
}
