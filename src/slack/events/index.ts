/**
 * Event listeners: thread replies (discussion counts) and mentions (answers in threads).
 * Events: message.channels, message.groups, app_mention.
 */
import type { App } from '@slack/bolt';
import type { Services } from '../../services.js';
import { registerMentions } from './mentions.js';
import { registerThreadReplies } from './thread-replies.js';

export function registerEvents(app: App, services: Pick<Services, 'store'>): void {
  registerThreadReplies(app, services);
  registerMentions(app, services);
}
