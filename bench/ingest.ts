/**
 * Ingest latency: the seed briefing as a raw .eml POSTed to the mail webhook, each time a new briefing
 * (see withMessageId), timed to the 202 — the moment it is stored. Deliveries are
 * let finish between ingests (briefings arrive a day apart), so each ingest is measured alone.
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

export const SEED_EML = fileURLToPath(
  new URL('../src/local/sample/latin-america-daily-briefing-2021-10-07.eml', import.meta.url),
);

export async function seedEml(): Promise<string> {
  return readFile(SEED_EML, 'utf8');
}

/** Days handed out so far: each ingest is a briefing of its own day. */
let daysUsed = 0;

/**
 * The same email as another briefing, of another day: a new Message-ID, one word more in its lead and
 * the next unused day in its subjects (from Jan 1, 2030 on). Same publication and day with other words
 * would be a corrected copy of the first (issue 15.4), a different path; a new day is a new briefing,
 * as in a newsroom. Anything but letters, digits, '.', '-' and '_' in `id` becomes '-', so it stays
 * safe inside quoted-printable.
 */
export function withMessageId(eml: string, id: string): string {
  const safe = id.replace(/[^\w.-]+/g, '-');
  const day = new Date(Date.UTC(2030, 0, 1) + daysUsed++ * 86_400_000);
  const written = day.toLocaleDateString('en-US', {
    month: 'long',
    day: 'numeric',
    year: 'numeric',
    timeZone: 'UTC',
  });
  const replaced = eml
    .replace(/^Message-ID:.*$/im, `Message-ID: <${safe}@bench.example>`)
    .replace('tomorrow.', `tomorrow (${safe}).`)
    .replaceAll('(Oct. 7, 2021)', `(${written})`);
  if (
    !replaced.includes(`<${safe}@bench.example>`) ||
    !replaced.includes(`(${safe})`) ||
    !replaced.includes(written)
  ) {
    throw new Error('the seed .eml has no Message-ID header, lead sentence or subject date to vary');
  }
  return replaced;
}

export interface IngestResult {
  ms: number;
  status: number;
  body: { status?: string; id?: string; sections?: number; error?: string };
}

export async function ingestOnce(port: number, mailSecret: string, eml: string): Promise<IngestResult> {
  const started = performance.now();
  const response = await fetch(`http://127.0.0.1:${port}/mail/inbound`, {
    method: 'POST',
    headers: { 'content-type': 'message/rfc822', authorization: `Bearer ${mailSecret}` },
    body: eml,
  });
  const body = (await response.json()) as IngestResult['body'];
  return { ms: performance.now() - started, status: response.status, body };
}

/** `count` new briefings, one at a time, waiting for each delivery to finish; returns the 202 times. */
export async function ingestSeries(
  port: number,
  mailSecret: string,
  count: number,
  label: string,
  idle: () => Promise<void>,
): Promise<number[]> {
  const eml = await seedEml();
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const result = await ingestOnce(port, mailSecret, withMessageId(eml, `${label}-${i}-${Date.now()}`));
    if (result.status !== 202) {
      throw new Error(`ingest ${i} answered ${result.status} ${JSON.stringify(result.body)}, expected 202`);
    }
    times.push(result.ms);
    await idle();
  }
  return times;
}
