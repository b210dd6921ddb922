/**
 * The in-memory model of a Slack workspace behind the stand-in: channels, users, messages, threads
 * and ephemeral messages, with the operations Slack performs on them (post into a thread, delete
 * leaving a tombstone, …). The Web API methods' semantics live in web-api.ts; no I/O here.
 */

import { BOT_SCOPES } from '../workspaces/scopes.js';
import type { Block } from './block-limits.js';
import { str, validateContent } from './web-api.js';

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
  /** Deactivated, or left the workspace: users.info says `deleted: true`, no DM can be opened. */
  deleted?: boolean;
  /** users.info's `is_admin` / `is_owner`: a workspace admin or owner. */
  isAdmin?: boolean;
  isOwner?: boolean;
}

/** A file shared in a channel: files.info describes it, its url_private serves `content`. */
export interface WorkspaceFile {
  id: string;
  name: string;
  mimetype: string;
  filetype: string;
  size: number;
  user: string;
  channel: string;
  created: number;
  content: Buffer;
}

/** A published view (views.publish): the user's App Home tab. */
export interface HomeView {
  id: string;
  type: 'home';
  blocks: Block[];
  private_metadata?: string;
  callback_id?: string;
  hash: string;
}

export interface Channel {
  id: string;
  name: string;
  isPrivate: boolean;
  isArchived: boolean;
  created: number;
  members: Set<string>;
  topic: string;
  /** A direct message between the bot and this user (ids start with D). */
  imUser?: string;
}

export interface StoredMessage {
  type: 'message';
  ts: string;
  channel: string;
  text: string;
  blocks?: Block[];
  /** Files shared with the message (as Slack lists them: no content, a url_private). */
  files?: Array<Record<string, unknown>>;
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
  // The one person of the local workspace made it, as the first user of a Slack workspace does.
  isOwner: true,
};

/**
 * What the bot was granted at install: exactly manifest.yml's bot scopes (a test keeps them in step).
 * No `chat:write.public`, so the bot must be a member (or join) to post — as it would be in a
 * workspace installed from the manifest.
 */
export const DEFAULT_SCOPES: readonly string[] = BOT_SCOPES;

/**
 * The slash commands the app installed from manifest.yml declares (a test keeps them in step). Slack's
 * client refuses any other `/word` itself, before the app hears of it; the local page does the same.
 */
export const INSTALLED_COMMANDS = ['/briefing', '/country', '/desk'];

/** The message shortcuts manifest.yml declares (callback id and name; a test keeps them in step). */
export const INSTALLED_SHORTCUTS = [{ callback_id: 'post_as_briefing', name: 'Post as briefing' }];

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
  private readonly homeViews = new Map<string, HomeView>();
  private readonly files = new Map<string, WorkspaceFile>();
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

  /**
   * The newest ts issued so far (or "now", before any): a page records it when it loads, and shows only
   * the private answers issued after it, as a Slack client forgets ephemerals on reload.
   */
  clockTs(): string {
    const micros = Math.max(Math.floor(this.now() * 1000), this.lastTsMicros);
    const seconds = Math.floor(micros / 1_000_000);
    return `${seconds}.${String(micros % 1_000_000).padStart(6, '0')}`;
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

  /** The bot's direct message with a user, opened on first use (conversations.open). */
  openIm(userId: string): Channel {
    for (const channel of this.channels.values()) if (channel.imUser === userId) return channel;
    const user = this.users.get(userId);
    const id = `D${userId
      .replace(/[^A-Z0-9]/gi, '')
      .toUpperCase()
      .padEnd(8, '0')}`;
    const channel: Channel = {
      id,
      name: `dm-${user?.name ?? userId}`,
      isPrivate: true,
      isArchived: false,
      created: Math.floor(this.now() / 1000),
      members: new Set([userId, this.identity.botUserId]),
      topic: '',
      imUser: userId,
    };
    this.channels.set(id, channel);
    this.messagesByChannel.set(id, []);
    return channel;
  }

  /** The user leaves the workspace (or an admin deactivates them): users.info then says `deleted`. */
  deactivateUser(id: string): void {
    const user = this.users.get(id);
    if (user) user.deleted = true;
  }

  user(id: string): WorkspaceUser | undefined {
    return this.users.get(id);
  }

  /** views.publish: the user's Home tab is now this view (a new id and hash each time). */
  publishHome(user: string, view: Omit<HomeView, 'id' | 'hash'>): HomeView {
    const published: HomeView = {
      ...clone(view),
      id: this.homeViews.get(user)?.id ?? `V${user.replace(/[^A-Z0-9]/gi, '').toUpperCase()}`,
      hash: this.nextTs(),
    };
    this.homeViews.set(user, published);
    return clone(published);
  }

  /** The Home tab a user sees, or undefined before the app published one. */
  homeView(user: string): HomeView | undefined {
    const view = this.homeViews.get(user);
    return view ? clone(view) : undefined;
  }

  /** Stores a file shared in a channel; `fileObject` is how messages and files.info show it. */
  addFile(file: Omit<WorkspaceFile, 'id' | 'created' | 'size'>): WorkspaceFile {
    const id = `F${String(this.files.size + 1).padStart(8, '0')}`;
    const stored: WorkspaceFile = {
      ...file,
      id,
      size: file.content.length,
      created: Math.floor(this.now() / 1000),
    };
    this.files.set(id, stored);
    return stored;
  }

  file(id: string): WorkspaceFile | undefined {
    return this.files.get(id);
  }

  /** A file as Slack's API shows it; its content is only at url_private, for a token with files:read. */
  fileObject(file: WorkspaceFile): Record<string, unknown> {
    const url = `${this.filesBase}files-pri/${this.identity.teamId}-${file.id}/${encodeURIComponent(file.name)}`;
    return {
      id: file.id,
      created: file.created,
      name: file.name,
      title: file.name,
      mimetype: file.mimetype,
      filetype: file.filetype,
      user: file.user,
      size: file.size,
      url_private: url,
      url_private_download: `${url}?download=1`,
      channels: [file.channel],
    };
  }

  /** Where url_private points (the stand-in's own address; set when it listens). */
  filesBase = 'http://127.0.0.1/';

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
    return this.liveMessages(channel.id)
      .filter((m) => !m.thread_ts || m.thread_ts === m.ts)
      .map(clone);
  }

  /** A thread: the parent then its replies, oldest first; empty when there is no such message. */
  thread(channelRef: string, ts: string): StoredMessage[] {
    const channel = this.channel(channelRef);
    if (!channel) return [];
    const parent = this.liveMessage(channel.id, ts);
    if (!parent) return [];
    const root = parent.thread_ts ?? parent.ts;
    return this.liveMessages(channel.id)
      .filter((m) => m.ts === root || m.thread_ts === root)
      .map(clone);
  }

  /** Ephemeral messages, optionally only those shown to one user. */
  ephemerals(user?: string): EphemeralMessage[] {
    return this.ephemeralList.filter((e) => !user || e.user === user).map(clone);
  }

  findMessage(channelRef: string, ts: string): StoredMessage | undefined {
    const channel = this.channel(channelRef);
    const found = channel ? this.liveMessage(channel.id, ts) : undefined;
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

  /** A person shares a file in a channel, with an optional comment, as Slack's client uploads one. */
  shareFile(input: {
    channel: string;
    user: string;
    name: string;
    mimetype: string;
    content: Buffer;
    text?: string;
  }): ApiResult {
    const channel = this.channel(input.channel);
    if (!channel) return { ok: false, error: 'channel_not_found' };
    if (!this.users.has(input.user)) return { ok: false, error: 'user_not_found' };
    channel.members.add(input.user);
    const extension = /\.([a-z0-9]+)$/i.exec(input.name)?.[1]?.toLowerCase() ?? 'binary';
    const file = this.addFile({
      name: input.name,
      mimetype: input.mimetype,
      filetype: extension,
      user: input.user,
      channel: channel.id,
      content: input.content,
    });
    const result = this.insert(channel, { text: input.text ?? '', user: input.user }, undefined);
    if (!result.ok) return result;
    const live = this.liveMessage(channel.id, String(result.ts));
    if (live) live.files = [this.fileObject(file)];
    return { ...result, message: clone(live), file: this.fileObject(file) };
  }

  /**
   * The app speaks in a channel without a Web API call: a slash command's `in_channel` response.
   * Slack shows those even where the bot is not a member, so membership is not checked.
   */
  postAsApp(channelRef: string, args: Args): ApiResult {
    const channel = this.channel(channelRef);
    if (!channel) return { ok: false, error: 'channel_not_found' };
    const content = validateContent(args);
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
    const message = channel ? this.liveMessage(channel.id, ts) : undefined;
    if (!message) return false;
    message.text = content.text;
    if (content.blocks) message.blocks = content.blocks;
    else delete message.blocks;
    message.edited = { user: this.identity.botUserId, ts: this.nextTs() };
    return true;
  }

  // ---- primitives for web-api.ts: live objects, not copies -------------------------------------

  /** A channel by id only (Web API methods that take ids do not resolve names). */
  channelById(id: string): Channel | undefined {
    return this.channels.get(id);
  }

  liveMessages(channelId: string): StoredMessage[] {
    return this.messagesByChannel.get(channelId) ?? [];
  }

  liveMessage(channelId: string, ts: string): StoredMessage | undefined {
    return this.liveMessages(channelId).find((m) => m.ts === ts);
  }

  isBotMember(channel: Channel): boolean {
    return channel.members.has(this.identity.botUserId);
  }

  canPost(channel: Channel): boolean {
    return this.isBotMember(channel) || (!channel.isPrivate && this.scopes.has('chat:write.public'));
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

  /** Posts into a channel or a thread (a reply to a reply joins the parent's thread, as in Slack). */
  insert(
    channel: Channel,
    body: { text: string; blocks?: Block[]; user: string; bot?: boolean; options?: Record<string, unknown> },
    threadTs: string | undefined,
  ): ApiResult {
    const list = this.liveMessages(channel.id);
    let root: StoredMessage | undefined;
    if (threadTs) {
      const target = this.liveMessage(channel.id, threadTs);
      if (!target) return { ok: false, error: 'thread_not_found' };
      // Replying to a reply lands in the same thread, as in Slack.
      root =
        target.thread_ts && target.thread_ts !== target.ts
          ? this.liveMessage(channel.id, target.thread_ts)
          : target;
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

  /** Removes a message; a parent with replies stays as Slack's "This message was deleted." tombstone. */
  removeMessage(channelRef: string, ts: string): boolean {
    const channel = this.channel(channelRef);
    const message = channel ? this.liveMessage(channel.id, ts) : undefined;
    if (!channel || !message) return false;
    this.remove(channel.id, message);
    return true;
  }

  remove(channelId: string, message: StoredMessage): void {
    const list = this.liveMessages(channelId);
    const isParent = message.thread_ts === message.ts && (message.reply_count ?? 0) > 0;
    if (isParent) {
      message.subtype = 'tombstone';
      message.text = 'This message was deleted.';
      delete message.blocks;
      return;
    }
    list.splice(list.indexOf(message), 1);
    if (message.thread_ts && message.thread_ts !== message.ts) {
      const root = this.liveMessage(channelId, message.thread_ts);
      if (root) {
        const replies = list.filter((m) => m.thread_ts === root.ts && m.ts !== root.ts);
        root.reply_count = replies.length;
        root.reply_users = [...new Set(replies.map((m) => m.user ?? ''))].filter(Boolean);
        root.reply_users_count = root.reply_users.length;
        root.latest_reply = replies.at(-1)?.ts ?? root.ts;
      }
    }
  }

  channelObject(channel: Channel): Record<string, unknown> {
    return {
      id: channel.id,
      name: channel.name,
      name_normalized: channel.name,
      is_channel: !channel.isPrivate,
      is_group: channel.isPrivate && !channel.imUser,
      is_im: Boolean(channel.imUser),
      ...(channel.imUser ? { user: channel.imUser } : {}),
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
}
