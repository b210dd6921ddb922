/**
 * The seed briefing (tests/fixtures/seed-briefing.txt) as the parser files it, shortened to a few
 * paragraphs per section: a realistic `Briefing` for listener and digest tests that must not depend on
 * the parser's progress.
 */
import type { Briefing } from '../../../src/briefing/types.js';

export function seedBriefing(): Briefing {
  return {
    subject: 'Mexico - U.S. high-level security talks (Oct. 7, 2021)',
    title: 'Mexico - U.S. high-level security talks',
    publication: 'Latin America Daily Briefing',
    date: '2021-10-07',
    from: 'hemisphericdailybriefings',
    note: 'From the Latin America Daily Briefing: http://latinamericadailybriefing.blogspot.com',
    sections: [
      {
        title: 'Mexico - U.S. high-level security talks',
        kind: 'lead',
        group: null,
        countries: ['MX', 'US'],
        items: [
          {
            text: 'U.S. Secretary of State Antony Blinken is leading a delegation to Mexico for high-level security talks between the countries, tomorrow. Homeland Security Secretary Alejandro Mayorkas and Attorney General Merrick Garland will also attend the meetings, reports CNN.',
            countries: ['MX', 'US'],
            sources: ['CNN'],
            links: [
              {
                url: 'https://www.cnn.com/2021/10/07/politics/blinken-mexico-security/index.html',
                text: 'reports CNN',
              },
            ],
          },
          {
            text: 'The Mexican government will focus on measures to reduce arms trafficking, with the explicit goal of reducing violence, reports El País.',
            countries: ['MX'],
            sources: ['El País'],
            links: [{ url: 'https://elpais.com/mexico/2021-10-07/seguridad.html', text: 'reports El País' }],
          },
        ],
      },
      {
        title: 'Peru cabinet reshuffle',
        kind: 'section',
        group: null,
        countries: ['PE'],
        items: [
          {
            text: 'Peruvian President Pedro Castillo named Mirtha Vásquez prime minister yesterday evening, a bid at political stability after ousting her controversial predecessor Guido Bellido in the afternoon. (Reuters, Al Jazeera)',
            countries: ['PE'],
            sources: ['Reuters', 'Al Jazeera'],
            links: [
              {
                url: 'https://www.reuters.com/world/americas/peru-castillo-cabinet-2021-10-06/',
                text: 'Reuters',
              },
            ],
          },
          {
            text: "Vásquez's parliamentary experience will likely help the executive build a better relationship with Congress, reports La República.",
            countries: ['PE'],
            sources: ['La República'],
            links: [],
          },
        ],
      },
      {
        title: 'News Briefs',
        kind: 'list',
        group: null,
        countries: [],
        items: [
          {
            text: "Haiti's political crisis -- which is fuelling part of the migration surge impacting the U.S. government -- is in large part due to international interference, writes Pierre Espérance in Newsweek.",
            countries: ['HT', 'US'],
            sources: ['Newsweek'],
            links: [{ url: 'https://www.newsweek.com/haiti-crisis-opinion-1636385', text: 'Newsweek' }],
          },
          {
            text: "Two Brazilian right-wing political parties decided to join forces to become the country's largest political party: União Brasil, reports Reuters.",
            countries: ['BR'],
            sources: ['Reuters'],
            links: [],
          },
        ],
      },
      {
        title: 'Regional Relations',
        kind: 'list',
        group: 'News Briefs',
        countries: [],
        items: [
          {
            text: 'Colombia deployed a new unit of 14,000 military personnel to increase government control of a conflict hotspot near the Venezuelan border, reports Reuters.',
            countries: ['CO', 'VE'],
            sources: ['Reuters'],
            links: [],
          },
        ],
      },
    ],
  };
}
