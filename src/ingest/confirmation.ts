/**
 * Subscription confirmations (issue 10.7): not briefings, but a person must click them. Each is posted
 * once to the briefing channel as a short notice with its confirm link. "Once" across redeliveries: the
 * same confirmation arriving again (a provider's retry, the same mail by another way in, the ESP
 * resending within a day) is recognised by its confirm link, or its sender and subject, recorded in
 * the store's seen-ids after the post (a day's window, as for Slack's retried events); the same one
 * arriving twice at once waits for the first.
 */
import { createHash } from 'node:crypto';
import type { Logger } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { SubscriptionConfirmation } from '../briefing/index.js';
import {
  DEFAULT_RETRY_POLICY,
  type RetryPolicy,
  realSleep,
  type Sleep,
  slackCall,
} from '../slack/api/call.js';
import { type ChannelResolver, createChannelResolver } from '../slack/api/channel.js';
import { renderConfirmationNotice } from '../slack/render/notice.js';
import type { SeenStore } from '../store/types.js';

export type NotifyConfirmation = (
  confirmation: SubscriptionConfirmation,
) => Promise<{ key: string; posted: boolean }>;

export function confirmationKey(confirmation: SubscriptionConfirmation): string {
  const basis = confirmation.confirm?.url ?? `${confirmation.sender ?? ''}\n${confirmation.subject}`;
  return `confirmation:${createHash('sha256').update(basis).digest('hex').slice(0, 32)}`;
}

export interface NotifierDeps {
  store: SeenStore;
  client: WebClient;
  channel: string;
  logger: Logger;
  sleep?: Sleep;
  retryPolicy?: RetryPolicy;
  /** The process's channel look-ups (BRIEFING_CHANNEL is the deliverer's too); absent: its own. */
  channels?: ChannelResolver;
}

export function createConfirmationNotifier(deps: NotifierDeps): NotifyConfirmation {
  const call = slackCall(deps.retryPolicy ?? DEFAULT_RETRY_POLICY, deps.sleep ?? realSleep);
  const channels = deps.channels ?? createChannelResolver(deps.client);
  const inFlight = new Map<string, Promise<{ key: string; posted: boolean }>>();

  async function notify(confirmation: SubscriptionConfirmation, key: string) {
    if (await deps.store.eventSeen(key)) return { key, posted: false };
    const channel = await channels.resolve(deps.channel, call);
    const message = renderConfirmationNotice(confirmation);
    await call(() =>
      deps.client.chat.postMessage({
        channel,
        text: message.text,
        blocks: message.blocks as never,
        // The fallback is the notification text only, shown as typed (as every briefing post).
        mrkdwn: false,
        unfurl_links: false,
        unfurl_media: false,
      }),
    );
    await deps.store.markEventSeen(key);
    deps.logger.info(`Subscription confirmation posted as a notice (${key})`);
    return { key, posted: true };
  }

  return (confirmation) => {
    const key = confirmationKey(confirmation);
    const running = inFlight.get(key);
    if (running) return running.then(() => ({ key, posted: false }));
    const started = notify(confirmation, key).finally(() => inFlight.delete(key));
    inFlight.set(key, started);
    return started;
  };
}
