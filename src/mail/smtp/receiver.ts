/**
 * A built-in SMTP receiver (SMTP_PORT) for desks that can point MX records at the bot, or relay to it.
 * Each message goes through the same ingest as the webhook. The answers follow SMTP's retry rules:
 * 250 accepted or duplicate, 5xx for what will never be taken (unknown recipient, too large, not a
 * briefing, sender not allowed or not authenticated), 4xx when the store cannot take it now, so the
 * sending server queues the message and retries.
 */
import type { Logger } from '@slack/bolt';
import { SMTPServer, type SMTPServerOptions, type SMTPServerSession } from 'smtp-server';
import type { Config } from '../../config.js';
import type { Ingest } from '../../ingest/types.js';
import { printable } from '../refusal.js';

/**
 * Where mail for one recipient address goes, decided at RCPT TO: an ingest (and a name for it), or
 * the SMTP reply refusing the address. Single-token mode has one destination (fixedRecipients); with
 * many workspaces the address names the workspace (src/workspaces/smtp-route.ts).
 */
export type RecipientVerdict =
  | { ok: true; destination: string; ingest: Ingest }
  | { ok: false; code: number; reason: string };
export type RecipientRoute = (address: string) => Promise<RecipientVerdict>;

export type SmtpDeps = {
  config: Pick<Config, 'smtpRecipients' | 'mailMaxBytes'>;
  logger: Logger;
  /** PEM key and certificate: STARTTLS is offered only with both. */
  tls?: { key: string; cert: string };
} & ({ ingest: Ingest } | { route: RecipientRoute });

/** One destination: any recipient when `recipients` is empty, otherwise only those listed (550). */
export function fixedRecipients(recipients: readonly string[], ingest: Ingest): RecipientRoute {
  const allowed = new Set(recipients);
  return async (address) =>
    allowed.size > 0 && !allowed.has(address.toLowerCase())
      ? { ok: false, code: 550, reason: 'No such recipient here' }
      : { ok: true, destination: 'default', ingest };
}

/** An SMTP reply: smtp-server sends `responseCode` and the message. */
function reply(code: number, text: string): Error {
  return Object.assign(new Error(text), { responseCode: code });
}

/** Connections at once: a desk's MX sees a few; past this, new connections are told 421 to come back. */
const MAX_CLIENTS = 20;
/** A client silent for a minute mid-conversation is gone or stalling. */
const SOCKET_TIMEOUT_MS = 60_000;

export function createSmtpReceiver(deps: SmtpDeps): SMTPServer {
  const { config, logger } = deps;
  const route = 'route' in deps ? deps.route : fixedRecipients(config.smtpRecipients, deps.ingest);
  /**
   * Each transaction's destination, keyed by its envelope (smtp-server makes a new one per MAIL FROM):
   * the DATA reply is one answer for the whole message, so every recipient of a message must share it.
   */
  const destinations = new WeakMap<object, { destination: string; ingest: Ingest }>();
  const options: SMTPServerOptions = {
    name: 'briefing-bot',
    banner: 'briefing-bot mail receiver',
    // An MX takes mail from anyone; who may post is decided by ALLOWED_SENDERS and SENDER_AUTH.
    authOptional: true,
    disabledCommands: deps.tls ? ['AUTH'] : ['AUTH', 'STARTTLS'],
    size: config.mailMaxBytes,
    maxClients: MAX_CLIENTS,
    socketTimeout: SOCKET_TIMEOUT_MS,
    logger: false,
    ...(deps.tls ? { key: deps.tls.key, cert: deps.tls.cert } : {}),
    onRcptTo(address, session, callback) {
      const shown = printable(address.address, 200);
      route(address.address).then(
        (verdict) => {
          if (!verdict.ok) {
            logger.warn(`SMTP: refused recipient ${shown}: ${verdict.reason}`);
            callback(reply(verdict.code, verdict.reason));
            return;
          }
          const chosen = destinations.get(session.envelope);
          if (chosen && chosen.destination !== verdict.destination) {
            // RFC 5321 4.5.3.1.10: a 452 recipient is sent again by the client in a later transaction,
            // so each message goes to one destination and its DATA reply is true for all recipients.
            logger.info(`SMTP: recipient ${shown} deferred to a message of its own (another destination)`);
            callback(reply(452, 'One workspace per message: send to this recipient in another message'));
            return;
          }
          destinations.set(session.envelope, verdict);
          callback(null);
        },
        (error: unknown) => {
          logger.error(`SMTP: could not route recipient ${shown}:`, error);
          callback(reply(451, 'Cannot take mail for this recipient now; try again later'));
        },
      );
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      let length = 0;
      stream.on('data', (chunk: Buffer) => {
        // Past the limit smtp-server keeps reading (to answer at the end) but nothing more is kept.
        if (length + chunk.length <= config.mailMaxBytes) chunks.push(chunk);
        length += chunk.length;
      });
      stream.on('end', () => {
        if (stream.sizeExceeded || length > config.mailMaxBytes) {
          callback(reply(552, `Message larger than ${config.mailMaxBytes} bytes`));
          return;
        }
        take(Buffer.concat(chunks), session).then(
          () => callback(null),
          (error: Error) => callback(error),
        );
      });
    },
  };

  async function take(raw: Buffer, session: SMTPServerSession): Promise<void> {
    const target = destinations.get(session.envelope);
    if (!target) throw reply(503, 'No valid recipients');
    const { ingest } = target;
    const mailFrom = session.envelope.mailFrom ? session.envelope.mailFrom.address : undefined;
    const from = `${session.remoteAddress}${session.secure ? ' over TLS' : ''}${target.destination === 'default' ? '' : ` for ${target.destination}`}`;
    let outcome: Awaited<ReturnType<Ingest>>;
    try {
      outcome = await ingest({
        kind: 'raw',
        raw,
        evidence: {
          verdicts: [],
          transport: {
            ip: session.remoteAddress,
            helo: session.hostNameAppearsAs,
            ...(mailFrom ? { mailFrom } : {}),
          },
        },
      });
    } catch (error) {
      logger.error(`SMTP: failed to take a message from ${from}:`, error);
      throw reply(451, 'Not stored; try again later');
    }
    if (outcome.status === 'rejected') {
      logger.warn(`SMTP: refused (${outcome.code}) from ${from}: ${printable(outcome.detail, 300)}`);
      throw reply(550, printable(outcome.detail, 300));
    }
    logger.info(`SMTP: ${outcome.status} briefing ${outcome.id} from ${from}`);
  }

  const server = new SMTPServer(options);
  server.on('error', (error) => logger.error('SMTP:', error));
  return server;
}
