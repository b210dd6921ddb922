/**
 * On the real bot: every line about one mail webhook call carries that call's id (also sent back as
 * x-request-id), and every line of the delivery it started carries the delivery's id too.
 */
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/log/logger.js';
import { composeEml, type Harness, SECRET, startHarness } from '../app/harness.js';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

describe('log ids', () => {
  it('tie the webhook call, the ingest and the delivery together', async () => {
    const lines: Record<string, unknown>[] = [];
    const stream = new Writable({
      write(chunk: Buffer, _encoding, done) {
        for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line));
        done();
      },
    });
    harness = await startHarness({}, { logger: createLogger({ level: 'info', stream }) });
    const response = await fetch(`${harness.url}/mail/inbound`, {
      method: 'POST',
      headers: { 'content-type': 'message/rfc822', authorization: `Bearer ${SECRET}` },
      body: new Uint8Array(await composeEml()),
    });
    expect(response.status).toBe(202);
    const { id } = (await response.json()) as { id: string };
    await harness.bot.services.deliverer.idle();
    const req = response.headers.get('x-request-id');
    expect(req).toMatch(/^[A-Za-z0-9_-]{8}$/);

    const accepted = lines.filter((line) => String(line.msg).startsWith('mail webhook: accepted'));
    expect(accepted).toHaveLength(1);
    expect(accepted[0]).toMatchObject({ req });
    const delivered = lines.filter((line) => String(line.msg).includes(`Briefing ${id} delivered`));
    expect(delivered).toEqual([expect.objectContaining({ req, delivery: id })]);
    for (const line of lines.filter((l) => String(l.msg).includes(id))) expect(line.req).toBe(req);
  });
});
