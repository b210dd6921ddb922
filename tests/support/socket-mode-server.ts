/**
 * A WebSocket server on loopback that speaks Slack's Socket Mode protocol
 * (https://docs.slack.dev/apis/events-api/using-socket-mode), attached to a SlackStandIn:
 *
 * - apps.connections.open (app-level token) answers a single-use `ws://…/link/?ticket=…` URL;
 *   connecting with an unknown or spent ticket is refused at the upgrade, as Slack refuses it;
 * - a new connection first gets `{"type":"hello", num_connections, debug_info, connection_info}`;
 * - each event, slash command or interaction is an envelope `{envelope_id, type, payload,
 *   accepts_response_payload, retry_attempt, retry_reason}`; the app acks with `{envelope_id,
 *   payload?}`, and an ack's payload plays the part of an HTTP ack body;
 * - an envelope not acked within ACK_TIMEOUT_MS is sent again (retry_attempt + 1), up to
 *   MAX_RETRIES, as Slack retries unacknowledged events;
 * - `disconnect({reason})` sends `{"type":"disconnect", reason}`, after which the app is expected to
 *   close and open a new connection through apps.connections.open;
 * - WebSocket pings every PING_INTERVAL_MS, which Slack's client watches for.
 */
import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { AddressInfo } from 'node:net';
import { type WebSocket, WebSocketServer } from 'ws';
import type { EnvelopeType, SlackStandIn, SocketModeLink } from '../../src/local/slack-stand-in.js';
import type { BoltReply } from '../../src/local/to-bolt.js';

/** Slack wants an ack within 3 seconds. */
export const ACK_TIMEOUT_MS = 3_000;
/** Slack retries an unacknowledged event three times. */
export const MAX_RETRIES = 3;
/** Slack's client closes a connection that has heard no ping for 30 s; ping well inside that. */
const PING_INTERVAL_MS = 5_000;

export interface Envelope {
  envelope_id: string;
  type: EnvelopeType;
  payload: Record<string, unknown>;
  accepts_response_payload: boolean;
  retry_attempt: number;
  retry_reason: string;
}

export interface Ack {
  envelope_id: string;
  payload?: Record<string, unknown>;
  /** Which connection (1, 2, … in order of opening) the ack came on. */
  connection: number;
}

interface Connection {
  number: number;
  socket: WebSocket;
}

export class SocketModeServer implements SocketModeLink {
  private server: WebSocketServer | null = null;
  private port = 0;
  private readonly tickets = new Set<string>();
  private readonly connections: Connection[] = [];
  private opened = 0;
  private readonly sentLog: Array<Envelope & { connection: number }> = [];
  private readonly ackLog: Ack[] = [];
  private readonly events = new EventEmitter();
  private pinger: NodeJS.Timeout | null = null;

  constructor(private readonly standIn: SlackStandIn) {
    this.events.setMaxListeners(0);
  }

  async listen(): Promise<void> {
    const server = new WebSocketServer({
      host: '127.0.0.1',
      port: 0,
      // The ticket in the URL is the credential, spent on first use.
      verifyClient: (info, done) => {
        const url = new URL(info.req.url ?? '/', 'ws://socket.invalid');
        const ticket = url.searchParams.get('ticket') ?? '';
        if (url.pathname !== '/link/' || !this.tickets.delete(ticket)) done(false, 401, 'invalid ticket');
        else done(true);
      },
    });
    await new Promise<void>((resolve, reject) => {
      server.once('listening', resolve);
      server.once('error', reject);
    });
    this.server = server;
    this.port = (server.address() as AddressInfo).port;
    server.on('connection', (socket) => this.accept(socket));
    this.pinger = setInterval(() => {
      for (const { socket } of this.connections) socket.ping();
    }, PING_INTERVAL_MS);
    this.pinger.unref();
    this.standIn.attachSocketMode(this);
  }

  connectionUrl(): string {
    const ticket = randomUUID();
    this.tickets.add(ticket);
    const appId = this.standIn.workspace.identity.appId;
    return `ws://127.0.0.1:${this.port}/link/?ticket=${ticket}&app_id=${appId}`;
  }

  /** Connections opened so far (a reconnect makes it grow). */
  get connectionsOpened(): number {
    return this.opened;
  }

  /** Connections open now. */
  get openConnections(): number {
    return this.connections.length;
  }

  sent(): Array<Envelope & { connection: number }> {
    return [...this.sentLog];
  }

  acks(): Ack[] {
    return [...this.ackLog];
  }

  /** Resolves once `count` connections have been opened in all (and the newest is open). */
  waitForConnections(count: number, timeoutMs = 15_000): Promise<void> {
    return this.waitFor(() => this.opened >= count && this.connections.length > 0, 'connection', timeoutMs);
  }

  /** Asks every open connection to go away, as Slack does before recycling a server. */
  disconnect(reason: 'warning' | 'refresh_requested' | 'link_disabled' = 'refresh_requested'): void {
    for (const { socket } of this.connections) {
      socket.send(JSON.stringify({ type: 'disconnect', reason, debug_info: { host: 'applink-local' } }));
    }
  }

  async send(
    type: EnvelopeType,
    payload: Record<string, unknown>,
    options: { retryAttempt?: number; retryReason?: string } = {},
  ): Promise<BoltReply> {
    const envelope: Envelope = {
      envelope_id: randomUUID(),
      type,
      payload,
      // Only events cannot be answered through the ack; commands and interactions can.
      accepts_response_payload: type !== 'events_api',
      retry_attempt: options.retryAttempt ?? 0,
      retry_reason: options.retryReason ?? '',
    };
    for (let attempt = 0; ; attempt++) {
      const connection = this.connections.at(-1);
      if (!connection) throw new Error('No Socket Mode connection is open');
      this.sentLog.push({ ...envelope, connection: connection.number });
      connection.socket.send(JSON.stringify(envelope));
      const ack = await this.ackOf(envelope.envelope_id, ACK_TIMEOUT_MS);
      if (ack) {
        const body = ack.payload && Object.keys(ack.payload).length > 0 ? ack.payload : null;
        return { status: 200, text: body ? JSON.stringify(body) : '', json: body };
      }
      if (type !== 'events_api' || attempt >= MAX_RETRIES) {
        throw new Error(`envelope ${envelope.envelope_id} (${type}) was not acknowledged`);
      }
      envelope.retry_attempt += 1;
      envelope.retry_reason = 'timeout';
    }
  }

  async close(): Promise<void> {
    this.standIn.attachSocketMode(null);
    if (this.pinger) clearInterval(this.pinger);
    const server = this.server;
    this.server = null;
    for (const { socket } of this.connections) socket.terminate();
    this.connections.length = 0;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private accept(socket: WebSocket): void {
    this.opened += 1;
    const connection = { number: this.opened, socket };
    this.connections.push(connection);
    socket.on('message', (data, isBinary) => {
      if (isBinary) return;
      let message: { envelope_id?: unknown; payload?: unknown };
      try {
        message = JSON.parse(String(data));
      } catch {
        return;
      }
      if (typeof message.envelope_id !== 'string') return;
      this.ackLog.push({
        envelope_id: message.envelope_id,
        ...(message.payload && typeof message.payload === 'object'
          ? { payload: message.payload as Record<string, unknown> }
          : {}),
        connection: connection.number,
      });
      this.events.emit('change');
    });
    socket.on('close', () => {
      const index = this.connections.indexOf(connection);
      if (index >= 0) this.connections.splice(index, 1);
      this.events.emit('change');
    });
    socket.send(
      JSON.stringify({
        type: 'hello',
        num_connections: this.connections.length,
        debug_info: { host: 'applink-local', build_number: 1, approximate_connection_time: 18060 },
        connection_info: { app_id: this.standIn.workspace.identity.appId },
      }),
    );
    this.events.emit('change');
  }

  private ackOf(envelopeId: string, timeoutMs: number): Promise<Ack | null> {
    const find = () => this.ackLog.find((a) => a.envelope_id === envelopeId) ?? null;
    return new Promise((resolve) => {
      const check = () => {
        const ack = find();
        if (!ack) return;
        clearTimeout(timer);
        this.events.off('change', check);
        resolve(ack);
      };
      const timer = setTimeout(() => {
        this.events.off('change', check);
        resolve(null);
      }, timeoutMs);
      this.events.on('change', check);
      check();
    });
  }

  private waitFor(check: () => boolean, what: string, timeoutMs: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const onChange = () => {
        if (!check()) return;
        clearTimeout(timer);
        this.events.off('change', onChange);
        resolve();
      };
      const timer = setTimeout(() => {
        this.events.off('change', onChange);
        reject(new Error(`timed out waiting for a Socket Mode ${what}`));
      }, timeoutMs);
      this.events.on('change', onChange);
      onChange();
    });
  }
}
