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

export interface SmtpDeps {
  config: Pick<Config, 'smtpRecipients' | 'mailMaxBytes'>;
  ingest: Ingest;
  logger: Logger;
  /** PEM key and certificate: STARTTLS is offered only with both. */
  tls?: { key: string; cert: string };
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
  const { config, ingest, logger } = deps;
  const recipients = new Set(config.smtpRecipients);
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
    onRcptTo(address, _session, callback) {
      if (recipients.size > 0 && !recipients.has(address.address.toLowerCase())) {
        logger.warn(`SMTP: refused recipient ${printable(address.address, 200)}`);
        callback(reply(550, 'No such recipient here'));
        return;
      }
      callback(null);
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
    const mailFrom = session.envelope.mailFrom ? session.envelope.mailFrom.address : undefined;
    const from = `${session.remoteAddress}${session.secure ? ' over TLS' : ''}`;
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
