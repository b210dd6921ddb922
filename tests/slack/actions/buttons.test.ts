/**
 * The button listeners on their own, called the way Bolt calls them: what each answers through
 * response_url for a request that decodes, one that does not, and a failing answer.
 */
import type { RespondArguments } from '@slack/bolt';
import { describe, expect, it } from 'vitest';
import type { Services } from '../../../src/services.js';
import { shareAction } from '../../../src/slack/actions/share.js';
import { EXPIRED, showAction } from '../../../src/slack/actions/show.js';
import { SORRY } from '../../../src/slack/commands/context.js';
import type { Store } from '../../../src/store/types.js';
import { addBriefing, briefing, emptyStore, failingOn, prose } from '../../query/archive.js';

type Listener = ReturnType<typeof showAction>;

function servicesWith(store: Store): Services {
  return {
    store,
    now: () => new Date('2021-10-08T14:00:00Z'),
    config: { newsroomTz: 'America/New_York', dateOrder: 'MDY' },
  } as unknown as Services;
}

async function click(listener: Listener, value: string) {
  const responses: RespondArguments[] = [];
  const errors: unknown[][] = [];
  let acked = 0;
  const args = {
    ack: async () => {
      acked += 1;
    },
    action: { type: 'button', action_id: 'x', value },
    body: { user: { id: 'U_EDITOR' } },
    respond: async (message: RespondArguments) => {
      responses.push(message);
    },
    logger: { error: (...logged: unknown[]) => errors.push(logged) },
  };
  await listener(args as unknown as Parameters<Listener>[0]);
  return { acked, responses, errors };
}

async function oneBriefingStore(): Promise<Store> {
  const store = await emptyStore();
  await addBriefing(
    store,
    briefing('Peru cabinet', '2021-10-07', [
      prose('Peru cabinet reshuffle', ['PE'], 'Castillo named Vásquez.'),
    ]),
  );
  return store;
}

const DAY = JSON.stringify({ kind: 'briefing', date: '2021-10-07' });

describe('request buttons', () => {
  it('tell the clicker privately that a value that no longer decodes has expired', async () => {
    const services = servicesWith(await oneBriefingStore());
    for (const listener of [showAction(services), shareAction(services)]) {
      const { acked, responses, errors } = await click(listener, '{"kind":"briefing","date":"someday"}');
      expect(acked).toBe(1);
      expect(responses).toEqual([{ response_type: 'ephemeral', replace_original: false, text: EXPIRED }]);
      expect(errors).toEqual([]);
    }
  });

  it('show replaces the private answer; share posts it for everyone, naming who shared it', async () => {
    const services = servicesWith(await oneBriefingStore());
    const shown = await click(showAction(services), DAY);
    expect(shown.responses).toHaveLength(1);
    expect(shown.responses[0]).toMatchObject({ replace_original: true });
    expect(shown.responses[0]).not.toHaveProperty('response_type');
    expect(JSON.stringify(shown.responses[0])).toContain('Peru cabinet');

    const shared = await click(shareAction(services), DAY);
    expect(shared.responses).toHaveLength(1);
    expect(shared.responses[0]).toMatchObject({ response_type: 'in_channel', replace_original: false });
    expect(JSON.stringify(shared.responses[0])).toContain('Shared by <@U_EDITOR>');
  });

  it('log a failing answer under their own name and apologise privately', async () => {
    const store = await oneBriefingStore();
    const failing = failingOn(store, 'filedDay');
    const services = servicesWith(failing);
    for (const [listener, logged] of [
      [showAction(services), 'answering a button failed'],
      [shareAction(services), 'sharing an answer failed'],
    ] as const) {
      const { responses, errors } = await click(listener, DAY);
      expect(responses).toEqual([{ response_type: 'ephemeral', replace_original: false, text: SORRY }]);
      expect(errors).toHaveLength(1);
      expect(errors[0]?.[0]).toBe(logged);
    }
  });
});
