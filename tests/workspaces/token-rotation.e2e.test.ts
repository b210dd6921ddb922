/**
 * Token rotation with many workspaces: the stand-ins hand out expiring bot tokens and refresh tokens
 * (oauth.v2.access, grant_type=refresh_token, as Slack does), the bot stores them with the install,
 * refreshes a token before it expires — on its own timer while the workspace runs, and before the
 * workspace starts when the bot was down past the expiry — and keeps answering with the new token
 * after the old one stopped working.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { SlackStandIn } from '../../src/local/slack-stand-in.js';
import type { TeamInstallation } from '../../src/workspaces/installation-store.js';
import { until } from '../support/bot.js';
import {
  answerText,
  closeWorld,
  command,
  install,
  OAUTH_APP,
  startBot,
  startWorld,
  type World,
} from './world.js';

afterEach(closeWorld);

const stored = async (w: World, teamId: string): Promise<NonNullable<TeamInstallation['bot']>> => {
  const record = await w.bot.installations.find(teamId);
  return (JSON.parse(record!.data) as TeamInstallation).bot!;
};

/** What Slack answers a token: ok, or its error (token_expired once it has expired). */
async function authTest(standIn: SlackStandIn, token: string): Promise<string> {
  const response = await fetch(`${standIn.apiUrl}auth.test`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}` },
  });
  const json = (await response.json()) as { ok: boolean; error?: string };
  return json.ok ? 'ok' : (json.error ?? '?');
}

const refreshes = (standIn: SlackStandIn) =>
  standIn.calls('oauth.v2.access').filter((call) => call.args.grant_type === 'refresh_token');

describe('token rotation', () => {
  it('stores the expiring token and its refresh token, and refreshes it before it expires', async () => {
    // Three-second tokens, refreshed two seconds before they expire: the first refresh comes a second in.
    const rotation = { expiresInSec: 3 };
    const w = await startWorld({}, { tokenRotation: rotation, overrides: { tokenRefreshBeforeMs: 2000 } });
    const installedAt = Date.now();
    expect((await install(w, w.a)).status).toBe(200);
    const first = await stored(w, 'T0NEWSA');
    expect(first.token).toMatch(/^xoxe\.xoxb-/);
    expect(first.refreshToken).toMatch(/^xoxe-1-/);
    expect(first.expiresAt).toBeGreaterThan(installedAt / 1000);
    // From the first refresh on, Slack hands out twelve-hour tokens: one refresh is all this test waits for.
    rotation.expiresInSec = 43_200;

    await until(
      async () => (await stored(w, 'T0NEWSA')).token !== first.token,
      'the token refreshed',
      15_000,
    );
    expect(refreshes(w.a).map((call) => call.ok)).toEqual([true]);
    const second = await stored(w, 'T0NEWSA');
    expect(second.refreshToken).toMatch(/^xoxe-1-/);
    expect(second.refreshToken).not.toBe(first.refreshToken);
    expect(second.expiresAt! - first.expiresAt!).toBeGreaterThan(40_000);

    // Past the first token's expiry it no longer works; the workspace answers with the new one.
    await until(
      async () => (await authTest(w.a, first.token!)) === 'token_expired',
      'the old token expired',
      15_000,
    );
    expect(await authTest(w.a, second.token!)).toBe('ok');
    expect(w.bot.registry.running().map((runtime) => runtime.teamId)).toEqual(['T0NEWSA']);
    expect(await answerText(await command(w, w.a, 'following'))).not.toBe('');
    // The used refresh token is spent, as at Slack.
    const again = await fetch(`${w.a.apiUrl}oauth.v2.access`, {
      method: 'POST',
      body: new URLSearchParams({
        client_id: OAUTH_APP.clientId,
        client_secret: OAUTH_APP.clientSecret,
        grant_type: 'refresh_token',
        refresh_token: first.refreshToken!,
      }),
    });
    expect(await again.json()).toMatchObject({ ok: false, error: 'invalid_refresh_token' });
  });

  it('refreshes an expired token before the workspace starts again', async () => {
    let offset = 0;
    const clock = () => Date.now() + offset;
    const w = await startWorld(
      {},
      { tokenRotation: { expiresInSec: 43_200 }, clock, overrides: { tokenClock: clock } },
    );
    expect((await install(w, w.a)).status).toBe(200);
    const first = await stored(w, 'T0NEWSA');
    await w.bot.stop();

    // Thirteen hours later: the token the bot stored has expired.
    offset = 13 * 60 * 60 * 1000;
    expect(await authTest(w.a, first.token!)).toBe('token_expired');
    const again = await startBot(w.config, undefined, { tokenClock: clock });
    w.bot = again.bot;
    w.url = again.url;
    expect(w.bot.registry.running().map((runtime) => runtime.teamId)).toEqual(['T0NEWSA']);
    expect(refreshes(w.a).map((call) => call.ok)).toEqual([true]);
    const second = await stored(w, 'T0NEWSA');
    expect(second.token).not.toBe(first.token);
    expect(await authTest(w.a, second.token!)).toBe('ok');
    expect(await answerText(await command(w, w.a, 'following'))).not.toBe('');
  });
});
