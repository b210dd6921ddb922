import { describe, expect, it } from 'vitest';
import { stripChrome } from '../../src/briefing/chrome.js';
import { CITATION_LEADS } from '../../src/briefing/data/sources.js';
import {
  dayFromDateLine,
  dayFromIso,
  dayFromText,
  isDateOnlyLine,
  splitSubjectDate,
} from '../../src/briefing/dates.js';
import { htmlToLines } from '../../src/briefing/html.js';
import { textToLines } from '../../src/briefing/lines.js';
import { publicationFromNote, publicationFromSignOff } from '../../src/briefing/publication.js';
import { isHardWrapped, joinBroken, joinParagraphLines } from '../../src/briefing/repair.js';
import { sourcesIn } from '../../src/briefing/sources.js';
import { buildSections } from '../../src/briefing/structure.js';
import { stripSubjectPrefixes } from '../../src/briefing/subject.js';
import { unwrapOnce } from '../../src/briefing/unwrap.js';

const texts = (input: string) =>
  stripChrome(textToLines(input))
    .lines.map((line) => line.text)
    .filter(Boolean);
const outline = (text: string, headline = 'Headline') =>
  buildSections({ lines: joinParagraphLines(textToLines(text)), headline, publication: null }).sections.map(
    (section) => `${section.kind}:${section.group ?? ''}:${section.title}:${section.paragraphs.length}`,
  );

describe('chrome', () => {
  it('removes Google Groups web-view lines, the poster line, footers and the sign-off', () => {
    const cleaned = stripChrome(
      textToLines(
        [
          '1 view',
          'Skip to first unread message',
          'Molly Molloy',
          'Oct 7, 2021, 1:20:13 PMOct 7',
          'Real text.',
          'View this email in your browser',
          'Unsubscribe | Update your preferences',
          'Did I miss something, get something wrong? Let me know ... Latin America Daily Briefing',
          'More text.',
          '-- ',
          'You received this message because you are subscribed to the Google Groups "HDB" group.',
          'To unsubscribe from this group and stop receiving emails from it, send an email to x+unsubscribe@googlegroups.com.',
          'To view this discussion on the web visit https://groups.google.com/d/msgid/x.',
          'Reply all',
          'Reply to author',
          '0 new messages',
        ].join('\n'),
      ),
    );
    expect(cleaned.lines.map((line) => line.text).filter(Boolean)).toEqual(['Real text.', 'More text.']);
    expect(cleaned.lines.some((line) => line.hint === 'break')).toBe(true);
    expect(publicationFromSignOff(cleaned.signOff)).toBe('Latin America Daily Briefing');
  });

  it('removes a video caption ending in a clip duration, keeps prose with times', () => {
    expect(
      texts(
        "'Is there a contradiction?': Acosta presses DHS secretary about policy 01:26\nThe meeting starts at 10:30.",
      ),
    ).toEqual(['The meeting starts at 10:30.']);
  });

  it('keeps a long line that mentions unsubscribing: it is content', () => {
    const line = `${'The minister said citizens could unsubscribe from the state registry, '.repeat(4)}reports EFE.`;
    expect(texts(line)).toEqual([line]);
  });
});

describe('repair', () => {
  it('joins a word broken by a paste only when the joined form is a word and the parts are not both words', () => {
    expect(joinBroken('a Trump-era border policy that for', 'ces migrants to stay')).toBe(
      'a Trump-era border policy that forces migrants to stay',
    );
    expect(joinBroken('the government', 'said on Monday')).toBe('the government said on Monday');
    // "in" + "to" are both words: a space, never "into".
    expect(joinBroken('they went in', 'to the house')).toBe('they went in to the house');
  });

  it('joins mid-sentence line breaks but never merges paragraphs or bullets', () => {
    const lines = joinParagraphLines(
      textToLines(
        'one line ends here and\ncontinues here.\n\nnew paragraph.\n  • bullet one\n  • bullet two',
      ),
    );
    expect(lines.map((line) => line.text).filter(Boolean)).toEqual([
      'one line ends here and continues here.',
      'new paragraph.',
      '  • bullet one',
      '  • bullet two',
    ]);
  });

  it('unwraps hard-wrapped (72-column) text within blank-line paragraphs', () => {
    const paragraph =
      'Peruvian President Pedro Castillo named Mirtha Vásquez prime minister yesterday evening, a bid at political stability after ousting her controversial predecessor Guido Bellido in the afternoon. Vásquez served as head of Congress between 2020 and 2021.';
    const wrapped = paragraph.replace(/(.{1,72})(?:\s|$)/g, '$1\n').trim();
    const text = `Peru cabinet reshuffle\n\n${wrapped}\n\n${wrapped}`;
    expect(isHardWrapped(textToLines(text))).toBe(true);
    const lines = joinParagraphLines(textToLines(text))
      .map((line) => line.text)
      .filter(Boolean);
    expect(lines).toEqual(['Peru cabinet reshuffle', paragraph, paragraph]);
  });
});

describe('sources', () => {
  it.each([
    ['The talks were billed as a first, reports CNN.', ['CNN']],
    ['Ebrard told the Associated Press. (See the Washington Post interview.)', ['Associated Press']],
    ['Castillo named a new cabinet. (Reuters, Al Jazeera)', ['Reuters', 'Al Jazeera']],
    ['The pushback is welcome, according to the Financial Times.', ['Financial Times']],
    ["It is a concession, according to La República's editorial this morning.", ['La República']],
    ['Haiti is demonized, writes Jesús Ruiz in the Washington Post.', ['Washington Post']],
    ['It will propose scrapping the Merida Initiative, reports El País. Mexico agreed.', ['El País']],
    ["Colombia deployed troops, reports Reuters. (See yesterday's briefs.)", ['Reuters']],
    ['(CNN)Nearly a year after the arrest, ties are frayed.', ['CNN']],
    ['Officials told reporters the plan had stalled.', []],
    ['According to people briefed on the talks, nothing was agreed.', []],
  ])('%s', (text, expected) => {
    expect(sourcesIn(text)).toEqual(expected);
  });
});

describe('sources: outlets only, wherever the briefing names them', () => {
  it('has citation cues that do not overlap (the cue scan reports one match per place)', () => {
    const cues = [...new Set(CITATION_LEADS.flatMap((lead) => lead.cues))];
    for (const cue of cues) expect(cues.filter((other) => other !== cue && other.includes(cue))).toEqual([]);
  });

  it.each([
    // people, offices, institutions, pollsters and countries are not outlets
    ["Gangs control half of Haiti, according to Haiti's National Human Rights Defense Network.", []],
    ['Migrants are expelled, according to the Washington Office on Latin America.', []],
    ['Kast and Boric lead the polls, according to Cadem.', []],
    ['The army moved in, according to Ebrard.', []],
    ['The army moved in, according to Foreign Minister Marcelo Ebrard.', []],
    ['The deal is off, according to the Mexican government.', []],
    ['The deal is off, according to the IMF.', []],
    ['Abuses rose, reports Human Rights Watch.', []],
    ['Biden told López Obrador that the talks would go on.', []],
    ['Ortega won a fourth term (Nicaragua).', []],
    // outlets named after the verb, as a reporter's outlet, or as the place of an interview or op-ed
    ['Ortega won, Reuters reported, citing officials.', ['Reuters']],
    ['Ortega won, the Associated Press says.', ['Associated Press']],
    ["Ortega won, reports the Guardian's Tom Phillips.", ['Guardian']],
    ['Ortega won, reports Tom Phillips in the Guardian.', ['Guardian']],
    [
      "(See Ebrard's July interview with the Washington Post, in which he detailed the plans.)",
      ['Washington Post'],
    ],
    ['In an op-ed for the New York Times, Jon Lee Anderson argues the deal is off.', ['New York Times']],
    [
      'Lula told The Guardian he would run, and told Folha de S.Paulo the same.',
      ['Guardian', 'Folha de S.Paulo'],
    ],
    // known and outlet-shaped names still count after "according to" and "told"
    ['The deal is off, according to InSight Crime.', ['InSight Crime']],
    ['The deal is off, according to the Jamaica Observer.', ['Jamaica Observer']],
    ['The minister told El Faro the deal is off.', ['El Faro']],
    ['According to the Financial Times, the deal is off.', ['Financial Times']],
    ['The vote is set for Nov. 7 (Nov. 7, 2021)', []],
    ['Ortega won (France 24)', ['France 24']],
    ["Cuba's government banned a march, reports 14ymedio.", ['14ymedio']],
    ['The count showed that the year reports 2021 was the deadliest.', []],
    [
      'Según El Tiempo, the deal is off; the Los Angeles Times reported the same.',
      ['El Tiempo', 'Los Angeles Times'],
    ],
  ])('%s', (text, expected) => {
    expect(sourcesIn(text)).toEqual(expected);
  });
});

describe('dates', () => {
  it('reads the subject parenthesis in newsroom abbreviations and leaves the headline', () => {
    expect(splitSubjectDate('Mexico - U.S. high-level security talks (Oct. 7, 2021)')).toEqual({
      headline: 'Mexico - U.S. high-level security talks',
      date: '2021-10-07',
    });
    expect(splitSubjectDate('Peru (Sept. 21, 2021)').date).toBe('2021-09-21');
    expect(splitSubjectDate('Brasil (7 de outubro de 2021)').date).toBe('2021-10-07');
    expect(splitSubjectDate('Bad date (Feb. 30, 2021)')).toEqual({
      headline: 'Bad date (Feb. 30, 2021)',
      date: null,
    });
    expect(splitSubjectDate('No date here').date).toBeNull();
    expect(splitSubjectDate('Latin America Daily Briefing – October 7, 2021')).toEqual({
      headline: 'Latin America Daily Briefing',
      date: '2021-10-07',
    });
    expect(splitSubjectDate('Resumen diario: 7 de octubre de 2021').date).toBe('2021-10-07');
    expect(splitSubjectDate('Talks in Mexico May 7, 2021').date).toBeNull();
  });

  it('reads localised forward-header dates as written, and date lines', () => {
    expect(dayFromText('Thu, Oct 7, 2021 at 1:20 PM')).toBe('2021-10-07');
    expect(dayFromText('October 7, 2021 at 11:59:13 PM EDT')).toBe('2021-10-07');
    expect(dayFromText('jueves, 7 de octubre de 2021 13:20')).toBe('2021-10-07');
    expect(dayFromText('quinta-feira, 7 de outubro de 2021 13:20')).toBe('2021-10-07');
    expect(dayFromText('Thu, 07 Oct 2021 17:20:13 +0000')).toBe('2021-10-07');
    expect(dayFromText('Tuesday 5 January 2026 08:00')).toBe('2026-01-05');
    expect(dayFromText('Mon, 31 Feb 2021 10:00')).toBeNull();
    expect(dayFromText('not a date')).toBeNull();
    expect(dayFromDateLine('Thursday, October 7, 2021')).toBe('2021-10-07');
    expect(
      dayFromDateLine('The talks were held on October 7, 2021 in Mexico City with many officials.'),
    ).toBeNull();
    expect(dayFromIso('2021-10-07T23:30:00.000Z')).toBe('2021-10-07');
  });

  it('strips stacked forward prefixes', () => {
    expect(stripSubjectPrefixes('Fwd: FW: RV: ENC: Headline')).toBe('Headline');
    expect(stripSubjectPrefixes('Re: Fwd: Headline')).toBe('Headline');
  });
});

describe('structure', () => {
  it('a text without any heading is one section holding all of it', () => {
    expect(outline('First paragraph of prose.\n\nSecond paragraph, also prose.\n\nThird one.')).toEqual([
      'lead::Headline:3',
    ]);
  });

  it('a heading directly followed by headings groups them (text)', () => {
    expect(
      outline(
        'Lead prose here.\n\nNews Briefs\n\nMigration\n\n• One item, reports Reuters.\n\nEl Salvador\n\n• Another item.',
      ),
    ).toEqual(['lead::Headline:1', 'list:News Briefs:Migration:1', 'list:News Briefs:El Salvador:1']);
  });

  it('an article needs its byline or dateline; its sub-headings stay inside', () => {
    expect(
      outline(
        'Lead prose.\n\nSome headline of a pasted story\n\nBy Jane Doe, Reuters\n\nFirst paragraph.\n\nA sub heading\n\nSecond paragraph.',
      ),
    ).toEqual(['lead::Headline:1', 'article::Some headline of a pasted story:4']);
  });

  it('numbered and dashed items are bullets, one item each', () => {
    expect(
      outline('Lead.\n\nRegional Relations\n1. First item.\n2) Second item.\n- Third item.\n* Fourth.'),
    ).toEqual(['lead::Headline:1', 'list::Regional Relations:4']);
  });

  it('a trailing heading with nothing under it is kept as text, not dropped', () => {
    expect(outline('Lead prose.\n\nPeru\n\nText about Peru.\n\nLonely heading')).toEqual([
      'lead::Headline:1',
      'section::Peru:2',
    ]);
  });

  it('drops a masthead repeating the headline and reads a date line', () => {
    const structure = buildSections({
      lines: textToLines('Latin America Daily Briefing\nThursday, October 7, 2021\nHeadline\nLead prose.'),
      headline: 'Headline',
      publication: 'Latin America Daily Briefing',
    });
    expect(structure.bodyDate).toBe('2021-10-07');
    expect(structure.sections.map((section) => section.title)).toEqual(['Headline']);
    expect(structure.sections[0]?.paragraphs.map((paragraph) => paragraph.text)).toEqual(['Lead prose.']);
  });
});

describe('html', () => {
  it('reads headings, bold paragraphs, list items and safe links', () => {
    const lines = htmlToLines(
      '<h2>News Briefs</h2><p><b>Peru</b></p><p>Text with <a href="https://example.org/a">a link</a> and <a href="javascript:alert(1)">bad</a>.</p><ul><li>One</li><li>Two <a href="mailto:x@y.z">mail</a></li></ul><style>p{}</style><script>x()</script>',
    ).filter((line) => line.text !== '');
    expect(lines.map((line) => [line.hint, line.level, line.text])).toEqual([
      ['heading', 2, 'News Briefs'],
      ['heading', 7, 'Peru'],
      [null, 0, 'Text with a link and bad.'],
      ['bullet', 0, 'One'],
      ['bullet', 0, 'Two mail'],
    ]);
    expect(lines[2]?.links).toEqual([{ url: 'https://example.org/a', text: 'a link' }]);
    expect(lines[4]?.links).toEqual([{ url: 'mailto:x@y.z', text: 'mail' }]);
  });

  it('reads CSS bold as emphasis and stays balanced across void elements', () => {
    const lines = htmlToLines(
      '<p><span style="font-weight: 700">Styled heading</span></p><p>a<br>b<img src="x.png"></p><p><b>Bold</b> lead-in, then prose.</p><p>Plain</p>',
    ).filter((line) => line.text !== '');
    expect(lines.map((line) => [line.hint, line.text])).toEqual([
      ['heading', 'Styled heading'],
      [null, 'a'],
      [null, 'b'],
      [null, 'Bold lead-in, then prose.'],
      [null, 'Plain'],
    ]);
  });

  it('reads HTML nested deeper than any client writes as plain text', () => {
    const nested = (levels: number, opener = '<div>') =>
      `${opener.repeat(levels)}<h2>Deep &amp; text</h2>${'</div>'.repeat(levels)}`;
    const read = (html: string) => htmlToLines(html).filter((line) => line.text !== '');
    // Parsed, the heading is a heading; past the bound the tags are only stripped (no hints).
    expect(read(nested(900)).map((line) => [line.hint, line.text])).toEqual([['heading', 'Deep & text']]);
    expect(read(nested(5000)).map((line) => [line.hint, line.text])).toEqual([[null, 'Deep & text']]);
    // Unclosed and self-closed elements deepen the parser's tree as much as nested ones.
    expect(read(nested(5000, '<span/>')).map((line) => line.hint)).toEqual([null]);
    // Void and implicitly closed elements do not: thousands of them are ordinary HTML.
    expect(read(`${'<p>x'.repeat(3000)}<br>`.repeat(2)).every((line) => line.text === 'x')).toBe(true);
  });
});

describe('unwrap: markers beyond email-forward-parser', () => {
  it.each([
    ['-----Original Message-----', 'From', 'Sent', 'Subject'],
    ['-----Mensaje original-----', 'De', 'Enviado', 'Asunto'],
    ['Inicio del mensaje reenviado:', 'De', 'Fecha', 'Asunto'],
    ['Início da mensagem encaminhada:', 'De', 'Data', 'Assunto'],
  ])('%s', (separator, from, date, subject) => {
    const text = `Nota del editor.\n\n${separator}\n${from}: LADB <ladb@example.org>\n${date}: 7 de octubre de 2021 13:20\n${subject}: Headline (Oct. 7, 2021)\n\nBody starts here.`;
    const result = unwrapOnce(text, null);
    expect(result.forwarded).toBe(true);
    expect(result.fromAddress).toBe('ladb@example.org');
    expect(result.subject).toBe('Headline (Oct. 7, 2021)');
    expect(result.date).toBeTruthy();
    expect(result.body.startsWith('Body starts here.')).toBe(true);
  });

  it('a reply quoting its thread is not a forward', () => {
    const text =
      'Agreed.\n\n________________________________\nFrom: A <a@b.c>\nSent: Monday\nSubject: Re: x\n\nquoted';
    expect(unwrapOnce(text, 'Re: x').forwarded).toBe(false);
  });

  it('reads the publication from a forwarder note', () => {
    expect(publicationFromNote('From the Latin America Daily Briefing: http://x.blogspot.com')).toBe(
      'Latin America Daily Briefing',
    );
  });
});

describe('isDateOnlyLine', () => {
  it('reads a masthead date with its separators, however many, and not a long line of prose', () => {
    expect(isDateOnlyLine('  lunes 19 de enero  ')).toBe(true);
    expect(isDateOnlyLine(`October 18, 2019 ${'|'.repeat(200)}`)).toBe(true);
    expect(isDateOnlyLine(`October 18, 2019 ${'•'.repeat(3)}`)).toBe(true);
    expect(
      isDateOnlyLine(
        `October 18, 2019, ${'the day the minister resigned after weeks of protest '.repeat(3)}`,
      ),
    ).toBe(false);
  });
});
