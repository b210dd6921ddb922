/**
 * BRIEFING_CHANNEL → a channel id the bot can post in: looked up by id (conversations.info) or by
 * name (conversations.list), joined when the bot is not a member yet (public channels only: a private
 * channel needs a human to invite the bot).
 */
import type { WebClient } from '@slack/web-api';
import { type Call, PermanentSlackError } from './call.js';

/** Channel ids: C… public, G… private/legacy groups, D… direct messages. */
const CHANNEL_ID = /^[CGD][A-Z0-9]{6,}$/;
/** conversations.list page size: Slack's recommended maximum is 200 (larger pages time out). */
const LIST_PAGE_SIZE = 200;
/** A workspace with more channels than 50 pages × 200 is not one this bot will search by name. */
const MAX_LIST_PAGES = 50;

interface ChannelInfo {
  id?: string;
  name?: string;
  is_member?: boolean;
  is_private?: boolean;
  is_archived?: boolean;
}

export function isChannelId(value: string): boolean {
  return CHANNEL_ID.test(value);
}

export async function resolveChannel(client: WebClient, wanted: string, call: Call): Promise<string> {
  const target = wanted.trim().replace(/^#/, '');
  const channel = isChannelId(target)
    ? ((await call(() => client.conversations.info({ channel: target }))).channel as ChannelInfo | undefined)
    : await findByName(client, target.toLowerCase(), call);
  if (!channel?.id) {
    // Slack hides private channels from bots that are not in them, so "not found" may mean "not invited".
    throw new PermanentSlackError(
      `channel_not_found: no channel "${wanted}" visible to the bot (a private channel must invite the bot first)`,
    );
  }
  if (channel.is_archived) throw new PermanentSlackError(`is_archived: channel "${wanted}" is archived`);
  if (channel.id.startsWith('D') || channel.is_member) return channel.id;
  if (channel.is_private) {
    throw new PermanentSlackError(`not_in_channel: invite the bot to the private channel "${wanted}"`);
  }
  await call(() => client.conversations.join({ channel: channel.id as string }));
  return channel.id;
}

/** Channels by the name or id they are configured with, each looked up (and joined) once. */
export interface ChannelResolver {
  resolve(ref: string, call: Call): Promise<string>;
  /** Forgets a channel that failed: the next post looks it up again (it may have been fixed). */
  forget(ref: string): void;
}

/**
 * One per process, shared by whatever posts (BRIEFING_CHANNEL, DIGEST_CHANNEL, desks): two components
 * asking for one channel at once make one look-up, and a failed one is not remembered.
 */
export function createChannelResolver(client: WebClient): ChannelResolver {
  const known = new Map<string, Promise<string>>();
  return {
    resolve(ref, call) {
      let found = known.get(ref);
      if (!found) {
        const lookup = resolveChannel(client, ref, call);
        known.set(ref, lookup);
        lookup.catch(() => {
          if (known.get(ref) === lookup) known.delete(ref);
        });
        found = lookup;
      }
      return found;
    },
    forget(ref) {
      known.delete(ref);
    },
  };
}

async function findByName(client: WebClient, name: string, call: Call): Promise<ChannelInfo | undefined> {
  let cursor: string | undefined;
  for (let page = 0; page < MAX_LIST_PAGES; page++) {
    const result = await call(() =>
      client.conversations.list({
        types: 'public_channel,private_channel',
        exclude_archived: true,
        limit: LIST_PAGE_SIZE,
        ...(cursor ? { cursor } : {}),
      }),
    );
    const found = (result.channels as ChannelInfo[] | undefined)?.find((c) => c.name?.toLowerCase() === name);
    if (found) return found;
    cursor = result.response_metadata?.next_cursor || undefined;
    if (!cursor) return undefined;
  }
  return undefined;
}
