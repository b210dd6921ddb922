/**
 * Child process for crash.test.ts: writes to a store as fast as it can and prints one line per
 * acknowledged write ("ack <dedupeKey>") the moment the store resolves it — the point at which the
 * webhook would answer 202. The parent kills it with SIGKILL at an arbitrary moment.
 */
import { openStore } from '../../src/store/index.js';
import { newBriefing } from './helpers.js';

/** Enough concurrent adds that a month file is being rewritten at almost every instant. */
const CONCURRENCY = 4;

const [dataDir, round] = process.argv.slice(2);
if (!dataDir || !round) throw new Error('usage: crash-writer DATA_DIR ROUND');

const store = await openStore({ dataDir });
let next = 0;

async function worker(): Promise<never> {
  for (;;) {
    const n = next++;
    // Spread over a few months so several files are written concurrently.
    const date = `2021-${String((n % 3) + 10).padStart(2, '0')}-${String((n % 28) + 1).padStart(2, '0')}`;
    const input = newBriefing(date, `C1|round${round}-${n}`);
    // A larger body makes each rewrite take long enough to be caught in the middle.
    input.briefing.note = 'x'.repeat(20_000);
    const { briefing } = await store.addBriefing(input);
    process.stdout.write(`ack ${input.dedupeKey}\n`);
    await store.recordPost(briefing.id, {
      key: 'card',
      sectionIndex: null,
      channel: 'C1',
      ts: `${1633627273 + n}.000100`,
      threadTs: null,
      permalink: null,
      postedAt: new Date().toISOString(),
    });
    process.stdout.write(`post ${briefing.id}\n`);
  }
}

process.stdout.write('ready\n');
await Promise.all(Array.from({ length: CONCURRENCY }, worker));
