import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SlackStandIn } from '../../src/local/slack-stand-in.js';
import { openStore } from '../../src/store/index.js';
import { composeEml, postMail, SEED_BODY } from '../app/harness.js';
import { spawnBotProcess } from '../support/bot-process.js';
import { tempDir } from './helpers.js';

const BOT = fileURLToPath(new URL('./crash-bot.ts', import.meta.url));
const SECRET = 'crash-webhook-secret';
/** Emails sent in all; the bot is killed after KILL_AFTER of them were acknowledged. */
const EMAILS = 16;
const KILL_AFTER = 6;
const IN_FLIGHT = 3;
/** Generous for a loaded CI machine: a bot start plus posting a dozen briefings to a local stand-in. */
const SETTLE_MS = 60_000;

let dir: string;
let cleanup: () => Promise<void>;
let standIn: SlackStandIn;
const children: ChildProcess[] = [];

beforeEach(async () => {
  ({ dir, cleanup } = await tempDir());
  standIn = new SlackStandIn({ rateLimit: null });
});
afterEach(async () => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
  await standIn.close();
  await cleanup();
});

async function startBot(): Promise<{ child: ChildProcess; url: string }> {
  return spawnBotProcess(
    BOT,
    {
      SLACK_BOT_TOKEN: standIn.token,
      SLACK_SIGNING_SECRET: 'crash-signing-secret',
      SLACK_API_URL: standIn.apiUrl,
      BRIEFING_CHANNEL: 'briefings',
      // The digest (due at 17:00 New York) lists the day's titles: kept out of the cards counted here.
      DIGEST_CHANNEL: 'digest',
      MAIL_WEBHOOK_SECRET: SECRET,
      DATA_DIR: dir,
      HOST: '127.0.0.1',
      LOG_LEVEL: 'error',
    },
    children,
  );
}

const subject = (n: number) => `Fwd: Crash test story ${n} (Oct. 7, 2021)`;

describe('the bot killed (SIGKILL) while mail arrives and deliveries post', () => {
  it('keeps every briefing it answered 202 for, and posts each after the restart', {
    timeout: 120_000,
  }, async () => {
    await standIn.listen();
    const first = await startBot();
    const emails = await Promise.all(
      Array.from({ length: EMAILS }, (_, n) =>
        composeEml({ subject: subject(n), messageId: `<crash-${n}@mail.example.org>`, text: SEED_BODY }),
      ),
    );

    const acked = new Map<number, string>();
    let next = 0;
    const sender = async () => {
      while (next < EMAILS) {
        const n = next++;
        try {
          const reply = await postMail(first.url, new Uint8Array(emails[n]!), 'message/rfc822', SECRET);
          if (reply.status === 202) acked.set(n, String(reply.json.id));
          if (acked.size >= KILL_AFTER) first.child.kill('SIGKILL');
        } catch {
          // The connection died with the bot: no 202, so the provider would retry later.
          return;
        }
      }
    };
    await Promise.all(Array.from({ length: IN_FLIGHT }, sender));
    expect(
      first.child.signalCode ?? (await new Promise((r) => first.child.once('exit', (_c, s) => r(s)))),
    ).toBe('SIGKILL');
    expect(acked.size).toBeGreaterThanOrEqual(KILL_AFTER);

    // What the kill left: every acknowledged briefing is stored; some were still being posted.
    const afterKill = await openStore({ dataDir: dir });
    for (const id of acked.values()) expect(await afterKill.getBriefing(id)).toBeDefined();
    const unfinished = (await afterKill.unfinishedDeliveries()).length;
    await afterKill.close();
    // The kill came right after a 202, before that briefing could be posted: the restart has work to do.
    expect(unfinished).toBeGreaterThan(0);

    const second = await startBot();
    const deadline = Date.now() + SETTLE_MS;
    for (;;) {
      const health = (await (await fetch(`${second.url}/healthz`)).json()) as { pendingDeliveries: number };
      if (health.pendingDeliveries === 0) break;
      if (Date.now() > deadline) throw new Error(`deliveries still pending: ${JSON.stringify(health)}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    second.child.kill('SIGTERM');
    await new Promise((resolve) => second.child.once('exit', resolve));

    const store = await openStore({ dataDir: dir });
    const cards = standIn.messages('briefings');
    for (const [n, id] of acked) {
      const briefing = await store.getBriefing(id);
      expect(briefing?.briefing.title, `briefing ${n}`).toBe(`Crash test story ${n}`);
      expect((await store.getDelivery(id))?.state).toBe('posted');
      const posted = cards.filter((card) => card.text.includes(`Crash test story ${n}`));
      // Once — or twice if the kill fell between Slack's answer and the store recording it.
      expect(posted.length, `cards for briefing ${n}`).toBeGreaterThanOrEqual(1);
      expect(posted.length).toBeLessThanOrEqual(2);
      const recordedCard = (await store.getDelivery(id))!.posts.find((post) => post.key === 'card')!;
      const thread = standIn.thread('briefings', recordedCard.ts);
      expect(thread.length, `thread of briefing ${n}`).toBeGreaterThanOrEqual(
        1 + briefing!.briefing.sections.length,
      );
    }
    await store.close();
  });
});
