/**
 * Issue 10.7 through the real ways in: the real bot's webhook answers 400 with the reason and stores
 * and posts nothing (Postmark and Mailgun get their stop codes), and `briefing-bot parse` exits 2.
 * SMTP's 550 is in smtp.test.ts.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, postMail, renderedStrings, startHarness } from '../app/harness.js';
import { confirmation, notBriefings } from '../fixtures/not-briefings.js';

const ROOT = join(import.meta.dirname, '../..');

let harness: Harness;
beforeAll(async () => {
  harness = await startHarness();
});
afterAll(async () => {
  await harness.close();
});

describe('not a briefing, through the real webhook', async () => {
  const cases = await notBriefings();
  it.each(cases.map((c) => [c.name, c] as const))(
    '%s → 400 with the reason, nothing stored or posted',
    async (_name, c) => {
      const reply = await postMail(harness.url, new Uint8Array(c.raw), 'message/rfc822');
      expect(reply.status).toBe(400);
      expect(reply.json.error).toBe('bad_request');
      expect(String(reply.json.detail)).toMatch(/^Not a briefing: /);
      expect(String(reply.json.detail)).toMatch(c.reason);
      expect(await harness.bot.services.store.briefingCount()).toBe(0);
      await harness.bot.services.deliverer.idle();
      expect(harness.standIn.messages('briefings')).toHaveLength(0);
    },
  );
});

describe('a subscription confirmation', () => {
  it('is posted once as a notice with its confirm link, however often it arrives', async () => {
    const raw = await confirmation('Confirma tu suscripción a Andean Monitor');
    const first = await postMail(harness.url, new Uint8Array(raw), 'message/rfc822');
    expect(first.status).toBe(202);
    expect(first.json.status).toBe('notice');
    // The provider's retry, and the same mail again later: answered, never posted twice.
    const again = await postMail(harness.url, new Uint8Array(raw), 'message/rfc822');
    expect(again.status).toBe(200);
    expect(again.json.status).toBe('notice');
    const messages = harness.standIn.messages('briefings');
    expect(messages).toHaveLength(1);
    const shown = renderedStrings(messages[0]!);
    expect(shown.links).toEqual([
      { url: 'https://list.example.org/confirm?u=1&id=abc', text: 'Yes, subscribe me to this list' },
    ]);
    expect(shown.plain.join('')).toContain('Confirma tu suscripción a Andean Monitor');
    expect(await harness.bot.services.store.briefingCount()).toBe(0);
  });

  it('cannot ping, format or spoof: its words are literal and a label naming another host is not a label', async () => {
    const raw = await confirmation(
      'Confirme sua inscrição <!channel> *now*',
      'https://evil.example/confirm',
      'https://list.example.org/confirm',
      '<confirm-2@list.example.org>',
    );
    const reply = await postMail(harness.url, new Uint8Array(raw), 'message/rfc822');
    expect(reply.json.status).toBe('notice');
    const notice = harness.standIn.messages('briefings').at(-1)!;
    const shown = renderedStrings(notice);
    expect(shown.mrkdwn.join('\n')).not.toContain('<!channel>');
    // Rich text only: no mrkdwn object carries the email's words, so `*now*` is not bold.
    expect(JSON.stringify(notice.blocks)).not.toContain('"mrkdwn"');
    expect(shown.plain.join('')).not.toContain('<!channel>');
    for (const l of shown.links) expect(l.text).not.toContain('list.example.org');
  });
});

describe('briefing-bot parse on mail that is not a briefing', () => {
  it('exits 2 with the reason on one line and prints nothing on stdout', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'not-briefing-'));
    const cases = await notBriefings();
    for (const name of ['20 KB of random bytes', 'Auto-Submitted: auto-replied']) {
      const file = join(dir, 'mail.eml');
      writeFileSync(file, cases.find((c) => c.name === name)!.raw);
      const result = spawnSync(
        process.execPath,
        ['--import', 'tsx', join(ROOT, 'src/cli.ts'), 'parse', file],
        {
          cwd: ROOT,
          encoding: 'utf8',
          env: { ...process.env, NODE_ENV: 'test' },
        },
      );
      expect(result.status).toBe(2);
      expect(result.stdout).toBe('');
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
      expect(result.stderr).toMatch(/not readable text|automatic reply/);
    }
  });
});
