import { createServer, type IncomingHttpHeaders, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Logger, LogLevel } from '@slack/bolt';
import { type Config, loadConfig } from '../../src/config.js';
import type { Ingest, IngestOutcome, MailInput } from '../../src/ingest/types.js';
import { createMailHandler, type MailLimits } from '../../src/mail/index.js';
import { mailgunSignature } from '../../src/mail/mailgun-signature.js';

export const SECRET = 'webhook-secret-7f3a9c';
export const MAILGUN_KEY = 'key-3ax6xnjp29jd6fds4gc373sgvjxteol0';

export {
  composeEml,
  SEED_BODY,
  SEED_DATE,
  SEED_FROM,
  SEED_MESSAGE_ID,
  SEED_SUBJECT,
} from '../support/seed.js';

export function testConfig(env: Record<string, string> = {}): Config {
  return loadConfig({ MAIL_WEBHOOK_SECRET: SECRET, MAILGUN_SIGNING_KEY: MAILGUN_KEY, ...env }).config;
}

export interface LogLine {
  level: 'debug' | 'info' | 'warn' | 'error';
  text: string;
}

export function recordingLogger(lines: LogLine[]): Logger {
  const log =
    (level: LogLine['level']) =>
    (...msg: unknown[]) =>
      lines.push({
        level,
        text: msg.map((part) => (part instanceof Error ? part.stack : String(part))).join(' '),
      });
  return {
    debug: log('debug'),
    info: log('info'),
    warn: log('warn'),
    error: log('error'),
    setLevel: () => {},
    getLevel: () => LogLevel.DEBUG,
    setName: () => {},
  };
}

export interface TestServer {
  url: string;
  port: number;
  inputs: MailInput[];
  logs: LogLine[];
  close(): Promise<void>;
}

export interface ServerOptions {
  config?: Config;
  ingest?: Ingest;
  limits?: Partial<MailLimits>;
  now?: () => Date;
  /** Keep every input in `inputs` (default); the fuzz test turns it off to measure the server's memory. */
  record?: boolean;
}

/** The webhook handler alone on a plain loopback server, with a recording fake ingest by default. */
export async function startServer(options: ServerOptions = {}): Promise<TestServer> {
  const inputs: MailInput[] = [];
  const logs: LogLine[] = [];
  const outcome: IngestOutcome = { status: 'accepted', id: 'b-1', sections: 3 };
  const ingest: Ingest = async (input) => {
    if (options.record !== false) inputs.push(input);
    return options.ingest ? options.ingest(input) : outcome;
  };
  const handler = createMailHandler({
    config: options.config ?? testConfig(),
    ingest,
    logger: recordingLogger(logs),
    ...(options.now ? { now: options.now } : {}),
    ...(options.limits ? { limits: options.limits } : {}),
  });
  const server: Server = createServer((req, res) => void handler(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/mail/inbound`,
    port,
    inputs,
    logs,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export const basicAuth = (password: string, user = 'bot'): string =>
  `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

export interface Reply {
  status: number;
  headers: Headers;
  body: Record<string, unknown>;
}

/** fetch's types want an ArrayBuffer-backed view; a Buffer may sit on a shared pool. */
export const toBody = (body: BodyInit | Buffer): BodyInit =>
  Buffer.isBuffer(body) ? new Uint8Array(body) : body;

export async function post(
  url: string,
  body: BodyInit | Buffer,
  headers: Record<string, string> = {},
): Promise<Reply> {
  const response = await fetch(url, {
    method: 'POST',
    body: toBody(body),
    headers: { authorization: basicAuth(SECRET), ...headers },
  });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    body: JSON.parse(text) as Record<string, unknown>,
  };
}

export function signedMailgunFields(nowMs: number, token = `tok-${Math.random().toString(36).slice(2)}`) {
  const timestamp = String(Math.floor(nowMs / 1000));
  return { timestamp, token, signature: mailgunSignature(MAILGUN_KEY, timestamp, token) };
}

/** Hand-built multipart/form-data with exact bytes per part (fetch's FormData always sends UTF-8). */
export function multipart(
  parts: { name: string; value: Buffer | string; filename?: string; contentType?: string }[],
  boundary = '----briefingbot7d93a2',
): { body: Buffer; contentType: string } {
  const chunks: Buffer[] = [];
  for (const part of parts) {
    let head = `--${boundary}\r\nContent-Disposition: form-data; name="${part.name}"`;
    if (part.filename !== undefined) head += `; filename="${part.filename}"`;
    head += '\r\n';
    if (part.contentType) head += `Content-Type: ${part.contentType}\r\n`;
    chunks.push(Buffer.from(`${head}\r\n`), Buffer.from(part.value), Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}

export interface RawResult {
  status: number | null;
  headers: IncomingHttpHeaders;
  body: string;
  /** The server closed the connection (reset or end) rather than keeping it alive. */
  closed: boolean;
  error: string | null;
}

/**
 * A low-level request for the cases fetch cannot express: a lying Content-Length, an endless chunked
 * body, a body that trickles. `feed` writes to the request and returns when it is done writing.
 */
export function rawRequest(
  port: number,
  headers: Record<string, string | number>,
  feed: (write: (chunk: Buffer | string) => boolean, isClosed: () => boolean) => Promise<void>,
): Promise<RawResult> {
  return new Promise((resolve) => {
    let status: number | null = null;
    let responseHeaders: IncomingHttpHeaders = {};
    let body = '';
    let closed = false;
    let done = false;
    const finish = (error: string | null) => {
      if (done) return;
      done = true;
      resolve({ status, headers: responseHeaders, body, closed, error });
    };
    const req = request({
      host: '127.0.0.1',
      port,
      method: 'POST',
      path: '/mail/inbound',
      headers,
      agent: false,
    });
    req.on('response', (res) => {
      status = res.statusCode ?? null;
      responseHeaders = res.headers;
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        body += chunk;
      });
      res.on('end', () => {
        // Wait for the socket to close too: the point of these tests is that the server hangs up.
        const socket = req.socket;
        if (!socket || socket.destroyed) {
          closed = true;
          finish(null);
        } else {
          socket.once('close', () => {
            closed = true;
            finish(null);
          });
        }
      });
    });
    req.on('error', (error) => {
      closed = true;
      if (status !== null) finish(null);
      else finish(error.message);
    });
    req.on('close', () => {
      closed = true;
      if (status !== null && body !== '') finish(null);
    });
    feed(
      (chunk) => (req.destroyed ? false : req.write(chunk)),
      () => closed || req.destroyed,
    )
      .then(() => {
        if (!req.destroyed) req.end();
      })
      .catch((error: Error) => finish(error.message));
  });
}
