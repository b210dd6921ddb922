/** One test per bug found while building the parser, named after it. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stripChrome } from '../../src/briefing/chrome.js';
import { parseEmail, parseParts } from '../../src/briefing/index.js';
import { textToLines } from '../../src/briefing/lines.js';
import { unwrapOnce } from '../../src/briefing/unwrap.js';

const parts = (text: string | null, html: string | null = null, subject = 'Headline (May 3, 2021)') => ({
  subject,
  from: null,
  date: null,
  messageId: null,
  text,
  html,
});

describe('regressions', () => {
  it('Gmail HTML header ending in <br><br> does not leak its "To:" line into the briefing', () => {
    const html =
      '<div class="gmail_quote"><div class="gmail_attr">---------- Forwarded message ---------<br>From: <strong>LADB</strong> &lt;l@x.org&gt;<br>Date: Mon, May 3, 2021 at 1:00 PM<br>Subject: Headline (May 3, 2021)<br>To: &lt;g@x.org&gt;<br></div><br><br><p>Lead text here.</p></div>';
    const { briefing } = parseParts(parts(null, html, 'Fwd: Headline (May 3, 2021)'));
    expect(briefing.sections.map((section) => section.title)).toEqual(['Headline']);
    expect(briefing.sections[0]?.items.map((item) => item.text)).toEqual(['Lead text here.']);
  });

  it('a forward whose header names no sender does not report the forwarder as the original sender', () => {
    const text =
      'FYI\n\n---------- Forwarded message ---------\nSubject: Headline (May 3, 2021)\nTo: group <g@x.org>\n\nLead text here.';
    const forward = { ...parts(text, null, 'Fwd: Headline (May 3, 2021)'), from: 'Molly <molly@x.org>' };
    const parsed = parseParts(forward);
    expect(parsed.briefing.from).toBeNull();
    expect(parsed.forwardedBy).toBe('molly@x.org');
    expect(parsed.briefing.sections[0]?.items.map((item) => item.text)).toEqual(['Lead text here.']);
    // Not a forward: the sender is the original.
    const direct = parseParts({ ...parts('Lead text here.'), from: 'LADB <l@x.org>' });
    expect(direct.briefing.from).toBe('LADB <l@x.org>');
  });

  it('a Spanish Outlook forward keeps "-----Mensaje original-----" out of the note; stacked RV: ENC: Fwd:', async () => {
    const eml = [
      'From: Ana <ana@x.org>',
      'To: bot@x.org',
      'Subject: RV: ENC: Fwd: Peru cabinet reshuffle (Oct. 7, 2021)',
      'Date: Fri, 08 Oct 2021 09:00:00 -0500',
      'MIME-Version: 1.0',
      'Content-Type: text/plain; charset=utf-8',
      '',
      'Para la reunión de la mañana.',
      '',
      '-----Mensaje original-----',
      'De: Latin America Daily Briefing <ladb@x.org>',
      'Enviado el: jueves, 7 de octubre de 2021 13:20',
      'Para: Ana <ana@x.org>',
      'Asunto: Peru cabinet reshuffle (Oct. 7, 2021)',
      '',
      'Peruvian President Pedro Castillo named Mirtha Vásquez prime minister, reports La República.',
    ].join('\r\n');
    const { briefing } = await parseEmail(eml);
    expect(briefing.note).toBe('Para la reunión de la mañana.');
    expect(briefing.subject).toBe('Peru cabinet reshuffle (Oct. 7, 2021)');
    expect(briefing.from).toBe('Latin America Daily Briefing <ladb@x.org>');
    expect(briefing.sections.map((section) => section.items.length)).toEqual([1]);
  });

  it('the short forward window (labelled header + 400 chars) still unwraps long quoted bodies and notes with addresses', () => {
    const paragraph = `${'Peruvian President Pedro Castillo named a new cabinet, reports La República. '.repeat(12)}`;
    const text = [
      'Write to me at molly@x.org with questions.',
      '',
      '---------- Forwarded message ---------',
      'De: Latin America Daily Briefing <ladb@x.org>',
      'Date: jue, 7 oct 2021 a las 13:20',
      'Asunto: Peru cabinet reshuffle (Oct. 7, 2021)',
      'Para: <m@x.org>',
      '',
      paragraph,
      '',
      paragraph,
    ].join('\n');
    const result = unwrapOnce(text, 'Fwd: Peru cabinet reshuffle (Oct. 7, 2021)');
    expect(result.forwarded).toBe(true);
    expect(result.fromAddress).toBe('ladb@x.org');
    expect(result.note).toBe('Write to me at molly@x.org with questions.');
    expect(result.body.trim()).toBe(`${paragraph.trim()}\n\n${paragraph.trim()}`);
  });

  it('the seed cites outlets only: no NGO (National Human Rights Defense Network), and the Post interview counts', async () => {
    const seed = readFileSync(join(import.meta.dirname, '../fixtures/seed-briefing.txt'));
    const { briefing } = await parseEmail(seed);
    expect(briefing.sections[0]?.items[4]?.sources).toEqual(['Associated Press', 'Washington Post']);
    expect(briefing.sections[2]?.items[0]?.sources).toEqual(['Newsweek']);
    const all = briefing.sections.flatMap((section) => section.items.flatMap((item) => item.sources));
    expect(new Set(all)).toEqual(
      new Set([
        'CNN',
        'El País',
        'EFE',
        'Associated Press',
        'Washington Post',
        'Reuters',
        'Al Jazeera',
        'La República',
        'Financial Times',
        'Deutsche Welle',
        'Newsweek',
        'Time',
        'New York Times',
        'Axios',
      ]),
    );
  });

  it('an empty attached message/rfc822 part is not the original: the outer text is the briefing (it was "no text")', async () => {
    const eml = [
      'From: Molly <m@x.org>',
      'Subject: Fwd: Peru cabinet reshuffle (Oct. 7, 2021)',
      'MIME-Version: 1.0',
      'Content-Type: multipart/mixed; boundary="b1"',
      '',
      '--b1',
      'Content-Type: text/plain; charset=utf-8',
      '',
      'Peruvian President Pedro Castillo named a new prime minister, reports La República.',
      '--b1',
      'Content-Type: message/rfc822',
      '',
      '--b1--',
      '',
    ].join('\r\n');
    const { briefing } = await parseEmail(eml);
    expect(briefing.title).toBe('Peru cabinet reshuffle');
    expect(briefing.sections[0]?.items[0]?.countries).toEqual(['PE']);
    expect(briefing.note).toBeNull();
  });

  it('a reply (Re:) quoting with an Outlook rule is not unwrapped as a forward', () => {
    const text =
      "That's true!\n\n________________________________\nFrom: John <j@x.org>\nSent: Wednesday\nTo: n@x.org\n\nquoted";
    expect(unwrapOnce(text, 'Re: Integer consequat non purus').forwarded).toBe(false);
  });

  it('a prose line ending in a source list, "(Reuters, BBC)", is not a heading (it was lost)', () => {
    const text =
      'Lead.\n\nNicaragua\n\nFirst paragraph, reports the AP.\n\nThe US and Canada announced new sanctions. (Reuters, BBC)\n\nRegional Relations\n\n• One.';
    const { briefing } = parseParts(parts(text));
    expect(briefing.sections.map((section) => `${section.title}:${section.items.length}`)).toEqual([
      'Headline:1',
      'Nicaragua:2',
      'Regional Relations:1',
    ]);
  });

  it('a megabyte of spaces before one letter does not backtrack quadratically (trailing-space regex)', async () => {
    const parsed = await parseEmail(`${' '.repeat(1_000_000)}x`);
    expect(parsed.briefing.sections[0]?.items[0]?.text).toBe('x');
  }, 5_000);

  it('a quoted display name ("Name" <address>) is printed without the quotes', async () => {
    const raw =
      'From: "Latin America Daily Briefing" <l@x.org>\nSubject: Headline (May 3, 2021)\n\nLead text.\n';
    expect((await parseEmail(raw)).briefing.from).toBe('Latin America Daily Briefing <l@x.org>');
  });

  it('newsletter-platform footers are chrome', () => {
    const lines = stripChrome(
      textToLines(
        'Story.\nWant to change how you receive these emails?\nThis email was sent to x@y.org\nCopyright © 2021 LADB, All rights reserved.\nWhy did I get this?',
      ),
    ).lines.map((line) => line.text);
    expect(lines).toEqual(['Story.']);
  });

  it('numbered headlines each heading their own story are sections; a numbered list stays a list', () => {
    // "Five things to know": each numbered line stands alone and heads prose, questions too.
    const things = [
      'Good morning. Here is what you need to know.',
      '1) Markets slide after the rate decision',
      'Stocks fell across Asia after the central bank held rates, and the peso weakened.',
      '2) Will the ceasefire hold?',
      'Negotiators in Doha meet again today; both sides accuse each other of violations.',
      '3) Floods in the south',
      'Rescue teams reached the villages cut off since Sunday.',
    ].join('\n\n');
    const { briefing } = parseParts(parts(things, null, 'Five things to know (May 3, 2021)'));
    expect(briefing.sections.map((section) => [section.kind, section.title, section.items.length])).toEqual([
      ['lead', 'Five things to know', 1],
      ['section', '1. Markets slide after the rate decision', 1],
      ['section', '2. Will the ceasefire hold?', 1],
      ['section', '3. Floods in the south', 1],
    ]);
    // Items one after another are a list, numbered or not, even with prose after the last one.
    const list = [
      'Top stories',
      '1. Markets slide after the rate decision',
      '2. Ceasefire talks resume in Doha',
      '3. Floods in the south',
      'More tomorrow, as ever, from the desk that reads it all for you.',
    ].join('\n\n');
    const listed = parseParts(parts(list, null, 'Top stories (May 3, 2021)')).briefing;
    expect(listed.sections.flatMap((section) => section.items.map((item) => item.text))).toContain(
      'Ceasefire talks resume in Doha',
    );
    expect(listed.sections.map((section) => section.title)).not.toContain(
      '2. Ceasefire talks resume in Doha',
    );
    // A lone numbered line before prose is not a sequence: it stays what it was.
    const lone = [
      'Intro paragraph that sets the scene for today.',
      '1. One thing',
      'Its story, told in full.',
    ].join('\n\n');
    const single = parseParts(parts(lone, null, 'Lone (May 3, 2021)')).briefing;
    expect(single.sections.map((section) => section.title)).not.toContain('1. One thing');
  });

  it("the writers' names set apart in italics are a byline, not a section; capitalised titles and places stay headings", () => {
    const html = [
      '<p>Good morning. The desk has three stories for you today, and one chart.</p>',
      '<p><i>Ana de la Cruz, Tom O’Neil and Matty Merritt</i></p>',
      '<p><b>Corruption Corner and Reading List</b></p>',
      '<p>Guatemala’s prosecutors reopened the case against the former minister.</p>',
      '<p><b>Mexico City, Buenos Aires and Lima</b></p>',
      '<p>Three capitals, three protests over transport fares this week.</p>',
    ].join('');
    const { briefing } = parseParts(parts(null, html, 'Morning (May 3, 2021)'));
    expect(briefing.sections.map((section) => section.title)).toEqual([
      'Morning',
      'Corruption Corner and Reading List',
      'Mexico City, Buenos Aires and Lima',
    ]);
    // Nothing is dropped: the names stay with the lead they sign.
    expect(briefing.sections[0]?.items.map((item) => item.text)).toContain(
      'Ana de la Cruz, Tom O’Neil and Matty Merritt',
    );
  });

  it('an advertisement after a list is left out whole, its name too, even when its text was chrome', () => {
    const html = [
      '<p>Good morning from the markets desk, with what moves prices today.</p>',
      "<h2>Today's Market Minute</h2>",
      '<ul><li>The Senate moved on the shutdown.</li><li>The BBC director resigned.</li><li>COP30 opens in Belém.</li></ul>',
      '<p>Advertisement</p><p><b>Acme Open Interest</b></p><p>Subscribe to the Morning Bid daily podcast.</p>',
      '<p>Was this email forwarded to you? <a href="https://example.com/signup">Sign up here</a>.</p>',
      '<p><a href="https://example.com/unsubscribe">Unsubscribe</a></p>',
    ].join('');
    const { briefing } = parseParts(parts(null, html, 'Morning Bid (May 3, 2021)'));
    const list = briefing.sections.find((section) => section.title === "Today's Market Minute");
    expect(list?.items.map((item) => item.text)).toEqual([
      'The Senate moved on the shutdown.',
      'The BBC director resigned.',
      'COP30 opens in Belém.',
    ]);
    expect(JSON.stringify(briefing)).not.toContain('Acme Open Interest');
  });
});
