/**
 * Many workspaces end to end: the real bot in OAuth mode (Bolt's HTTPReceiver with its install pages,
 * our installation store on disk), two Slack stand-ins — two workspaces — behind one Web API address,
 * real signed HTTP requests. Installs through /slack/install and /slack/oauth_redirect (state cookie,
 * code exchanged at the stand-in's oauth.v2.access), mail routed by ?team=, a command in each
 * workspace answered from its own archive only, and uninstall ending the installation.
 */
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { NOT_INSTALLED } from '../../src/workspaces/router.js';
import {
  answerText,
  closeWorld,
  command,
  install,
  mailTo,
  OAUTH_APP,
  SIGNING_SECRET,
  startBot,
  startWorld,
  teams,
} from './world.js';

afterEach(closeWorld);

describe('many workspaces (OAuth)', () => {
  it('installs in two workspaces, keeps their archives apart, and forgets one that uninstalls', async () => {
    const w = await startWorld();
    const first = await install(w, w.a);
    expect(first.status).toBe(200);
    expect(first.html).toContain('Thank you!');
    // The "Add to Slack" link asks for the manifest's scopes with our client id.
    expect(first.authorize.searchParams.get('client_id')).toBe(OAUTH_APP.clientId);
    expect(first.authorize.searchParams.get('scope')?.split(',')).toContain('chat:write');
    expect((await install(w, w.b)).status).toBe(200);
    expect(await teams(w)).toEqual(['T0NEWSA', 'T0NEWSB']);
    // Each code was exchanged by the workspace that granted it (the other one does not know it).
    expect(w.a.calls('oauth.v2.access').filter((call) => call.ok)).toHaveLength(1);
    expect(w.b.calls('oauth.v2.access').filter((call) => call.ok)).toHaveLength(1);

    // The seed briefing goes to workspace A only: A's channel gets its thread, B's gets nothing.
    const mail = await mailTo(w, 'T0NEWSA');
    expect(mail.status).toBe(202);
    await (await w.bot.registry.get('T0NEWSA'))!.services.deliverer.idle();
    expect(w.a.messages('briefings').length).toBeGreaterThan(0);
    expect(w.b.messages('briefings')).toEqual([]);

    // /country Peru: A lists the Peru story from its archive; B, asked the same, has none of A's.
    const inA = await answerText(await command(w, w.a, 'Peru'));
    expect(inA).toContain('Peru cabinet reshuffle');
    const inB = await answerText(await command(w, w.b, 'Peru'));
    expect(inB).not.toContain('Peru cabinet reshuffle');
    expect(inB).not.toContain('newsroom-a');
    const dayInB = await answerText(await command(w, w.b, '2021-10-07', '/briefing'));
    expect(dayInB).not.toContain('Mexico - U.S. high-level security talks');
    expect(await answerText(await command(w, w.a, '2021-10-07', '/briefing'))).toContain(
      'Mexico - U.S. high-level security talks',
    );

    // A follow in B is B's: A's follower list does not have it.
    await answerText(await command(w, w.b, 'follow Peru'));
    expect(await (await w.bot.registry.get('T0NEWSB'))!.services.store.followsOf('U_LOCAL')).toEqual(['PE']);
    expect(await (await w.bot.registry.get('T0NEWSA'))!.services.store.followsOf('U_LOCAL')).toEqual([]);

    // A removes the app: Slack's events end the installation; A's commands are no longer answered.
    const replies = await w.a.uninstall(`${w.url}/slack/events`, SIGNING_SECRET);
    expect(replies.map((reply) => reply.status)).toEqual([200, 200]);
    expect(await teams(w)).toEqual(['T0NEWSB']);
    expect(w.bot.registry.running().map((runtime) => runtime.teamId)).toEqual(['T0NEWSB']);
    const after = await command(w, w.a, 'Peru');
    expect(after.ack).toMatchObject({ text: NOT_INSTALLED });
    expect(await answerText(await command(w, w.b, 'following'))).toContain('Peru');

    // Mail for the removed workspace is refused, not posted somewhere else.
    expect((await mailTo(w, 'T0NEWSA')).status).toBe(403);
    expect((await mailTo(w, null)).status).toBe(403);
  });

  it('keeps installations across a restart and reinstalls into the same archive', async () => {
    const w = await startWorld();
    expect((await install(w, w.a)).status).toBe(200);
    expect((await mailTo(w, 'T0NEWSA')).status).toBe(202);
    await (await w.bot.registry.get('T0NEWSA'))!.services.deliverer.idle();
    await w.bot.stop();

    const again = await startBot(w.config);
    w.bot = again.bot;
    w.url = again.url;
    expect(w.bot.registry.running().map((runtime) => runtime.teamId)).toEqual(['T0NEWSA']);
    expect(await answerText(await command(w, w.a, 'Peru'))).toContain('Peru cabinet reshuffle');
    // The same email again is a duplicate in A's archive, not a second thread.
    expect((await mailTo(w, 'T0NEWSA')).json).toMatchObject({ status: 'duplicate' });
  });

  it('refuses an install whose state is missing, forged or from another browser, and a bad code', async () => {
    const w = await startWorld();
    const noCookie = await install(w, w.a, { cookie: null });
    expect(noCookie.status).toBe(400);
    const forged = await install(w, w.a, {
      state: 'forged-state',
      cookie: 'slack-app-oauth-state=forged-state',
    });
    expect(forged.status).toBe(400);
    // The exchange itself fails: a code the workspace never granted.
    const badCode = await install(w, w.a, { code: '123.456.not-a-code' });
    expect(badCode.status).toBe(500);
    expect(w.a.calls('oauth.v2.access').map((call) => call.error)).toEqual(['invalid_code']);
    expect(w.b.calls('oauth.v2.access').map((call) => call.error)).toEqual(['invalid_code']);
    // A code is good once.
    const code = w.a.oauth.grant();
    expect((await install(w, w.a, { code })).status).toBe(200);
    expect((await install(w, w.a, { code })).status).toBe(500);
    expect(w.a.calls('oauth.v2.access').at(-1)?.error).toBe('code_already_used');
    expect(await teams(w)).toEqual(['T0NEWSA']);
  });

  it('encrypts installations at rest when INSTALLATION_KEY is set', async () => {
    const w = await startWorld({ INSTALLATION_KEY: 'ab'.repeat(32) });
    expect((await install(w, w.a)).status).toBe(200);
    const { readFile } = await import('node:fs/promises');
    const file = await readFile(join(w.dataDir, 'installations.json'), 'utf8');
    expect(file).toContain('T0NEWSA');
    expect(file).not.toContain(w.a.token);
  });
});
