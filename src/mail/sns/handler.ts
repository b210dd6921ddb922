/**
 * POST /mail/inbound/sns: Amazon SES mail delivered by SNS. Nothing in the request authenticates it
 * but SNS's signature, and a valid signature only proves the message came through SNS: the topic must
 * also be ours (SNS_TOPIC_ARNS). SNS retries only answers outside 200–499 (and timeouts), so every
 * refusal is a 4xx and every "try later" a 5xx.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '@slack/bolt';
import type { Config } from '../../config.js';
import type { Ingest } from '../../ingest/types.js';
import { readBody } from '../body.js';
import { defaultLimits, type MailLimits } from '../limits.js';
import { ERROR_NAMES, MailRefusal, printable } from '../refusal.js';
import { sendJson } from '../respond.js';
import { sesInput } from './ses.js';
import {
  type CertificateFetch,
  fetchCertificateOverHttps,
  isSnsUrl,
  parseSnsMessage,
  SnsVerifier,
} from './verify.js';

export const SNS_PATH = '/mail/inbound/sns';

/** SNS posts at most 256 KB; SES content over 150 KB goes to S3 instead. */
const SNS_MAX_BYTES = 256 * 1024;

export interface SnsDeps {
  config: Pick<Config, 'snsTopicArns'>;
  ingest: Ingest;
  logger: Logger;
  /** Fetches the signing certificate (tests serve one they made). */
  fetchCertificate?: CertificateFetch;
  /** Visits SubscribeURL to confirm the subscription (tests record it). */
  confirmSubscription?: (url: string) => Promise<void>;
  now?: () => Date;
  limits?: Partial<MailLimits>;
}

const visit = async (url: string): Promise<void> => {
  const response = await fetch(url, { signal: AbortSignal.timeout(10_000), redirect: 'error' });
  if (!response.ok) throw new Error(`SubscribeURL answered ${response.status}`);
};

/** SNS does not retry 4xx: a temporary refusal (slow body, overload) must be a 5xx to come back. */
function snsStatus(status: MailRefusal['status']): number {
  return status === 408 || status === 429 ? 503 : status;
}

export function createSnsHandler(
  deps: SnsDeps,
): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  const { config, ingest, logger } = deps;
  const limits: MailLimits = { ...defaultLimits(SNS_MAX_BYTES), ...deps.limits };
  const verifier = new SnsVerifier(deps.fetchCertificate ?? fetchCertificateOverHttps, deps.now);
  const confirm = deps.confirmSubscription ?? visit;
  let inFlight = 0;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method !== 'POST') {
      res.setHeader('Allow', 'POST');
      throw new MailRefusal(405, 'Only POST is accepted here.');
    }
    if (config.snsTopicArns.length === 0) {
      throw new MailRefusal(403, 'SES over SNS is not configured: set SNS_TOPIC_ARNS.', {
        reason: 'no SNS_TOPIC_ARNS',
      });
    }
    if (inFlight >= limits.maxAnonymousBodies) {
      throw new MailRefusal(429, 'Too many messages arriving at once; retry shortly.');
    }
    inFlight += 1;
    try {
      let body: unknown;
      try {
        body = JSON.parse((await readBody(req, limits)).toString('utf8'));
      } catch (error) {
        if (error instanceof MailRefusal) throw error;
        throw new MailRefusal(400, 'The SNS body is not JSON.');
      }
      const message = parseSnsMessage(body);
      if (message === null) throw new MailRefusal(400, 'The body is not an SNS message.');
      if (!config.snsTopicArns.includes(message.TopicArn)) {
        throw new MailRefusal(403, 'The SNS topic is not one of SNS_TOPIC_ARNS.', {
          reason: `topic ${printable(message.TopicArn, 200)}`,
        });
      }
      const bad = await verifier.verify(message);
      if (bad !== null) throw new MailRefusal(403, 'The SNS signature does not verify.', { reason: bad });

      if (message.Type === 'SubscriptionConfirmation') {
        if (!isSnsUrl(message.SubscribeURL ?? '')) {
          throw new MailRefusal(403, 'SubscribeURL is not an Amazon SNS address.');
        }
        await confirm(message.SubscribeURL!);
        logger.info(`SNS: subscribed to ${message.TopicArn}`);
        sendJson(req, res, 200, { status: 'subscribed', detail: `Subscribed to ${message.TopicArn}.` });
        return;
      }
      if (message.Type === 'UnsubscribeConfirmation') {
        logger.warn(`SNS: unsubscribed from ${message.TopicArn}`);
        sendJson(req, res, 200, { status: 'unsubscribed', detail: 'Noted.' });
        return;
      }
      const outcome = await ingest(sesInput(message.Message));
      if (outcome.status === 'rejected') {
        throw new MailRefusal(outcome.code, outcome.detail, { reason: printable(outcome.detail, 300) });
      }
      logger.info(`SNS: ${outcome.status} briefing ${outcome.id}`);
      if (outcome.status === 'accepted') {
        const { id, sections } = outcome;
        sendJson(req, res, 200, { status: 'accepted', id, sections, detail: 'Stored; posting to Slack.' });
      } else {
        sendJson(req, res, 200, {
          status: 'duplicate',
          id: outcome.id,
          detail: 'Already received; not posted again.',
        });
      }
    } finally {
      inFlight -= 1;
    }
  }

  return async (req, res) => {
    const remote = req.socket.remoteAddress ?? 'unknown';
    try {
      await handle(req, res);
    } catch (error) {
      if (error instanceof MailRefusal) {
        const status = snsStatus(error.status);
        logger.warn(`SNS: refused ${error.status} (answered ${status}) from ${remote}: ${error.reason}`);
        sendJson(req, res, status, { error: ERROR_NAMES[error.status], detail: error.detail });
        return;
      }
      logger.error(`SNS: failed to take a message from ${remote}:`, error);
      sendJson(req, res, 500, {
        error: ERROR_NAMES[500],
        detail: 'The message was not stored; try again later.',
      });
    }
  };
}
