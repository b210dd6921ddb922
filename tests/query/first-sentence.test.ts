import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import {
  firstSentence,
  leadParagraph,
  truncateAtWord,
  withoutDateline,
} from '../../src/query/first-sentence.js';

describe('firstSentence', () => {
  test('the seed briefing opens with "U.S." and "Antony Blinken" in one sentence', () => {
    const seed = readFileSync(new URL('../fixtures/seed-briefing.txt', import.meta.url), 'utf8');
    const lead = seed.split('\n').find((line) => line.startsWith('U.S. Secretary of State'))!;
    expect(firstSentence(lead, 400)).toBe(
      'U.S. Secretary of State Antony Blinken is leading a delegation to Mexico for high-level security talks between the countries, tomorrow.',
    );
  });

  test.each([
    ['Gen. Luis Arce spoke. Then he left.', 'Gen. Luis Arce spoke.'],
    [
      'Dr. Ana Pérez met Sen. Bob Menendez on Jan. 5 in Lima. Later, more.',
      'Dr. Ana Pérez met Sen. Bob Menendez on Jan. 5 in Lima.',
    ],
    ['John F. Kennedy visited. Then Cuba.', 'John F. Kennedy visited.'],
    ['The U.N. and the E.U.A. agreed. Others did not.', 'The U.N. and the E.U.A. agreed.'],
    ['Prices rose 3.5 percent. Markets fell.', 'Prices rose 3.5 percent.'],
    ['Is this the end? Yes it is.', 'Is this the end?'],
    ['"We will win," he said. "Now."', '"We will win," he said.'],
    ['He resigned (Reuters). Then came the storm.', 'He resigned (Reuters).'],
    ['La Sra. Gómez habló. ¿Y ahora?', 'La Sra. Gómez habló.'],
    ['They met two years ago. The talks failed.', 'They met two years ago.'],
    ['No final punctuation here', 'No final punctuation here'],
    ['  Spaces\n\nand   lines. Next.', 'Spaces and lines.'],
    ['', ''],
  ])('%s', (input, expected) => {
    expect(firstSentence(input)).toBe(expected);
  });

  test('a long sentence is cut at a word with an ellipsis, within the budget', () => {
    const text = `${'word '.repeat(80)}end. Next sentence.`;
    const result = firstSentence(text, 200);
    expect(result.length).toBeLessThanOrEqual(200);
    expect(result.endsWith('word…')).toBe(true);
  });
});

describe('truncateAtWord', () => {
  test('keeps short text', () => {
    expect(truncateAtWord('short text', 20)).toBe('short text');
  });
  test('does not leave a dangling comma', () => {
    expect(truncateAtWord('alpha beta, gamma delta', 13)).toBe('alpha beta…');
  });
  test('cuts one huge word hard', () => {
    expect(truncateAtWord('x'.repeat(50), 10)).toBe(`${'x'.repeat(9)}…`);
  });
});

describe('leadParagraph', () => {
  test('skips a byline and empty paragraphs', () => {
    expect(
      leadParagraph([
        '',
        'By Evan Perez, Kylie Atwood and Priscilla Alvarez, CNN',
        'Biden looks to repair ties. More.',
      ]),
    ).toBe('Biden looks to repair ties. More.');
  });
  test('skips the seed article\'s "Updated …" dateline too', () => {
    expect(
      leadParagraph([
        'By Evan Perez, Kylie Atwood and Priscilla Alvarez, CNN',
        'Updated 1528 GMT (2328 HKT) October 6, 2021',
        '(CNN)Nearly a year after the US Drug Enforcement Administration arrested a Mexican former defense minister.',
      ]),
    ).toMatch(/^\(CNN\)Nearly a year/);
    expect(leadParagraph(['Updated figures show 2021 was worse than 2020.'])).toBe(
      'Updated figures show 2021 was worse than 2020.',
    );
  });
  test('keeps a paragraph that merely starts with "By" and says something', () => {
    expect(leadParagraph(['By October, prices had doubled. Then fell.'])).toBe(
      'By October, prices had doubled. Then fell.',
    );
  });
  test('falls back to the first paragraph when all are bylines', () => {
    expect(leadParagraph(['By Ana Pérez'])).toBe('By Ana Pérez');
    expect(leadParagraph([])).toBe('');
  });
});

describe('wire datelines (bug: the seed article summarised as "(CNN)Nearly a year…")', () => {
  test.each([
    [
      '(CNN)Nearly a year after the US Drug Enforcement Administration arrested a Mexican former defense minister. More.',
      'Nearly a year after the US Drug Enforcement Administration arrested a Mexican former defense minister.',
    ],
    [
      "LIMA, Peru (AP) — Peru's president named a new cabinet. More.",
      "Peru's president named a new cabinet.",
    ],
    ["MEXICO CITY, Oct 6 (Reuters) - Mexico's president said no. More.", "Mexico's president said no."],
    ['(Reuters) - Chile voted. More.', 'Chile voted.'],
    ['CARACAS (EFE).- El Gobierno venezolano anunció. Más.', 'El Gobierno venezolano anunció.'],
  ])('%s', (input, expected) => {
    expect(firstSentence(input)).toBe(expected);
  });

  test('a bracket that is not a dateline stays', () => {
    expect(firstSentence('He resigned (Reuters). Then came the storm.')).toBe('He resigned (Reuters).');
    expect(firstSentence('UN (United Nations) officials met. Next.')).toBe(
      'UN (United Nations) officials met.',
    );
    expect(firstSentence('(See this profile of Cerrón.) Next.')).toBe('(See this profile of Cerrón.)');
    expect(withoutDateline('(CNN)')).toBe('(CNN)');
  });

  test('the seed article, from its paragraphs to its summary', () => {
    const paragraphs = [
      'By Evan Perez, Kylie Atwood and Priscilla Alvarez, CNN',
      'Updated 1528 GMT (2328 HKT) October 6, 2021',
      '(CNN)Nearly a year after the US Drug Enforcement Administration arrested a Mexican former defense minister and charged him with being a drug cartel boss, the Biden administration is deploying three Cabinet members.',
    ];
    expect(firstSentence(leadParagraph(paragraphs))).toMatch(/^Nearly a year after the US Drug/);
  });
});

describe('"No. 2" (bug: "The No. 2 official resigned." summarised as "The No.")', () => {
  test('No., Art. and p. before a number do not end a sentence', () => {
    expect(firstSentence('The No. 2 official resigned. Next.')).toBe('The No. 2 official resigned.');
    expect(firstSentence('Under Art. 113 of the constitution, Congress can act. Next.')).toBe(
      'Under Art. 113 of the constitution, Congress can act.',
    );
  });
  test('"no." before a capital still ends one', () => {
    expect(firstSentence('The answer was no. Then talks resumed.')).toBe('The answer was no.');
  });
});

describe('date lines are skipped like bylines', () => {
  test.each([
    'October 6, 2021',
    'Wed, Oct. 6, 2021 10:53 AM ET',
    '6 de octubre de 2021',
    '7 de outubro de 2021',
    'Published October 6, 2021 at 1:20 PM EDT',
    'Last updated: Oct 6, 2021, 9:15 a.m.',
  ])('%s', (line) => {
    expect(leadParagraph(['By Reuters Staff', line, 'Chile voted. More.'])).toBe('Chile voted. More.');
  });
  test('prose that opens with a date is a story', () => {
    expect(leadParagraph(['May 3, 2021 was the day the protests began.'])).toBe(
      'May 3, 2021 was the day the protests began.',
    );
    expect(leadParagraph(['Posted at 10:30, the notice closed the border.'])).toBe(
      'Posted at 10:30, the notice closed the border.',
    );
  });
});
