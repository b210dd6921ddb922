/**
 * Parser figures for `npm run bench`: median time to parse one briefing email, and its ratio to
 * mailparser's simpleParser alone on the same bytes (the floor any MIME-based parser pays), measured
 * in one run, in alternating order so machine noise hits both sides alike.
 *
 * Corpus: every .eml fixture in tests/fixtures (Gmail, Outlook, Apple Mail, attachment, double forward,
 * the seed via Google Groups) and the newsletter corpus of tests/fixtures/newsletters (41 real issues of 19
 * publishers, composed as they arrive). Times are per-email medians over the rounds; the headline median is the
 * median of those, the ratio is the sum of the parser's per-email medians over mailparser's.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { simpleParser } from 'mailparser';
import { parseEmail } from '../src/briefing/index.js';
import { loadCorpus } from '../tests/fixtures/newsletters/corpus.js';

const FIXTURE_DIR = fileURLToPath(new URL('../tests/fixtures/', import.meta.url));
/** Rounds over the corpus: enough for stable medians; --quick keeps CI smoke runs short. */
const ROUNDS = { quick: 15, full: 60 } as const;
/** Untimed rounds first: JIT warm-up and the lazily loaded word list are start-up, not parse cost. */
const WARMUP_ROUNDS = 3;

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

async function time(run: () => Promise<unknown>): Promise<number> {
  const start = process.hrtime.bigint();
  await run();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

export interface ParseFigures {
  parse_ms_median: number;
  parse_vs_mailparser_ratio: number;
  /** Per fixture: [parser ms, simpleParser ms], medians. */
  per_email: Record<string, [number, number]>;
}

export async function benchParse(opts: { quick: boolean }): Promise<ParseFigures> {
  const corpus: { name: string; bytes: Buffer }[] = readdirSync(FIXTURE_DIR)
    .filter((name) => name.endsWith('.eml'))
    .sort()
    .map((name): { name: string; bytes: Buffer } => ({ name, bytes: readFileSync(join(FIXTURE_DIR, name)) }))
    .concat((await loadCorpus()).map(({ issue, raw }) => ({ name: `newsletters/${issue.id}`, bytes: raw })));
  if (corpus.length === 0) throw new Error(`no .eml fixtures in ${FIXTURE_DIR}`);
  const rounds = opts.quick ? ROUNDS.quick : ROUNDS.full;
  const ours = new Map<string, number[]>(corpus.map(({ name }) => [name, []]));
  const theirs = new Map<string, number[]>(corpus.map(({ name }) => [name, []]));
  for (let round = 0; round < WARMUP_ROUNDS + rounds; round++) {
    for (const { name, bytes } of corpus) {
      // Alternate which side goes first so neither always runs on a warmer cache.
      const first = round % 2 === 0;
      const a = first ? await time(() => parseEmail(bytes)) : 0;
      const b = await time(() => simpleParser(bytes));
      const c = first ? a : await time(() => parseEmail(bytes));
      if (round < WARMUP_ROUNDS) continue;
      ours.get(name)!.push(c);
      theirs.get(name)!.push(b);
    }
  }
  const perEmail: Record<string, [number, number]> = {};
  let oursTotal = 0;
  let theirsTotal = 0;
  for (const { name } of corpus) {
    const mine = median(ours.get(name)!);
    const base = median(theirs.get(name)!);
    perEmail[name] = [round3(mine), round3(base)];
    oursTotal += mine;
    theirsTotal += base;
  }
  return {
    parse_ms_median: round3(median(Object.values(perEmail).map(([mine]) => mine))),
    parse_vs_mailparser_ratio: round3(oursTotal / theirsTotal),
    per_email: perEmail,
  };
}

function round3(value: number): number {
  return Math.round(value * 1000) / 1000;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const figures = await benchParse({ quick: process.argv.includes('--quick') });
  process.stdout.write(`${JSON.stringify(figures, null, 2)}\n`);
}
