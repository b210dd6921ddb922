import type { IncomingMessage } from 'node:http';
import type { MailLimits } from './limits.js';
import { MailRefusal } from './refusal.js';

type BodyLimits = Pick<
  MailLimits,
  'maxBytes' | 'bodyTimeoutMs' | 'idleTimeoutMs' | 'minBytesPerWindow' | 'rateWindowMs'
>;

/**
 * Feeds the request body to `onChunk` while enforcing the size and time budgets. Rejects with a
 * MailRefusal (413 or 408, connection to be closed) the moment a budget is exceeded; the stream is
 * then paused so nothing more is buffered. Errors thrown by `onChunk` reject as they are.
 */
export function pumpBody(
  req: IncomingMessage,
  limits: BodyLimits,
  onChunk: (chunk: Buffer) => void,
): Promise<number> {
  return new Promise((resolve, reject) => {
    let received = 0;
    let settled = false;
    let idleTimer: NodeJS.Timeout | undefined;

    const finish = (error: unknown): void => {
      if (settled) return;
      settled = true;
      clearTimeout(totalTimer);
      clearTimeout(idleTimer);
      clearInterval(rateTimer);
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('close', onClose);
      if (error === undefined) {
        resolve(received);
      } else {
        req.pause();
        reject(error);
      }
    };
    const timeout = (what: string) => () =>
      finish(new MailRefusal(408, 'The request body took too long to arrive.', { reason: what }));
    const armIdle = (): void => {
      clearTimeout(idleTimer);
      idleTimer = setTimeout(timeout(`no body data for ${limits.idleTimeoutMs} ms`), limits.idleTimeoutMs);
    };
    const onData = (chunk: Buffer): void => {
      if (settled) return;
      received += chunk.length;
      if (received > limits.maxBytes) {
        finish(
          new MailRefusal(413, `The request body is larger than ${limits.maxBytes} bytes.`, {
            reason: `body passed ${limits.maxBytes} bytes while streaming`,
          }),
        );
        return;
      }
      armIdle();
      try {
        onChunk(chunk);
      } catch (error) {
        finish(error);
      }
    };
    const onEnd = (): void => finish(undefined);
    const onError = (error: Error): void =>
      finish(
        new MailRefusal(400, 'The request body could not be read.', {
          reason: `stream error: ${error.message}`,
        }),
      );
    // 'close' before 'end' means the client went away mid-body.
    const onClose = (): void => {
      if (!req.complete) {
        finish(new MailRefusal(400, 'The request was aborted.', { reason: 'client aborted the body' }));
      }
    };

    const totalTimer = setTimeout(
      timeout(`body not complete after ${limits.bodyTimeoutMs} ms`),
      limits.bodyTimeoutMs,
    );
    // Bytes per window rather than an average since the start: a sender cannot bank a fast opening
    // and then trickle.
    let windowStart = 0;
    const rateTimer = setInterval(() => {
      const inWindow = received - windowStart;
      windowStart = received;
      if (inWindow < limits.minBytesPerWindow) {
        finish(
          new MailRefusal(408, 'The request body is arriving too slowly.', {
            reason: `${inWindow} bytes in ${limits.rateWindowMs} ms, under ${limits.minBytesPerWindow}`,
          }),
        );
      }
    }, limits.rateWindowMs);
    armIdle();
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('close', onClose);
    req.resume();
  });
}

/** Buffers the whole body (raw MIME, JSON) within the budgets. */
export async function readBody(req: IncomingMessage, limits: BodyLimits): Promise<Buffer> {
  const chunks: Buffer[] = [];
  const length = await pumpBody(req, limits, (chunk) => chunks.push(chunk));
  return Buffer.concat(chunks, length);
}
