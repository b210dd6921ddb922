/**
 * Worst event-loop delay of the running bot while it takes mail (issue 10.8's goal: ≤ 100 ms per
 * email): every email of the corpus (tests/fixtures/*.eml and the newsletter corpus) and the hostile
 * inputs of hostile.ts, each POSTed to the real mail webhook alone, its delivery let finish, and the
 * bot's own monitor (perf_hooks, 1 ms resolution) read after each. The figure is the bot's thread,
 * whatever the parse worker does.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadCorpus } from '../tests/fixtures/newsletters/corpus.js';
import type { BenchProcess } from './child.js';
import { hostileEmails } from './hostile.js';

const FIXTURE_DIR = fileURLToPath(new URL('../tests/fixtures/', import.meta.url));

export interface EventLoopFigures {
  event_loop_max_ms_corpus: number;
  event_loop_max_ms_hostile: number;
  /** Per hostile email: [worst delay ms, HTTP status, posts planned]. */
  event_loop_hostile: Record<
    string,
    { max_ms: number; status: number; sections: number | null; posts: number }
  >;
  corpus_emails: number;
}

async function post(port: number, secret: string, raw: Buffer) {
  const response = await fetch(`http://127.0.0.1:${port}/mail/inbound`, {
    method: 'POST',
    headers: { 'content-type': 'message/rfc822', authorization: `Bearer ${secret}` },
    body: new Uint8Array(raw),
  });
  const body = (await response.json()) as { sections?: number };
  return { status: response.status, sections: body.sections ?? null };
}

/** A corpus email made new (its Message-ID and a word), so each one is stored and posted, not a duplicate. */
function fresh(raw: Buffer, label: string): Buffer {
  const text = raw.toString('latin1');
  const replaced = text.replace(/^Message-ID:.*$/im, `Message-ID: <${label}-${Date.now()}@bench.example>`);
  return Buffer.from(replaced, 'latin1');
}

export async function benchEventLoop(
  app: Pick<BenchProcess<{ port: number }>, 'ready' | 'idle' | 'loopMaxMs'>,
  secret: string,
  postsOf: () => number,
): Promise<EventLoopFigures> {
  const port = app.ready.port;
  const corpus: Buffer[] = [
    ...readdirSync(FIXTURE_DIR)
      .filter((name) => name.endsWith('.eml'))
      .map((name) => readFileSync(join(FIXTURE_DIR, name))),
    ...(await loadCorpus()).map(({ raw }) => Buffer.from(raw)),
  ];
  await app.idle();
  await app.loopMaxMs();
  let corpusMax = 0;
  for (const [i, raw] of corpus.entries()) {
    await post(port, secret, fresh(raw, `loop-${i}`));
    await app.idle();
    corpusMax = Math.max(corpusMax, await app.loopMaxMs());
  }
  const hostile: EventLoopFigures['event_loop_hostile'] = {};
  let hostileMax = 0;
  for (const email of await hostileEmails()) {
    const before = postsOf();
    await app.loopMaxMs();
    const { status, sections } = await post(port, secret, email.raw);
    await app.idle();
    const max = await app.loopMaxMs();
    hostileMax = Math.max(hostileMax, max);
    hostile[email.name] = { max_ms: max, status, sections, posts: postsOf() - before };
  }
  return {
    event_loop_max_ms_corpus: corpusMax,
    event_loop_max_ms_hostile: hostileMax,
    event_loop_hostile: hostile,
    corpus_emails: corpus.length,
  };
}
