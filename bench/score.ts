/**
 * `npm run score [-- --split tune|heldout] [--verbose] [--write-index]`: the parser against the hand
 * labels of the newsletter corpus (tests/fixtures/newsletters), per template family, for the tuning and
 * held-out parts and overall. --verbose prints every section of the chosen split with what it matched;
 * --write-index rewrites the corpus's INDEX.md (where each issue came from).
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseEmail } from '../src/briefing/index.js';
import type { Briefing } from '../src/briefing/types.js';
import { loadCorpus } from '../tests/fixtures/newsletters/corpus.js';
import {
  addCounts,
  type Counts,
  emptyCounts,
  type Figures,
  figures,
  GOALS,
  scoreIssue,
} from '../tests/fixtures/newsletters/score.js';

const args = process.argv.slice(2);
const split = args.includes('--split') ? args[args.indexOf('--split') + 1] : null;
const verbose = args.includes('--verbose');

const corpus = await loadCorpus();

if (args.includes('--write-index')) {
  const rows = corpus.map(
    ({ issue }) =>
      `| ${issue.id} | ${issue.family} | ${issue.publisher} | ${issue.lang} | ${issue.split} | ${issue.source} |`,
  );
  const text = `# Newsletter corpus index\n\nWritten by \`npm run score -- --write-index\`. Each issue's structure follows the source named here; story sentences are paraphrased. Labels live beside the content in issues-*.ts.\n\n| id | family | publisher | lang | split | source |\n|---|---|---|---|---|---|\n${rows.join('\n')}\n`;
  writeFileSync(fileURLToPath(new URL('../tests/fixtures/newsletters/INDEX.md', import.meta.url)), text);
}

const byFamily = new Map<string, Counts>();
const bySplit = new Map<string, Counts>();
let overall = emptyCounts();
for (const { issue, raw, gold } of corpus) {
  let briefing: Briefing | null = null;
  try {
    briefing = (await parseEmail(raw)).briefing;
  } catch {
    briefing = null;
  }
  const scored = scoreIssue(briefing, gold);
  overall = addCounts(overall, scored.counts);
  bySplit.set(issue.split, addCounts(bySplit.get(issue.split) ?? emptyCounts(), scored.counts));
  if (split && issue.split !== split) continue;
  byFamily.set(issue.family, addCounts(byFamily.get(issue.family) ?? emptyCounts(), scored.counts));
  if (verbose) {
    process.stdout.write(
      `\n## ${issue.id}  date ${briefing?.date ?? '—'} (${gold.date})  publication ${briefing?.publication ?? '—'} (${gold.publication})\n`,
    );
    for (const { gold: want, predicted } of scored.pairs) {
      const mark = predicted ? '✓' : '✗';
      process.stdout.write(
        `  ${mark} ${want.kind} "${want.titles[0]}" items ${want.items} [${want.countries}] {${want.mentions}}` +
          (predicted
            ? ` ← "${predicted.title}" ${predicted.kind} items ${predicted.items.length} [${predicted.countries}] {${(predicted as { mentions?: string[] }).mentions ?? ''}}`
            : '') +
          '\n',
      );
    }
    for (const extra of scored.unmatched) {
      process.stdout.write(
        `  + extra ${extra.kind} "${extra.title}" items ${extra.items.length} [${extra.countries}]\n`,
      );
    }
  }
}

const COLUMNS: (keyof Figures)[] = [
  'issues',
  'section_f1',
  'section_precision',
  'section_recall',
  'list_items',
  'country_f1',
  'country_precision',
  'country_recall',
  'mention_f1',
  'date',
  'publication',
];
const line = (name: string, f: Figures): string =>
  `| ${name.padEnd(14)} | ${COLUMNS.map((c) => String(f[c]).padStart(6)).join(' | ')} |`;
const out: string[] = [
  `| ${'part'.padEnd(14)} | ${COLUMNS.map((c) => c.replace('section_', 's_').replace('country_', 'c_').padStart(6)).join(' | ')} |`,
];
for (const [family, counts] of [...byFamily.entries()].sort()) out.push(line(family, figures(counts)));
for (const [name, counts] of [...bySplit.entries()].sort()) out.push(line(name, figures(counts)));
out.push(line('overall', figures(overall)));
process.stdout.write(`\n${out.join('\n')}\n\ngoals: ${JSON.stringify(GOALS)}\n`);
