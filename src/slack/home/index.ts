/**
 * App Home: `app_home_opened` publishes the Home tab (views.publish) for whoever opened it; its Retry
 * button retries a delivery the way `briefing-bot deliveries --retry ID` does, for workspace admins
 * and owners and the users in ADMIN_USERS, then publishes the tab again with the outcome on top.
 */
import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { describeRetry, retryDelivery } from '../../delivery/retry.js';
import type { Services, ServicesWith } from '../../services.js';
import type { ArchiveReads } from '../../store/roles.js';
import { escapeInline } from '../escape.js';
import { homeInput } from './model.js';
import { ACTION_RETRY_DELIVERY, renderHome } from './render.js';

export { ACTION_RETRY_DELIVERY } from './render.js';

export async function publishHome(
  services: ServicesWith<ArchiveReads, 'config'>,
  client: WebClient,
  user: string,
  notice?: string,
): Promise<void> {
  const view = renderHome(await homeInput(services, notice));
  await client.views.publish({ user_id: user, view });
}

/**
 * Who may retry: ADMIN_USERS, or a workspace admin or owner by users.info (scope users:read, which
 * the bot has for follows). A failed lookup counts as no.
 */
export async function mayRetry(
  services: Pick<Services, 'config' | 'logger'>,
  client: WebClient,
  user: string,
): Promise<boolean> {
  if (services.config.adminUsers.includes(user)) return true;
  try {
    const info = await client.users.info({ user });
    return Boolean(info.user?.is_admin || info.user?.is_owner || info.user?.is_primary_owner);
  } catch (error) {
    services.logger.warn(`users.info failed for ${user}; Retry refused`, error);
    return false;
  }
}

/** The notice on the tab while a Retry runs. */
export const RETRYING = ':hourglass_flowing_sand: Retrying delivery';

export const NOT_ALLOWED =
  'Only workspace admins and owners (and the people in ADMIN_USERS) can retry a delivery. Ask one of them, or run `briefing-bot deliveries --retry ID` on the server.';

export function registerHome(app: App, services: Services): void {
  app.event('app_home_opened', async ({ event, client, logger }) => {
    if (event.tab !== 'home') return;
    try {
      await publishHome(services, client, event.user);
    } catch (error) {
      logger.error('publishing the Home tab failed', error);
    }
  });

  app.action<BlockAction<ButtonAction>>(
    { type: 'block_actions', action_id: ACTION_RETRY_DELIVERY },
    async ({ ack, action, body, client, logger }) => {
      await ack();
      const user = body.user.id;
      const id = action.value ?? '';
      let notice: string;
      try {
        if (!(await mayRetry(services, client, user))) {
          logger.warn(`Retry of delivery ${JSON.stringify(id)} refused: ${user} is not an admin`);
          notice = NOT_ALLOWED;
        } else {
          logger.info(`Delivery ${id} retried from App Home by ${user}`);
          // Posting a whole briefing takes a while at Slack's pace: say so at once.
          await publishHome(services, client, user, `${RETRYING} ${escapeInline(id)}…`).catch((error) =>
            logger.error('publishing the Home tab failed', error),
          );
          const outcome = await retryDelivery(services, id);
          const line = escapeInline(describeRetry(id, outcome));
          notice =
            outcome.kind === 'retried' && outcome.delivery.state === 'posted'
              ? `:white_check_mark: Retried: ${line}.`
              : `:warning: ${line}`;
        }
      } catch (error) {
        logger.error(`retrying delivery ${id} failed`, error);
        notice = `:warning: Retrying delivery ${escapeInline(id)} failed: ${escapeInline((error as Error).message)}`;
      }
      try {
        await publishHome(services, client, user, notice);
      } catch (error) {
        logger.error('publishing the Home tab failed', error);
      }
    },
  );
}
