/**
 * The mailbox way in inside the real bot (IMAP_URL → a Dovecot started here, the Slack stand-in):
 * a briefing in the mailbox is posted, /healthz shows the mailbox, and the same email arriving by the
 * webhook and by the mailbox, in either order, is posted once.
 */
import type { ImapFlow } from 'imapflow';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { until } from '../support/bot.js';
import { connectClient, type DovecotServer, SKIP_DOVECOT, startDovecot } from '../support/dovecot-server.js';
import { SEED_BODY } from '../support/seed.js';
import { composeEml, type Harness, postMail, startHarness } from './harness.js';

let server: DovecotServer;
let client: ImapFlow;
beforeAll(async () => {
  server = await startDovecot();
  client = await connectClient(server);
});
afterAll(async () => {
  await client?.logout();
  await server?.stop();
});

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

let folders = 0;
async function startWithMailbox(): Promise<{ inbox: string; done: string }> {
  folders += 1;
  const inbox = `desk${folders}`;
  const done = `desk${folders}-done`;
  await client.mailboxCreate(inbox);
  harness = await startHarness({
    IMAP_URL: `imap://${server.user}:${encodeURIComponent(server.password)}@${server.host}:${server.port}/${inbox}`,
    IMAP_TLS: 'none',
    IMAP_DONE_FOLDER: done,
    IMAP_REFUSED_FOLDER: `desk${folders}-refused`,
  });
  return { inbox, done };
}

async function messagesIn(folder: string): Promise<number> {
  const status = await client.status(folder, { messages: true }).catch(() => false as const);
  return status ? (status.messages ?? 0) : 0;
}

describe.skipIf(SKIP_DOVECOT)('the bot with a mailbox', () => {
  it('posts a briefing from the mailbox and shows the mailbox in /healthz', async () => {
    const { inbox, done } = await startWithMailbox();
    const h = harness!;
    await until(
      async () => {
        const health = (await (await fetch(`${h.url}/healthz`)).json()) as { mailbox?: string };
        return health.mailbox === 'ok';
      },
      'the mailbox watched',
      15_000,
    );
    await client.append(inbox, await composeEml());
    await until(async () => (await messagesIn(done)) === 1, 'the message taken', 15_000);
    await h.bot.services.deliverer.idle();
    expect(h.standIn.messages('briefings')).toHaveLength(1);
    expect(await h.bot.services.store.briefingCount()).toBe(1);
  });

  it('posts once when the same email comes by the webhook and by the mailbox, in either order', async () => {
    const { inbox, done } = await startWithMailbox();
    const h = harness!;
    const seed = await composeEml();
    const byWebhook = await postMail(h.url, new Uint8Array(seed), 'message/rfc822');
    expect(byWebhook.status).toBe(202);
    await client.append(inbox, seed);
    await until(async () => (await messagesIn(done)) === 1, 'the mailbox copy taken', 15_000);

    const other = await composeEml({
      messageId: '<second-issue@example.org>',
      subject: 'Fwd: Chile votes (Oct. 8, 2021)',
      text: SEED_BODY.replaceAll('Mexico', 'Chile').replaceAll('Oct. 7', 'Oct. 8'),
    });
    await client.append(inbox, other);
    await until(async () => (await messagesIn(done)) === 2, 'the second briefing taken', 15_000);
    const again = await postMail(h.url, new Uint8Array(other), 'message/rfc822');
    expect(again).toMatchObject({ status: 200, json: { status: 'duplicate' } });

    await h.bot.services.deliverer.idle();
    expect(await h.bot.services.store.briefingCount()).toBe(2);
    expect(h.standIn.messages('briefings')).toHaveLength(2);
  });
});
