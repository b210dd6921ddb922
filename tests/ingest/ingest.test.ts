import { ConsoleLogger, LogLevel } from '@slack/logger';
import { describe, expect, it } from 'vitest';
import { BriefingParseError } from '../../src/briefing/errors.js';
import type { Briefing, ParsedEmail } from '../../src/briefing/types.js';
import { createIngest } from '../../src/ingest/ingest.js';
import type { MailInput } from '../../src/ingest/types.js';
import { todayIn } from '../../src/query/calendar.js';
import { openMemoryStore } from '../../src/store/index.js';

const logger = new ConsoleLogger();
logger.setLevel(LogLevel.ERROR);

const briefing: Briefing = {
  subject: 'Talks',
  title: 'Talks',
  publication: null,
  date: null,
  from: null,
  note: null,
  sections: [{ title: 'Peru', kind: 'section', group: null, countries: ['PE'], items: [] }],
};

function parsed(extra: Partial<ParsedEmail> = {}): ParsedEmail {
  return {
    briefing,
    messageId: '<orig@mail.example>',
    forwardedBy: 'molly@desk.example',
    forwardedByName: 'Molly',
    ...extra,
  };
}

const raw: MailInput = { kind: 'raw', raw: Buffer.from('x') };

async function setup(result: () => ParsedEmail, allowedSenders: string[] = []) {
  const store = await openMemoryStore();
  const kicks: string[] = [];
  // 2021-10-08 02:30 UTC is still Oct 7 in New York.
  const now = () => new Date('2021-10-08T02:30:00Z');
  const ingest = createIngest({
    config: { briefingChannel: '#briefings', allowedSenders, newsroomTz: 'America/New_York' },
    store,
    deliverer: { kick: (id) => void kicks.push(id) },
    logger,
    now,
    parse: async () => result(),
  });
  return { store, kicks, ingest };
}

describe('createIngest', () => {
  it('stores the briefing before answering, keyed by channel and Message-ID, and kicks its delivery', async () => {
    const { store, kicks, ingest } = await setup(() => parsed());
    const outcome = await ingest(raw);
    expect(outcome).toMatchObject({ status: 'accepted', sections: 1 });
    if (outcome.status !== 'accepted') throw new Error('not accepted');
    const stored = (await store.getBriefing(outcome.id))!;
    expect(stored).toMatchObject({
      dedupeKey: 'briefings|orig@mail.example',
      channel: 'briefings',
      date: '2021-10-07',
      forwardedBy: 'molly@desk.example',
      forwardedByName: 'Molly',
      messageId: 'orig@mail.example',
      receivedAt: '2021-10-08T02:30:00.000Z',
    });
    expect((await store.getDelivery(outcome.id))?.state).toBe('pending');
    expect(kicks).toEqual([outcome.id]);
  });

  it('files a dated briefing under its own date', async () => {
    const { store, ingest } = await setup(() => parsed({ briefing: { ...briefing, date: '2021-10-06' } }));
    const outcome = await ingest(raw);
    if (outcome.status !== 'accepted') throw new Error('not accepted');
    expect((await store.getBriefing(outcome.id))?.date).toBe('2021-10-06');
  });

  it('answers duplicate for redeliveries and for concurrent copies, storing one', async () => {
    const { store, kicks, ingest } = await setup(() => parsed());
    const outcomes = await Promise.all(Array.from({ length: 5 }, () => ingest(raw)));
    expect(outcomes.filter((o) => o.status === 'accepted')).toHaveLength(1);
    expect(outcomes.filter((o) => o.status === 'duplicate')).toHaveLength(4);
    expect(new Set(outcomes.map((o) => ('id' in o ? o.id : null))).size).toBe(1);
    expect(await store.briefingCount()).toBe(1);
    // Only unfinished deliveries are kicked again; all five saw it pending here.
    expect(new Set(kicks).size).toBe(1);
  });

  it('dedupes by text when there is no Message-ID', async () => {
    const { store, ingest } = await setup(() => parsed({ messageId: null }));
    await ingest(raw);
    expect((await ingest(raw)).status).toBe('duplicate');
    expect(await store.briefingCount()).toBe(1);
  });

  it('refuses senders outside ALLOWED_SENDERS with 403 and stores nothing', async () => {
    const { store, kicks, ingest } = await setup(
      () => parsed({ forwardedBy: 'intruder@evil.example' }),
      ['@desk.example'],
    );
    expect(await ingest(raw)).toEqual({
      status: 'rejected',
      code: 403,
      detail: 'Sender intruder@evil.example is not allowed to forward briefings.',
    });
    expect(await store.briefingCount()).toBe(0);
    expect(kicks).toEqual([]);
  });

  it('says so plainly when a message without a sender meets ALLOWED_SENDERS', async () => {
    const { store, ingest } = await setup(() => parsed({ forwardedBy: null }), ['@desk.example']);
    expect(await ingest(raw)).toEqual({
      status: 'rejected',
      code: 403,
      detail: 'The message has no sender address, and only ALLOWED_SENDERS may forward briefings.',
    });
    expect(await store.briefingCount()).toBe(0);
  });

  it('admits an allowed domain', async () => {
    const { ingest } = await setup(() => parsed(), ['@desk.example']);
    expect((await ingest(raw)).status).toBe('accepted');
  });

  it('turns a parse error into 400 and lets other errors through', async () => {
    const bad = await setup(() => {
      throw new BriefingParseError('the message has no text');
    });
    expect(await bad.ingest(raw)).toEqual({
      status: 'rejected',
      code: 400,
      detail: 'Not a briefing: the message has no text',
    });
    const broken = await setup(() => {
      throw new TypeError('bug');
    });
    await expect(broken.ingest(raw)).rejects.toThrow('bug');
  });
});

describe('todayIn (the date a dateless briefing is filed under)', () => {
  it('gives the calendar date in the newsroom’s zone', () => {
    expect(todayIn(new Date('2021-10-08T02:30:00Z'), 'America/New_York')).toBe('2021-10-07');
    expect(todayIn(new Date('2021-10-08T02:30:00Z'), 'Europe/Madrid')).toBe('2021-10-08');
  });
});
