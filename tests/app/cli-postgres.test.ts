/**
 * The read-only operator commands on DATABASE_URL: `deliveries` and the `digest` preview read the
 * PostgreSQL archive the bot writes, not an empty DATA_DIR beside it.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run as deliveries } from '../../src/cli/deliveries.js';
import { run as digest } from '../../src/cli/digest.js';
import { run as ingest } from '../../src/cli/ingest.js';
import { SlackStandIn } from '../../src/local/slack-stand-in.js';
import { captureOutput as capture } from '../support/cli-output.js';
import { freePort } from '../support/ports.js';
import { type PostgresServer, SKIP_POSTGRES, startPostgres } from '../support/postgres-server.js';
import { composeEml, SEED_BODY } from './harness.js';

describe.skipIf(SKIP_POSTGRES)('operator commands on PostgreSQL', () => {
  let server: PostgresServer;
  let standIn: SlackStandIn;
  let dir: string;
  beforeAll(async () => {
    server = await startPostgres();
    standIn = new SlackStandIn({ rateLimit: null });
    dir = await mkdtemp(join(tmpdir(), 'briefing-bot-cli-pg-'));
    Object.assign(process.env, {
      SLACK_BOT_TOKEN: standIn.token,
      SLACK_SIGNING_SECRET: 'cli-pg-signing-secret',
      SLACK_API_URL: await standIn.listen(),
      BRIEFING_CHANNEL: 'briefings',
      DATA_DIR: join(dir, 'data'),
      DATABASE_URL: await server.newDatabase(),
      HOST: '127.0.0.1',
      PORT: String(await freePort()),
      LOG_LEVEL: 'error',
    });
  });
  afterAll(async () => {
    delete process.env.DATABASE_URL;
    await standIn?.close();
    await server?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('lists the database’s deliveries, previews its digest, and names an unknown delivery', async () => {
    const file = join(dir, 'seed.eml');
    await writeFile(file, await composeEml({ messageId: '<cli-pg@x>', text: SEED_BODY }));
    const ingested = await capture(() => ingest([file]));
    expect(ingested.code).toBe(0);
    const { id } = JSON.parse(ingested.out.split('\n')[0]!);

    const listed = await capture(() => deliveries([]));
    expect(listed.code).toBe(0);
    expect(listed.out).not.toContain('No deliveries yet');
    expect(listed.out.split('\n').find((line) => line.startsWith(id))).toMatch(/2021-10-07\s+posted/);

    const preview = await capture(() => digest(['2021-10-07']));
    expect(preview.code).toBe(0);
    expect(preview.out).not.toContain('No briefings stored yet');
    expect(preview.out).toContain('Mexico');

    expect(await capture(() => deliveries(['--retry', 'nope']))).toMatchObject({
      code: 1,
      err: 'No delivery with id nope.\n',
    });
  });
});
