import { describe, expect, it } from 'vitest';
import { replyChange, slackTsToIso } from '../../../src/slack/events/reply-change.js';

const base = { type: 'message', channel: 'C1', channel_type: 'channel', event_ts: '1633640000.000300' };

describe('replyChange', () => {
  it('counts a person’s reply in a thread', () => {
    const event = {
      ...base,
      user: 'U1',
      text: 'good read',
      ts: '1633640000.000300',
      thread_ts: '1633627213.000100',
    };
    expect(replyChange(event)).toEqual({
      kind: 'add',
      channel: 'C1',
      threadTs: '1633627213.000100',
      replyTs: '1633640000.000300',
      user: 'U1',
      at: '2021-10-07T20:53:20.000Z',
    });
  });

  it('counts a reply also sent to the channel, and one with a file', () => {
    for (const subtype of ['thread_broadcast', 'file_share']) {
      const event = { ...base, subtype, user: 'U1', ts: '1633640000.000300', thread_ts: '1633627213.000100' };
      expect(replyChange(event)?.kind).toBe('add');
    }
  });

  it('ignores top-level messages and thread parents', () => {
    expect(replyChange({ ...base, user: 'U1', ts: '1633640000.000300' })).toBeNull();
    expect(
      replyChange({ ...base, user: 'U1', ts: '1633627213.000100', thread_ts: '1633627213.000100' }),
    ).toBeNull();
  });

  it('ignores messages from bots, ours or another app’s', () => {
    const reply = { ...base, ts: '1633640000.000300', thread_ts: '1633627213.000100' };
    expect(replyChange({ ...reply, user: 'UBOT', bot_id: 'B1' })).toBeNull();
    expect(replyChange({ ...reply, subtype: 'bot_message', bot_id: 'B2' })).toBeNull();
    expect(replyChange({ ...reply, subtype: 'channel_join', user: 'U1' })).toBeNull();
  });

  it('turns a deleted reply into a removal and ignores a deleted parent', () => {
    const deleted = {
      ...base,
      subtype: 'message_deleted',
      hidden: true,
      deleted_ts: '1633640000.000300',
      previous_message: {
        type: 'message',
        user: 'U1',
        ts: '1633640000.000300',
        thread_ts: '1633627213.000100',
      },
    };
    expect(replyChange(deleted)).toEqual({
      kind: 'remove',
      channel: 'C1',
      threadTs: '1633627213.000100',
      replyTs: '1633640000.000300',
    });
    const parent = {
      ...deleted,
      deleted_ts: '1633627213.000100',
      previous_message: {
        type: 'message',
        user: 'U1',
        ts: '1633627213.000100',
        thread_ts: '1633627213.000100',
      },
    };
    expect(replyChange(parent)).toBeNull();
  });

  it('reads an edited reply as the same reply (idempotent), and a parent’s metadata update as nothing', () => {
    const edited = {
      ...base,
      subtype: 'message_changed',
      hidden: true,
      message: {
        type: 'message',
        user: 'U1',
        text: 'edited',
        ts: '1633640000.000300',
        thread_ts: '1633627213.000100',
      },
      previous_message: {
        type: 'message',
        user: 'U1',
        text: 'first',
        ts: '1633640000.000300',
        thread_ts: '1633627213.000100',
      },
    };
    expect(replyChange(edited)).toMatchObject({ kind: 'add', replyTs: '1633640000.000300', user: 'U1' });
    const parentUpdate = {
      ...edited,
      message: {
        type: 'message',
        user: 'UBOT',
        bot_id: 'B1',
        ts: '1633627213.000100',
        thread_ts: '1633627213.000100',
        reply_count: 3,
      },
    };
    expect(replyChange(parentUpdate)).toBeNull();
  });

  it('ignores anything that is not a message event', () => {
    expect(replyChange(null)).toBeNull();
    expect(replyChange({ type: 'reaction_added', user: 'U1' })).toBeNull();
    expect(replyChange({ type: 'message', user: 'U1', ts: '1', thread_ts: '0' })).toBeNull();
  });
});

describe('slackTsToIso', () => {
  it('reads the seconds before the dot', () => {
    expect(slackTsToIso('1633627213.000100')).toBe('2021-10-07T17:20:13.000Z');
  });
});
