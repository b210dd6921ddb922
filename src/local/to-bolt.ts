/**
 * Acting as Slack towards a Bolt app: the signed HTTP requests Slack sends for slash commands,
 * Events API callbacks and interactive payloads. Payload shapes follow Slack's documentation
 * (https://docs.slack.dev/interactivity/implementing-slash-commands,
 * https://docs.slack.dev/apis/events-api, https://docs.slack.dev/reference/interaction-payloads/block_actions-payload).
 */
import { randomBytes } from 'node:crypto';
import { slackSignatureHeaders } from './sign.js';

/** Slack gives up on an ack after 3 s; waiting a little longer keeps slow CI from flaking the caller. */
export const BOLT_REQUEST_TIMEOUT_MS = 10_000;

export interface BoltReply {
  status: number;
  /** The raw body Bolt answered with (an ack body, '' for a bare ack). */
  text: string;
  /** The body parsed as JSON when it is JSON, else null. */
  json: unknown;
}

export async function postSigned(
  url: string,
  signingSecret: string,
  body: string,
  contentType: string,
  extraHeaders: Record<string, string> = {},
): Promise<BoltReply> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': contentType, ...slackSignatureHeaders(signingSecret, body), ...extraHeaders },
    body,
    signal: AbortSignal.timeout(BOLT_REQUEST_TIMEOUT_MS),
  });
  const text = await response.text();
  let json: unknown = null;
  if (text) {
    try {
      json = JSON.parse(text);
    } catch {
      json = null;
    }
  }
  return { status: response.status, text, json };
}

export function randomId(prefix: string, length = 10): string {
  return `${prefix}${randomBytes(length).toString('hex').toUpperCase().slice(0, length)}`;
}

export interface TeamInfo {
  teamId: string;
  teamDomain: string;
  appId: string;
}

export interface SlashCommandInput {
  command: string;
  text: string;
  userId: string;
  userName: string;
  channelId: string;
  channelName: string;
}

/** A slash command as Slack's form body (HTTP) sends it. */
export function slashCommandForm(team: TeamInfo, input: SlashCommandInput, responseUrl: string): string {
  return new URLSearchParams(slashCommandPayload(team, input, responseUrl)).toString();
}

/** The same fields as an object: a Socket Mode `slash_commands` envelope carries exactly these. */
export function slashCommandPayload(
  team: TeamInfo,
  input: SlashCommandInput,
  responseUrl: string,
): Record<string, string> {
  return {
    token: 'local-verification-token',
    team_id: team.teamId,
    team_domain: team.teamDomain,
    channel_id: input.channelId,
    channel_name: input.channelName,
    user_id: input.userId,
    user_name: input.userName,
    command: input.command,
    text: input.text,
    api_app_id: team.appId,
    is_enterprise_install: 'false',
    response_url: responseUrl,
    trigger_id: `${Date.now()}.${randomId('', 8)}`,
  };
}

export function eventCallback(
  team: TeamInfo & { botUserId: string },
  event: Record<string, unknown>,
  eventId: string,
): Record<string, unknown> {
  return {
    token: 'local-verification-token',
    team_id: team.teamId,
    api_app_id: team.appId,
    event,
    type: 'event_callback',
    event_id: eventId,
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [
      {
        enterprise_id: null,
        team_id: team.teamId,
        user_id: team.botUserId,
        is_bot: true,
        is_enterprise_install: false,
      },
    ],
    is_ext_shared_channel: false,
    event_context: randomId('4-', 24),
  };
}
