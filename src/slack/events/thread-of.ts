/**
 * Which of the bot's briefing threads a message belongs to. The parent's post record says it all:
 * the card's thread is the briefing's (THREAD_LAYOUT=briefing), a section post's thread is that
 * section's (THREAD_LAYOUT=sections) — so briefings posted under either layout keep working.
 */
import type { ArchiveReads } from '../../store/roles.js';
import type { StoredBriefing } from '../../store/types.js';

export interface BriefingThread {
  channel: string;
  threadTs: string;
  briefing: StoredBriefing;
  sectionIndex: number | null;
}

export async function briefingThread(
  store: ArchiveReads,
  channel: string,
  threadTs: string | undefined,
): Promise<BriefingThread | null> {
  if (!threadTs) return null;
  const found = await store.findPost(channel, threadTs);
  // A post that is itself a thread reply cannot be a thread's parent.
  if (!found || found.post.threadTs !== null) return null;
  const briefing = await store.getBriefing(found.briefingId);
  if (!briefing) return null;
  return { channel, threadTs, briefing, sectionIndex: found.post.sectionIndex };
}
