/**
 * The operator commands in-process, against the Slack stand-in and a store on disk: `ingest FILE`,
 * `deliveries`, `deliveries --retry ID`.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { run as deliveries } from '../../src/cli/deliveries.js';
import { run as ingest } from '../../src/cli/ingest.js';
import { startupWarnings } from '../../src/cli/start.js';
import { loadConfig } from '../../src/config.js';
import { SlackStandIn } from '../../src/local/slack-stand-in.js';
import { processStart } from '../../src/store/lock.js';
import { captureOutput as capture } from '../support/cli-output.js';
import { freePort } from '../support/ports.js';
import { composeEml, SEED_BODY } from './harness.js';

let standIn: SlackStandIn;
let dir: string;

beforeAll(async () => {
  standIn = new SlackStandIn({ rateLimit: null });
  dir = await mkdtemp(join(tmpdir(), 'briefing-bot-cli-'));
  Object.assign(process.env, {
    SLACK_BOT_TOKEN: standIn.token,
    SLACK_SIGNING_SECRET: 'cli-signing-secret',
    SLACK_API_URL: await standIn.listen(),
    BRIEFING_CHANNEL: 'briefings',
    DATA_DIR: join(dir, 'data'),
    HOST: '127.0.0.1',
    PORT: String(await freePort()),
    LOG_LEVEL: 'error',
  });
});
afterAll(async () => {
  await standIn.close();
  await rm(dir, { recursive: true, force: true });
});
beforeEach(() => standIn.clearFaults());

/**
 * The seed forwarded as its own email. An inline forward is deduplicated by its text, and an edited
 * copy of the same issue (same headline) is a correction of it, so each file is an issue of its own:
 * its own headline, and a one-word change to the lead.
 */
async function emlFile(name: string, messageId: string): Promise<string> {
  const path = join(dir, name);
  const text = SEED_BODY.replace('tomorrow.', `tomorrow (${name}).`);
  const subject = `Fwd: Mexico - U.S. security talks, ${name} (Oct. 7, 2021)`;
  await writeFile(path, await composeEml({ messageId, text, subject }));
  return path;
}

describe('briefing-bot ingest FILE', () => {
  it('ingests, posts, waits, and answers duplicate the second time', async () => {
    const file = await emlFile('seed.eml', '<cli-seed@x>');
    const first = await capture(() => ingest([file]));
    expect(first.code).toBe(0);
    const outcome = JSON.parse(first.out.split('\n')[0]!);
    expect(outcome).toMatchObject({ status: 'accepted', sections: 6 });
    expect(first.out).toContain(`delivery ${outcome.id}: posted, 7 posts`);
    expect(standIn.messages('briefings')).toHaveLength(1);

    const second = await capture(() => ingest([file]));
    expect(JSON.parse(second.out.split('\n')[0]!)).toEqual({ status: 'duplicate', id: outcome.id });
    expect(standIn.messages('briefings')).toHaveLength(1);
  });

  it('reports a failed delivery, lists it, and posts it on --retry', async () => {
    standIn.failAfter(0, 'not_in_channel');
    const file = await emlFile('second.eml', '<cli-second@x>');
    const failed = await capture(() => ingest([file]));
    expect(failed.code).toBe(1);
    const { id } = JSON.parse(failed.out.split('\n')[0]!);
    expect(failed.out).toContain(`delivery ${id}: failed, 0 posts (not_in_channel)`);

    const listed = await capture(() => deliveries([]));
    expect(listed.code).toBe(0);
    const lines = listed.out.trim().split('\n');
    expect(lines[0]).toMatch(/^ID\s+DATE\s+STATE\s+TRIES\s+POSTS\s+TITLE\s+LAST ERROR/);
    expect(lines.find((line) => line.startsWith(id))).toMatch(
      /2021-10-07\s+failed\s+1\s+0\s+Mexico.*not_in_channel$/,
    );
    expect(lines).toHaveLength(3);

    standIn.clearFaults();
    const retried = await capture(() => deliveries(['--retry', id]));
    expect(retried).toMatchObject({ code: 0, out: `delivery ${id}: posted, 7 posts\n` });
    expect(standIn.messages('briefings')).toHaveLength(2);
  });

  it('refuses to write while a bot serves the same configuration', async () => {
    const fake: Server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ ok: true, pendingDeliveries: 0 }));
    });
    await new Promise<void>((resolve) => fake.listen(Number(process.env.PORT), '127.0.0.1', resolve));
    try {
      const result = await capture(async () => ingest([await emlFile('third.eml', '<cli-third@x>')]));
      expect(result.code).toBe(1);
      expect(result.err).toContain('A briefing-bot is running on port');
    } finally {
      await new Promise((resolve) => fake.close(resolve));
    }
  });

  it('lists deliveries while another process (the running bot) holds the store', async () => {
    const lockFile = join(process.env.DATA_DIR!, '.lock');
    const other = process.ppid;
    await writeFile(lockFile, JSON.stringify({ pid: other, started: await processStart(other) }));
    try {
      const listed = await capture(() => deliveries([]));
      expect(listed.code).toBe(0);
      expect(listed.out).toMatch(/^ID\s+DATE\s+STATE/);
      expect(listed.out).toMatch(/posted\s+1\s+7\s+Mexico/);
      const known = listed.out.split('\n')[1]!.split(/\s+/)[0]!;
      // Retrying writes, so it still refuses; listing only reads.
      await expect(capture(() => deliveries(['--retry', known]))).rejects.toThrow(
        `in use by process ${other}`,
      );
      // An unknown id is named as such, not mistaken for a lock, token or webhook problem.
      expect(await capture(() => deliveries(['--retry', 'nope']))).toEqual({
        code: 1,
        out: '',
        err: 'No delivery with id nope.\n',
      });
    } finally {
      await rm(lockFile);
    }
  });

  it('reports every configuration problem, one line each, and stops before anything else', async () => {
    vi.stubEnv('NEWSROOM_TZ', 'Mars/Olympus');
    vi.stubEnv('DIGEST_TIME', '25:00');
    try {
      for (const command of [() => ingest(['no-such-file.eml']), () => deliveries([])]) {
        const result = await capture(command);
        expect(result.code).toBe(1);
        expect(result.out).toBe('');
        const lines = result.err.trim().split('\n');
        expect(lines).toHaveLength(2);
        expect(lines.every((line) => line.startsWith('config: '))).toBe(true);
        expect(result.err).toContain('Mars/Olympus');
        expect(result.err).toContain('25:00');
      }
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it('prints usage for wrong arguments', async () => {
    expect((await capture(() => ingest([]))).code).toBe(2);
    expect((await capture(() => deliveries(['--retry']))).code).toBe(2);
  });
});

describe('start-up warnings', () => {
  it('says plainly that a webhook without secrets refuses all mail', () => {
    const { config } = loadConfig({
      SLACK_BOT_TOKEN: 'xoxb-1',
      SLACK_SIGNING_SECRET: 's',
      BRIEFING_CHANNEL: 'C1',
    });
    expect(startupWarnings(config)).toEqual([
      'Neither MAIL_WEBHOOK_SECRET nor MAILGUN_SIGNING_KEY is set: POST /mail/inbound will refuse every email (401).',
      'ALLOWED_SENDERS is empty: anyone with the webhook secret can post briefings.',
    ]);
    const secured = loadConfig({
      SLACK_BOT_TOKEN: 'xoxb-1',
      SLACK_SIGNING_SECRET: 's',
      BRIEFING_CHANNEL: 'C1',
      MAILGUN_SIGNING_KEY: 'k',
      ALLOWED_SENDERS: '@desk.example',
    });
    expect(startupWarnings(secured.config)).toEqual([]);
  });
});
