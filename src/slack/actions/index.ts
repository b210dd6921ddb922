import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import type { Services } from '../../services.js';
import { ACTION_GOTO_DATE, ACTION_MORE, ACTION_SHARE } from './ids.js';
import { shareAction } from './share.js';
import { showAction } from './show.js';

/** The buttons on command answers (Slack's "interactivity" must be on in the app's manifest). */
export function registerActions(app: App, services: Services): void {
  app.action<BlockAction<ButtonAction>>(
    { type: 'block_actions', action_id: ACTION_MORE },
    showAction(services),
  );
  app.action<BlockAction<ButtonAction>>(
    { type: 'block_actions', action_id: ACTION_GOTO_DATE },
    showAction(services),
  );
  app.action<BlockAction<ButtonAction>>(
    { type: 'block_actions', action_id: ACTION_SHARE },
    shareAction(services),
  );
}
