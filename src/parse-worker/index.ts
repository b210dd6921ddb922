/**
 * Parsing off the bot's thread (issue 10.8). The parser is synchronous past mailparser, and an email
 * built to be slow (100,000 links, 5,000 headed paragraphs, megabytes of nesting) would hold the event
 * loop for seconds: /healthz, Slack's 3-second acks and other mail would wait. One worker thread
 * (node:worker_threads) parses every email, one at a time, in arrival order; the bot's thread only
 * copies the bytes over and the parsed briefing back.
 *
 * Measured with `npm run bench` (hostile inputs, worst event-loop delay of the bot while one is
 * parsed), worker against slices: slicing the parser would mean yielding inside mailparser, the HTML
 * tokenizer and every pass of src/briefing, while the worker bounds them all at once for the cost of
 * one structured clone each way (about 1 ms for a real briefing).
 *
 * Runs from the built dist/ (worker.js beside this file) and from src/ under tsx (npm run dev, the
 * tests): there the worker registers tsx's loader before importing worker.ts.
 *
 * A parse that takes longer than `timeoutMs` ends the worker (a new one takes the next email) and is
 * refused as not a briefing: no real briefing comes near it.
 */
import type { Worker } from 'node:worker_threads';
import { BriefingParseError, type ParsedEmail } from '../briefing/index.js';
import { startWorker, workerEntry } from '../worker-entry.js';
import { type Request, type Response, reviveError, type WorkInput } from './protocol.js';

export const DEFAULT_PARSE_TIMEOUT_MS = 60_000;

/**
 * After an email this large the worker is retired and the next email starts a new one: parsing a
 * 4.5 MB HTML part grows the worker's heap by hundreds of MB, which V8 keeps for the life of the thread
 * (the bench's RSS after its hostile emails was ~570 MB). A real briefing is far smaller, so the usual
 * worker lives on and no email but a huge one pays a new worker's start (~0.1 s of module loading).
 */
export const RETIRE_AFTER_BYTES = 1024 * 1024;

function sizeOf(input: WorkInput): number {
  if (input.kind === 'raw') return input.raw.byteLength;
  return (input.parts.text?.length ?? 0) + (input.parts.html?.length ?? 0);
}

export interface ParseWorkerOptions {
  timeoutMs?: number;
  /** Called for each problem with the worker itself (it is restarted); the log, in the bot. */
  onError?: (error: Error) => void;
}

export interface ParsePool {
  parse(input: WorkInput): Promise<ParsedEmail>;
  /** Emails parsed in the worker since start (tests and /healthz-style checks read it). */
  readonly parsed: number;
  /** Whether an email is in the worker now. */
  readonly busy: boolean;
  /** Thread id of the current worker, null before the first email. */
  readonly threadId: number | null;
  stop(): Promise<void>;
}

interface Job {
  id: number;
  input: WorkInput;
  resolve: (value: ParsedEmail) => void;
  reject: (error: Error) => void;
}

export function createParsePool(options: ParseWorkerOptions = {}): ParsePool {
  const timeoutMs = options.timeoutMs ?? DEFAULT_PARSE_TIMEOUT_MS;
  const entry = workerEntry(import.meta.url, './worker.ts', './worker.js');
  const queue: Job[] = [];
  let worker: Worker | null = null;
  let ready = false;
  let current: Job | null = null;
  let timer: NodeJS.Timeout | null = null;
  let nextId = 1;
  let parsed = 0;
  let threadId: number | null = null;
  let stopped = false;

  function start(): Worker {
    const started = startWorker(entry);
    threadId = started.threadId;
    ready = false;
    started.on('message', (message: Response) => {
      if ('ready' in message) {
        ready = true;
        pump();
        return;
      }
      if (!current || message.id !== current.id) return;
      const job = current;
      finish();
      if (sizeOf(job.input) > RETIRE_AFTER_BYTES && worker === started) {
        // Its exit is expected: the handlers below see it is no longer the worker.
        worker = null;
        void started.terminate();
      }
      if (message.ok) {
        parsed++;
        job.resolve(message.result);
      } else job.reject(reviveError(message.error));
      pump();
    });
    started.on('error', (error) => fail(started, error));
    started.on('exit', (code) => {
      if (worker === started) fail(started, new Error(`parse worker exited with code ${code}`));
    });
    // The worker never keeps the process alive by itself: a stopping bot or CLI exits.
    started.unref();
    return started;
  }

  function finish(): void {
    current = null;
    if (timer) clearTimeout(timer);
    timer = null;
  }

  /** The worker died or misbehaved: the email it held is failed, the next ones go to a new worker. */
  function fail(which: Worker, error: Error, rejectWith: Error = error): void {
    if (worker !== which) return;
    worker = null;
    void which.terminate();
    const job = current;
    finish();
    if (!stopped) options.onError?.(error);
    job?.reject(rejectWith);
    if (!ready) {
      // It died before it could take an email: a new one would too. Fail what waits; the next email
      // tries a new worker.
      for (const waiting of queue.splice(0)) waiting.reject(error);
      return;
    }
    pump();
  }

  function pump(): void {
    if (stopped || current || queue.length === 0) return;
    if (!worker) worker = start();
    // While an email waits for or sits in the worker, the worker keeps the process alive.
    worker.ref();
    if (!ready) return;
    const job = queue.shift()!;
    current = job;
    const running = worker;
    timer = setTimeout(() => {
      fail(
        running,
        new Error(`parse worker: an email took over ${timeoutMs} ms; worker restarted`),
        new BriefingParseError(`The email took over ${Math.round(timeoutMs / 1000)} s to read.`),
      );
    }, timeoutMs);
    timer.unref();
    const request: Request = { id: job.id, input: job.input };
    worker.postMessage(request);
  }

  return {
    parse(input) {
      if (stopped) return Promise.reject(new Error('parse worker stopped'));
      return new Promise<ParsedEmail>((resolve, reject) => {
        queue.push({
          id: nextId++,
          input,
          resolve: (value) => {
            idleRef();
            resolve(value);
          },
          reject: (error) => {
            idleRef();
            reject(error);
          },
        });
        pump();
      });
    },
    get parsed() {
      return parsed;
    },
    get threadId() {
      return threadId;
    },
    get busy() {
      return current !== null;
    },
    async stop() {
      stopped = true;
      const error = new Error('parse worker stopped');
      for (const job of queue.splice(0)) job.reject(error);
      current?.reject(error);
      finish();
      const last = worker;
      worker = null;
      if (last) await last.terminate();
    },
  };

  /** While an email is in the worker, the worker keeps the process alive (its answer is awaited). */
  function idleRef(): void {
    if (!current && queue.length === 0) worker?.unref();
  }
}
