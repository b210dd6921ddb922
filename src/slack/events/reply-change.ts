/**
 * What a `message` event changes in a thread's discussion counts. Pure: the event in, a change out.
 * Only people count: anything a bot posted (ours or another app's) is not discussion.
 */

export type ReplyChange =
  | { kind: 'add'; channel: string; threadTs: string; replyTs: string; user: string; at: string }
  | { kind: 'remove'; channel: string; threadTs: string; replyTs: string };

/** Subtypes of a message a person wrote; every other subtype is a system or bot message. */
const PERSON_SUBTYPES = new Set([undefined, 'thread_broadcast', 'file_share', 'me_message']);

interface MessageLike {
  subtype?: string;
  user?: string;
  bot_id?: string;
  ts?: string;
  thread_ts?: string;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function asMessage(value: unknown): MessageLike | null {
  if (!isRecord(value)) return null;
  const pick = (key: string) => (typeof value[key] === 'string' ? (value[key] as string) : undefined);
  return {
    subtype: pick('subtype'),
    user: pick('user'),
    bot_id: pick('bot_id'),
    ts: pick('ts'),
    thread_ts: pick('thread_ts'),
  };
}

/** A reply in a thread (not the parent, whose thread_ts equals its ts) written by a person. */
function personReply(
  message: MessageLike,
): message is MessageLike & { user: string; ts: string; thread_ts: string } {
  return (
    PERSON_SUBTYPES.has(message.subtype) &&
    !message.bot_id &&
    !!message.user &&
    !!message.ts &&
    !!message.thread_ts &&
    message.thread_ts !== message.ts
  );
}

/** Slack's ts is epoch seconds with a per-channel sequence after the dot. */
export function slackTsToIso(ts: string): string {
  const seconds = Number(ts);
  return Number.isFinite(seconds)
    ? new Date(Math.floor(seconds * 1000)).toISOString()
    : new Date(0).toISOString();
}

export function replyChange(event: unknown): ReplyChange | null {
  if (!isRecord(event) || event.type !== 'message' || typeof event.channel !== 'string') return null;
  const channel = event.channel;
  const subtype = typeof event.subtype === 'string' ? event.subtype : undefined;

  if (subtype === 'message_deleted') {
    const previous = asMessage(event.previous_message);
    const deletedTs = typeof event.deleted_ts === 'string' ? event.deleted_ts : previous?.ts;
    if (!previous?.thread_ts || !deletedTs || previous.thread_ts === deletedTs) return null;
    return { kind: 'remove', channel, threadTs: previous.thread_ts, replyTs: deletedTs };
  }
  if (subtype === 'message_changed') {
    // An edit never adds a reply; recording it is idempotent, so a reply whose first delivery was lost is
    // counted now and one already counted stays counted once.
    const edited = asMessage(event.message);
    if (!edited || !personReply(edited)) return null;
    return {
      kind: 'add',
      channel,
      threadTs: edited.thread_ts,
      replyTs: edited.ts,
      user: edited.user,
      at: slackTsToIso(edited.ts),
    };
  }
  const message = asMessage(event);
  if (!message || !personReply(message)) return null;
  return {
    kind: 'add',
    channel,
    threadTs: message.thread_ts,
    replyTs: message.ts,
    user: message.user,
    at: slackTsToIso(message.ts),
  };
}
