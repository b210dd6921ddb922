/**
 * Desks and follows on the local workspace: `/desk` is installed like the other commands, a DESKS
 * channel exists as it would in Slack, and a follow notice shows as the bot's direct message.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { type LocalWorkspace, startLocalWorkspace } from '../../src/local/index.js';
import { LOCAL_API_HEADER } from '../../src/local/routes.js';

// biome-ignore lint/suspicious/noExplicitAny: the test reads the API's JSON answers field by field.
type Json = any;

let dataDir: string;
let local: LocalWorkspace;

async function api(path: string, body?: unknown): Promise<Json> {
  const response = await fetch(new URL(path, local.url), {
    method: body === undefined ? 'GET' : 'POST',
    headers: { 'content-type': 'application/json', [LOCAL_API_HEADER]: '1' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  expect(response.status).toBeLessThan(300);
  return response.json();
}

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'briefing-local-desks-'));
  const loaded = loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'error', DESKS: 'andes: Peru' });
  expect(loaded.problems).toEqual([]);
  local = await startLocalWorkspace({ config: { ...loaded.config, port: 0 } });
});

afterAll(async () => {
  await local?.stop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

it('runs /desk and /country follow from the page; the desk post and the DM appear in their channels', {
  timeout: 60_000,
}, async () => {
  const followed = await api('/local/api/command', { command: '/country', text: 'follow Peru' });
  expect(JSON.stringify(followed.responses)).toContain('You now follow');
  const desks = await api('/local/api/command', { command: '/desk', text: 'list' });
  expect(JSON.stringify(desks.responses)).toContain('#andes: 🇵🇪 Peru _(DESKS)_');

  await api('/local/api/sample', {});
  await local.bot.services.deliverer.idle();

  const state = await api('/local/api/state');
  expect(state.commands).toContain('/desk');
  const dm = state.channels.find((channel: Json) => channel.is_im);
  expect(dm).toMatchObject({ is_im: true, is_private: true });
  const notices = await api(`/local/api/messages?channel=${encodeURIComponent(dm.name)}`);
  expect(notices.messages).toHaveLength(1);
  expect(JSON.stringify(notices.messages[0].blocks)).toContain('New about 🇵🇪 Peru');
  const andes = await api('/local/api/messages?channel=andes');
  expect(andes.messages).toHaveLength(1);
  // Links point at the page's own permalinks, which open the thread.
  expect(JSON.stringify(andes.messages[0].blocks)).toContain(`${local.url}archives/`);
});
