/**
 * The pino logger behind Bolt's Logger interface: JSON lines with the ids of the context they were
 * logged in, the call style the code uses (text, then values), and nothing secret in the output.
 */
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { newLogId, withLogContext } from '../../src/log/context.js';
import { createLogger } from '../../src/log/logger.js';
import { REDACTED } from '../../src/log/redact.js';

function capture(level: 'debug' | 'info' | 'warn' | 'error' = 'info', secrets: string[] = []) {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  return { lines, logger: createLogger({ level, secrets, stream }) };
}

describe('createLogger', () => {
  it('writes one JSON object per line with level, time, name and message', () => {
    const { lines, logger } = capture();
    logger.info('Briefing b_1 delivered (7 posts)');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      level: 'info',
      name: 'briefing-bot',
      msg: 'Briefing b_1 delivered (7 posts)',
    });
    expect(Number.isNaN(Date.parse(String(lines[0]?.time)))).toBe(false);
  });

  it('keeps the call style: text joins into msg, objects become fields, errors become err', () => {
    const { lines, logger } = capture();
    logger.error('/briefing failed', { text: '2021-10-07', error: new Error('boom') });
    logger.error('local page API failed', new TypeError('bad'));
    expect(lines[0]).toMatchObject({
      msg: '/briefing failed',
      text: '2021-10-07',
      error: { message: 'boom' },
    });
    expect(lines[1]).toMatchObject({
      msg: 'local page API failed',
      err: { type: 'TypeError', message: 'bad' },
    });
    expect(String((lines[1]!.err as { stack: string }).stack)).toMatch(/TypeError: bad/);
  });

  it('honours the level and setLevel', () => {
    const { lines, logger } = capture('warn');
    logger.info('hidden');
    logger.debug('hidden');
    logger.warn('shown');
    logger.setLevel('debug' as never);
    logger.debug('now shown');
    expect(lines.map((line) => line.msg)).toEqual(['shown', 'now shown']);
    expect(logger.getLevel()).toBe('debug');
  });

  it('names the request and the delivery a line belongs to, across awaits', async () => {
    const { lines, logger } = capture();
    const req = newLogId();
    await withLogContext({ req }, async () => {
      logger.info('mail webhook: accepted');
      await new Promise((resolve) => setTimeout(resolve, 1));
      await withLogContext({ delivery: 'b_1' }, async () => {
        await Promise.resolve();
        logger.info('Briefing b_1 delivered');
      });
    });
    logger.info('outside');
    expect(lines[0]).toMatchObject({ req });
    expect(lines[1]).toMatchObject({ req, delivery: 'b_1' });
    expect(lines[2]).not.toHaveProperty('req');
    expect(newLogId()).not.toBe(req);
  });

  it('redacts secrets, tokens and sender addresses in text, fields and errors', () => {
    const { lines, logger } = capture('info', ['mail-secret-123']);
    logger.warn('Mail refused (403): ana@desk.example.com is not in ALLOWED_SENDERS');
    logger.info('call', { token: 'xoxb-1-2-3', url: 'https://bot:mail-secret-123@h/mail' });
    logger.error(new Error('invalid_auth for xoxb-9999-abc'));
    const text = JSON.stringify(lines);
    expect(text).not.toMatch(/ana@|xoxb-|mail-secret-123/);
    expect(lines[0]?.msg).toBe(`Mail refused (403): ${REDACTED}@desk.example.com is not in ALLOWED_SENDERS`);
    expect(lines[2]?.msg).toBe(`invalid_auth for ${REDACTED}`);
  });
});
