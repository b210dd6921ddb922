/**
 * A corrected copy of a briefing already in Slack: its thread is brought up to the new version by
 * editing, before anything is added to it.
 */
import { TZDate } from '@date-fns/tz';
import type { Logger } from '@slack/bolt';
import { format } from 'date-fns/format';
import { type BriefingDiff, diffBriefings } from '../corrections/diff.js';
import { goneOf, partOf, rekeyPosts } from '../corrections/posts.js';
import { PermanentSlackError } from '../slack/api/call.js';
import { type PlannedPost, planPosts, type SlackMessage } from '../slack/render/index.js';
import { markUpdated, mergedAbove, strikeThrough } from '../slack/render/revision.js';
import {
  type Delivery,
  type PostRecord,
  type RevisionStore,
  revisionOf,
  type StoredBriefing,
} from '../store/types.js';
import type { Poster } from './poster.js';

/** Slack's answers to chat.update that mean the post is gone or frozen: the edit is skipped, not failed. */
const UNEDITABLE =
  /^(message_not_found|cant_update_message|edit_window_closed|channel_not_found|is_archived)\b/;

/** The briefing as it was at version `n` (the current body for the newest). */
export function versionOf(stored: StoredBriefing, n: number) {
  return stored.versions?.[n]?.briefing ?? stored.briefing;
}

/** The newsroom's time the newest version arrived: "09:41". */
export function revisedAt(stored: StoredBriefing, timeZone?: string): string {
  const at = Date.parse(stored.versions?.at(-1)?.receivedAt ?? stored.receivedAt);
  return timeZone ? format(new TZDate(at, timeZone), 'HH:mm') : format(at, 'HH:mm');
}

export type ApplyRevision = (
  stored: StoredBriefing,
  delivery: Delivery,
  posted: Map<string, PostRecord>,
  plan: PlannedPost[],
) => Promise<{ posted: Map<string, PostRecord>; diff: BriefingDiff }>;

/**
 * Brings a thread posted for an earlier version up to the current one: post records renumbered to the
 * current sections (stored first, so a crash cannot pair a post with the wrong section), then the
 * card and every changed section edited and every dropped section struck through with chat.update —
 * edits are idempotent, so a resumed attempt simply makes them again. New sections are then posted
 * by the usual loop, and the note after them. Returns the renumbered posts and the diff the note
 * describes (from what Slack showed to the current version).
 */
export function createRevisionEditor(deps: {
  store: RevisionStore;
  poster: Poster;
  logger: Logger;
  timeZone?: string;
}): ApplyRevision {
  const { store, poster, logger } = deps;

  /** A post Slack no longer lets the bot edit is skipped with a warning. */
  async function edit(stored: StoredBriefing, record: PostRecord, message: SlackMessage): Promise<void> {
    try {
      await poster.update(stored, record, message);
    } catch (error) {
      if (error instanceof PermanentSlackError && UNEDITABLE.test(error.reason)) {
        logger.warn(
          `Briefing ${stored.id}: post ${record.key} cannot be edited (${error.reason}); left as it was`,
        );
        return;
      }
      throw error;
    }
  }

  return async (stored, delivery, posted, plan) => {
    const revision = revisionOf(stored);
    const keyed = delivery.revision ?? 0;
    let records = [...posted.values()];
    if (keyed < revision) {
      const renumber = diffBriefings(versionOf(stored, keyed), stored.briefing);
      records = (await store.rekeyPosts(stored.id, rekeyPosts(records, renumber, keyed), revision)).posts;
    }
    const current = new Map(records.map((record) => [record.key, record]));
    const shown = versionOf(stored, delivery.updatedRevision ?? 0);
    const diff = diffBriefings(shown, stored.briefing);
    const when = revisedAt(stored, deps.timeZone);
    const changed = new Set(diff.kept.filter((change) => change.changed).map((change) => change.newIndex));
    const planned = new Map(plan.map((entry) => [entry.key, entry]));

    const card = current.get('card');
    const cardPlan = planned.get('card');
    if (card && cardPlan) await edit(stored, card, markUpdated(cardPlan.message, when));
    for (const record of records) {
      const part = partOf(record.key);
      if (part && changed.has(part.section)) {
        const next = planned.get(record.key);
        await edit(
          stored,
          record,
          // The corrected section needs fewer posts than it had: the spare one says where its text went.
          next ? markUpdated(next.message, when) : mergedAbove(when),
        );
        continue;
      }
      const gone = goneOf(record.key);
      if (gone) {
        const old = versionOf(stored, gone.base).sections[gone.section];
        const oldPlan = old
          ? planPosts({ ...stored, briefing: { ...stored.briefing, sections: [old] } }).find(
              (entry) => entry.sectionIndex === 0 && entry.part === gone.part,
            )
          : undefined;
        if (oldPlan) await edit(stored, record, strikeThrough(oldPlan.message, when));
      }
    }
    logger.info(
      `Briefing ${stored.id}: corrected copy (version ${revision + 1}) — ${changed.size} changed, ${diff.added.length} added, ${diff.removed.length} removed`,
    );
    return { posted: current, diff };
  };
}
