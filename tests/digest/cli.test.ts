/**
 * `briefing-bot digest [DATE] [--post]` on a real on-disk store: printing reads it, posting goes to the
 * Slack stand-in through the same exactly-once publisher the scheduler uses.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { run } from '../../src/cli/digest.js';
import { SlackStandIn } from '../../src/local/slack-stand-in.js';
import { openStore } from '../../src/store/index.js';
import { postBriefing } from '../slack/events/posted-briefing.js';
import { seedBriefing } from '../slack/events/seed-briefing.js';
import { freePort } from '../support/ports.js';

let dataDir = '';
let output: string[] = [];
let errors: string[] = [];

beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'digest-cli-'));
  const store = await openStore({ dataDir });
  await postBriefing(store, seedBriefing(), {
    channel: 'C0BRIEFING',
    date: '2021-10-07',
    receivedAt: '2021-10-07T17:20:13.000Z',
    baseTs: 1633627213,
  });
  await store.close();
  output = [];
  errors = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    output.push(String(chunk));
    return true;
  });
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
    errors.push(String(chunk));
    return true;
  });
  vi.stubEnv('DATA_DIR', dataDir);
  vi.stubEnv('NEWSROOM_TZ', 'America/New_York');
  vi.stubEnv('LOG_LEVEL', 'error');
  vi.stubEnv('PORT', String(await freePort()));
  for (const name of [
    'SLACK_BOT_TOKEN',
    'SLACK_SIGNING_SECRET',
    'SLACK_APP_TOKEN',
    'SLACK_API_URL',
    'DIGEST_CHANNEL',
  ]) {
    vi.stubEnv(name, '');
  }
});

afterEach(async () => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
  await rm(dataDir, { recursive: true, force: true });
});

it('prints a date’s digest as readable text', async () => {
  expect(await run(['2021-10-07'])).toBe(0);
  const text = output.join('');
  expect(text).toMatch(
    /^Daily digest · Thu, Oct 7, 2021\n\nMexico - U\.S\. high-level security talks — Latin America Daily Briefing \(https:\/\//,
  );
  expect(text).toContain(
    '  2. Peru cabinet reshuffle (https://briefing-newsroom.slack.com/archives/C0BRIEFING/p1633627215000200?thread_ts=1633627213.000100&cid=C0BRIEFING) — Peruvian President',
  );
  // Asked for years later: the day is named, not called "today".
  expect(text).toContain('Countries on Oct 7, 2021: 🇺🇸 United States 2, ');
  expect(text).toContain('Last briefing received Oct 7, 2021 at 1:20 PM EDT.');
  expect(errors).toEqual([]);
});

it('reads the date the way /briefing does, and refuses what is not one', async () => {
  expect(await run(['Oct', '7,', '2021'])).toBe(0);
  expect(output.join('')).toContain('Daily digest · Thu, Oct 7, 2021');
  expect(await run(['2021-10-08'])).toBe(0);
  expect(output.join('')).toContain('No briefings received on Fri, Oct 8, 2021. Last briefing received');
  expect(await run(['not-a-date', '--now'])).toBe(2);
  expect(await run(['someday'])).toBe(2);
  expect(errors.join('')).toContain('Usage: briefing-bot digest [DATE] [--post]');
});

// Issue 15: `digest yesterday` printed "No briefings received today (Tue, Dec 1, 2026)".
it('names the day it was asked for: `digest yesterday` is not "today"', async () => {
  vi.useFakeTimers({ now: new Date('2026-12-02T15:00:00Z'), toFake: ['Date'] });
  try {
    expect(await run(['yesterday'])).toBe(0);
  } finally {
    vi.useRealTimers();
  }
  expect(output.join('')).toBe(
    'No briefings received on Tue, Dec 1, 2026. Last briefing received Oct 7, 2021 at 1:20 PM EDT.\n',
  );
});

it('posts once with --post, then reports the digest already posted', async () => {
  const standIn = new SlackStandIn();
  const apiUrl = await standIn.listen();
  try {
    vi.stubEnv('SLACK_BOT_TOKEN', standIn.token);
    vi.stubEnv('SLACK_SIGNING_SECRET', 'cli-secret');
    vi.stubEnv('SLACK_API_URL', apiUrl);
    vi.stubEnv('BRIEFING_CHANNEL', 'briefings');
    vi.stubEnv('DIGEST_CHANNEL', 'digest');

    expect(await run(['2021-10-07', '--post'])).toBe(0);
    const [posted] = standIn.workspace.messages('digest');
    expect(output.join('')).toBe(`digest 2021-10-07: posted to ${posted!.channel} (ts ${posted!.ts})\n`);
    expect(posted!.text).toContain('Daily digest · Thu, Oct 7, 2021: 1 briefing, 4 sections');

    output = [];
    expect(await run(['2021-10-07', '--post'])).toBe(0);
    expect(output.join('')).toBe(
      `digest 2021-10-07: already posted to ${posted!.channel} (ts ${posted!.ts}); not posted again\n`,
    );
    expect(standIn.workspace.messages('digest')).toHaveLength(1);
  } finally {
    await standIn.close();
  }
});

it('explains that --post needs a Slack token in local mode', async () => {
  expect(await run(['--post'])).toBe(1);
  expect(errors.join('')).toContain('--post needs SLACK_BOT_TOKEN');
  expect(errors.join('')).toContain('POST /local/api/digest');
});

it('previews while another process (the running bot) holds the store’s lock', async () => {
  const holderScript = join(import.meta.dirname, '..', 'store', 'lock-holder.ts');
  const holder = spawn(process.execPath, ['--import', 'tsx', holderScript, dataDir], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    await new Promise<void>((resolve, reject) => {
      holder.stdout.on('data', (chunk: Buffer) => chunk.toString().includes('ready') && resolve());
      holder.once('exit', (code) => reject(new Error(`holder exited with ${code}`)));
    });
    expect(await run(['2021-10-07'])).toBe(0);
    expect(output.join('')).toMatch(/^Daily digest · Thu, Oct 7, 2021/);
    expect(errors).toEqual([]);
  } finally {
    holder.kill('SIGKILL');
    await new Promise((resolve) => holder.once('exit', resolve));
  }
}, 60_000);
