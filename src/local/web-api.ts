/**
 * The Web API methods the stand-in serves, with Slack's semantics and errors, over the Workspace
 * model (workspace.ts). Pure: arguments in (as parsed from the HTTP body), Slack's JSON out.
 *
 * Membership, as in Slack: a bot needs `chat:write` and must be a member of the channel to post,
 * except that `chat:write.public` lets it post to *public* channels it has not joined. Private channels
 * always need an invitation (a private channel the bot is not in is `channel_not_found`, and
 * `conversations.join` refuses it). Reading history or replies needs membership in both kinds.
 * The default scopes are the manifest's (no `chat:write.public`), so an unjoined public channel is
 * `not_in_channel` until `conversations.join`.
 */
import type { Block } from './block-limits.js';
import { checkBlocks, MAX_VIEW_BLOCKS } from './block-limits.js';
import type { ApiResult, Args, Channel, StoredMessage, Workspace } from './workspace.js';

/** Slack's hard cap on a message's `text` (https://docs.slack.dev/reference/methods/chat.postMessage). */
export const MAX_MESSAGE_TEXT = 40_000;
/** conversations.list / history / replies page sizes: Slack's defaults and maxima. */
const LIST_DEFAULT_LIMIT = 100;
const LIST_MAX_LIMIT = 1000;
const REPLIES_DEFAULT_LIMIT = 1000;

/** The scope each method needs (bot token). conversations.* on private channels need groups:*; the
 * stand-in checks the public-channel scope, which the manifest grants alongside. */
const REQUIRED_SCOPE: Record<string, string> = {
  'chat.postMessage': 'chat:write',
  'chat.postEphemeral': 'chat:write',
  'chat.update': 'chat:write',
  'chat.delete': 'chat:write',
  'conversations.info': 'channels:read',
  'conversations.list': 'channels:read',
  'conversations.join': 'channels:join',
  'conversations.history': 'channels:history',
  'conversations.replies': 'channels:history',
  'users.info': 'users:read',
  'conversations.open': 'im:write',
  'files.info': 'files:read',
  // views.publish needs no scope: any app may publish its own Home tab.
};

/**
 * Message metadata (https://docs.slack.dev/messaging/message-metadata): an app's `{event_type,
 * event_payload}` kept with its message. conversations.history / replies return it only when asked
 * with `include_all_metadata`, as Slack does.
 */
interface MessageMetadata {
  event_type: string;
  event_payload: Record<string, unknown>;
}
type WithMetadata = StoredMessage & { metadata?: MessageMetadata };

function metadataArg(args: Args): MessageMetadata | null | 'invalid' {
  const value = args.metadata;
  if (value === undefined || value === '') return null;
  if (typeof value !== 'object' || value === null) return 'invalid';
  const { event_type, event_payload } = value as Record<string, unknown>;
  if (typeof event_type !== 'string' || !event_type) return 'invalid';
  if (typeof event_payload !== 'object' || event_payload === null || Array.isArray(event_payload))
    return 'invalid';
  return { event_type, event_payload: event_payload as Record<string, unknown> };
}

/** A message as history / replies show it: metadata only with `include_all_metadata`. */
function listed(message: WithMetadata, includeMetadata: boolean): StoredMessage {
  const copy: WithMetadata = clone(message);
  if (!includeMetadata) delete copy.metadata;
  return copy;
}

const HANDLERS: Record<string, (ws: Workspace, args: Args) => ApiResult> = {
  'auth.test': (ws) => authTest(ws),
  'chat.postMessage': postMessage,
  'chat.postEphemeral': postEphemeral,
  'chat.update': update,
  'chat.delete': deleteMessage,
  'chat.getPermalink': getPermalink,
  'conversations.info': conversationsInfo,
  'conversations.join': conversationsJoin,
  'conversations.list': conversationsList,
  'conversations.replies': conversationsReplies,
  'conversations.history': conversationsHistory,
  'users.info': usersInfo,
  'conversations.open': conversationsOpen,
  'views.publish': viewsPublish,
  'files.info': filesInfo,
};

/** Dispatches one Web API method; unknown methods and missing scopes answer like Slack. */
export function callWebApi(ws: Workspace, method: string, args: Args): ApiResult {
  const handler = HANDLERS[method];
  if (!handler) return { ok: false, error: 'unknown_method' };
  // Reading a direct message's history takes im:history, as in Slack.
  const isIm = /^D/.test(str(args, 'channel') ?? '') && method.startsWith('conversations.');
  const needed =
    isIm && (method === 'conversations.history' || method === 'conversations.replies')
      ? 'im:history'
      : REQUIRED_SCOPE[method];
  if (needed && !ws.scopes.has(needed)) {
    return { ok: false, error: 'missing_scope', needed, provided: [...ws.scopes].join(',') };
  }
  return handler(ws, args);
}

export function str(args: Args, key: string): string | undefined {
  const value = args[key];
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  return undefined;
}

function bool(args: Args, key: string): boolean {
  const value = args[key];
  return value === true || value === 'true' || value === '1' || value === 1;
}

function limitArg(args: Args, fallback: number, max: number): number {
  const raw = Number(str(args, 'limit'));
  if (!Number.isFinite(raw) || raw <= 0) return fallback;
  return Math.min(Math.floor(raw), max);
}

/** Opaque cursors, base64 like Slack's ("dGVhbTpDMDYxRkE1UEI=" shaped), holding an offset. */
function encodeCursor(offset: number): string {
  return Buffer.from(`offset:${offset}`).toString('base64');
}

function decodeCursor(cursor: string | undefined): number {
  if (!cursor) return 0;
  const match = /^offset:(\d+)$/.exec(Buffer.from(cursor, 'base64').toString('utf8'));
  return match ? Number(match[1]) : 0;
}

/** The page of `all` the request's cursor and limit ask for, and the next page's cursor ('' at the end). */
function pageOf<T>(all: T[], args: Args, fallback: number, max: number): { page: T[]; next: string } {
  const offset = decodeCursor(str(args, 'cursor'));
  const limit = limitArg(args, fallback, max);
  const next = offset + limit < all.length ? encodeCursor(offset + limit) : '';
  return { page: all.slice(offset, offset + limit), next };
}

/** conversations.history and conversations.replies answer a page of messages the same way. */
function messagesPage(all: StoredMessage[], args: Args, fallback: number, max: number): ApiResult {
  const { page, next } = pageOf(all, args, fallback, max);
  return {
    ok: true,
    messages: page.map((m) => listed(m, bool(args, 'include_all_metadata'))),
    has_more: next !== '',
    response_metadata: { next_cursor: next },
  };
}

function clone<T>(value: T): T {
  return structuredClone(value);
}

function tsNumber(ts: string): number {
  return Number(ts);
}

/** Channel for a method that takes an id only; private channels the bot is not in are invisible. */
function visibleChannel(ws: Workspace, args: Args): Channel | undefined {
  const ref = str(args, 'channel');
  const channel = ref ? ws.channelById(ref) : undefined;
  if (!channel || (channel.isPrivate && !ws.isBotMember(channel))) return undefined;
  return channel;
}

/** Checks a message body (text / blocks) the way Slack does for every method that posts. */
export function validateContent(
  args: Args,
): { ok: true; text: string; blocks?: Block[] } | (ApiResult & { ok: false }) {
  const text = str(args, 'text') ?? '';
  let blocks: Block[] | undefined;
  const rawBlocks = args.blocks;
  if (rawBlocks !== undefined && rawBlocks !== '') {
    const checked = checkBlocks(rawBlocks);
    if (!checked.ok) {
      return {
        ok: false,
        error: checked.error,
        errors: checked.errors,
        response_metadata: { messages: checked.errors },
      };
    }
    blocks = checked.blocks.length > 0 ? checked.blocks : undefined;
  }
  if (!text && !blocks) return { ok: false, error: 'no_text' };
  if (text.length > MAX_MESSAGE_TEXT) return { ok: false, error: 'msg_too_long' };
  return { ok: true, text, blocks };
}

function authTest(ws: Workspace): ApiResult {
  return {
    ok: true,
    url: ws.permalinkBase,
    team: ws.identity.teamName,
    user: ws.identity.botName,
    team_id: ws.identity.teamId,
    user_id: ws.identity.botUserId,
    bot_id: ws.identity.botId,
    is_enterprise_install: false,
  };
}

function postMessage(ws: Workspace, args: Args): ApiResult {
  const ref = str(args, 'channel');
  const channel = ref ? ws.channel(ref) : undefined;
  if (!channel || (channel.isPrivate && !ws.isBotMember(channel)))
    return { ok: false, error: 'channel_not_found' };
  if (channel.isArchived) return { ok: false, error: 'is_archived' };
  if (!ws.canPost(channel)) return { ok: false, error: 'not_in_channel' };
  const content = validateContent(args);
  if (!content.ok) return content;
  const metadata = metadataArg(args);
  if (metadata === 'invalid') return { ok: false, error: 'invalid_metadata_format' };
  const options: Record<string, unknown> = {};
  for (const key of ['unfurl_links', 'unfurl_media', 'mrkdwn', 'link_names', 'reply_broadcast', 'parse']) {
    const value = args[key];
    // Form bodies carry booleans as strings; store what the caller meant.
    if (value !== undefined) options[key] = value === 'true' ? true : value === 'false' ? false : value;
  }
  const result = ws.insert(
    channel,
    { text: content.text, blocks: content.blocks, user: ws.identity.botUserId, bot: true, options },
    str(args, 'thread_ts') || undefined,
  );
  const live: WithMetadata | undefined =
    result.ok && metadata ? ws.liveMessage(channel.id, String(result.ts)) : undefined;
  if (live && metadata) {
    live.metadata = metadata;
    (result.message as WithMetadata).metadata = clone(metadata);
  }
  return result;
}

function postEphemeral(ws: Workspace, args: Args): ApiResult {
  const ref = str(args, 'channel');
  const channel = ref ? ws.channel(ref) : undefined;
  if (!channel || (channel.isPrivate && !ws.isBotMember(channel)))
    return { ok: false, error: 'channel_not_found' };
  if (!ws.canPost(channel)) return { ok: false, error: 'not_in_channel' };
  const userId = str(args, 'user');
  if (!userId || !ws.user(userId)) return { ok: false, error: 'user_not_found' };
  if (!channel.members.has(userId)) return { ok: false, error: 'user_not_in_channel' };
  const content = validateContent(args);
  if (!content.ok) return content;
  const threadTs = str(args, 'thread_ts') || undefined;
  const record = ws.addEphemeral({
    channel: channel.id,
    user: userId,
    text: content.text,
    blocks: content.blocks,
    thread_ts: threadTs,
    source: 'chat.postEphemeral',
  });
  return { ok: true, message_ts: record.ts };
}

function ownMessage(
  ws: Workspace,
  args: Args,
  tsKey: string,
): { channel: Channel; message: StoredMessage } | ApiResult {
  const channel = visibleChannel(ws, args);
  if (!channel) return { ok: false, error: 'channel_not_found' };
  const ts = str(args, tsKey);
  const message = ts ? ws.liveMessage(channel.id, ts) : undefined;
  if (!message || message.subtype === 'tombstone') return { ok: false, error: 'message_not_found' };
  return { channel, message };
}

function update(ws: Workspace, args: Args): ApiResult {
  const found = ownMessage(ws, args, 'ts');
  if ('ok' in found) return found;
  const { channel, message } = found;
  if (message.bot_id !== ws.identity.botId) return { ok: false, error: 'cant_update_message' };
  const content = validateContent(args);
  if (!content.ok) return content;
  message.text = content.text;
  if (args.blocks !== undefined) {
    if (content.blocks) message.blocks = content.blocks;
    else delete message.blocks;
  }
  message.edited = { user: ws.identity.botUserId, ts: ws.nextTs() };
  return { ok: true, channel: channel.id, ts: message.ts, text: message.text, message: clone(message) };
}

function deleteMessage(ws: Workspace, args: Args): ApiResult {
  const found = ownMessage(ws, args, 'ts');
  if ('ok' in found) return found;
  const { channel, message } = found;
  if (message.bot_id !== ws.identity.botId) return { ok: false, error: 'cant_delete_message' };
  ws.remove(channel.id, message);
  return { ok: true, channel: channel.id, ts: message.ts };
}

function getPermalink(ws: Workspace, args: Args): ApiResult {
  const channel = visibleChannel(ws, args);
  if (!channel) return { ok: false, error: 'channel_not_found' };
  const ts = str(args, 'message_ts');
  const message = ts ? ws.liveMessage(channel.id, ts) : undefined;
  if (!message) return { ok: false, error: 'message_not_found' };
  let permalink = `${ws.permalinkBase}archives/${channel.id}/p${message.ts.replace('.', '')}`;
  if (message.thread_ts && message.thread_ts !== message.ts) {
    permalink += `?thread_ts=${message.thread_ts}&cid=${channel.id}`;
  }
  return { ok: true, channel: channel.id, permalink };
}

function conversationsInfo(ws: Workspace, args: Args): ApiResult {
  const channel = visibleChannel(ws, args);
  if (!channel) return { ok: false, error: 'channel_not_found' };
  return { ok: true, channel: ws.channelObject(channel) };
}

function conversationsJoin(ws: Workspace, args: Args): ApiResult {
  const ref = str(args, 'channel');
  const channel = ref ? ws.channelById(ref) : undefined;
  if (!channel) return { ok: false, error: 'channel_not_found' };
  if (channel.isPrivate) return { ok: false, error: 'method_not_supported_for_channel_type' };
  if (channel.isArchived) return { ok: false, error: 'is_archived' };
  const already = ws.isBotMember(channel);
  channel.members.add(ws.identity.botUserId);
  const result: ApiResult = { ok: true, channel: ws.channelObject(channel) };
  if (already) {
    result.warning = 'already_in_channel';
    result.response_metadata = { warnings: ['already_in_channel'] };
  }
  return result;
}

function conversationsList(ws: Workspace, args: Args): ApiResult {
  const types = new Set((str(args, 'types') ?? 'public_channel').split(',').map((t) => t.trim()));
  const excludeArchived = bool(args, 'exclude_archived');
  const visible = ws.allChannels().filter((c) => {
    if (excludeArchived && c.isArchived) return false;
    if (c.imUser) return types.has('im');
    if (c.isPrivate) return types.has('private_channel') && ws.isBotMember(c);
    return types.has('public_channel');
  });
  const { page, next } = pageOf(visible, args, LIST_DEFAULT_LIMIT, LIST_MAX_LIMIT);
  return {
    ok: true,
    channels: page.map((c) => ws.channelObject(c)),
    response_metadata: { next_cursor: next },
  };
}

function readable(ws: Workspace, args: Args): Channel | ApiResult {
  const channel = visibleChannel(ws, args);
  if (!channel) return { ok: false, error: 'channel_not_found' };
  if (!ws.isBotMember(channel)) return { ok: false, error: 'not_in_channel' };
  return channel;
}

function conversationsHistory(ws: Workspace, args: Args): ApiResult {
  const channel = readable(ws, args);
  if ('ok' in channel) return channel;
  const inclusive = bool(args, 'inclusive');
  const oldest = Number(str(args, 'oldest') ?? 0);
  const latestRaw = str(args, 'latest');
  const latest = latestRaw ? Number(latestRaw) : Number.POSITIVE_INFINITY;
  const inRange = (ts: string): boolean => {
    const t = tsNumber(ts);
    return inclusive ? t >= oldest && t <= latest : t > oldest && t < latest;
  };
  const all = ws
    .liveMessages(channel.id)
    .filter((m) => (!m.thread_ts || m.thread_ts === m.ts) && inRange(m.ts))
    .reverse();
  return messagesPage(all, args, LIST_DEFAULT_LIMIT, LIST_MAX_LIMIT);
}

function conversationsReplies(ws: Workspace, args: Args): ApiResult {
  const channel = readable(ws, args);
  if ('ok' in channel) return channel;
  const ts = str(args, 'ts');
  const target = ts ? ws.liveMessage(channel.id, ts) : undefined;
  if (!target) return { ok: false, error: 'thread_not_found' };
  const all = ws.thread(channel.id, target.ts);
  return messagesPage(all, args, REPLIES_DEFAULT_LIMIT, REPLIES_DEFAULT_LIMIT);
}

function usersInfo(ws: Workspace, args: Args): ApiResult {
  const id = str(args, 'user');
  const user = id ? ws.user(id) : undefined;
  if (!user) return { ok: false, error: 'user_not_found' };
  return {
    ok: true,
    user: {
      id: user.id,
      team_id: ws.identity.teamId,
      name: user.name,
      real_name: user.realName,
      is_bot: user.isBot,
      deleted: user.deleted === true,
      is_admin: user.isAdmin === true || user.isOwner === true,
      is_owner: user.isOwner === true,
      tz: user.tz,
      profile: {
        real_name: user.realName,
        display_name: user.isBot ? user.name : user.realName,
        bot_id: user.botId,
      },
    },
  };
}

/** Opens (or finds) the bot's direct message with one user; Slack's errors for the unreachable. */
function conversationsOpen(ws: Workspace, args: Args): ApiResult {
  const users = (str(args, 'users') ?? '')
    .split(',')
    .map((id) => id.trim())
    .filter(Boolean);
  if (users.length === 0) return { ok: false, error: 'users_list_not_supplied' };
  // Several users would open a group DM, which the bot never does: refused rather than modelled.
  if (users.length > 1) return { ok: false, error: 'invalid_arguments' };
  const user = ws.user(users[0]!);
  if (!user) return { ok: false, error: 'user_not_found' };
  if (user.deleted) return { ok: false, error: 'user_disabled' };
  if (user.isBot) return { ok: false, error: 'cannot_dm_bot' };
  const channel = ws.openIm(user.id);
  return { ok: true, channel: { id: channel.id, is_im: true, user: user.id } };
}

/**
 * views.publish (https://docs.slack.dev/reference/methods/views.publish): a `home` view for one user,
 * its blocks checked with a view's limit of 100.
 */
function viewsPublish(ws: Workspace, args: Args): ApiResult {
  const userId = str(args, 'user_id');
  const user = userId ? ws.user(userId) : undefined;
  if (!userId || !user || user.isBot) return { ok: false, error: 'user_not_found' };
  let view = args.view;
  if (typeof view === 'string') {
    try {
      view = JSON.parse(view);
    } catch {
      return { ok: false, error: 'invalid_arguments' };
    }
  }
  if (typeof view !== 'object' || view === null || Array.isArray(view))
    return { ok: false, error: 'invalid_arguments' };
  const record = view as Record<string, unknown>;
  if (record.type !== 'home')
    return { ok: false, error: 'invalid_arguments', detail: 'view.type must be home' };
  const checked = checkBlocks(record.blocks, MAX_VIEW_BLOCKS);
  if (!checked.ok) {
    return { ok: false, error: 'invalid_arguments', response_metadata: { messages: checked.errors } };
  }
  const published = ws.publishHome(userId, {
    type: 'home',
    blocks: checked.blocks,
    ...(typeof record.private_metadata === 'string' ? { private_metadata: record.private_metadata } : {}),
    ...(typeof record.callback_id === 'string' ? { callback_id: record.callback_id } : {}),
  });
  return { ok: true, view: { ...published, team_id: ws.identity.teamId, app_id: ws.identity.appId } };
}

/** files.info: the file's description with its url_private (the content is only there). */
function filesInfo(ws: Workspace, args: Args): ApiResult {
  const id = str(args, 'file');
  const file = id ? ws.file(id) : undefined;
  if (!file) return { ok: false, error: 'file_not_found' };
  return { ok: true, file: ws.fileObject(file) };
}
