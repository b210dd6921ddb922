/**
 * Micro-benchmark of `countriesIn`, for the project bench (bench/run.ts) and for checking changes to the
 * matcher. It reports CPU time next to wall time: on a shared machine CPU time is the steadier number.
 */
import { catalog } from './catalog.js';
import { countriesIn } from './mentions.js';

export interface CountriesBenchResult {
  /** Time to build the matcher from the data, once per process. */
  buildMs: number;
  paragraphs: number;
  bytes: number;
  wallMs: number;
  cpuMs: number;
  /** Megabytes (UTF-16 code units / 1e6) of text scanned per CPU second. */
  mbPerCpuSecond: number;
  microsPerParagraph: number;
  /** Country tags found, so the work cannot be optimised away and runs can be compared. */
  tags: number;
}

/** Enough repetitions of a briefing-sized corpus to run for a few hundred milliseconds. */
export const DEFAULT_ROUNDS = 200;

export function benchCountriesIn(
  paragraphs: readonly string[],
  rounds = DEFAULT_ROUNDS,
): CountriesBenchResult {
  const buildStart = performance.now();
  catalog();
  const buildMs = performance.now() - buildStart;

  let bytes = 0;
  let tags = 0;
  const cpuStart = process.cpuUsage();
  const wallStart = performance.now();
  for (let round = 0; round < rounds; round += 1) {
    for (const paragraph of paragraphs) {
      tags += countriesIn(paragraph).length;
      bytes += paragraph.length;
    }
  }
  const wallMs = performance.now() - wallStart;
  const cpu = process.cpuUsage(cpuStart);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  const count = paragraphs.length * rounds;
  return {
    buildMs,
    paragraphs: count,
    bytes,
    wallMs,
    cpuMs,
    mbPerCpuSecond: bytes / 1e6 / (cpuMs / 1000),
    microsPerParagraph: (cpuMs * 1000) / Math.max(count, 1),
    tags,
  };
}
