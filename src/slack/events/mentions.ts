/**
 * `@briefing-bot …`: answered in the thread it was asked in (a short help outside the bot's threads).
 */
import type { App } from '@slack/bolt';
import { DEFAULT_RETRY_POLICY, realSleep, withSlackRetries } from '../../delivery/slack-call.js';
import type { Services } from '../../services.js';
import { answerMention } from './mention-answer.js';
import { briefingThread } from './thread-of.js';

export function registerMentions(app: App, services: Pick<Services, 'store'>): void {
  const { store } = services;
  app.event('app_mention', async ({ event, body, client }) => {
    // Another app mentioning us could start two bots answering each other forever.
    if (event.bot_id) return;
    if (!(await store.markEventSeen(`mention:${body.event_id}`))) return;
    const thread = await briefingThread(store, event.channel, event.thread_ts);
    const replies = await answerMention(store, event.text, thread);
    for (const reply of replies) {
      // In order, each after the last: a long `more` is several messages that must read top to bottom.
      await withSlackRetries(
        () =>
          client.chat.postMessage({
            channel: event.channel,
            thread_ts: event.thread_ts ?? event.ts,
            text: reply.text,
            blocks: reply.blocks,
            unfurl_links: false,
            unfurl_media: false,
          }),
        DEFAULT_RETRY_POLICY,
        realSleep,
      );
    }
  });
}
