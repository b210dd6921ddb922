/**
 * Desks, follows and "previously" over Socket Mode: the same commands and mention, sent as envelopes
 * to the bot's real SocketModeReceiver.
 */
import { afterEach, expect, it } from 'vitest';
import { SlackStandIn, VIA_SOCKET_MODE } from '../../src/local/slack-stand-in.js';
import { openMemoryStore } from '../../src/store/index.js';
import { blockTexts, recordingLogger, standInConfig, startBotOnLoopback, until } from '../support/bot.js';
import { ingestSeed } from '../support/seed.js';
import { SocketModeServer } from '../support/socket-mode-server.js';

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()?.();
});

const textOf = (payload: { blocks?: unknown }) =>
  blockTexts(payload.blocks ?? [])
    .map((t) => t.text)
    .join('\n');

it('/desk add, /country follow and a `previously` mention work over Socket Mode', {
  timeout: 60_000,
}, async () => {
  const now = () => new Date('2021-10-07T14:00:00Z');
  const standIn = new SlackStandIn({ now: () => now().getTime() });
  const apiUrl = await standIn.listen();
  cleanups.push(() => standIn.close());
  const server = new SocketModeServer(standIn);
  await server.listen();
  cleanups.push(() => server.close());
  const store = await openMemoryStore({ now });
  cleanups.push(() => store.close());
  const errors: string[] = [];
  const { bot } = await startBotOnLoopback(
    standInConfig(apiUrl, standIn.token, { SLACK_APP_TOKEN: standIn.appToken }),
    {
      store,
      now,
      logger: recordingLogger((args) => errors.push(args.map(String).join(' '))),
      minPostIntervalMs: 0,
    },
  );
  cleanups.push(() => bot.stop());
  standIn.addChannel({ name: 'andes' });

  const command = async (name: string, text: string) => {
    const interaction = await standIn.sendSlashCommand(VIA_SOCKET_MODE, '', { command: name, text });
    const [answer] = await interaction.waitForResponses(1);
    return textOf(answer!);
  };
  expect(await command('/desk', 'add #andes Peru')).toContain('is now a desk for 🇵🇪 Peru');
  expect(await command('/country', 'follow Peru')).toContain('You now follow 🇵🇪 *Peru*');

  const { posts } = await ingestSeed(bot);
  expect(standIn.messages('andes')).toHaveLength(1);
  expect(standIn.messages('dm-newsroom.editor')).toHaveLength(1);

  const card = posts.find((post) => post.key === 'card')!;
  const before = standIn.thread('briefings', card.ts).length;
  await standIn.userSays(VIA_SOCKET_MODE, '', {
    channel: 'briefings',
    thread_ts: card.ts,
    text: '<@U_BOT> previously 2',
  });
  await until(() => standIn.thread('briefings', card.ts).length > before + 1, 'the answer', 10_000);
  // The seed is the whole archive: nothing came before it.
  expect(textOf(standIn.thread('briefings', card.ts).at(-1)!)).toContain(
    'Previously on 🇵🇪 Peru*: no earlier stories.',
  );
  expect(errors).toEqual([]);
});
