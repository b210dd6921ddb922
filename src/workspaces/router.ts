/**
 * What the shared HTTP receiver hands each Slack request to (in place of a Bolt App): the request goes
 * to the App of the workspace it comes from, and nowhere else, so a /country in one workspace is
 * answered from that workspace's archive only. app_uninstalled and tokens_revoked end the installation
 * here: the installation is deleted and the workspace's runtime stopped (its archive is kept, for a
 * reinstall; SECURITY.md says how to delete it).
 */
import type { Logger, ReceiverEvent } from '@slack/bolt';
import type { Registry } from './registry.js';
import { endsInstallation, teamOf } from './team-of.js';

export interface Router {
  processEvent(event: ReceiverEvent): Promise<void>;
}

/** What a slash command in a workspace without an installation is told (the ack's text). */
export const NOT_INSTALLED =
  'briefing-bot is not installed in this workspace (or was removed): ask an admin to install it again.';

export function createRouter(deps: {
  registry: Registry;
  forget(teamId: string): Promise<void>;
  logger: Logger;
}): Router {
  const { registry, logger } = deps;
  return {
    async processEvent(event) {
      const teamId = teamOf(event.body);
      if (!teamId) {
        logger.warn('A Slack request named no workspace; ignored');
        await event.ack();
        return;
      }
      if (endsInstallation(event.body)) {
        // Acked first: Slack wants its 200 within 3 s, and stopping waits for posts in flight.
        await event.ack();
        logger.info(`workspace ${teamId}: uninstalled or token revoked; installation deleted`);
        await deps.forget(teamId);
        return;
      }
      let runtime: Awaited<ReturnType<Registry['get']>>;
      try {
        runtime = await registry.get(teamId);
      } catch (error) {
        logger.error(`workspace ${teamId}: could not start`, error);
        runtime = null;
      }
      if (!runtime) {
        logger.warn(`A request from workspace ${teamId}, which has no working installation; not answered`);
        const isCommand = typeof (event.body as { command?: unknown }).command === 'string';
        await event.ack(isCommand ? { response_type: 'ephemeral', text: NOT_INSTALLED } : undefined);
        return;
      }
      await runtime.app.processEvent(event);
    },
  };
}
