/**
 * Slack's response_url, as the stand-in serves it: each slash command or button click gets one; what
 * Bolt's `respond()` POSTs there is shown where Slack would show it (replacing or deleting the
 * original message, in the channel, or as an "Only visible to you" message), and can be awaited.
 */
import { EventEmitter } from 'node:events';
import type { ServerResponse } from 'node:http';
import type { Block } from './block-limits.js';
import { sendJson } from './http.js';
import { type BoltReply, randomId } from './to-bolt.js';
import { validateContent } from './web-api.js';
import type { ApiResult, Workspace } from './workspace.js';

/** Slack: "You can use a response_url to respond up to 5 times within 30 minutes". */
export const RESPONSE_URL_MAX_USES = 5;
export const RESPONSE_URL_TTL_MS = 30 * 60 * 1000;
/** How long waitForResponses waits by default for a respond() that Bolt sends after the ack. */
const DEFAULT_RESPONSE_WAIT_MS = 5_000;

/** What Bolt's `respond()` (or an ack body) sent to a response_url. */
export interface ResponsePayload {
  text?: string;
  blocks?: Block[];
  response_type?: 'ephemeral' | 'in_channel';
  replace_original?: boolean | string;
  delete_original?: boolean | string;
  thread_ts?: string;
  [key: string]: unknown;
}

/** Where an interaction happened: who, in which channel, on which message (button clicks). */
export interface ResponseContext {
  channel: string;
  user: string;
  /** The message a button was clicked on, for replace_original / delete_original. */
  messageTs?: string;
  messageIsEphemeral?: boolean;
}

export interface ResponseTarget extends ResponseContext {
  id: string;
  created: number;
  payloads: ResponsePayload[];
}

/** A slash command or button click as delivered, and what came back. */
export interface Interaction {
  status: number;
  /** Bolt's ack body: parsed JSON, a string, or null for a bare ack. */
  ack: unknown;
  responseUrl: string;
  /** respond() payloads received so far. */
  responses(): ResponsePayload[];
  /** Resolves once `count` respond() payloads have arrived; rejects after `timeoutMs`. */
  waitForResponses(count: number, timeoutMs?: number): Promise<ResponsePayload[]>;
}

function isTruthy(value: unknown): boolean {
  return value === true || value === 'true';
}

export class ResponseUrls {
  private readonly targets = new Map<string, ResponseTarget>();
  private readonly events = new EventEmitter();

  constructor(
    private readonly workspace: Workspace,
    /** The stand-in's root URL (known once it listens). */
    private readonly baseUrl: () => string,
    private readonly changed: () => void,
  ) {
    this.events.setMaxListeners(0);
  }

  create(context: ResponseContext): ResponseTarget {
    const now = Date.now();
    // Expired URLs answer expired_url whether they are remembered or not: forget them.
    for (const [key, target] of this.targets) {
      if (now - target.created > RESPONSE_URL_TTL_MS) this.targets.delete(key);
    }
    const target: ResponseTarget = { id: randomId('R', 16), ...context, created: now, payloads: [] };
    this.targets.set(target.id, target);
    return target;
  }

  urlOf(target: ResponseTarget): string {
    return `${this.baseUrl()}response/${target.id}`;
  }

  /** Payloads received at a response_url (its full URL or its id). */
  responses(urlOrId: string): ResponsePayload[] {
    const id = urlOrId.split('/').pop() ?? '';
    return [...(this.targets.get(id)?.payloads ?? [])];
  }

  /** Answers a POST to /response/<id> whose body has been read (null: too large). */
  receive(id: string, body: string | null, res: ServerResponse): void {
    const target = this.targets.get(id);
    if (!target || Date.now() - target.created > RESPONSE_URL_TTL_MS) {
      sendJson(res, 404, { ok: false, error: 'expired_url' });
      return;
    }
    if (target.payloads.length >= RESPONSE_URL_MAX_USES) {
      sendJson(res, 404, { ok: false, error: 'used_url' });
      return;
    }
    let payload: ResponsePayload;
    try {
      const parsed: unknown = JSON.parse(body ?? '');
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
        throw new Error('not an object');
      payload = parsed as ResponsePayload;
    } catch {
      sendJson(res, 400, { ok: false, error: 'invalid_payload' });
      return;
    }
    const applied = this.apply(target, payload, 'response_url');
    if (!applied.ok) {
      sendJson(res, 400, applied);
      return;
    }
    target.payloads.push(payload);
    this.events.emit(`response:${id}`);
    this.changed();
    sendJson(res, 200, { ok: true });
  }

  /**
   * A slash command's ack body, shown as Slack shows it: ephemeral, or in the channel for
   * `response_type: in_channel`. Not one of the response_url's five uses.
   */
  showAck(target: ResponseTarget, reply: BoltReply): void {
    if (reply.status !== 200 || !reply.text) return;
    const payload: ResponsePayload =
      reply.json && typeof reply.json === 'object' ? (reply.json as ResponsePayload) : { text: reply.text };
    if (!payload.text && !payload.blocks) return;
    this.apply(target, payload, 'ack');
    this.changed();
  }

  /** Shows a response where Slack would: replacing/deleting the original, in the channel, or ephemeral. */
  private apply(target: ResponseTarget, payload: ResponsePayload, source: 'ack' | 'response_url'): ApiResult {
    if (isTruthy(payload.delete_original)) {
      if (!target.messageTs) return { ok: false, error: 'no_original_message' };
      if (target.messageIsEphemeral) this.workspace.deleteEphemeral(target.messageTs);
      else this.workspace.removeMessage(target.channel, target.messageTs);
      return { ok: true };
    }
    const content = validateContent(payload);
    if (!content.ok) return content;
    if (isTruthy(payload.replace_original) && target.messageTs) {
      const replaced = target.messageIsEphemeral
        ? this.workspace.replaceEphemeral(target.messageTs, content)
        : this.workspace.replaceMessage(target.channel, target.messageTs, content);
      return replaced ? { ok: true } : { ok: false, error: 'message_not_found' };
    }
    if (payload.response_type === 'in_channel') return this.workspace.postAsApp(target.channel, payload);
    const ephemeral = this.workspace.addEphemeral({
      channel: target.channel,
      user: target.user,
      text: content.text,
      blocks: content.blocks,
      thread_ts: typeof payload.thread_ts === 'string' ? payload.thread_ts : undefined,
      source,
    });
    return { ok: true, message_ts: ephemeral.ts };
  }

  interaction(target: ResponseTarget, reply: BoltReply): Interaction {
    return {
      status: reply.status,
      ack: reply.json ?? (reply.text || null),
      responseUrl: this.urlOf(target),
      responses: () => [...target.payloads],
      waitForResponses: (count, timeoutMs = DEFAULT_RESPONSE_WAIT_MS) =>
        new Promise((resolve, reject) => {
          const event = `response:${target.id}`;
          const check = (): boolean => {
            if (target.payloads.length < count) return false;
            clearTimeout(timer);
            this.events.off(event, check);
            resolve([...target.payloads]);
            return true;
          };
          const timer = setTimeout(() => {
            this.events.off(event, check);
            reject(
              new Error(
                `${target.payloads.length} of ${count} respond() payloads arrived within ${timeoutMs} ms`,
              ),
            );
          }, timeoutMs);
          this.events.on(event, check);
          check();
        }),
    };
  }
}
