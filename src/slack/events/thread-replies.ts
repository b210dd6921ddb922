/**
 * Counting discussion in the bot's threads: `message` events (message.channels, message.groups) for
 * new replies, edits and deletions. Ids and counts only — what people wrote is never stored.
 */
import type { App } from '@slack/bolt';
import type { ServicesWith } from '../../services.js';
import type { ArchiveReads } from '../../store/roles.js';
import type { ReplyStore, SeenStore } from '../../store/types.js';
import { replyChange } from './reply-change.js';
import { briefingThread } from './thread-of.js';

export function registerThreadReplies(
  app: App,
  services: ServicesWith<ArchiveReads & SeenStore & ReplyStore>,
): void {
  const { store } = services;
  app.event('message', async ({ event, body }) => {
    const change = replyChange(event);
    if (!change) return;
    // Checked before the event id is remembered, so chatter outside the bot's threads leaves no trace.
    const thread = await briefingThread(store, change.channel, change.threadTs);
    if (!thread) return;
    // Slack retries an event it thinks we missed (X-Slack-Retry-Num, same event_id).
    if (!(await store.markEventSeen(`reply:${body.event_id}`))) return;
    if (change.kind === 'add') {
      const key = {
        channel: thread.channel,
        threadTs: thread.threadTs,
        briefingId: thread.briefing.id,
        sectionIndex: thread.sectionIndex,
      };
      await store.recordReply(key, change.replyTs, change.user, change.at);
    } else {
      await store.removeReply(change.channel, change.threadTs, change.replyTs);
    }
  });
}
