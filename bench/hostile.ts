/**
 * Hostile emails for `npm run bench` and the bounded-work tests: each is what a real mail server would
 * deliver, composed with nodemailer's MailComposer, and each once cost the bot far more than a briefing
 * should (thousands of posts, seconds of blocked event loop).
 */
import MailComposer from 'nodemailer/lib/mail-composer/index.js';

export interface HostileEmail {
  name: string;
  raw: Buffer;
}

const ENVELOPE = {
  from: 'Molly Molloy <molly@newsroom.example.com>',
  to: 'briefings@bot.example.com',
  date: new Date('2026-12-02T11:00:00Z'),
};

async function compose(subject: string, body: { text?: string; html?: string }): Promise<Buffer> {
  return new MailComposer({ ...ENVELOPE, subject, ...body }).compile().build();
}

/** 5,000 short headed paragraphs in plain text (about 470 KB): once 5,002 planned posts. */
export async function headedParagraphs(count = 5000): Promise<Buffer> {
  const blocks: string[] = [];
  for (let i = 1; i <= count; i++) {
    blocks.push(
      `HEADING NUMBER ${i}\n\nParagraph ${i} says that the minister met the press in Lima on Tuesday.`,
    );
  }
  return compose('Daily Briefing (Dec. 2, 2026)', { text: blocks.join('\n\n') });
}

/**
 * An HTML part of about 4.5 MB holding 100,000 links, 50 to a paragraph between words, as a link
 * roundup would be: once 53 s of blocked event loop.
 */
export async function manyLinks(count = 100_000): Promise<Buffer> {
  const paragraphs: string[] = [];
  for (let start = 0; start < count; start += 50) {
    const links: string[] = [];
    for (let i = start; i < Math.min(count, start + 50); i++) {
      links.push(`<a href="https://news.example.org/${i}">story ${i}</a> in Lima`);
    }
    paragraphs.push(`<p>The minister said ${links.join(', and ')}.</p>`);
  }
  const html = `<html><body><h1>Daily Briefing</h1>${paragraphs.join('\n')}</body></html>`;
  return compose('Daily Briefing (Dec. 2, 2026)', { html });
}

/** Elements nested this deep (divs, tables, blockquotes) around one story. */
export async function deepNesting(depth = 20_000): Promise<Buffer> {
  const tags = ['div', 'blockquote', 'table><tr><td', 'ul><li'];
  let open = '';
  let close = '';
  for (let i = 0; i < depth; i++) {
    const tag = tags[i % tags.length]!;
    open += `<${tag}>`;
    close = `</${tag.split('><').reverse().join('></')}>${close}`;
  }
  const html = `<html><body>${open}<h2>Peru</h2><p>The minister met the press in Lima.</p>${close}</body></html>`;
  return compose('Daily Briefing (Dec. 2, 2026)', { html });
}

/** 10 MB of the letter x and no headers: once 202 and 74 planned posts, now refused (no words). */
export function letterX(bytes = 10 * 1024 * 1024 - 1024): Buffer {
  return Buffer.alloc(bytes, 'x');
}

export async function hostileEmails(): Promise<HostileEmail[]> {
  return [
    { name: 'headed-paragraphs-5000', raw: await headedParagraphs() },
    { name: 'links-100000', raw: await manyLinks() },
    { name: 'nesting-20000', raw: await deepNesting() },
    { name: 'letter-x-10mb', raw: letterX() },
  ];
}
