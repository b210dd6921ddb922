import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { countriesIn, isCountryCode } from '../../src/countries/index.js';
import { seedParagraph, seedParagraphs, seedSentence, seedText } from './seed.js';

describe('countriesIn on the seed briefing', () => {
  it('tags the lead story Mexico and the United States, Mexico first', () => {
    const start = seedText.indexOf('U.S. Secretary of State Antony Blinken');
    const end = seedText.indexOf('Peru cabinet reshuffle');
    const lead = seedText.slice(start, end);
    // Mexico ×15 ("Mexico" ×10, "Mexican" ×5); the United States ×11 ("U.S."/"US" ×8, "United States" ×3).
    expect(countriesIn(lead)).toEqual(['MX', 'US']);
    // Its first paragraph alone names the U.S. three times ("U.S.", "US-Mexico", "U.S.") and Mexico twice.
    expect(countriesIn(seedParagraph('U.S. Secretary of State Antony Blinken'))).toEqual(['US', 'MX']);
    expect(countriesIn(seedParagraph('The talks come a year after'))).toEqual(['MX', 'US']);
  });

  it('tags the Peru section from a demonym', () => {
    expect(countriesIn(seedSentence('Peruvian President Pedro Castillo named'))).toEqual(['PE']);
    expect(countriesIn(seedParagraph('Peruvians and foreigners alike'))).toEqual(['PE']);
    expect(countriesIn(seedParagraph('rejected by Perú Libre hardliners'))).toEqual(['PE']);
  });

  it('tags Haiti from "Port au Prince" and Mexico when it is mentioned', () => {
    const item = seedParagraph('flight carrying 129 people to Port au Prince');
    expect(countriesIn(item)).toEqual(['MX', 'HT']);
    expect(countriesIn('a flight carrying 129 people to Port au Prince')).toEqual(['HT']);
  });

  it('does not tag the United States from an outlet name alone', () => {
    expect(countriesIn('writes Jesús Ruiz in the Washington Post.')).toEqual([]);
    const item = seedParagraph('writes Jesús Ruiz in the Washington Post');
    // The United States is named twice in the quote itself; the outlet adds nothing.
    expect(countriesIn(item)).toEqual(['HT', 'US']);
    expect(countriesIn(seedParagraph('Over 100 prominent figures in Latin America'))).toEqual([]);
  });

  it('finds nothing in the forward header with the list owner name "Jordana"', () => {
    expect(countriesIn('hemisphericdailybriefings - Jordana Timerman')).toEqual([]);
  });

  it('does not count U.N. as a country, nor "Latin American" as the United States', () => {
    expect(countriesIn(seedParagraph('The U.N.-backed Covid-19 vaccine program'))).toEqual([]);
  });

  it('tags Puerto Rico, not the United States, from Puerto Ricans and San Juan', () => {
    expect(countriesIn(seedParagraph('Hundreds of Puerto Ricans gathered'))).toEqual(['PR']);
  });

  it('tags Cuba from "Afro-Cuban" and a Cuban vocalist', () => {
    expect(countriesIn(seedParagraph('Afro-Cuban rhythms')).at(0)).toBe('CU');
  });

  it('tags the regional relations bullets', () => {
    expect(countriesIn(seedParagraph('Colombia deployed a new unit'))).toEqual(['CO', 'VE']);
    expect(countriesIn(seedParagraph('Venezuelan Vice President Delcy Rodriguez'))).toEqual(['VE']);
    expect(countriesIn(seedParagraph('Two Brazilian right-wing political parties'))).toEqual(['BR']);
  });

  it('does not take "Salvador" in a general\'s name for El Salvador', () => {
    // "Gen. Salvador Cienfuegos Zepeda, Mexico's secretary of national defense … in Los Angeles."
    expect(countriesIn(seedSentence('arrest last October of Gen. Salvador Cienfuegos'))).toEqual([
      'MX',
      'US',
    ]);
  });

  it('tags every country-bearing paragraph of the seed with valid codes only', () => {
    const all = seedParagraphs.flatMap((p) => countriesIn(p));
    expect(all.every((code) => isCountryCode(code))).toBe(true);
    expect(new Set(all)).toEqual(
      new Set(['MX', 'US', 'PE', 'HT', 'BR', 'CO', 'VE', 'PR', 'CU', 'AF', 'GB', 'AU', 'FR', 'CN']),
    );
  });
});

describe('countriesIn: names, short forms, demonyms, cities', () => {
  it.each([
    ['México y Perú', ['MX', 'PE']],
    ['O Brasil e o Peru', ['BR', 'PE']],
    ['Estados Unidos y EE.UU. y EE. UU.', ['US']],
    ['os EUA', ['US']],
    ['the U.S.A. and the USA', ['US']],
    ['Haitian, Salvadoran, Venezuelan, Colombian and Brazilian migrants', ['HT', 'SV', 'VE', 'CO', 'BR']],
    ['Mexicans and Cubans', ['MX', 'CU']],
    ['from Lima, Caracas, Bogotá and Brasília', ['PE', 'VE', 'CO', 'BR']],
    ['from Bogota and Brasilia', ['CO', 'BR']],
    ['Mexico City and Havana', ['MX', 'CU']],
    ['Port-au-Prince', ['HT']],
    ['Guinea-Bissau, Papua New Guinea, Equatorial Guinea, Guinea', ['GW', 'PG', 'GQ', 'GN']],
    ["Côte d'Ivoire, Ivory Coast", ['CI']],
    ['St. Lucia and Saint Vincent and the Grenadines', ['LC', 'VC']],
    ['Trinidad and Tobago', ['TT']],
    ['the Dominican Republic and Dominica', ['DO', 'DM']],
    ['MEXICO AND THE U.S.', ['MX', 'US']],
    ['In Washington, officials said', ['US']],
    ['protests in Santiago', ['CL']],
  ])('%s → %j', (text, codes) => {
    expect(countriesIn(text)).toEqual(codes);
  });

  it('orders by mention count, then by first mention', () => {
    expect(countriesIn('Peru. Chile. Chile. Peru. Bolivia. Chile.')).toEqual(['CL', 'PE', 'BO']);
    expect(countriesIn('Bolivia, then Peru')).toEqual(['BO', 'PE']);
  });
});

describe('countriesIn: what is not a country', () => {
  it.each([
    'New Mexico governor Michelle Lujan Grisham',
    'Nuevo México',
    'a woman from Perugia',
    'a woman',
    'The U.N. said',
    'give us a call',
    'turkey and chile for dinner on china plates',
    'Latin American and Central American leaders',
    'the Organization of American States and the Inter-American Development Bank',
    'reports the New York Times',
    'the Los Angeles Times and the Buenos Aires Times',
    'Agence France-Presse',
    'George Washington',
    'Gen. Salvador Cienfuegos',
    'New Jersey',
    'New Yorker writer Jon Lee Anderson',
    'Congo',
    'a loan of US$500 million',
    'R$ 3 bilhões',
    'patrols in the South China Sea',
    'disputes over the East China Sea',
    'tensões no Mar do Sul da China',
    'piracy in the Gulf of Guinea',
    'French fries',
  ])('%s → nothing', (text) => {
    expect(countriesIn(text)).toEqual([]);
  });

  it('does not take a street or square named after a country for the country', () => {
    expect(countriesIn("Crowds gathered in Santiago's Plaza Italia.")).toEqual(['CL']);
    expect(countriesIn('traffic on Avenida Brasil in Rio de Janeiro')).toEqual(['BR']);
    expect(countriesIn('the Hotel Mexico; Mexico said')).toEqual(['MX']);
  });

  it('tells Niger from Nigeria', () => {
    expect(countriesIn('Nigeria')).toEqual(['NG']);
    expect(countriesIn('Niger')).toEqual(['NE']);
  });

  it('does not take Jordan, Chad and Georgia used as names for countries', () => {
    expect(countriesIn("Michael Jordan and Chad Smith met Georgia O'Keeffe")).toEqual([]);
    expect(countriesIn('King Abdullah of Jordan')).toEqual(['JO']);
    expect(countriesIn('Chad and Niger')).toEqual(['TD', 'NE']);
  });

  it('drops later bare uses of a name once the text uses it for a person', () => {
    const text = "Colombia's vice president Francia Márquez spoke. Francia said the talks went well.";
    expect(countriesIn(text)).toEqual(['CO']);
    expect(countriesIn('Macron flew home to Francia.')).toEqual(['FR']);
  });

  it('reads names joined by a particle and demonyms used as names', () => {
    expect(countriesIn('Antonio José de Sucre')).toEqual([]);
    expect(countriesIn('Presidente de Francia')).toEqual(['FR']);
    expect(countriesIn('Germán Vargas Lleras')).toEqual([]);
    expect(countriesIn('German Chancellor Olaf Scholz')).toEqual(['DE']);
    expect(countriesIn('Howard French wrote')).toEqual([]);
    expect(countriesIn('French President Emmanuel Macron')).toEqual(['FR']);
    expect(countriesIn('Israel Defense Forces')).toEqual(['IL']);
    expect(countriesIn('Israel Katz said')).toEqual([]);
  });

  it('does not take the surname Lima or the first name Santiago for places', () => {
    expect(countriesIn('Ricardo Lima said')).toEqual([]);
    expect(countriesIn("Santiago Peña, Paraguay's president")).toEqual(['PY']);
  });
});

describe('countriesIn with anyCase (chat messages)', () => {
  it('reads lower-case names but keeps "us" a pronoun', () => {
    expect(countriesIn('what about haiti and peru?')).toEqual([]);
    expect(countriesIn('what about haiti and peru?', { anyCase: true })).toEqual(['HT', 'PE']);
    expect(countriesIn('tell us about jordan', { anyCase: true })).toEqual(['JO']);
    expect(countriesIn('news from new mexico', { anyCase: true })).toEqual([]);
    expect(countriesIn('anything on the US?', { anyCase: true })).toEqual(['US']);
  });
});

describe('countriesIn on arbitrary input', () => {
  it('never throws and only returns distinct valid codes', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 300 }), (text) => {
        const codes = countriesIn(text);
        expect(new Set(codes).size).toBe(codes.length);
        for (const code of codes) expect(isCountryCode(code)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('finds countries inside arbitrary surrounding text', () => {
    const words = fc.constantFrom(
      'Peru',
      'Mexico',
      'Haiti',
      'the',
      'and',
      'said',
      ',',
      '.',
      'Jordana',
      'woman',
    );
    fc.assert(
      fc.property(fc.array(words, { maxLength: 30 }), (parts) => {
        const text = parts.join(' ');
        const expected = new Set(
          parts.flatMap((w) =>
            w === 'Peru' ? ['PE'] : w === 'Mexico' ? ['MX'] : w === 'Haiti' ? ['HT'] : [],
          ),
        );
        expect(new Set(countriesIn(text))).toEqual(expected);
      }),
    );
  });

  it('handles very long input without blowing the stack', () => {
    const text = 'Peru '.repeat(200_000) + 'U.'.repeat(100_000);
    expect(countriesIn(text)).toEqual(['PE']);
  });
});
