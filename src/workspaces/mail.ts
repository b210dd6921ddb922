/**
 * Which workspace an email goes to: the one named in the webhook URL, `?team=T…` — each workspace's
 * mail route (a Mailgun route, a SendGrid host, a Postmark server, an SNS subscription) forwards to
 * POST /mail/inbound?team=<its id>. The URL is chosen by the newsroom's admin when they set up the
 * route, next to the webhook secret, so a sender cannot pick another workspace by addressing the mail
 * differently. Without `team`, mail goes to DEFAULT_TEAM_ID's workspace (as SMTP and IMAP mail does);
 * with neither, it is refused (403), never guessed.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { CustomRoute } from '@slack/bolt';
import type { Ingest } from '../ingest/types.js';
import { TEAM_ID } from './records.js';
import type { Registry } from './registry.js';

const requestTeam = new AsyncLocalStorage<string | null>();

/** The team the webhook URL names (`?team=`), or null. */
export function teamOfMailUrl(url: string | undefined): string | null {
  const team = new URL(url ?? '/', 'http://bot.invalid').searchParams.get('team');
  return team === null || team === '' ? null : team;
}

/** Runs the route's handler knowing the team its URL names (read by routedIngest). */
export function withMailTeam(route: CustomRoute): CustomRoute {
  return {
    ...route,
    handler: (req, res) => requestTeam.run(teamOfMailUrl(req.url), () => route.handler(req, res)),
  };
}

/** The ingest of the workspace the current mail request is for. */
export function routedIngest(registry: Registry, defaultTeamId: string | null): Ingest {
  return async (input) => {
    const teamId = requestTeam.getStore() ?? defaultTeamId;
    if (!teamId)
      return {
        status: 'rejected',
        code: 403,
        detail: 'Which workspace is this mail for? Add ?team=T… (the workspace id) to the webhook URL.',
      };
    const runtime = TEAM_ID.test(teamId) ? await registry.get(teamId) : null;
    if (!runtime)
      return { status: 'rejected', code: 403, detail: 'No workspace with that id has the bot installed.' };
    return runtime.services.ingest(input);
  };
}
