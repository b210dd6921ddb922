/** The search for a post Slack has but the store does not, against a Web API double that pages. */
import type { WebClient } from '@slack/web-api';
import { describe, expect, it } from 'vitest';
import { findInHistory, type ListedMessage } from '../../../src/slack/api/history.js';

type Call = { method: string; args: Record<string, unknown> };

/** Answers history/replies from `pages` (one array of messages a page), or throws `failure`. */
function pagingClient(pages: ListedMessage[][], calls: Call[], failure?: Error): WebClient {
  const answer = (method: string) => async (args: Record<string, unknown>) => {
    calls.push({ method, args });
    if (failure) throw failure;
    const index = args.cursor ? Number(args.cursor) : 0;
    const next = index + 1 < pages.length ? String(index + 1) : '';
    return { ok: true, messages: pages[index] ?? [], response_metadata: { next_cursor: next } };
  };
  return {
    conversations: { history: answer('history'), replies: answer('replies') },
  } as unknown as WebClient;
}

function platformError(error: string): Error {
  return Object.assign(new Error(`An API error occurred: ${error}`), {
    code: 'slack_webapi_platform_error',
    data: { ok: false, error },
  });
}

const page = (from: number): ListedMessage[] =>
  Array.from({ length: 3 }, (_, i) => ({ ts: `${from + i}.000000`, user: 'U_OTHER' }));
const ours = (m: ListedMessage) => m.user === 'U_BOT';

describe('findInHistory', () => {
  it('pages through the channel after oldest and answers the first match', async () => {
    const calls: Call[] = [];
    const pages = [
      page(1),
      [...page(4), { ts: '7.000000', user: 'U_BOT' }, { ts: '8.000000', user: 'U_BOT' }],
    ];
    const found = await findInHistory(
      pagingClient(pages, calls),
      { channel: 'C1', oldest: '0.5' },
      ours,
      () => {},
    );
    expect(found).toBe('7.000000');
    expect(calls).toEqual([
      { method: 'history', args: { channel: 'C1', oldest: '0.5', limit: 200 } },
      { method: 'history', args: { channel: 'C1', oldest: '0.5', limit: 200, cursor: '1' } },
    ]);
  });

  it('searches a thread’s replies, with metadata when asked', async () => {
    const calls: Call[] = [];
    const found = await findInHistory(
      pagingClient([[{ ts: '2.000000', user: 'U_BOT' }]], calls),
      { channel: 'C1', oldest: '1.0', threadTs: '1.000000', includeMetadata: true },
      ours,
      () => {},
    );
    expect(found).toBe('2.000000');
    expect(calls).toEqual([
      {
        method: 'replies',
        args: { channel: 'C1', oldest: '1.0', limit: 200, include_all_metadata: true, ts: '1.000000' },
      },
    ]);
  });

  it('gives up after five pages, and answers null at the end of the history', async () => {
    const calls: Call[] = [];
    const endless = Array.from({ length: 8 }, (_, i) => page(i * 3));
    expect(
      await findInHistory(pagingClient(endless, calls), { channel: 'C1', oldest: '0' }, ours, () => {}),
    ).toBe(null);
    expect(calls).toHaveLength(5);
    expect(
      await findInHistory(pagingClient([page(1)], []), { channel: 'C1', oldest: '0' }, ours, () => {}),
    ).toBe(null);
  });

  it('cannot tell on a permanent error (says why, answers null); a transient one propagates', async () => {
    const reasons: string[] = [];
    const missingScope = pagingClient([], [], platformError('missing_scope'));
    expect(
      await findInHistory(missingScope, { channel: 'C1', oldest: '0' }, ours, (r) => reasons.push(r)),
    ).toBe(null);
    expect(reasons).toEqual(['missing_scope']);
    const down = pagingClient([], [], platformError('service_unavailable'));
    await expect(findInHistory(down, { channel: 'C1', oldest: '0' }, ours, () => {})).rejects.toThrow(
      'service_unavailable',
    );
  });
});
