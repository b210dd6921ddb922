import { WebClient } from '@slack/web-api';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SlackStandIn } from '../../../src/local/slack-stand-in.js';
import {
  classifySlackError,
  DEFAULT_RETRY_POLICY,
  PermanentSlackError,
  slackClientOptions,
  TransientSlackError,
  withSlackRetries,
} from '../../../src/slack/api/call.js';

/** Real WebClient errors from a real (stand-in) HTTP exchange, so the classification meets reality. */
let standIn: SlackStandIn;
let client: WebClient;

beforeAll(async () => {
  standIn = new SlackStandIn({ rateLimit: null });
  client = new WebClient(standIn.token, slackClientOptions(await standIn.listen()));
});
afterAll(() => standIn.close());
beforeEach(() => standIn.clearFaults());

function recorder() {
  const waits: number[] = [];
  return { waits, sleep: async (ms: number) => void waits.push(ms) };
}

describe('withSlackRetries against Slack-shaped faults', () => {
  it('backs off exponentially over 5xx and then succeeds, one HTTP call per attempt', async () => {
    standIn.failNext(3, { status: 503 }, 'auth.test');
    const before = standIn.callCount('auth.test');
    const { waits, sleep } = recorder();
    const result = await withSlackRetries(() => client.auth.test(), DEFAULT_RETRY_POLICY, sleep);
    expect(result.ok).toBe(true);
    expect(waits).toEqual([1000, 2000, 4000]);
    expect(standIn.callCount('auth.test') - before).toBe(4);
  });

  it('waits exactly Retry-After on 429, not the backoff', async () => {
    standIn.failNext(2, { status: 429, retryAfter: 7 }, 'auth.test');
    const { waits, sleep } = recorder();
    await withSlackRetries(() => client.auth.test(), DEFAULT_RETRY_POLICY, sleep);
    expect(waits).toEqual([7000, 7000]);
  });

  it('gives up on permanent Slack errors at once', async () => {
    standIn.failNext(1, 'channel_not_found', 'auth.test');
    const { waits, sleep } = recorder();
    const call = withSlackRetries(() => client.auth.test(), DEFAULT_RETRY_POLICY, sleep);
    await expect(call).rejects.toBeInstanceOf(PermanentSlackError);
    await expect(call).rejects.toThrow('channel_not_found');
    expect(waits).toEqual([]);
  });

  it('reports invalid_auth from a wrong token as permanent', async () => {
    const wrong = new WebClient('xoxb-wrong', slackClientOptions(standIn.apiUrl));
    await expect(
      withSlackRetries(
        () => wrong.auth.test(),
        DEFAULT_RETRY_POLICY,
        async () => {},
      ),
    ).rejects.toThrow('invalid_auth');
  });

  it('stops after the policy’s transient retries with the last reason', async () => {
    standIn.failNext(10, { status: 500 }, 'auth.test');
    const { waits, sleep } = recorder();
    const policy = { ...DEFAULT_RETRY_POLICY, transientRetries: 2 };
    const call = withSlackRetries(() => client.auth.test(), policy, sleep);
    await expect(call).rejects.toBeInstanceOf(TransientSlackError);
    await expect(call).rejects.toThrow('HTTP 500');
    expect(waits).toEqual([1000, 2000]);
  });

  it('treats a refused connection as a network fault worth retrying', async () => {
    const closed = new SlackStandIn();
    const url = await closed.listen();
    await closed.close();
    const offline = new WebClient(closed.token, slackClientOptions(url));
    const { waits, sleep } = recorder();
    const policy = { ...DEFAULT_RETRY_POLICY, transientRetries: 1 };
    await expect(withSlackRetries(() => offline.auth.test(), policy, sleep)).rejects.toThrow(/^network: /);
    expect(waits).toEqual([1000]);
  });
});

describe('classifySlackError', () => {
  it('treats unknown throwables as permanent, with their message', () => {
    expect(classifySlackError(new Error('boom'))).toEqual({ kind: 'permanent', reason: 'boom' });
  });
});
