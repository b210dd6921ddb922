import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * After refusing a request whose body is still arriving, Node destroys the socket once the
 * `Connection: close` reply is flushed. Until then unread bytes are discarded, never buffered; these
 * two budgets are the backstop should the socket linger: 1 s, or 1 MiB more than we wanted.
 */
export const DRAIN_GRACE_MS = 1_000;
export const DRAIN_MAX_BYTES = 1024 * 1024;

export type ReplyBody =
  | { status: 'accepted'; id: string; sections: number; detail: string }
  | { status: 'duplicate'; id: string; detail: string }
  | { status: 'notice'; id: string; detail: string }
  | { status: 'subscribed' | 'unsubscribed'; detail: string }
  | { error: string; detail: string };

/**
 * Writes a JSON reply. If the body was not read to the end, the connection is closed: it cannot carry
 * another request, and a slow or oversized sender must not keep it.
 */
export function sendJson(req: IncomingMessage, res: ServerResponse, status: number, body: ReplyBody): void {
  if (res.headersSent || res.destroyed) return;
  const payload = JSON.stringify(body);
  const unread = !req.complete;
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(payload),
    'Cache-Control': 'no-store',
    ...(unread ? { Connection: 'close' } : {}),
  });
  res.end(payload);
  if (unread) {
    let discarded = 0;
    req.on('data', (chunk: Buffer) => {
      discarded += chunk.length;
      if (discarded > DRAIN_MAX_BYTES) req.socket.destroy();
    });
    req.resume();
    setTimeout(() => req.socket.destroy(), DRAIN_GRACE_MS).unref();
  }
}
