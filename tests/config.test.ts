import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';

const root = join(import.meta.dirname, '..');

describe('loadConfig', () => {
  it('runs on the local workspace with no settings at all', () => {
    const { config, problems } = loadConfig({});
    expect(problems).toEqual([]);
    expect(config.mode).toBe('local');
    expect(config.host).toBe('127.0.0.1');
    expect(config.briefingChannel).toBe('briefings');
    expect(config.digestChannel).toBe('digest');
    expect(config.slackApiUrl).toBe('https://slack.com/api/');
    expect(config.mailMaxBytes).toBe(10 * 1024 * 1024);
    expect(config.threadLayout).toBe('briefing');
    expect(config.newsroomTz).toBe('America/New_York');
    expect(config.digestTime).toBe('17:00');
    expect(config.digestSkipEmpty).toBe(true);
  });

  it('switches to Slack with a bot token and defaults the digest to the briefing channel', () => {
    const { config, problems } = loadConfig({
      SLACK_BOT_TOKEN: 'xoxb-1',
      SLACK_SIGNING_SECRET: 's',
      BRIEFING_CHANNEL: 'C0123',
      SLACK_API_URL: 'http://127.0.0.1:9/api',
      ALLOWED_SENDERS: 'Editor@Paper.org, @wire.example',
    });
    expect(problems).toEqual([]);
    expect(config.mode).toBe('slack');
    expect(config.host).toBe('0.0.0.0');
    expect(config.digestChannel).toBe('C0123');
    expect(config.slackApiUrl).toBe('http://127.0.0.1:9/api/');
    expect(config.allowedSenders).toEqual(['editor@paper.org', '@wire.example']);
  });

  it('reports every problem at once, one clear line each', () => {
    const { problems } = loadConfig({
      SLACK_BOT_TOKEN: 'xoxp-user-token',
      PORT: 'eighty',
      THREAD_LAYOUT: 'tree',
      NEWSROOM_TZ: 'Mars/Olympus',
      DIGEST_TIME: '5pm',
      MAIL_MAX_BYTES: '-1',
      ALLOWED_SENDERS: 'not-an-address',
      SLACK_API_URL: 'ftp://x',
    });
    expect(problems).toHaveLength(10);
    expect(problems.join('\n')).toMatch(/SLACK_BOT_TOKEN must be a bot token/);
    expect(problems.join('\n')).toMatch(/SLACK_SIGNING_SECRET is required/);
    expect(problems.join('\n')).toMatch(/BRIEFING_CHANNEL is required/);
    expect(problems.join('\n')).toMatch(/NEWSROOM_TZ is not an IANA time zone: "Mars\/Olympus"/);
  });

  it('documents every setting it reads in .env.example', () => {
    const example = readFileSync(join(root, '.env.example'), 'utf8');
    const documented = new Set([...example.matchAll(/^([A-Z_]+)=/gm)].map((m) => m[1]));
    // The mailbox's settings are parsed in their own module, called from config.ts.
    const source = ['config.ts', join('mail', 'imap', 'settings.ts')]
      .map((file) => readFileSync(join(root, 'src', file), 'utf8'))
      .join('\n');
    const read = new Set([...source.matchAll(/env\.([A-Z_]+)/g)].map((m) => m[1]));
    expect([...read].filter((name) => !documented.has(name))).toEqual([]);
    expect([...documented].filter((name) => !read.has(name))).toEqual([]);
  });
});
