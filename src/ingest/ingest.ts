/**
 * One inbound email → a stored briefing → a delivery. The webhook and `briefing-bot ingest FILE` both
 * come through here, so both answer the same way. The briefing is stored before the outcome returns:
 * "accepted" means it survives a crash; posting happens afterwards.
 */
import type { Logger } from '@slack/bolt';
import type { DnsResolver } from 'mailauth';
import { BriefingParseError, parseEmail, parseParts, SubscriptionConfirmation } from '../briefing/index.js';
import type { ParsedEmail } from '../briefing/types.js';
import type { Config } from '../config.js';
import { classifyResend } from '../corrections/match.js';
import type { Deliverer } from '../delivery/types.js';
import { checkSender } from '../mail/sender-auth/index.js';
import { todayIn } from '../query/calendar.js';
import type { DeliveryWork } from '../store/roles.js';
import type { NotifyConfirmation } from './confirmation.js';
import { dedupeKey, normaliseMessageId } from './dedupe.js';
import { isSenderAllowed } from './senders.js';
import type { Ingest, IngestOutcome, MailInput } from './types.js';

export interface IngestDeps {
  config: Pick<Config, 'briefingChannel' | 'allowedSenders' | 'newsroomTz'> &
    Partial<Pick<Config, 'senderAuth' | 'senderAuthServers'>>;
  store: DeliveryWork;
  deliverer: Pick<Deliverer, 'kick'>;
  logger: Logger;
  now?: () => Date;
  /** DNS for sender authentication (DKIM keys, SPF, DMARC); tests serve fixed records. */
  resolver?: DnsResolver;
  /** Posts a subscription confirmation once as a notice; without it, one is refused like any non-briefing. */
  notifyConfirmation?: NotifyConfirmation;
  /** The parser; tests of the ingest rules may hand in parsed emails directly. */
  parse?: (input: MailInput) => Promise<ParsedEmail>;
}

async function defaultParse(input: MailInput): Promise<ParsedEmail> {
  return input.kind === 'raw' ? parseEmail(input.raw) : parseParts(input.parts);
}

export function createIngest(deps: IngestDeps): Ingest {
  const { config, store, deliverer, logger } = deps;
  const now = deps.now ?? (() => new Date());
  const parse = deps.parse ?? defaultParse;

  return async (input: MailInput): Promise<IngestOutcome> => {
    let parsed: ParsedEmail;
    try {
      parsed = await parse(input);
    } catch (error) {
      if (!(error instanceof BriefingParseError)) throw error;
      if (error instanceof SubscriptionConfirmation && deps.notifyConfirmation) {
        const { key, posted } = await deps.notifyConfirmation(error);
        logger.info(
          `Mail is a subscription confirmation: ${posted ? 'posted as a notice' : 'notice already posted'}`,
        );
        return { status: 'notice', id: key, posted };
      }
      logger.warn(`Mail refused (400): not a briefing: ${error.message}`);
      return { status: 'rejected', code: 400, detail: `Not a briefing: ${error.message}` };
    }

    if (!isSenderAllowed(parsed.forwardedBy, config.allowedSenders)) {
      const who = parsed.forwardedBy;
      logger.warn(`Mail refused (403): ${who ?? 'no sender address'} is not in ALLOWED_SENDERS`);
      const detail = who
        ? `Sender ${who} is not allowed to forward briefings.`
        : 'The message has no sender address, and only ALLOWED_SENDERS may forward briefings.';
      return { status: 'rejected', code: 403, detail };
    }

    const mode = config.senderAuth ?? 'off';
    if (mode !== 'off' && config.allowedSenders.length > 0) {
      const check = await checkSender(input, parsed.forwardedBy, {
        allowedSenders: config.allowedSenders,
        trustedServers: config.senderAuthServers ?? [],
        ...(deps.resolver ? { resolver: deps.resolver } : {}),
      });
      if (!check.ok && mode === 'require') {
        logger.warn(`Mail refused (403): ${parsed.forwardedBy} is not authenticated: ${check.failed}`);
        return {
          status: 'rejected',
          code: 403,
          detail: `Sender ${parsed.forwardedBy ?? 'unknown'} is not authenticated by the message: ${check.failed}.`,
        };
      }
      if (check.ok) logger.debug(`Sender ${parsed.forwardedBy} authenticated: ${check.via}`);
      else
        logger.warn(`Sender ${parsed.forwardedBy} not authenticated (SENDER_AUTH=prefer): ${check.failed}`);
    }

    const receivedAt = now();
    // '#briefings' and 'briefings' are one channel: one key space for exactly-once.
    const channel = config.briefingChannel.trim().replace(/^#/, '');
    const key = dedupeKey(channel, parsed.messageId, parsed.briefing);
    const date = parsed.briefing.date ?? todayIn(receivedAt, config.newsroomTz);

    // A re-send of a briefing already stored (same publication and date, new Message-ID): word for word
    // it is a duplicate; edited, it is a corrected copy that updates the existing thread.
    if (!(await store.findByDedupeKey(key))) {
      const sameDay = (await store.briefingsOn(date)).filter((other) => other.channel === channel);
      const resend = classifyResend(parsed.briefing, sameDay);
      if (resend?.kind === 'identical') {
        logger.info(`Mail is a word-for-word copy of briefing ${resend.id}; not posted again`);
        return { status: 'duplicate', id: resend.id };
      }
      if (resend?.kind === 'revision') {
        const { briefing: revised, created } = await store.reviseBriefing(resend.id, {
          receivedAt: receivedAt.toISOString(),
          messageId: normaliseMessageId(parsed.messageId),
          dedupeKey: key,
          briefing: parsed.briefing,
        });
        if (!created) {
          logger.info(`Mail is a duplicate of the corrected copy of briefing ${revised.id}`);
          return { status: 'duplicate', id: revised.id };
        }
        logger.info(
          `Briefing ${revised.id} revised by a corrected copy: "${revised.briefing.title}" (${revised.briefing.sections.length} sections, version ${revised.versions?.length ?? 1})`,
        );
        deliverer.kick(revised.id);
        return {
          status: 'accepted',
          id: revised.id,
          sections: revised.briefing.sections.length,
          revised: true,
        };
      }
    }

    const { briefing: stored, created } = await store.addBriefing({
      dedupeKey: key,
      channel,
      receivedAt: receivedAt.toISOString(),
      date,
      forwardedBy: parsed.forwardedBy,
      forwardedByName: parsed.forwardedByName,
      messageId: normaliseMessageId(parsed.messageId),
      briefing: parsed.briefing,
    });

    if (!created) {
      // A retry of a delivery that never finished (say the process died) gets it going again.
      const state = (await store.getDelivery(stored.id))?.state;
      if (state === 'pending' || state === 'posting') deliverer.kick(stored.id);
      logger.info(`Mail is a duplicate of briefing ${stored.id}`);
      return { status: 'duplicate', id: stored.id };
    }
    logger.info(
      `Briefing ${stored.id} stored: "${stored.briefing.title}" (${stored.briefing.sections.length} sections)`,
    );
    deliverer.kick(stored.id);
    return { status: 'accepted', id: stored.id, sections: stored.briefing.sections.length };
  };
}
