/**
 * mailparser's adversarial fixtures (../shared/peer-suites/mailparser): each must give a briefing or
 * the documented BriefingParseError — never another exception — within a bounded time and memory.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BriefingParseError, parseEmail } from '../../src/briefing/index.js';

const SUITE = join(import.meta.dirname, '../../../shared/peer-suites/mailparser');
const present = existsSync(SUITE);
if (!present) console.warn(`peer suite skipped: ${SUITE} not found`);
const files = present ? readdirSync(SUITE).filter((name) => name.endsWith('.eml')) : [];
/** Generous bound for a slow CI machine; locally each file takes well under 0.5 s. */
const TIME_BUDGET_MS = 10_000;
/** Heap growth allowed for one message (the largest peer fixture is a few MB). */
const HEAP_BUDGET_BYTES = 256 * 1024 * 1024;

describe.skipIf(!present)('peer suite: mailparser fixtures', () => {
  it('finds the fixtures', () => {
    expect(files.length).toBeGreaterThanOrEqual(10);
  });
  it.each(files)('%s yields a briefing or BriefingParseError', { timeout: TIME_BUDGET_MS }, async (name) => {
    const heapBefore = process.memoryUsage().heapUsed;
    let outcome: 'parsed' | 'refused';
    try {
      const parsed = await parseEmail(readFileSync(join(SUITE, name)));
      expect(parsed.briefing.sections.length).toBeGreaterThan(0);
      outcome = 'parsed';
    } catch (error) {
      expect(error).toBeInstanceOf(BriefingParseError);
      outcome = 'refused';
    }
    expect(['parsed', 'refused']).toContain(outcome);
    expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(HEAP_BUDGET_BYTES);
  });
});
