/**
 * The in-memory model of a Slack workspace behind the stand-in: channels, users, messages, threads,
 * ephemeral messages, and the Web API methods' semantics (arguments in, Slack's JSON out).
 * No I/O: the HTTP server, auth, rate limits and faults live in slack-stand-in.ts.
 *
 * Membership rule, as in Slack: a bot needs `chat:write` and must be a member of the channel to post,
 * except that `chat:write.public` lets it post to *public* channels it has not joined. Private channels
 * always need an invitation (`not_in_channel`; `conversations.join` refuses them). Reading history or
 * replies needs membership in both kinds. The default scopes are the manifest's (no `chat:write.public`),
 * so an unjoined public channel is `not_in_channel` until `conversations.join`.
 */
import { type Block, checkBlocks } from './block-limits.js';

/** Slack's hard cap on a message's `text` (https://docs.slack.dev/reference/methods/chat.postMessage). */
export const MAX_MESSAGE_TEXT = 40_000;
/** conversations.list / history / replies page sizes: Slack's defaults and maxima. */
const LIST_DEFAULT_LIMIT = 100;
const LIST_MAX_LIMIT = 1000;
const REPLIES_DEFAULT_LIMIT = 1000;

export type Args = Record<string, unknown>;
export type ApiResult =
  | { ok: true; [key: string]: unknown }
  | { ok: false; error: string; [key: string]: unknown };

export interface WorkspaceUser {
  id: string;
  name: string;
  realName: string;
  isBot: boolean;
  botId?: string;
  tz: string;
}

export interface Channel {
  id: string;
  name: string;
  isPrivate: boolean;
  isArchived: boolean;
  created: number;
  members: Set<string>;
  topic: string;
}

export interface StoredMessage {
  type: 'message';
  ts: string;
  channel: string;
  text: string;
  blocks?: Block[];
  user?: string;
  bot_id?: string;
  app_id?: string;
  username?: string;
  subtype?: string;
  thread_ts?: string;
  reply_count?: number;
  reply_users?: string[];
  reply_users_count?: number;
  latest_reply?: string;
  edited?: { user: string; ts: string };
  /** Arguments that change how Slack renders but not what it stores (unfurl flags, mrkdwn…). */
  options?: Record<string, unknown>;
}

export interface EphemeralMessage {
  channel: string;
  user: string;
  ts: string;
  text: string;
  blocks?: Block[];
  thread_ts?: string;
  /** How it got there: the bot's chat.postEphemeral, a slash-command ack body, or a response_url post. */
  source: 'chat.postEphemeral' | 'ack' | 'response_url';
}

export interface WorkspaceIdentity {
  teamId: string;
  teamName: string;
  teamDomain: string;
  botUserId: string;
  botId: string;
  appId: string;
  botName: string;
}

export const DEFAULT_IDENTITY: WorkspaceIdentity = {
  teamId: 'T_LOCAL',
  teamName: 'Local newsroom',
  teamDomain: 'newsroom-local',
  botUserId: 'U_BOT',
  botId: 'B_BOT',
  appId: 'A_LOCAL',
  botName: 'briefing-bot',
};

export const LOCAL_USER: WorkspaceUser = {
  id: 'U_LOCAL',
  name: 'newsroom.editor',
  realName: 'newsroom editor',
  isBot: false,
  tz: 'America/New_York',
};

/**
 * What the bot was granted at install: exactly manifest.yml's bot scopes (a test keeps them in step).
 * No `chat:write.public` and no `users:read`, so the bot must be a member (or join) to post, and
 * users.info is `missing_scope` — as it would be in a workspace installed from the manifest.
 */
export const DEFAULT_SCOPES = [
  'chat:write',
  'channels:join',
  'channels:read',
  'groups:read',
  'commands',
  'app_mentions:read',
  'channels:history',
  'groups:history',
];

function str(args: Args, key: string): string | undefined {
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

function tsNumber(ts: string): number {
  return Number(ts);
}

function clone<T>(value: T): T {
  return structuredClone(value);
}

/** The workspace as JSON, so the local workspace survives a restart alongside the bot's store. */
export interface WorkspaceSnapshot {
  version: 1;
  lastTsMicros: number;
  channels: Array<Omit<Channel, 'members'> & { members: string[] }>;
  users: WorkspaceUser[];
  messages: Record<string, StoredMessage[]>;
  ephemerals: EphemeralMessage[];
}

export interface WorkspaceOptions {
  identity?: Partial<WorkspaceIdentity>;
  scopes?: string[];
  /** Milliseconds since the epoch; message timestamps come from it (made unique and increasing). */
  now?: () => number;
  /** Base of permalinks, ending in '/'. */
  permalinkBase?: string;
  /** Whether the bot starts as a member of the seeded channels (as if an admin invited it). */
  botInSeededChannels?: boolean;
}

export class Workspace {
  readonly identity: WorkspaceIdentity;
  scopes: Set<string>;
  permalinkBase: string;
  private readonly now: () => number;
  private readonly channels = new Map<string, Channel>();
  private readonly users = new Map<string, WorkspaceUser>();
  private readonly messagesByChannel = new Map<string, StoredMessage[]>();
  private readonly ephemeralList: EphemeralMessage[] = [];
  private lastTsMicros = 0;

  constructor(options: WorkspaceOptions = {}) {
    this.identity = { ...DEFAULT_IDENTITY, ...options.identity };
    this.scopes = new Set(options.scopes ?? DEFAULT_SCOPES);
    this.now = options.now ?? Date.now;
    this.permalinkBase = options.permalinkBase ?? `https://${this.identity.teamDomain}.slack.com/`;
    this.users.set(LOCAL_USER.id, { ...LOCAL_USER });
    this.users.set(this.identity.botUserId, {
      id: this.identity.botUserId,
      name: this.identity.botName,
      realName: this.identity.botName,
      isBot: true,
      botId: this.identity.botId,
      tz: 'UTC',
    });
    const botJoins = options.botInSeededChannels ?? true;
    for (const name of ['briefings', 'digest']) {
      this.addChannel({
        name,
        members: botJoins ? [LOCAL_USER.id, this.identity.botUserId] : [LOCAL_USER.id],
      });
    }
  }

  snapshot(): WorkspaceSnapshot {
    return clone({
      version: 1,
      lastTsMicros: this.lastTsMicros,
      channels: this.allChannels().map((c) => ({ ...c, members: [...c.members] })),
      users: [...this.users.values()],
      messages: Object.fromEntries(this.messagesByChannel),
      ephemerals: this.ephemeralList,
    });
  }

  /** Replaces the whole state with a snapshot (throws on one this code did not write). */
  restore(snapshot: WorkspaceSnapshot): void {
    if (
      snapshot?.version !== 1 ||
      !Array.isArray(snapshot.channels) ||
      typeof snapshot.messages !== 'object'
    ) {
      throw new Error('not a local workspace snapshot (version 1)');
    }
    this.channels.clear();
    this.messagesByChannel.clear();
    for (const channel of snapshot.channels) {
      this.channels.set(channel.id, { ...channel, members: new Set(channel.members) });
      this.messagesByChannel.set(channel.id, clone(snapshot.messages[channel.id] ?? []));
    }
    for (const user of snapshot.users ?? []) this.users.set(user.id, { ...user });
    this.ephemeralList.splice(0, this.ephemeralList.length, ...clone(snapshot.ephemerals ?? []));
    this.lastTsMicros = Math.max(this.lastTsMicros, snapshot.lastTsMicros ?? 0);
  }

  /** A unique, increasing "seconds.micros" timestamp, like Slack's message ts. */
  nextTs(): string {
    const micros = Math.max(Math.floor(this.now() * 1000), this.lastTsMicros + 1);
    this.lastTsMicros = micros;
    const seconds = Math.floor(micros / 1_000_000);
    return `${seconds}.${String(micros % 1_000_000).padStart(6, '0')}`;
  }

  addChannel(input: { name: string; isPrivate?: boolean; members?: string[]; id?: string }): Channel {
    // Slack ids are 'C' + 8 or more upper-case letters and digits; readable ones help debugging.
    const base = `C${input.name
      .toUpperCase()
      .replace(/[^A-Z0-9]/g, '')
      .padEnd(8, '0')}`;
    let id = input.id ?? base;
    for (let n = 2; this.channels.has(id); n++) id = `${base}${n}`;
    const channel: Channel = {
      id,
      name: input.name,
      isPrivate: input.isPrivate ?? false,
      isArchived: false,
      created: Math.floor(this.now() / 1000),
      members: new Set(input.members ?? [LOCAL_USER.id]),
      topic: '',
    };
    this.channels.set(id, channel);
    this.messagesByChannel.set(id, []);
    return channel;
  }

  addUser(user: WorkspaceUser): void {
    this.users.set(user.id, { ...user });
  }

  user(id: string): WorkspaceUser | undefined {
    return this.users.get(id);
  }

  /** By id, name, or "#name". */
  channel(ref: string): Channel | undefined {
    const byId = this.channels.get(ref);
    if (byId) return byId;
    const name = ref.replace(/^#/, '');
    for (const channel of this.channels.values()) if (channel.name === name) return channel;
    return undefined;
  }

  allChannels(): Channel[] {
    return [...this.channels.values()];
  }

  /** Top-level messages of a channel, oldest first (each with its reply_count). */
  messages(channelRef: string): StoredMessage[] {
    const channel = this.channel(channelRef);
    if (!channel) return [];
    return this.channelMessages(channel.id)
      .filter((m) => !m.thread_ts || m.thread_ts === m.ts)
      .map(clone);
  }

  /** A thread: the parent then its replies, oldest first; empty when there is no such message. */
  thread(channelRef: string, ts: string): StoredMessage[] {
    const channel = this.channel(channelRef);
    if (!channel) return [];
    const parent = this.find(channel.id, ts);
    if (!parent) return [];
    const root = parent.thread_ts ?? parent.ts;
    return this.channelMessages(channel.id)
      .filter((m) => m.ts === root || m.thread_ts === root)
      .map(clone);
  }

  /** Ephemeral messages, optionally only those shown to one user. */
  ephemerals(user?: string): EphemeralMessage[] {
    return this.ephemeralList.filter((e) => !user || e.user === user).map(clone);
  }

  findMessage(channelRef: string, ts: string): StoredMessage | undefined {
    const channel = this.channel(channelRef);
    const found = channel ? this.find(channel.id, ts) : undefined;
    return found ? clone(found) : undefined;
  }

  addEphemeral(ephemeral: Omit<EphemeralMessage, 'ts'>): EphemeralMessage {
    const record = { ...ephemeral, ts: this.nextTs() };
    this.ephemeralList.push(record);
    return clone(record);
  }

  /** Replaces an ephemeral message's content in place (response_url with replace_original). */
  replaceEphemeral(ts: string, content: { text: string; blocks?: Block[] }): boolean {
    const found = this.ephemeralList.find((e) => e.ts === ts);
    if (!found) return false;
    found.text = content.text;
    found.blocks = content.blocks;
    return true;
  }

  deleteEphemeral(ts: string): boolean {
    const index = this.ephemeralList.findIndex((e) => e.ts === ts);
    if (index < 0) return false;
    this.ephemeralList.splice(index, 1);
    return true;
  }

  /** A person writes in a channel or thread (the local page; tests). Not a Web API call. */
  postAsUser(input: { channel: string; user: string; text: string; thread_ts?: string }): ApiResult {
    const channel = this.channel(input.channel);
    if (!channel) return { ok: false, error: 'channel_not_found' };
    if (!this.users.has(input.user)) return { ok: false, error: 'user_not_found' };
    channel.members.add(input.user);
    return this.insert(channel, { text: input.text, user: input.user }, input.thread_ts);
  }

  /**
   * The app speaks in a channel without a Web API call: a slash command's `in_channel` response.
   * Slack shows those even where the bot is not a member, so membership is not checked.
   */
  postAsApp(channelRef: string, args: Args): ApiResult {
    const channel = this.channel(channelRef);
    if (!channel) return { ok: false, error: 'channel_not_found' };
    const content = this.validateContent(args);
    if (!content.ok) return content;
    return this.insert(
      channel,
      { text: content.text, blocks: content.blocks, user: this.identity.botUserId, bot: true },
      str(args, 'thread_ts') || undefined,
    );
  }

  /** Replaces a channel message's content (response_url with replace_original), whoever posted it. */
  replaceMessage(channelRef: string, ts: string, content: { text: string; blocks?: Block[] }): boolean {
    const channel = this.channel(channelRef);
    const message = channel ? this.find(channel.id, ts) : undefined;
    if (!message) return false;
    message.text = content.text;
    if (content.blocks) message.blocks = content.blocks;
    else delete message.blocks;
    message.edited = { user: this.identity.botUserId, ts: this.nextTs() };
    return true;
  }

  /** Dispatches one Web API method; unknown methods answer like Slack. */
  call(method: string, args: Args): ApiResult {
    const handler = this.handlers[method];
    if (!handler) return { ok: false, error: 'unknown_method' };
    const needed = REQUIRED_SCOPE[method];
    if (needed && !this.scopes.has(needed)) {
      return { ok: false, error: 'missing_scope', needed, provided: [...this.scopes].join(',') };
    }
    return handler(args);
  }

  static readonly methods = [
    'auth.test',
    'chat.postMessage',
    'chat.postEphemeral',
    'chat.update',
    'chat.delete',
    'chat.getPermalink',
    'conversations.info',
    'conversations.join',
    'conversations.list',
    'conversations.replies',
    'conversations.history',
    'users.info',
  ] as const;

  private readonly handlers: Record<string, (args: Args) => ApiResult> = {
    'auth.test': () => this.authTest(),
    'chat.postMessage': (args) => this.postMessage(args),
    'chat.postEphemeral': (args) => this.postEphemeral(args),
    'chat.update': (args) => this.update(args),
    'chat.delete': (args) => this.delete(args),
    'chat.getPermalink': (args) => this.getPermalink(args),
    'conversations.info': (args) => this.conversationsInfo(args),
    'conversations.join': (args) => this.conversationsJoin(args),
    'conversations.list': (args) => this.conversationsList(args),
    'conversations.replies': (args) => this.conversationsReplies(args),
    'conversations.history': (args) => this.conversationsHistory(args),
    'users.info': (args) => this.usersInfo(args),
  };

  private channelMessages(channelId: string): StoredMessage[] {
    return this.messagesByChannel.get(channelId) ?? [];
  }

  private find(channelId: string, ts: string): StoredMessage | undefined {
    return this.channelMessages(channelId).find((m) => m.ts === ts);
  }

  private isBotMember(channel: Channel): boolean {
    return channel.members.has(this.identity.botUserId);
  }

  private canPost(channel: Channel): boolean {
    return this.isBotMember(channel) || (!channel.isPrivate && this.scopes.has('chat:write.public'));
  }

  /** Channel for a method that takes an id only; private channels the bot is not in are invisible. */
  private visibleChannel(args: Args): Channel | undefined {
    const ref = str(args, 'channel');
    const channel = ref ? this.channels.get(ref) : undefined;
    if (!channel || (channel.isPrivate && !this.isBotMember(channel))) return undefined;
    return channel;
  }

  /** Checks a message body (text / blocks) the way Slack does for every method that posts. */
  validateContent(args: Args): { ok: true; text: string; blocks?: Block[] } | (ApiResult & { ok: false }) {
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

  private botMessage(ts: string, channel: string, text: string, blocks: Block[] | undefined): StoredMessage {
    const message: StoredMessage = {
      type: 'message',
      ts,
      channel,
      text,
      user: this.identity.botUserId,
      bot_id: this.identity.botId,
      app_id: this.identity.appId,
    };
    if (blocks) message.blocks = blocks;
    return message;
  }

  private insert(
    channel: Channel,
    body: { text: string; blocks?: Block[]; user: string; bot?: boolean; options?: Record<string, unknown> },
    threadTs: string | undefined,
  ): ApiResult {
    const list = this.channelMessages(channel.id);
    let root: StoredMessage | undefined;
    if (threadTs) {
      const target = this.find(channel.id, threadTs);
      if (!target) return { ok: false, error: 'thread_not_found' };
      // Replying to a reply lands in the same thread, as in Slack.
      root =
        target.thread_ts && target.thread_ts !== target.ts ? this.find(channel.id, target.thread_ts) : target;
      if (!root) return { ok: false, error: 'thread_not_found' };
    }
    const ts = this.nextTs();
    const message: StoredMessage = body.bot
      ? this.botMessage(ts, channel.id, body.text, body.blocks)
      : { type: 'message', ts, channel: channel.id, text: body.text, user: body.user };
    if (body.options && Object.keys(body.options).length > 0) message.options = body.options;
    if (root) {
      message.thread_ts = root.ts;
      root.thread_ts = root.ts;
      root.reply_count = (root.reply_count ?? 0) + 1;
      const users = root.reply_users ?? [];
      if (!users.includes(body.user)) users.push(body.user);
      root.reply_users = users;
      root.reply_users_count = users.length;
      root.latest_reply = ts;
    }
    list.push(message);
    return { ok: true, channel: channel.id, ts, message: clone(message) };
  }

  private authTest(): ApiResult {
    return {
      ok: true,
      url: this.permalinkBase,
      team: this.identity.teamName,
      user: this.identity.botName,
      team_id: this.identity.teamId,
      user_id: this.identity.botUserId,
      bot_id: this.identity.botId,
      is_enterprise_install: false,
    };
  }

  private postMessage(args: Args): ApiResult {
    const ref = str(args, 'channel');
    const channel = ref ? this.channel(ref) : undefined;
    if (!channel || (channel.isPrivate && !this.isBotMember(channel)))
      return { ok: false, error: 'channel_not_found' };
    if (channel.isArchived) return { ok: false, error: 'is_archived' };
    if (!this.canPost(channel)) return { ok: false, error: 'not_in_channel' };
    const content = this.validateContent(args);
    if (!content.ok) return content;
    const options: Record<string, unknown> = {};
    for (const key of ['unfurl_links', 'unfurl_media', 'mrkdwn', 'link_names', 'reply_broadcast', 'parse']) {
      const value = args[key];
      // Form bodies carry booleans as strings; store what the caller meant.
      if (value !== undefined) options[key] = value === 'true' ? true : value === 'false' ? false : value;
    }
    return this.insert(
      channel,
      { text: content.text, blocks: content.blocks, user: this.identity.botUserId, bot: true, options },
      str(args, 'thread_ts') || undefined,
    );
  }

  private postEphemeral(args: Args): ApiResult {
    const ref = str(args, 'channel');
    const channel = ref ? this.channel(ref) : undefined;
    if (!channel || (channel.isPrivate && !this.isBotMember(channel)))
      return { ok: false, error: 'channel_not_found' };
    if (!this.canPost(channel)) return { ok: false, error: 'not_in_channel' };
    const userId = str(args, 'user');
    if (!userId || !this.users.has(userId)) return { ok: false, error: 'user_not_found' };
    if (!channel.members.has(userId)) return { ok: false, error: 'user_not_in_channel' };
    const content = this.validateContent(args);
    if (!content.ok) return content;
    const threadTs = str(args, 'thread_ts') || undefined;
    const record = this.addEphemeral({
      channel: channel.id,
      user: userId,
      text: content.text,
      blocks: content.blocks,
      thread_ts: threadTs,
      source: 'chat.postEphemeral',
    });
    return { ok: true, message_ts: record.ts };
  }

  private ownMessage(args: Args, tsKey: string): { channel: Channel; message: StoredMessage } | ApiResult {
    const channel = this.visibleChannel(args);
    if (!channel) return { ok: false, error: 'channel_not_found' };
    const ts = str(args, tsKey);
    const message = ts ? this.find(channel.id, ts) : undefined;
    if (!message || message.subtype === 'tombstone') return { ok: false, error: 'message_not_found' };
    return { channel, message };
  }

  private update(args: Args): ApiResult {
    const found = this.ownMessage(args, 'ts');
    if ('ok' in found) return found;
    const { channel, message } = found;
    if (message.bot_id !== this.identity.botId) return { ok: false, error: 'cant_update_message' };
    const content = this.validateContent(args);
    if (!content.ok) return content;
    message.text = content.text;
    if (args.blocks !== undefined) {
      if (content.blocks) message.blocks = content.blocks;
      else delete message.blocks;
    }
    message.edited = { user: this.identity.botUserId, ts: this.nextTs() };
    return { ok: true, channel: channel.id, ts: message.ts, text: message.text, message: clone(message) };
  }

  private delete(args: Args): ApiResult {
    const found = this.ownMessage(args, 'ts');
    if ('ok' in found) return found;
    const { channel, message } = found;
    if (message.bot_id !== this.identity.botId) return { ok: false, error: 'cant_delete_message' };
    this.remove(channel.id, message);
    return { ok: true, channel: channel.id, ts: message.ts };
  }

  /** Removes a message; a parent with replies stays as Slack's "This message was deleted." tombstone. */
  removeMessage(channelRef: string, ts: string): boolean {
    const channel = this.channel(channelRef);
    const message = channel ? this.find(channel.id, ts) : undefined;
    if (!channel || !message) return false;
    this.remove(channel.id, message);
    return true;
  }

  private remove(channelId: string, message: StoredMessage): void {
    const list = this.channelMessages(channelId);
    const isParent = message.thread_ts === message.ts && (message.reply_count ?? 0) > 0;
    if (isParent) {
      message.subtype = 'tombstone';
      message.text = 'This message was deleted.';
      delete message.blocks;
      return;
    }
    list.splice(list.indexOf(message), 1);
    if (message.thread_ts && message.thread_ts !== message.ts) {
      const root = this.find(channelId, message.thread_ts);
      if (root) {
        const replies = list.filter((m) => m.thread_ts === root.ts && m.ts !== root.ts);
        root.reply_count = replies.length;
        root.reply_users = [...new Set(replies.map((m) => m.user ?? ''))].filter(Boolean);
        root.reply_users_count = root.reply_users.length;
        root.latest_reply = replies.at(-1)?.ts ?? root.ts;
      }
    }
  }

  private getPermalink(args: Args): ApiResult {
    const channel = this.visibleChannel(args);
    if (!channel) return { ok: false, error: 'channel_not_found' };
    const ts = str(args, 'message_ts');
    const message = ts ? this.find(channel.id, ts) : undefined;
    if (!message) return { ok: false, error: 'message_not_found' };
    let permalink = `${this.permalinkBase}archives/${channel.id}/p${message.ts.replace('.', '')}`;
    if (message.thread_ts && message.thread_ts !== message.ts) {
      permalink += `?thread_ts=${message.thread_ts}&cid=${channel.id}`;
    }
    return { ok: true, channel: channel.id, permalink };
  }

  channelObject(channel: Channel): Record<string, unknown> {
    return {
      id: channel.id,
      name: channel.name,
      name_normalized: channel.name,
      is_channel: !channel.isPrivate,
      is_group: channel.isPrivate,
      is_im: false,
      is_mpim: false,
      is_private: channel.isPrivate,
      is_archived: channel.isArchived,
      is_general: false,
      is_member: this.isBotMember(channel),
      created: channel.created,
      creator: LOCAL_USER.id,
      num_members: channel.members.size,
      topic: { value: channel.topic, creator: '', last_set: 0 },
      purpose: { value: '', creator: '', last_set: 0 },
    };
  }

  private conversationsInfo(args: Args): ApiResult {
    const channel = this.visibleChannel(args);
    if (!channel) return { ok: false, error: 'channel_not_found' };
    return { ok: true, channel: this.channelObject(channel) };
  }

  private conversationsJoin(args: Args): ApiResult {
    const ref = str(args, 'channel');
    const channel = ref ? this.channels.get(ref) : undefined;
    if (!channel) return { ok: false, error: 'channel_not_found' };
    if (channel.isPrivate) return { ok: false, error: 'method_not_supported_for_channel_type' };
    if (channel.isArchived) return { ok: false, error: 'is_archived' };
    const already = this.isBotMember(channel);
    channel.members.add(this.identity.botUserId);
    const result: ApiResult = { ok: true, channel: this.channelObject(channel) };
    if (already) {
      result.warning = 'already_in_channel';
      result.response_metadata = { warnings: ['already_in_channel'] };
    }
    return result;
  }

  private conversationsList(args: Args): ApiResult {
    const types = new Set((str(args, 'types') ?? 'public_channel').split(',').map((t) => t.trim()));
    const excludeArchived = bool(args, 'exclude_archived');
    const visible = this.allChannels().filter((c) => {
      if (excludeArchived && c.isArchived) return false;
      if (c.isPrivate) return types.has('private_channel') && this.isBotMember(c);
      return types.has('public_channel');
    });
    const offset = decodeCursor(str(args, 'cursor'));
    const limit = limitArg(args, LIST_DEFAULT_LIMIT, LIST_MAX_LIMIT);
    const page = visible.slice(offset, offset + limit);
    const next = offset + limit < visible.length ? encodeCursor(offset + limit) : '';
    return {
      ok: true,
      channels: page.map((c) => this.channelObject(c)),
      response_metadata: { next_cursor: next },
    };
  }

  private readable(args: Args): Channel | ApiResult {
    const channel = this.visibleChannel(args);
    if (!channel) return { ok: false, error: 'channel_not_found' };
    if (!this.isBotMember(channel)) return { ok: false, error: 'not_in_channel' };
    return channel;
  }

  private conversationsHistory(args: Args): ApiResult {
    const channel = this.readable(args);
    if ('ok' in channel) return channel;
    const inclusive = bool(args, 'inclusive');
    const oldest = Number(str(args, 'oldest') ?? 0);
    const latestRaw = str(args, 'latest');
    const latest = latestRaw ? Number(latestRaw) : Number.POSITIVE_INFINITY;
    const inRange = (ts: string): boolean => {
      const t = tsNumber(ts);
      return inclusive ? t >= oldest && t <= latest : t > oldest && t < latest;
    };
    const all = this.channelMessages(channel.id)
      .filter((m) => (!m.thread_ts || m.thread_ts === m.ts) && inRange(m.ts))
      .reverse();
    const offset = decodeCursor(str(args, 'cursor'));
    const limit = limitArg(args, LIST_DEFAULT_LIMIT, LIST_MAX_LIMIT);
    const page = all.slice(offset, offset + limit);
    const hasMore = offset + limit < all.length;
    return {
      ok: true,
      messages: page.map(clone),
      has_more: hasMore,
      response_metadata: { next_cursor: hasMore ? encodeCursor(offset + limit) : '' },
    };
  }

  private conversationsReplies(args: Args): ApiResult {
    const channel = this.readable(args);
    if ('ok' in channel) return channel;
    const ts = str(args, 'ts');
    const target = ts ? this.find(channel.id, ts) : undefined;
    if (!target) return { ok: false, error: 'thread_not_found' };
    const all = this.thread(channel.id, target.ts);
    const offset = decodeCursor(str(args, 'cursor'));
    const limit = limitArg(args, REPLIES_DEFAULT_LIMIT, REPLIES_DEFAULT_LIMIT);
    const page = all.slice(offset, offset + limit);
    const hasMore = offset + limit < all.length;
    return {
      ok: true,
      messages: page,
      has_more: hasMore,
      response_metadata: { next_cursor: hasMore ? encodeCursor(offset + limit) : '' },
    };
  }

  private usersInfo(args: Args): ApiResult {
    const id = str(args, 'user');
    const user = id ? this.users.get(id) : undefined;
    if (!user) return { ok: false, error: 'user_not_found' };
    return {
      ok: true,
      user: {
        id: user.id,
        team_id: this.identity.teamId,
        name: user.name,
        real_name: user.realName,
        is_bot: user.isBot,
        deleted: false,
        tz: user.tz,
        profile: {
          real_name: user.realName,
          display_name: user.isBot ? user.name : user.realName,
          bot_id: user.botId,
        },
      },
    };
  }
}

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
};
