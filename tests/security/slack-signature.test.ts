/**
 * Issue 11 items 5 and 6: the real bot's Bolt receiver, reached with requests signed the way Slack
 * signs them. A request dated in the future is refused like a stale one; the same signed request
 * sent again is answered once.
 */
import { afterEach, describe, expect, test } from 'vitest';
import { slackSignatureHeaders } from '../../src/local/sign.js';
import { slashCommandForm } from '../../src/local/to-bolt.js';
import { MemorySeenRequests, SIGNATURE_TOLERANCE_MS } from '../../src/slack/request-guard.js';
import { emptyStore } from '../query/archive.js';
import { type Harness, SIGNING_SECRET, startHarness } from '../slack/commands/harness.js';

let harness: Harness | null = null;
afterEach(async () => {
  await harness?.close();
  harness = null;
});

async function commandPoster() {
  harness = await startHarness(await emptyStore(), new Date('2021-11-10T15:00:00Z'));
  const { boltUrl, standIn } = harness;
  const form = slashCommandForm(
    { teamId: 'T_LOCAL', teamDomain: 'local', appId: 'A_LOCAL' },
    {
      command: '/briefing',
      text: 'help',
      userId: 'U_LOCAL',
      userName: 'editor',
      channelId: 'C1',
      channelName: 'briefings',
    },
    `${standIn.baseUrl}response/none`,
  );
  const post = (headers: Record<string, string>) =>
    fetch(boltUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      body: form,
    });
  return { form, post };
}

describe('11.5 timestamps too far in the future', () => {
  test('a correctly signed request dated now + 360 s gets 401; now + 60 s is accepted', async () => {
    const { form, post } = await commandPoster();
    expect((await post(slackSignatureHeaders(SIGNING_SECRET, form, Date.now() + 360_000))).status).toBe(401);
    expect((await post(slackSignatureHeaders(SIGNING_SECRET, form, Date.now() + 60_000))).status).toBe(200);
  });

  test('the window is five minutes either way', () => {
    expect(SIGNATURE_TOLERANCE_MS).toBe(5 * 60 * 1000);
  });
});

describe('11.6 replayed signed requests', () => {
  test('the same signed body sent three times within five minutes is answered once', async () => {
    const { form, post } = await commandPoster();
    const headers = slackSignatureHeaders(SIGNING_SECRET, form);
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await post(headers)).status);
    expect(statuses).toEqual([200, 401, 401]);
    // A fresh signature of the same command is a new request.
    expect((await post(slackSignatureHeaders(SIGNING_SECRET, form, Date.now() + 1000))).status).toBe(200);
  });
});

describe('MemorySeenRequests', () => {
  test('says first once per key until the key expires, and forgets expired keys', async () => {
    let now = 1_000;
    const seen = new MemorySeenRequests({ now: () => now, max: 3 });
    expect(await seen.firstSighting('a', 2_000)).toBe(true);
    expect(await seen.firstSighting('a', 2_000)).toBe(false);
    now = 2_001;
    expect(await seen.firstSighting('a', 3_000)).toBe(true);
    expect(seen.size).toBe(1);
  });

  test('stays bounded: past its cap the earliest-expiring keys go first', async () => {
    const seen = new MemorySeenRequests({ now: () => 0, max: 3 });
    for (const key of ['a', 'b', 'c', 'd']) await seen.firstSighting(key, 10_000);
    expect(seen.size).toBe(3);
    expect(await seen.firstSighting('d', 10_000)).toBe(false);
  });
});
