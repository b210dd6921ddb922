/** OAuth settings: all or nothing, never beside a bot token, channel names only, a real 32-byte key. */
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { endsInstallation, teamOf } from '../../src/workspaces/team-of.js';

const OAUTH = {
  SLACK_CLIENT_ID: '1.2',
  SLACK_CLIENT_SECRET: 'secret',
  SLACK_STATE_SECRET: 'state',
  SLACK_SIGNING_SECRET: 'signing',
  BRIEFING_CHANNEL: 'briefings',
};

describe('OAuth configuration', () => {
  it('selects many-workspace mode with all three settings', () => {
    const { config, problems } = loadConfig(OAUTH);
    expect(problems).toEqual([]);
    expect(config.mode).toBe('oauth');
    expect(config.installationKey).toBeNull();
  });

  it('says what is missing or conflicting', () => {
    expect(loadConfig({ ...OAUTH, SLACK_STATE_SECRET: '' }).problems).toEqual([
      'Installing in many workspaces (OAuth) also needs SLACK_STATE_SECRET.',
    ]);
    expect(loadConfig({ ...OAUTH, SLACK_BOT_TOKEN: 'xoxb-1' }).problems.join('\n')).toMatch(/not both/);
    expect(loadConfig({ ...OAUTH, BRIEFING_CHANNEL: 'C0123ABCDE' }).problems.join('\n')).toMatch(
      /BRIEFING_CHANNEL must be a channel name with OAuth/,
    );
    expect(loadConfig({ ...OAUTH, INSTALLATION_KEY: 'too-short' }).problems.join('\n')).toMatch(/32 bytes/);
    expect(loadConfig({ ...OAUTH, DEFAULT_TEAM_ID: 'acme' }).problems.join('\n')).toMatch(/DEFAULT_TEAM_ID/);
    expect(loadConfig({ ...OAUTH, SLACK_APP_TOKEN: 'xapp-1' }).problems.join('\n')).toMatch(/Socket Mode/);
  });

  it('asks which workspace a watched mailbox files into', () => {
    const IMAP = { IMAP_URL: 'imaps://desk:pw@imap.example.org/INBOX' };
    expect(loadConfig({ ...OAUTH, ...IMAP }).problems).toEqual([
      'IMAP_URL with many workspaces needs IMAP_TEAM_ID (the workspace the mailbox files into) or DEFAULT_TEAM_ID.',
    ]);
    const chosen = loadConfig({ ...OAUTH, ...IMAP, IMAP_TEAM_ID: 't0newsb' });
    expect(chosen.problems).toEqual([]);
    expect(chosen.config.imapTeamId).toBe('T0NEWSB');
    const byDefault = loadConfig({ ...OAUTH, ...IMAP, DEFAULT_TEAM_ID: 'T0NEWSA' });
    expect(byDefault.problems).toEqual([]);
    expect(byDefault.config.imapTeamId).toBeNull();
    expect(loadConfig({ ...OAUTH, ...IMAP, IMAP_TEAM_ID: 'newsroom' }).problems.join('\n')).toMatch(
      /IMAP_TEAM_ID must be a Slack workspace id/,
    );
    expect(loadConfig({ ...OAUTH, IMAP_TEAM_ID: 'T0NEWSB' }).problems).toEqual([
      'IMAP_TEAM_ID is set but IMAP_URL is not: set IMAP_URL to watch a mailbox.',
    ]);
    const single = { SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's', BRIEFING_CHANNEL: 'C0123ABCDE' };
    expect(loadConfig({ ...single, ...IMAP }).problems).toEqual([]);
    expect(loadConfig({ ...single, ...IMAP, IMAP_TEAM_ID: 'T0NEWSB' }).problems.join('\n')).toMatch(
      /IMAP_TEAM_ID is for a bot serving many workspaces/,
    );
  });

  it('leaves single-token mode as it was', () => {
    const { config, problems } = loadConfig({
      SLACK_BOT_TOKEN: 'xoxb-1',
      SLACK_SIGNING_SECRET: 's',
      BRIEFING_CHANNEL: 'C0123ABCDE',
    });
    expect(problems).toEqual([]);
    expect(config.mode).toBe('slack');
    expect(config.slackClientId).toBeNull();
  });
});

describe('the workspace of a request', () => {
  it('reads every kind of body Slack sends', () => {
    expect(teamOf({ command: '/country', team_id: 'T1A' })).toBe('T1A');
    expect(teamOf({ type: 'block_actions', team: { id: 'T2B' } })).toBe('T2B');
    expect(teamOf({ type: 'event_callback', authorizations: [{ team_id: 'T3C' }] })).toBe('T3C');
    expect(teamOf({ type: 'shortcut', user: { team_id: 'T4D' } })).toBe('T4D');
    expect(teamOf({ type: 'view_submission', team: null })).toBeNull();
  });

  it('ends an installation on app_uninstalled and on a revoked bot token only', () => {
    const event = (inner: object) => ({ type: 'event_callback', team_id: 'T1', event: inner });
    expect(endsInstallation(event({ type: 'app_uninstalled' }))).toBe(true);
    expect(endsInstallation(event({ type: 'tokens_revoked', tokens: { bot: ['U1'] } }))).toBe(true);
    expect(endsInstallation(event({ type: 'tokens_revoked', tokens: { oauth: ['U2'] } }))).toBe(false);
    expect(endsInstallation(event({ type: 'app_mention' }))).toBe(false);
  });
});
