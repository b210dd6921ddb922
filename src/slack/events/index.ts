/**
 * Event listeners: thread replies (discussion counts) and mentions (answers in threads).
 * Events: message.channels, message.groups, app_mention.
 */
import type { App } from '@slack/bolt';
import type { ServicesWith } from '../../services.js';
import type { ArchiveReads } from '../../store/roles.js';
import type { ReplyStore, SeenStore } from '../../store/types.js';
import { registerMentions } from './mentions.js';
import { registerThreadReplies } from './thread-replies.js';
import type { WorkQueue } from './work-queue.js';

/** Returns the queue of mention answers, so stopping the bot can let it finish. */
export function registerEvents(
  app: App,
  services: ServicesWith<ArchiveReads & SeenStore & ReplyStore, 'logger' | 'slackRetry'>,
): WorkQueue {
  registerThreadReplies(app, services);
  return registerMentions(app, services, {
    ...(services.slackRetry
      ? { sleep: services.slackRetry.sleep, retryPolicy: services.slackRetry.policy }
      : {}),
  });
}
