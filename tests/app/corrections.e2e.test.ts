/**
 * Corrections (issue 15.4) through the real bot: the seed forwarded, then a corrected copy of the same
 * issue under a new Message-ID — one paragraph fixed, one section dropped, one added. The thread is
 * edited in place (chat.update), the new section and one note are added to it, nothing else is
 * posted; the copy sent again, or the first copy forwarded late, is a duplicate; the store keeps both
 * versions across a restart.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { StoredMessage } from '../../src/local/workspace.js';
import { DEFAULT_RETRY_POLICY } from '../../src/slack/api/call.js';
import {
  briefingCalls,
  channelView,
  composeEml,
  type Harness,
  okPosts,
  postMail,
  renderedStrings,
  SEED_BODY,
  startHarness,
} from './harness.js';

let harness: Harness | null = null;
afterEach(async () => {
  await harness?.close();
  harness = null;
});

async function send(h: Harness, eml: Buffer) {
  const reply = await postMail(h.url, new Uint8Array(eml), 'message/rfc822');
  await h.bot.services.deliverer.idle();
  return reply;
}

const REGIONAL = SEED_BODY.slice(SEED_BODY.indexOf('Regional Relations'), SEED_BODY.indexOf('Puerto Rico'));
const CORRECTED_BODY = SEED_BODY.replace(
  'named Mirtha Vásquez prime minister yesterday evening',
  'named Mirtha Vásquez prime minister on Wednesday evening',
).replace(
  REGIONAL,
  'Guatemala border\n  • Guatemala sent troops to its border with Honduras ahead of a new migrant caravan, reports AP.\n',
);

const plain = (message: StoredMessage): string => renderedStrings(message).plain.join(' ');

describe('a corrected copy of a briefing', () => {
  it('edits the thread in place: changed section marked, dropped one struck, new one added, one note', async () => {
    harness = await startHarness({ NEWSROOM_TZ: 'America/New_York' });
    const h = harness;
    expect(REGIONAL.length).toBeGreaterThan(100);
    expect(CORRECTED_BODY).not.toBe(SEED_BODY);

    const first = await send(h, await composeEml({ messageId: '<first@example.org>' }));
    expect(first.status).toBe(202);
    const before = channelView(h.standIn);
    const postsBefore = okPosts(h.standIn).length;

    const corrected = await composeEml({
      messageId: '<corrected@example.org>',
      subject: 'Fwd: CORRECTED: Mexico - U.S. high-level security talks (Oct. 7, 2021)',
      text: CORRECTED_BODY,
    });
    const reply = await send(h, corrected);
    expect(reply).toMatchObject({
      status: 202,
      json: { status: 'accepted', id: first.json.id, revised: true },
    });

    // Still one thread; the card and the fixed section were edited, not posted again.
    expect(h.standIn.messages('briefings')).toHaveLength(1);
    const updates = h.standIn.calls('chat.update').filter((call) => call.ok);
    expect(updates.length).toBeGreaterThanOrEqual(3);
    const newPosts = okPosts(h.standIn).length - postsBefore;
    expect(newPosts).toBe(2); // the added section and the note

    const after = channelView(h.standIn);
    expect(after.map((m) => m.ts).slice(0, before.length)).toEqual(before.map((m) => m.ts));
    const peru = after.find((m) => plain(m).startsWith('Peru cabinet reshuffle'))!;
    expect(plain(peru)).toContain('on Wednesday evening');
    expect(plain(peru)).toMatch(/Updated \d\d:\d\d in a corrected copy/);
    expect(peru.edited).toBeDefined();

    const regional = after.find((m) => plain(m).startsWith('Removed · Regional Relations'))!;
    expect(plain(regional)).toContain('Removed');
    const struck = JSON.stringify(regional.blocks);
    expect(struck).toContain('"strike":true');

    const added = after.find((m) => plain(m).startsWith('Guatemala border'))!;
    expect(added.thread_ts).toBe(after[0]!.ts);
    const note = after.at(-1)!;
    expect(plain(note)).toMatch(
      /A corrected copy arrived at \d\d:\d\d: 1 section changed \(Peru cabinet reshuffle\); 1 section added \(Guatemala border\); 1 section removed \(Regional Relations\)\./,
    );
    // The news untouched by the correction was left alone.
    const puertoRico = after.find((m) => plain(m).startsWith('Puerto Rico'))!;
    expect(puertoRico.edited).toBeUndefined();

    // The correction again, and the first copy forwarded late: duplicates, nothing posted or edited.
    const edits = () =>
      briefingCalls(h.standIn).filter((call) => /^chat\.(postMessage|update)$/.test(call.method));
    const editsBefore = edits().length;
    expect(await send(h, corrected)).toMatchObject({
      status: 200,
      json: { status: 'duplicate', id: first.json.id },
    });
    const late = await composeEml({ messageId: '<late-forward@example.org>' });
    expect(await send(h, late)).toMatchObject({
      status: 200,
      json: { status: 'duplicate', id: first.json.id },
    });
    expect(edits()).toHaveLength(editsBefore);

    // Both versions kept, and still known after a restart (the copy's key reloads from the files).
    await h.bot.stop();
    await h.restart();
    const stored = await h.bot.services.store.getBriefing(String(first.json.id));
    expect(stored?.versions?.map((version) => version.briefing.sections.length)).toEqual([6, 6]);
    expect(stored?.versions?.[0]?.briefing.sections.map((s) => s.title)).toContain('Regional Relations');
    expect(stored?.briefing.sections.map((s) => s.title)).toContain('Guatemala border');
    expect(await send(h, corrected)).toMatchObject({ status: 200, json: { status: 'duplicate' } });
    await h.bot.services.deliverer.idle();
    expect(h.standIn.messages('briefings')).toHaveLength(1);
  });

  it('finishes an interrupted correction after a restart: each edit made, the new section and the note once', async () => {
    harness = await startHarness({}, { retryPolicy: { ...DEFAULT_RETRY_POLICY, transientRetries: 1 } });
    const first = await send(harness, await composeEml({ messageId: '<first@example.org>' }));
    const postsBefore = okPosts(harness.standIn).length;

    // Slack goes down after the card's and one section's edits.
    harness.standIn.failAfter(2, { status: 503 }, 'chat.update');
    const corrected = await composeEml({ messageId: '<corrected@example.org>', text: CORRECTED_BODY });
    expect(await send(harness, corrected)).toMatchObject({ status: 202, json: { revised: true } });
    const id = String(first.json.id);
    expect(await harness.bot.services.store.getDelivery(id)).toMatchObject({
      state: 'pending',
      lastError: 'HTTP 503',
    });
    await harness.bot.stop();

    harness.standIn.clearFaults();
    await harness.restart({ now: () => new Date(Date.now() + 60 * 60_000) });
    await harness.bot.services.deliverer.idle();
    const delivery = await harness.bot.services.store.getDelivery(id);
    expect(delivery).toMatchObject({ state: 'posted', revision: 1, updatedRevision: 1 });
    expect(harness.standIn.messages('briefings')).toHaveLength(1);
    const added = okPosts(harness.standIn).length - postsBefore;
    expect(added).toBe(2);
    const view = channelView(harness.standIn);
    expect(view.filter((m) => plain(m).startsWith('Guatemala border'))).toHaveLength(1);
    expect(view.filter((m) => plain(m).includes('A corrected copy arrived'))).toHaveLength(1);
    expect(plain(view.find((m) => plain(m).startsWith('Peru cabinet reshuffle'))!)).toContain(
      'on Wednesday evening',
    );
    expect(
      JSON.stringify(view.find((m) => plain(m).startsWith('Removed · Regional Relations'))!.blocks),
    ).toContain('"strike":true');
  });
});
