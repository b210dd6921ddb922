/** Shortcuts; their callback ids must match manifest.yml's `shortcuts`. */
import type { App, MessageShortcut } from '@slack/bolt';
import type { Services } from '../../services.js';
import { postAsBriefing, SHORTCUT_POST_AS_BRIEFING } from './post-as-briefing.js';

export { SHORTCUT_POST_AS_BRIEFING } from './post-as-briefing.js';

export function registerShortcuts(app: App, services: Services): void {
  app.shortcut<MessageShortcut>(
    { type: 'message_action', callback_id: SHORTCUT_POST_AS_BRIEFING },
    postAsBriefing(services),
  );
}
