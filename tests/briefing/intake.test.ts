/** Intake: every delivery form of the same briefing reaches the same structure. */
import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import { describe, expect, it } from 'vitest';
import { parseEmail, parseParts } from '../../src/briefing/index.js';
import { looksLikeMime } from '../../src/briefing/mime.js';
import type { ParsedEmail } from '../../src/briefing/types.js';
import { COLOMBIA } from '../fixtures/briefings.js';
import { encodeWindows1252, renderHtml, renderText } from '../fixtures/compose.js';

const outline = (parsed: ParsedEmail) =>
  parsed.briefing.sections.map((section) => `${section.title}:${section.items.length}`);
const EXPECTED = ['Colombia tax reform protests:2', 'Haiti:2', 'News Briefs:3'];

async function compose(
  options: ConstructorParameters<typeof MailComposer>[0],
  contentType?: string,
): Promise<Buffer> {
  const node = new MailComposer(options).compile();
  if (contentType) node.setHeader('Content-Type', contentType);
  return node.build();
}

const base = {
  from: 'Latin America Daily Briefing <ladb@briefings.example.org>',
  to: 'desk@newsroom.example.com',
  date: new Date('2021-05-03T12:40:00Z'),
  messageId: '<colombia@briefings.example.org>',
};

describe('intake', () => {
  it('multipart/alternative: the HTML part gives structure and links, the same outline as text', async () => {
    const parsed = await parseEmail(
      await compose({
        ...base,
        subject: COLOMBIA.subject,
        text: renderText(COLOMBIA),
        html: renderHtml(COLOMBIA),
      }),
    );
    expect(outline(parsed)).toEqual(EXPECTED);
    expect(parsed.briefing.from).toBe(base.from);
    expect(parsed.forwardedBy).toBe('ladb@briefings.example.org');
    expect(parsed.messageId).toBe('<colombia@briefings.example.org>');
    expect(parsed.briefing.note).toBeNull();
  });

  it('iso-8859-1 quoted-printable text', async () => {
    const latin1 = Buffer.from(renderText(COLOMBIA, '*'), 'latin1');
    const raw = await compose(
      { ...base, subject: COLOMBIA.subject, text: latin1, textEncoding: 'quoted-printable' },
      'text/plain; charset=iso-8859-1',
    );
    expect(raw.toString('latin1')).toMatch(/=E1|=ED|=EF/);
    const parsed = await parseEmail(raw);
    expect(outline(parsed)).toEqual(EXPECTED);
    expect(parsed.briefing.sections[0]?.items[0]?.text).toContain('Iván Duque');
  });

  it('base64 HTML-only body and an encoded-word subject', async () => {
    const subject = 'Fwd: Protestas en Bogotá — Colombia tax reform protests (May 3, 2021)';
    const raw = await compose({
      ...base,
      subject,
      html: `<html><body>${renderHtml(COLOMBIA)}</body></html>`,
      textEncoding: 'base64',
    });
    expect(raw.toString()).toContain('=?UTF-8?');
    const parsed = await parseEmail(raw);
    expect(parsed.briefing.title).toBe('Protestas en Bogotá — Colombia tax reform protests');
    expect(parsed.briefing.date).toBe('2021-05-03');
    expect(parsed.briefing.sections.slice(1).map((section) => section.title)).toEqual([
      'Haiti',
      'News Briefs',
    ]);
  });

  it('format=flowed text is unfolded into paragraphs', async () => {
    const raw = [
      'From: Latin America Daily Briefing <ladb@briefings.example.org>',
      'To: desk@newsroom.example.com',
      'Subject: Colombia tax reform protests (May 3, 2021)',
      'MIME-Version: 1.0',
      'Content-Type: text/plain; charset=utf-8; format=flowed',
      '',
      'Colombian President Iván Duque withdrew his tax reform proposal yesterday ',
      'after five days of protests, reports El Espectador.',
      '',
      'Haiti',
      '',
      'Haitian President Jovenel Moïse postponed the constitutional referendum ',
      'planned for June, reports the Miami Herald.',
      '',
    ].join('\r\n');
    const parsed = await parseEmail(raw);
    expect(parsed.briefing.sections.map((section) => section.title)).toEqual([
      'Colombia tax reform protests',
      'Haiti',
    ]);
    expect(parsed.briefing.sections[0]?.items).toHaveLength(1);
    expect(parsed.briefing.sections[0]?.items[0]?.text).toBe(
      'Colombian President Iván Duque withdrew his tax reform proposal yesterday after five days of protests, reports El Espectador.',
    );
  });

  it('a headerless paste: text with its subject as first line, cp1252 bytes, or HTML', async () => {
    const text = `Fwd: ${COLOMBIA.subject}\n\n${renderText(COLOMBIA)}`;
    const fromText = await parseEmail(text);
    expect(fromText.briefing.date).toBe('2021-05-03');
    expect(outline(fromText)).toEqual(EXPECTED);
    const fromCp1252 = await parseEmail(encodeWindows1252(text));
    expect(fromCp1252.briefing.sections[0]?.items[0]?.text).toContain('Iván Duque');
    const fromHtml = await parseEmail(`<html><body>${renderHtml(COLOMBIA)}</body></html>`);
    expect(fromHtml.briefing.sections.slice(1).map((section) => section.title)).toEqual([
      'Haiti',
      'News Briefs',
    ]);
    expect(fromHtml.forwardedBy).toBeNull();
  });

  it('provider fields (parseParts) take the same path; stripped reply fields are not needed', () => {
    const parsed = parseParts({
      subject: `Fwd: ${COLOMBIA.subject}`,
      from: 'Molly Molloy <Molly@Newsroom.example.com>',
      date: '2021-05-03T13:00:00.000Z',
      messageId: '<outer@newsroom.example.com>',
      text: `FYI\n\n---------- Forwarded message ---------\nFrom: ${base.from}\nDate: Mon, May 3, 2021 at 12:40 PM\nSubject: ${COLOMBIA.subject}\nTo: <desk@newsroom.example.com>\n\n${renderText(COLOMBIA)}`,
      html: null,
    });
    expect(outline(parsed)).toEqual(EXPECTED);
    expect(parsed.forwardedBy).toBe('molly@newsroom.example.com');
    expect(parsed.forwardedByName).toBe('Molly Molloy');
    expect(parsed.briefing.from).toBe(base.from);
    expect(parsed.briefing.note).toBe('FYI');
    // The outer id names Molly's forward, not the briefing: a second editor's forward must not differ.
    expect(parsed.messageId).toBeNull();
  });

  it('tells RFC 822 headers from a pasted body that starts with a colon line', () => {
    expect(looksLikeMime('From: a@b.c\nSubject: x\n\nbody')).toBe(true);
    expect(looksLikeMime('Received: from x\n\tby y\nFrom: a@b.c\n\nbody')).toBe(true);
    expect(looksLikeMime('Fwd: Mexico - U.S. high-level security talks (Oct. 7, 2021)\n\n1 view')).toBe(
      false,
    );
    expect(looksLikeMime('Note: read this\nAnd this\n\n')).toBe(false);
    expect(looksLikeMime('plain text')).toBe(false);
  });
});

describe('Google Groups sender rewrite', () => {
  it('reads "\'Name\' via Group" as the person, with the Reply-To address', async () => {
    const raw = await compose({
      from: "'Molly Molloy' via Hemispheric Daily Briefings <hemisphericdailybriefings@googlegroups.com>",
      replyTo: 'Molly Molloy <molly@newsroom.example.com>',
      to: 'hemisphericdailybriefings@googlegroups.com',
      subject: `Fwd: ${COLOMBIA.subject}`,
      text: renderText(COLOMBIA),
    });
    const parsed = await parseEmail(raw);
    expect(parsed.forwardedByName).toBe('Molly Molloy');
    expect(parsed.forwardedBy).toBe('molly@newsroom.example.com');
  });
});

describe('Outlook desktop HTML forward (MsoNormal paragraphs, bold labels, no rule)', () => {
  it('unwraps to the original and keeps the structure', () => {
    const html = `<html><body><div class=WordSection1><p class=MsoNormal>See below.<o:p></o:p></p><p class=MsoNormal><o:p>&nbsp;</o:p></p><div><div style='border:none;border-top:solid #E1E1E1 1.0pt;padding:3.0pt 0in 0in 0in'><p class=MsoNormal><b>From:</b> Latin America Daily Briefing &lt;ladb@x.org&gt; <br><b>Sent:</b> Thursday, October 7, 2021 1:20 PM<br><b>To:</b> Molly &lt;m@x.org&gt;<br><b>Subject:</b> Peru cabinet reshuffle (Oct. 7, 2021)<o:p></o:p></p></div></div><p class=MsoNormal><o:p>&nbsp;</o:p></p><p class=MsoNormal>Peruvian President Pedro Castillo named Mirtha Vásquez prime minister yesterday evening. (Reuters)<o:p></o:p></p><p class=MsoNormal><b>News Briefs<o:p></o:p></b></p><ul><li class=MsoListParagraph>Haiti item, reports the AP.</li><li>Brazil item.</li></ul></div></body></html>`;
    const { briefing } = parseParts({
      subject: 'FW: Peru cabinet reshuffle (Oct. 7, 2021)',
      from: 'Molly <m@x.org>',
      date: null,
      messageId: null,
      text: null,
      html,
    });
    expect(briefing.from).toBe('Latin America Daily Briefing <ladb@x.org>');
    expect(briefing.note).toBe('See below.');
    expect(
      briefing.sections.map((section) => `${section.kind}:${section.title}:${section.items.length}`),
    ).toEqual(['lead:Peru cabinet reshuffle:1', 'list:News Briefs:2']);
    expect(briefing.sections[0]?.items[0]?.sources).toEqual(['Reuters']);
  });
});
