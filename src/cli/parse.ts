/**
 * `briefing-bot parse FILE`: prints the briefing in FILE (.eml, .txt or .html) as one JSON object.
 * Other tools read this output, so exactly the Briefing keys are printed, in the documented order.
 * A missing or unreadable file, or one with no briefing text, exits 2 with a one-line error.
 */
import { readFile } from 'node:fs/promises';
import { BriefingParseError, parseEmail } from '../briefing/index.js';
import type { Briefing } from '../briefing/types.js';

function toContract(briefing: Briefing): Briefing {
  return {
    subject: briefing.subject,
    title: briefing.title,
    publication: briefing.publication,
    date: briefing.date,
    from: briefing.from,
    note: briefing.note,
    sections: briefing.sections.map((section) => ({
      title: section.title,
      kind: section.kind,
      group: section.group,
      countries: section.countries,
      mentions: section.mentions ?? [],
      items: section.items.map((item) => ({
        text: item.text,
        countries: item.countries,
        mentions: item.mentions ?? [],
        sources: item.sources,
        links: item.links.map((link) => ({ url: link.url, text: link.text })),
      })),
    })),
  };
}

function oneLine(message: string): string {
  return message.replace(/\s+/g, ' ').trim();
}

export async function run(args: string[]): Promise<number> {
  const file = args[0];
  if (!file || args.length > 1) {
    process.stderr.write('Usage: briefing-bot parse FILE (.eml, .txt or .html)\n');
    return 2;
  }
  let raw: Buffer;
  try {
    raw = await readFile(file);
  } catch (error) {
    const reason = error instanceof Error && 'code' in error ? String(error.code) : 'unreadable';
    process.stderr.write(`parse: cannot read ${file} (${reason})\n`);
    return 2;
  }
  try {
    const parsed = await parseEmail(raw);
    process.stdout.write(`${JSON.stringify(toContract(parsed.briefing), null, 2)}\n`);
    return 0;
  } catch (error) {
    if (error instanceof BriefingParseError) {
      process.stderr.write(`parse: ${file}: ${oneLine(error.message)}\n`);
      return 2;
    }
    throw error;
  }
}
