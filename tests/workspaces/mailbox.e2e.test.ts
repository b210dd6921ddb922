/**
 * The watched mailbox with many workspaces: a Dovecot started here (tests/support), the bot the world
 * starts (OAuth mode, two stand-in workspaces), IMAP_TEAM_ID naming the second. Its mail is filed into
 * that workspace only, and before that workspace has installed the bot the mail waits in the folder
 * (/healthz says why) and is taken once it has.
 */
import type { ImapFlow } from 'imapflow';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { until } from '../support/bot.js';
import { connectClient, type DovecotServer, SKIP_DOVECOT, startDovecot } from '../support/dovecot-server.js';
import { composeEml } from '../support/seed.js';
import { closeWorld, install, SIGNING_SECRET, startWorld, type World } from './world.js';

let server: DovecotServer;
let client: ImapFlow;
beforeAll(async () => {
  if (SKIP_DOVECOT) return;
  server = await startDovecot();
  client = await connectClient(server);
});
afterAll(async () => {
  await client?.logout();
  await server?.stop();
});
afterEach(closeWorld);

let folders = 0;
async function startWithMailbox(
  env: Record<string, string>,
): Promise<{ w: World; inbox: string; done: string }> {
  folders += 1;
  const inbox = `teams${folders}`;
  const done = `teams${folders}-done`;
  await client.mailboxCreate(inbox);
  const w = await startWorld({
    IMAP_URL: `imap://${server.user}:${encodeURIComponent(server.password)}@${server.host}:${server.port}/${inbox}`,
    IMAP_TLS: 'none',
    IMAP_DONE_FOLDER: done,
    IMAP_REFUSED_FOLDER: `teams${folders}-refused`,
    ...env,
  });
  return { w, inbox, done };
}

async function messagesIn(folder: string): Promise<number> {
  const status = await client.status(folder, { messages: true }).catch(() => false as const);
  return status ? (status.messages ?? 0) : 0;
}

interface Health {
  ok: boolean;
  mailbox?: { team: string; status: string };
}
const health = async (w: World) => (await (await fetch(`${w.url}/healthz`)).json()) as Health;

describe.skipIf(SKIP_DOVECOT)('a watched mailbox with many workspaces', () => {
  it('files into IMAP_TEAM_ID’s workspace, and waits for that workspace to install the bot', async () => {
    const { w, inbox, done } = await startWithMailbox({ IMAP_TEAM_ID: 'T0NEWSB' });
    expect((await install(w, w.a)).status).toBe(200);
    await client.append(inbox, await composeEml());
    // B has no installation yet: the mailbox cannot file anything, says so, and leaves the mail alone.
    await until(
      async () => (await health(w)).mailbox?.status.includes('not installed in workspace T0NEWSB') ?? false,
      'the mailbox waiting for its workspace',
      15_000,
    );
    expect((await health(w)).ok).toBe(false);
    expect(await messagesIn(inbox)).toBe(1);
    expect(await messagesIn(done)).toBe(0);

    expect((await install(w, w.b)).status).toBe(200);
    await until(async () => (await messagesIn(done)) === 1, 'the message taken', 30_000);
    await (await w.bot.registry.get('T0NEWSB'))!.services.deliverer.idle();
    expect(w.b.messages('briefings').length).toBeGreaterThan(0);
    expect(w.a.messages('briefings')).toEqual([]);
    const b = (await w.bot.registry.get('T0NEWSB'))!.services.store;
    expect(await b.briefingCount()).toBe(1);
    expect(await (await w.bot.registry.get('T0NEWSA'))!.services.store.briefingCount()).toBe(0);
    // The folder's cursor is kept in B's archive (so a restart of the bot does not read it again).
    expect(await b.mailboxCursor(`${server.user}@${server.host}/${inbox}`)).toMatchObject({ lastUid: 1 });
    await until(async () => (await health(w)).mailbox?.status === 'ok', 'the mailbox ok again', 15_000);
    expect(await health(w)).toMatchObject({ ok: true, mailbox: { team: 'T0NEWSB', status: 'ok' } });
  });

  it('files into DEFAULT_TEAM_ID’s workspace without IMAP_TEAM_ID, running at bot level', async () => {
    const { w, inbox, done } = await startWithMailbox({ DEFAULT_TEAM_ID: 'T0NEWSA', IMAP_POLL_SECONDS: '1' });
    expect((await install(w, w.a)).status).toBe(200);
    await client.append(inbox, await composeEml());
    await until(async () => (await messagesIn(done)) === 1, 'the message taken', 30_000);
    expect(await (await w.bot.registry.get('T0NEWSA'))!.services.store.briefingCount()).toBe(1);
    // Uninstalling the mailbox's workspace stops the workspace, not the bot's mailbox.
    await w.a.uninstall(`${w.url}/slack/events`, SIGNING_SECRET);
    await until(
      async () => (await health(w)).mailbox?.status.includes('not installed') ?? false,
      'the mailbox noticing',
      30_000,
    );
  });
});
