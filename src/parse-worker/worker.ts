/**
 * The parse worker's thread: takes one email at a time from the bot's thread, parses it with the same
 * parser (src/briefing), and answers with the ParsedEmail or the parser's refusal, so a hostile email
 * spends its seconds here and never on the thread that answers HTTP, Slack and /healthz.
 */
import { parentPort } from 'node:worker_threads';
import { parseEmail, parseParts } from '../briefing/index.js';
import { type Request, serialiseError } from './protocol.js';

const port = parentPort;
if (!port) throw new Error('src/parse-worker/worker.ts runs as a worker thread only');

port.on('message', (request: Request) => {
  const { id, input } = request;
  const parsed =
    input.kind === 'raw'
      ? parseEmail(Buffer.from(input.raw.buffer, input.raw.byteOffset, input.raw.byteLength))
      : Promise.resolve().then(() => parseParts(input.parts));
  parsed.then(
    (result) => port.postMessage({ id, ok: true, result }),
    (error: unknown) => port.postMessage({ id, ok: false, error: serialiseError(error) }),
  );
});
port.postMessage({ ready: true });
