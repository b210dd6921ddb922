import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '@slack/bolt';
import type { Config } from '../config.js';
import type { Ingest, IngestOutcome, MailInput } from '../ingest/types.js';
import { type Dialect, statusFor } from './answers.js';
import { checkAuthorization } from './auth.js';
import { readBody } from './body.js';
import { bodyKind } from './content-type.js';
import { type FormFields, readForm } from './form.js';
import { defaultLimits, type MailLimits } from './limits.js';
import { memoryReplayTokens, type ReplayTokens, verifyMailgunSignature } from './mailgun-signature.js';
import {
  detectFormProvider,
  keepFormFile,
  mailgunSignatureFields,
  postmarkInput,
} from './providers/index.js';
import { ERROR_NAMES, MailRefusal, printable } from './refusal.js';
import { sendJson } from './respond.js';

/*
 * Each outcome is answered in the dialect of whoever sent the request (answers.ts): Postmark and
 * Mailgun get 200 for accepted and duplicate mail and their own "do not retry" code for permanent
 * refusals; raw MIME and SendGrid get plain HTTP. Temporary trouble (429 overloaded, 408 slow,
 * 500 not stored) is retried by every provider, and that is what keeps an accepted briefing.
 */

export interface MailWebhookDeps {
  config: Config;
  ingest: Ingest;
  logger: Logger;
  /** Clock for Mailgun signature freshness. */
  now?: () => Date;
  /** Budget overrides (tests use short time limits); the size limit defaults to MAIL_MAX_BYTES. */
  limits?: Partial<MailLimits>;
  /** Mailgun tokens already taken (default: this process's memory; the bot passes its store's). */
  replays?: ReplayTokens;
}

type Handler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

interface RequestState {
  /** Whose retry rules the answer follows; refined as the request reveals its sender. */
  dialect: Dialect;
  /** The body budget this request holds a slot in, once it holds one. */
  pool: 'authenticated' | 'anonymous' | null;
}

/** Mailgun sends the raw message only to a forward URL ending in "mime". */
function isMimePath(url: string | undefined): boolean {
  return (url ?? '').split('?', 1)[0]!.replace(/\/+$/, '').endsWith('/mime');
}

/** The client's address for the log; a proxy's X-Forwarded-For is shown too but never trusted. */
function remoteOf(req: IncomingMessage): string {
  const direct = req.socket.remoteAddress ?? 'unknown';
  const forwarded = req.headers['x-forwarded-for'];
  const via = typeof forwarded === 'string' ? printable(forwarded.split(',', 1)[0]!.trim(), 64) : '';
  return via ? `${direct} (forwarded for ${via})` : direct;
}

/** True when the bytes are only spaces, tabs and line breaks; stops at the first other byte. */
function isBlank(bytes: Buffer): boolean {
  for (const byte of bytes) {
    if (byte !== 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0d) return false;
  }
  return true;
}

async function readRawMessage(req: IncomingMessage, limits: MailLimits): Promise<MailInput> {
  const raw = await readBody(req, limits);
  if (isBlank(raw)) throw new MailRefusal(400, 'The message is empty.');
  return { kind: 'raw', raw };
}

async function readJson(req: IncomingMessage, limits: MailLimits): Promise<unknown> {
  const body = await readBody(req, limits);
  try {
    return JSON.parse(body.toString('utf8'));
  } catch (error) {
    throw new MailRefusal(400, 'The JSON body does not parse.', {
      reason: `json: ${(error as Error).message}`,
    });
  }
}

function unauthorized(reason: string): MailRefusal {
  return new MailRefusal(401, 'Missing or bad credentials for the mail webhook.', { reason });
}

/** Builds the request handler for POST /mail/inbound; it never rejects and always answers in JSON. */
export function createMailHandler(deps: MailWebhookDeps): Handler {
  const { config, ingest, logger } = deps;
  const now = deps.now ?? (() => new Date());
  const limits: MailLimits = { ...defaultLimits(config.mailMaxBytes), ...deps.limits };
  const replays = deps.replays ?? memoryReplayTokens();
  // Two budgets: bodies that proved themselves by header, and bodies whose proof is inside them.
  const inFlight = { authenticated: 0, anonymous: 0 };

  /** Authenticates, reads and maps the body; returns the input plus the Mailgun token to release on failure. */
  async function receive(
    req: IncomingMessage,
    state: RequestState,
  ): Promise<{ input: MailInput; token: string | null }> {
    if (!config.mailWebhookSecret && !config.mailgunSigningKey) {
      throw new MailRefusal(
        401,
        'The mail webhook is not configured: set MAIL_WEBHOOK_SECRET (or MAILGUN_SIGNING_KEY).',
        {
          reason: 'webhook not configured',
        },
      );
    }
    const auth = checkAuthorization(req.headers.authorization, config.mailWebhookSecret);
    if (auth.kind === 'invalid') throw unauthorized(auth.reason);

    const kind = bodyKind(req.headers['content-type']);
    if (kind === null) {
      const type = printable(String(req.headers['content-type'] ?? 'none'), 80);
      throw new MailRefusal(
        415,
        'Unsupported content type: send raw MIME, a SendGrid/Mailgun form or Postmark JSON.',
        {
          reason: `content type ${type}`,
        },
      );
    }
    // Until the form's fields say otherwise: JSON is Postmark's, and a form without header
    // credentials (or sent to the ".../mime" address only Mailgun uses) is Mailgun's.
    if (kind === 'json') state.dialect = 'postmark';
    if (kind === 'form' && (auth.kind === 'absent' || isMimePath(req.url))) state.dialect = 'mailgun';
    const declared = req.headers['content-length'];
    if (declared !== undefined && Number(declared) > limits.maxBytes) {
      throw new MailRefusal(413, `The request body is larger than ${limits.maxBytes} bytes.`, {
        reason: `Content-Length ${declared} over ${limits.maxBytes}`,
      });
    }
    // Without header credentials only a Mailgun signature can authenticate, and only forms carry one.
    if (auth.kind === 'absent' && (config.mailgunSigningKey === null || kind !== 'form')) {
      throw unauthorized('no credentials');
    }

    const pool = auth.kind === 'valid' ? 'authenticated' : 'anonymous';
    const budget = pool === 'authenticated' ? limits.maxConcurrentBodies : limits.maxAnonymousBodies;
    if (inFlight[pool] >= budget) {
      throw new MailRefusal(429, 'Too many messages arriving at once; retry shortly.', {
        reason: `${inFlight[pool]} ${pool} bodies already in flight`,
      });
    }
    inFlight[pool] += 1;
    state.pool = pool;

    if (kind === 'raw') return { input: await readRawMessage(req, limits), token: null };
    if (kind === 'json') return { input: await postmarkInput(await readJson(req, limits)), token: null };

    const fields = await readForm(req, limits, keepFormFile);
    const provider = detectFormProvider(fields);
    if (provider === null) {
      throw new MailRefusal(400, 'The form has neither SendGrid nor Mailgun fields.', {
        reason: `unknown form fields: ${printable([...fields.keys()].slice(0, 10).join(', '), 200)}`,
      });
    }
    state.dialect = provider.name === 'mailgun' ? 'mailgun' : 'http';
    // The guard above made sure a signing key exists when header credentials are absent.
    const token = auth.kind === 'absent' ? await verifySignedForm(fields, config.mailgunSigningKey!) : null;
    return { input: await provider.toInput(fields), token };
  }

  /** Authenticates a form by its Mailgun signature and claims its token; returns the token. */
  async function verifySignedForm(fields: FormFields, key: string): Promise<string> {
    const signature = mailgunSignatureFields(fields);
    if (signature === null) throw unauthorized('no credentials and no Mailgun signature');
    const check = verifyMailgunSignature(signature, key, now());
    if (!check.ok) throw unauthorized(`Mailgun ${check.reason}`);
    if (!(await replays.claim(signature.token, check.timestampMs, now().getTime()))) {
      throw unauthorized('replayed Mailgun token');
    }
    return signature.token;
  }

  function reply(
    req: IncomingMessage,
    res: ServerResponse,
    outcome: IngestOutcome,
    remote: string,
    dialect: Dialect,
  ): void {
    switch (outcome.status) {
      case 'accepted':
        logger.info(
          `mail webhook: accepted ${outcome.revised ? 'a corrected copy of ' : ''}briefing ${outcome.id} (${outcome.sections} sections) from ${remote}`,
        );
        sendJson(req, res, statusFor(dialect, 'accepted'), {
          status: 'accepted',
          id: outcome.id,
          sections: outcome.sections,
          ...(outcome.revised ? { revised: true } : {}),
          detail: outcome.revised
            ? 'A corrected copy of a briefing already received: stored as its new version; its Slack thread is being updated.'
            : 'Stored; posting to Slack.',
        });
        return;
      case 'duplicate':
        logger.info(`mail webhook: duplicate of briefing ${outcome.id} from ${remote}`);
        sendJson(req, res, statusFor(dialect, 'duplicate'), {
          status: 'duplicate',
          id: outcome.id,
          detail: 'Already received; not posted again.',
        });
        return;
      case 'notice':
        logger.info(
          `mail webhook: subscription confirmation from ${remote}, ${outcome.posted ? 'posted' : 'already posted'} as a notice`,
        );
        sendJson(req, res, statusFor(dialect, outcome.posted ? 'accepted' : 'duplicate'), {
          status: 'notice',
          id: outcome.id,
          detail: outcome.posted
            ? 'A subscription confirmation, not a briefing: posted once as a notice with its confirm link.'
            : 'A subscription confirmation whose notice is already posted; not posted again.',
        });
        return;
      case 'rejected':
        throw new MailRefusal(outcome.code, outcome.detail, { reason: printable(outcome.detail, 300) });
    }
  }

  return async (req, res) => {
    const remote = remoteOf(req);
    let token: string | null = null;
    // The slot is held from the first body byte until the reply: the body's memory lives that long.
    const state: RequestState = { dialect: 'http', pool: null };
    try {
      if (req.method !== 'POST') {
        res.setHeader('Allow', 'POST');
        throw new MailRefusal(405, 'Only POST is accepted here.', {
          reason: `method ${printable(String(req.method), 16)}`,
        });
      }
      const received = await receive(req, state);
      token = received.token;
      reply(req, res, await ingest(received.input), remote, state.dialect);
    } catch (error) {
      if (error instanceof MailRefusal) {
        const status = statusFor(state.dialect, error.status);
        const said = status === error.status ? '' : ` (answered ${status} to ${state.dialect})`;
        logger.warn(`mail webhook: refused ${error.status}${said} from ${remote}: ${error.reason}`);
        sendJson(req, res, status, { error: ERROR_NAMES[error.status], detail: error.detail });
        return;
      }
      // Not stored: let the provider retry, and let the same Mailgun token through when it does.
      if (token !== null) await replays.release(token).catch(() => undefined);
      logger.error(`mail webhook: failed to take a message from ${remote}:`, error);
      sendJson(req, res, 500, {
        error: ERROR_NAMES[500],
        detail: 'The message was not stored; try again later.',
      });
    } finally {
      if (state.pool !== null) inFlight[state.pool] -= 1;
    }
  };
}
