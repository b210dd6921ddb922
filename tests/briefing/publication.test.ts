import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import { describe, expect, it } from 'vitest';
import { parseEmail } from '../../src/briefing/index.js';
import { type PublicationClues, pickPublication } from '../../src/briefing/publication.js';

const clues = (overrides: Partial<PublicationClues>): PublicationClues => ({
  senderName: null,
  senderAddress: null,
  listName: null,
  subject: 'Cuba blackout deepens',
  headline: 'Cuba blackout deepens',
  lines: ['Cuba blackout deepens', 'Power failed across the island overnight, leaving millions in the dark.'],
  signOff: null,
  note: null,
  ...overrides,
});

describe('the publication', () => {
  it('reads the newsletter named in its footer before the outlet that sends it', () => {
    const lines = [
      'Story text here.',
      '--',
      'The Brazilian Report',
      'You are receiving this because you subscribed to Brazil Daily.',
    ];
    expect(pickPublication(clues({ senderName: 'The Brazilian Report', lines }))).toBe('Brazil Daily');
    expect(
      pickPublication(clues({ lines: ['Text.', 'Thanks for reading Sin Filtro! Subscribe for free.'] })),
    ).toBe('Sin Filtro');
    expect(
      pickPublication(clues({ lines: ['Text.', 'This is an excerpt of the Daily News Brief. Manage it.'] })),
    ).toBe('Daily News Brief');
  });

  it('reads a team sign-off', () => {
    expect(pickPublication(clues({ lines: ['Text of the story.', '— The Andean Monitor team'] }))).toBe(
      'The Andean Monitor',
    );
    expect(pickPublication(clues({ lines: ['Texto.', 'El equipo de Caribe Hoy'] }))).toBe('Caribe Hoy');
  });

  it('reads a masthead, in title case when it is set in capitals', () => {
    expect(
      pickPublication(clues({ lines: ['CARIBBEAN NOTE', 'December 2, 2026', 'Cuba blackout deepens'] })),
    ).toBe('Caribbean Note');
  });

  it('reads a subject prefix that names the newsletter, and the copyright line', () => {
    expect(
      pickPublication(
        clues({
          subject: 'Daily News Brief: Obama Cancels Asia Trip',
          senderName: 'Council on Foreign Relations',
        }),
      ),
    ).toBe('Daily News Brief');
    expect(pickPublication(clues({ lines: ['Text.', '© 2025 First Edition. All rights reserved.'] }))).toBe(
      'First Edition',
    );
  });

  it('takes the publication out of a relay-style sender name and refuses relays', () => {
    expect(pickPublication(clues({ senderName: 'Boz from Latin America Risk Report' }))).toBe(
      'Latin America Risk Report',
    );
    expect(pickPublication(clues({ senderName: 'The Andean Monitor via Substack' }))).toBe(
      'The Andean Monitor',
    );
    expect(
      pickPublication(clues({ senderName: 'Substack', senderAddress: 'no-reply@substack.com' })),
    ).toBeNull();
    expect(pickPublication(clues({ senderName: 'Google Groups' }))).toBeNull();
  });

  it('does not take a person for a publication, but believes a sender the address spells', () => {
    expect(
      pickPublication(clues({ senderName: 'Molly Molloy', senderAddress: 'molly.molloy@example.com' })),
    ).toBeNull();
    expect(
      pickPublication(clues({ senderName: 'Morning Brew', senderAddress: 'crew@morningbrew.com' })),
    ).toBe('Morning Brew');
    expect(
      pickPublication(clues({ senderName: 'Sin Filtro', senderAddress: 'sinfiltroya@substack.com' })),
    ).toBeNull();
  });

  it('falls back on the List-Id display name', () => {
    expect(pickPublication(clues({ senderName: 'Jane Roe', listName: 'AS/COA Online' }))).toBe(
      'AS/COA Online',
    );
  });
});

async function compose(options: ConstructorParameters<typeof MailComposer>[0]): Promise<Buffer> {
  return new MailComposer(options).compile().build();
}

describe('the publication of a whole email', () => {
  it('is the original sender of a forward, not the forwarder', async () => {
    const raw = await compose({
      from: 'Molly Molloy <molly.molloy@newsroom.example.com>',
      to: 'briefings@bot.example.com',
      subject: 'Fwd: Cuba blackout deepens',
      text: [
        '---------- Forwarded message ---------',
        'From: Caribbean Note <hello@caribbeannote.example>',
        'Date: Wed, Dec 2, 2026 at 7:00 AM',
        'Subject: Cuba blackout deepens',
        'To: <molly.molloy@newsroom.example.com>',
        '',
        'Cuba blackout deepens',
        '',
        'Power failed across Cuba overnight, leaving millions of people in the dark for the third time this year.',
      ].join('\n'),
    });
    expect((await parseEmail(raw)).briefing.publication).toBe('Caribbean Note');
  });

  it('reads the List-Id of a message sent by the list', async () => {
    const raw = await compose({
      from: 'Pat Editor <pat@lists.example.org>',
      to: 'briefings@bot.example.com',
      subject: 'Cuba blackout deepens',
      headers: { 'List-Id': 'Andes Weekly <andes.lists.example.org>' },
      text: 'Cuba blackout deepens\n\nPower failed across Cuba overnight, leaving millions of people in the dark.',
    });
    expect((await parseEmail(raw)).briefing.publication).toBe('Andes Weekly');
  });
});
