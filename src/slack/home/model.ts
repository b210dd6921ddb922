/**
 * What the Home tab shows, read from the store and the config (I/O; render.ts turns it into blocks).
 */
import type { Config } from '../../config.js';
import type { ArchiveReads } from '../../store/roles.js';
import type { BriefingStore, StoredBriefing } from '../../store/types.js';
import {
  HOME_BRIEFINGS,
  HOME_DELIVERIES,
  type HomeBriefing,
  type HomeDelivery,
  type HomeInput,
  type HomeSettings,
  type WayIn,
} from './render.js';

/** The newest briefings by date (newest received first within a day), at most `max`. */
async function latestBriefings(store: BriefingStore, max: number): Promise<StoredBriefing[]> {
  const found: StoredBriefing[] = [];
  let date = await store.latestDate();
  while (date && found.length < max) {
    found.push(...(await store.briefingsOn(date)).reverse());
    date = (await store.nearestDates(date)).before;
  }
  return found.slice(0, max);
}

export function waysIn(config: Config): WayIn[] {
  const ways: WayIn[] = [];
  if (config.mailWebhookSecret || config.mailgunSigningKey) {
    const providers = [
      ...(config.mailWebhookSecret ? ['raw MIME', 'SendGrid', 'Postmark', 'Mailgun'] : ['Mailgun (signed)']),
    ];
    ways.push({ name: 'Mail webhook', detail: `POST /mail/inbound (${providers.join(', ')})` });
  }
  if (config.snsTopicArns.length > 0) {
    ways.push({
      name: 'Amazon SES via SNS',
      detail: `POST /mail/inbound/sns, topic${config.snsTopicArns.length === 1 ? '' : 's'} ${config.snsTopicArns.join(', ')}`,
    });
  }
  if (config.smtpPort !== null) {
    ways.push({
      name: 'SMTP',
      detail: `port ${config.smtpPort}${config.smtpTlsCert ? ' with STARTTLS' : ''}, for ${config.smtpRecipients.length ? config.smtpRecipients.join(', ') : 'any recipient'}`,
    });
  }
  if (config.imap) {
    // Host and folder only: the login stays out of Slack.
    ways.push({
      name: 'Mailbox (IMAP)',
      detail: `${config.imap.host} folder ${config.imap.folder}, taken mail to ${config.imap.doneFolder}`,
    });
  }
  ways.push({
    name: 'Slack',
    detail: 'the “Post as briefing” message shortcut, on a message or a shared .eml file',
  });
  return ways;
}

export function homeSettings(config: Config): HomeSettings {
  const addresses = [...config.smtpRecipients];
  if (config.imap && /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(config.imap.user)) addresses.push(config.imap.user);
  return {
    briefingChannel: config.briefingChannel,
    digestChannel: config.digestChannel,
    digestTime: config.digestTime,
    timeZone: config.newsroomTz,
    threadLayout: config.threadLayout,
    allowedSenders: config.allowedSenders,
    senderAuth: config.allowedSenders.length > 0 ? config.senderAuth : 'off (no ALLOWED_SENDERS)',
    waysIn: waysIn(config),
    addresses,
    adminUsers: config.adminUsers,
  };
}

export async function homeInput(
  deps: { store: ArchiveReads; config: Config },
  notice?: string,
): Promise<HomeInput> {
  const { store, config } = deps;
  const stored = await latestBriefings(store, HOME_BRIEFINGS);
  const briefings: HomeBriefing[] = await Promise.all(
    stored.map(async (b) => {
      const card = (await store.getDelivery(b.id))?.posts.find((p) => p.key === 'card');
      return {
        id: b.id,
        publication: b.briefing.publication,
        title: b.briefing.title,
        date: b.date,
        sections: b.briefing.sections.length,
        threadUrl: card?.permalink ?? null,
      };
    }),
  );
  // The counts are kept up to date by the store: only when something is open is the list walked.
  const counts = await store.deliveryCounts();
  const open =
    counts.unfinished + counts.failed === 0
      ? []
      : (await store.listDeliveries())
          .filter((d) => d.state !== 'posted')
          .sort((a, b) => b.updatedAt.localeCompare(a.updatedAt));
  const deliveries: HomeDelivery[] = await Promise.all(
    open.slice(0, HOME_DELIVERIES).map(async (d) => {
      const b = await store.getBriefing(d.briefingId);
      return {
        id: d.briefingId,
        state: d.state as HomeDelivery['state'],
        title: b?.briefing.title ?? '(briefing not found)',
        date: b?.date ?? '',
        attempts: d.attempts,
        lastError: d.lastError,
        nextAttemptAt: d.nextAttemptAt,
      };
    }),
  );
  return {
    briefings,
    briefingCount: await store.briefingCount(),
    deliveries,
    moreDeliveries: Math.max(0, open.length - deliveries.length),
    settings: homeSettings(config),
    ...(notice ? { notice } : {}),
  };
}
