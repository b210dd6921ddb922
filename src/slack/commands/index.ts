/**
 * Slash commands and the buttons on their answers. `app.ts` calls `registerCommands` once; the
 * command names here must match `manifest.yml`.
 */
import type { App } from '@slack/bolt';
import type { Services } from '../../services.js';
import { registerActions } from '../actions/index.js';
import { answerBriefingCommand, answerCountryCommand } from './answer.js';
import { asyncCommand, slashCommand } from './command.js';
import { answerDeskCommand } from './desk.js';
import { answerFollowCommand, isFollowCommand } from './follow.js';
import { deskChannelResolver } from './resolve-desk.js';

export const BRIEFING_COMMAND = '/briefing';
export const COUNTRY_COMMAND = '/country';
export const DESK_COMMAND = '/desk';

export function registerCommands(app: App, services: Services): void {
  app.command(BRIEFING_COMMAND, slashCommand(BRIEFING_COMMAND, answerBriefingCommand, services));
  const search = slashCommand(COUNTRY_COMMAND, answerCountryCommand, services);
  const follows = asyncCommand(COUNTRY_COMMAND, (text, user) =>
    answerFollowCommand(text, { store: services.store, user }),
  );
  app.command(COUNTRY_COMMAND, (args) =>
    isFollowCommand(args.command.text ?? '') ? follows(args) : search(args),
  );
  const resolveChannel = deskChannelResolver(services);
  app.command(
    DESK_COMMAND,
    asyncCommand(DESK_COMMAND, (text, user) =>
      answerDeskCommand(text, {
        store: services.store,
        fixedDesks: services.config.desks,
        user,
        resolveChannel,
      }),
    ),
  );
  registerActions(app, services);
  // The first date parse and country lookup of a process build their tables (~0.5 s in all): the bot
  // pays that once it listens (createBot's start, warmUpInBackground), not in the first editor's command.
}
