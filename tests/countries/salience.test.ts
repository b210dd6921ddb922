import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseEmail } from '../../src/briefing/index.js';
import { countriesIn, storySalience } from '../../src/countries/index.js';
import { FIXTURE_DIR } from '../fixtures/compose.js';

const about = (title: string, ...paragraphs: string[]) => storySalience(title, paragraphs).about;

describe('the failures of issue 10', () => {
  it('a pasted CNN article about US–Mexico ties is not about Afghanistan, France, Britain, Australia or China', async () => {
    const { briefing } = await parseEmail(readFileSync(join(FIXTURE_DIR, 'seed-briefing.txt')));
    const article = briefing.sections.find((section) => section.kind === 'article')!;
    expect(article.countries).toEqual(['US', 'MX']);
    for (const code of ['AF', 'FR', 'GB', 'AU', 'CN']) expect(article.mentions).toContain(code);
  });

  it('"as happened in Peru" under a Puerto Rico story only mentions Peru', async () => {
    const { briefing } = await parseEmail(readFileSync(join(FIXTURE_DIR, 'seed-briefing.txt')));
    const puertoRico = briefing.sections.find((section) => section.title === 'Puerto Rico')!;
    expect(puertoRico.countries).not.toContain('PE');
    expect(puertoRico.mentions).toContain('PE');
    const item = puertoRico.items.find((candidate) => candidate.text.includes('as happened in Peru'))!;
    expect(item.countries).toEqual([]);
    expect(item.mentions).toEqual(['PE']);
  });

  it('"Atlanta, Georgia" is the US state, "Tbilisi, Georgia" the country', () => {
    expect(countriesIn('The rally in Atlanta, Georgia, drew thousands of voters.')).toEqual([]);
    expect(countriesIn('Protesters filled the streets of Tbilisi, Georgia, again.')).toEqual(['GE']);
    expect(countriesIn('Voters in the state of Georgia and later in Georgia state courts.')).toEqual([]);
    expect(countriesIn('On Monday, Georgia and Armenia signed a border deal.')).toEqual(['GE', 'AM']);
  });

  it('a bare "Jordan said" is a person, "the king of Jordan said" the country', () => {
    expect(countriesIn('Jordan said the team would appeal the ruling.')).toEqual([]);
    expect(countriesIn('Jordan told reporters he was done. Jordan left early.')).toEqual([]);
    expect(countriesIn('The king of Jordan said the border would reopen.')).toEqual(['JO']);
    expect(countriesIn('Israel said it would retaliate.')).toEqual(['IL']);
    expect(countriesIn('Chad dijo que no volvería.')).toEqual([]);
  });
});

describe('what a story is about (English)', () => {
  it('takes the headline subject and not a qualifier after it', () => {
    expect(about('Brazil - Prosecutors charge US journalist')).toEqual(['BR']);
    expect(about('China Enhances Ties With Malaysia')).toEqual(['CN', 'MY']);
    expect(about('Colombia-Venezuela border tensions will rise')).toEqual(['CO', 'VE']);
    expect(about('Riga strips Russian TV’s license')).toEqual(['LV']);
  });

  it('takes the main actor of the opening sentence, not the countries after it', () => {
    const salience = storySalience('Power outages', [
      'Power outages across Puerto Rico have surged in recent weeks, as happened in Peru last year and in Chile before that.',
    ]);
    expect(salience).toEqual({ about: ['PR'], mentions: ['PE', 'CL'] });
  });

  it('skips a greeting, a byline and a label before the opening sentence', () => {
    expect(
      about('', 'Good morning. A Qantas jet should land in Sydney, Australia, almost 20 hours later.'),
    ).toEqual(['AU']);
    expect(
      about('', 'By Mike Dolan. The U.S. Senate began the process of reopening the government.'),
    ).toEqual(['US']);
  });

  it('does not take examples in a list for subjects', () => {
    const salience = storySalience('Navies agree on a code', [
      'Naval chiefs of twenty Pacific Rim countries, among them China, the United States, Japan and the Philippines, approved a code of conduct.',
    ]);
    expect(salience.about).toEqual([]);
    expect(salience.mentions).toEqual(['CN', 'US', 'JP', 'PH']);
    expect(about('', 'Exporters such as Chile and Peru lost most, the bank said.')).toEqual([]);
  });

  it('does not take a summit venue for the subject', () => {
    expect(
      about(
        '',
        'President Barack Obama called off plans to attend two summits in Indonesia and Brunei this week.',
      ),
    ).toEqual(['US']);
  });

  it('counts a country named again and again as a subject', () => {
    const salience = storySalience('Talks resume', [
      'Officials met on Monday. Haiti wants aid, and Haiti wants it soon.',
      'In Haiti, the mood is grim. Canada offered help.',
    ]);
    expect(salience.about).toContain('HT');
    expect(salience.mentions).toEqual(['CA']);
  });

  it('reads a leader as the actor only when no country is named', () => {
    expect(about('Xi and Putin draw closer')).toEqual(['CN', 'RU']);
    expect(about('Trump ends trade talks with Canada')).toEqual(['CA']);
    expect(storySalience('Trump speaks', ['Trump spoke for an hour.']).mentions).toEqual([]);
  });

  it('does not take outlets or people for countries', () => {
    expect(
      about('', 'The New York Times and Deutsche Welle reported the arrests, citing Michael Jordan.'),
    ).toEqual([]);
  });
});

describe('what a story is about (Spanish and Portuguese)', () => {
  it('reads comparisons and examples in Spanish', () => {
    expect(
      storySalience('', ['Las protestas en Bolivia crecieron, como ocurrió en Ecuador el año pasado.']),
    ).toEqual({ about: ['BO'], mentions: ['EC'] });
    expect(
      storySalience('', [
        'El gobierno de Honduras negocia con países como Guatemala, El Salvador y Nicaragua.',
      ]),
    ).toEqual({ about: ['HN'], mentions: ['GT', 'SV', 'NI'] });
    expect(about('Maduro acusa a los EE.UU. de atacar Venezuela').sort()).toEqual(['US', 'VE']);
  });

  it('reads comparisons and examples in Portuguese', () => {
    expect(
      storySalience('', ['O Paraguai oferece impostos baixos, assim como o Uruguai fez em 2010.']),
    ).toEqual({ about: ['PY'], mentions: ['UY'] });
    expect(about('Paraguai aposta em nova tributação brasileira')).toEqual(['PY']);
    expect(
      about('', 'Stat: o governo Lula pagou R$ 31,5 bilhões em emendas em 2025, o maior valor da história.'),
    ).toEqual(['BR']);
  });
});

describe('a qualifier under a headline that names its subject', () => {
  it('"A U.S. convoy … in Sudan" under "Sudan violence" is about Sudan; the U.S. is mentioned', () => {
    const sudan = storySalience('Sudan violence intensifies', [
      'A U.S. diplomatic convoy was fired on and the EU ambassador assaulted as fighting in Sudan killed nearly 200 people.',
    ]);
    expect(sudan).toEqual({ about: ['SD'], mentions: ['US'] });
  });

  it('keeps an actor that is the sentence’s subject, and a qualifier when no headline names one', () => {
    expect(
      storySalience('Ukraine strikes back', [
        'Moscow blamed Ukraine for a drone attack on a Russian airfield, a day after a similar strike.',
      ]).about,
    ).toEqual(['UA', 'RU']);
    expect(
      storySalience('Convoy attacked', ['A U.S. diplomatic convoy was fired on near Khartoum.']).about,
    ).toEqual(['US']);
  });
});

describe('subjects beyond the first actor, and what is not one', () => {
  it('takes the object of what the actor did, not a country after a preposition or qualifying a noun', () => {
    expect(about('', 'Ecuador beat Qatar on Sunday in the opening game.')).toEqual(['EC', 'QA']);
    expect(about('', 'A Rússia acusou a Ucrânia de um ataque com drones em Kherson.')).toEqual(['RU', 'UA']);
    expect(about('', 'Argentina lost to Saudi Arabia in a shock defeat.')).toEqual(['AR']);
    expect(about('', 'Trump announced a trade deal with India that cuts tariffs.')).toEqual(['IN']);
    expect(
      storySalience('', ['Tehran warned U.S. allies in the region it would strike back.']).mentions,
    ).toEqual(['US']);
    // Past a subordinate clause the country is in a clause about something else.
    expect(about('', 'Peru protested because Chile closed the border crossing.')).toEqual(['PE']);
  });

  it('finds the one country of an opening whose actor stands further in, before any clause', () => {
    expect(
      about(
        'A first trip abroad',
        'Secretary of State Hillary Clinton began her first trip abroad, a four-country tour of Asia, in Japan, on Monday.',
      ),
    ).toEqual(['JP']);
    expect(
      about(
        'Gold cools',
        'Bullion slipped more than 3% this week as investors weighed whether talks would ease tensions with China.',
      ),
    ).toEqual([]);
  });

  it('reads Spanish and Portuguese demonyms as written, in lower case, after the noun they qualify', () => {
    expect(
      about('', 'El líder opositor venezolano desafió la prohibición de salir del país y llegó a Bogotá.'),
    ).toEqual(['VE']);
    expect(storySalience('', ['A seleção brasileira venceu outra vez.']).about).toEqual(['BR']);
    // Under a headline naming its subject, "una ciudadana mexicana" is a detail of that story.
    expect(
      storySalience('Tragedia aérea en Etiopía', [
        'Una ciudadana mexicana está entre los 157 muertos del accidente cerca de Addis Abeba.',
      ]),
    ).toEqual({ about: ['ET'], mentions: ['MX'] });
  });

  it('a headline opening "After France," is dated by an earlier story; its subject follows the comma', () => {
    expect(about('After France, the president targets Chile')).toEqual(['CL']);
    expect(about('After France, Bolsonaro targets Chile')).toEqual(['BR', 'CL']);
    expect(about('Depois da França, Lula mira o Chile')).toEqual(['BR', 'CL']);
    expect(about('After the vote, Peru braces for protests')).toEqual(['PE']);
  });

  it('a leader who acts on the country named as the object is a subject beside it', () => {
    expect(about('Bolsonaro targets Chile')).toEqual(['BR', 'CL']);
    expect(about('Milei sanciona a Venezuela')).toEqual(['AR', 'VE']);
    // A country after a preposition is the story's; the leader's own is not named.
    expect(about('Trump ends trade talks with Canada')).toEqual(['CA']);
    expect(about('Bolsonaro meets students in Santiago')).toEqual(['CL']);
  });

  it('a city named like better-known places elsewhere needs its country named too', () => {
    expect(storySalience('', ['Mark Zuckerberg told a Georgetown audience that ads stay up.'])).toEqual({
      about: [],
      mentions: [],
    });
    expect(about('', 'Voters in Georgetown, Guyana, queued for hours as Guyana chose a president.')).toEqual([
      'GY',
    ]);
    expect(about('', 'Police in Kingston arrested two men.')).toEqual([]);
  });

  it('skips a longer greeting before the opening sentence', () => {
    expect(
      about(
        '',
        'Welcome to El Cafecito, your weekly brew of Latin America. This week opens in Bogotá, where waste pickers protested.',
      ),
    ).toEqual(['CO']);
  });

  it('an issue’s opening that previews its sections only mentions their countries', () => {
    const lead = { titleNeedsText: true };
    expect(
      storySalience(
        'The Report #11',
        [
          'Hello, readers. Today we follow corruption in Venezuela for a second day, and the situation in Colombia.',
        ],
        lead,
      ),
    ).toEqual({ about: [], mentions: ['VE', 'CO'] });
    expect(
      storySalience(
        '5 cosas que debes saber',
        ['Ecuador vota y Perú elige gabinete. Esto es lo que debes saber para comenzar el día.'],
        lead,
      ),
    ).toEqual({ about: [], mentions: ['EC', 'PE'] });
    // A lead that tells its story keeps its subject.
    expect(
      storySalience(
        'Top story',
        ['Venezuela freed 40 political prisoners on Sunday, the opposition said.'],
        lead,
      ).about,
    ).toEqual(['VE']);
  });
});
