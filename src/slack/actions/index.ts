import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import type { Services } from '../../services.js';
import { ACTION_GOTO_AFTER, ACTION_GOTO_BEFORE, ACTION_MORE, ACTION_SHARE } from './ids.js';
import { shareAction } from './share.js';
import { showAction } from './show.js';

/** The buttons on command answers (Slack's "interactivity" must be on in the app's manifest). */
export function registerActions(app: App, services: Services): void {
  for (const actionId of [ACTION_MORE, ACTION_GOTO_BEFORE, ACTION_GOTO_AFTER]) {
    app.action<BlockAction<ButtonAction>>(
      { type: 'block_actions', action_id: actionId },
      showAction(services),
    );
  }
  app.action<BlockAction<ButtonAction>>(
    { type: 'block_actions', action_id: ACTION_SHARE },
    shareAction(services),
  );
}
