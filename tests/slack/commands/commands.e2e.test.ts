import { afterEach, describe, expect, test } from 'vitest';
import { slackSignatureHeaders } from '../../../src/local/sign.js';
import { slashCommandForm } from '../../../src/local/to-bolt.js';
import type { Store } from '../../../src/store/types.js';
import { addBriefing, briefing, emptyStore, failingOn, list, prose } from '../../query/archive.js';
import { type Harness, loggedErrors, SIGNING_SECRET, startHarness, textOf } from './harness.js';

// Wednesday, November 10, 2021, 10:00 in New York.
const NOW = new Date('2021-11-10T15:00:00Z');

let harness: Harness | null = null;

afterEach(async () => {
  await harness?.close();
  harness = null;
  // Every answer went out without a logged failure (a failed respond(), a double ack, a thrown render).
  expect(loggedErrors.splice(0)).toEqual([]);
});

async function start(store: Store): Promise<Harness> {
  harness = await startHarness(store, NOW);
  return harness;
}

/** Oct 7 has two briefings; Oct 12 and 37 days of Peru stories (Oct 1 – Nov 6) follow. */
async function archive(): Promise<Store> {
  const store = await emptyStore();
  await addBriefing(
    store,
    briefing('Mexico - U.S. high-level security talks', '2021-10-07', [
      prose(
        'Mexico - U.S. security talks',
        ['MX', 'US'],
        'U.S. Secretary of State Antony Blinken is leading a delegation to Mexico for high-level security talks. Homeland Security Secretary Alejandro Mayorkas will attend.',
      ),
      prose(
        'Peru cabinet reshuffle',
        ['PE'],
        'Peruvian President Pedro Castillo named Mirtha Vásquez prime minister yesterday evening. She served as head of Congress.',
      ),
    ]),
    { receivedAt: '2021-10-07T13:00:00Z' },
  );
  await addBriefing(
    store,
    briefing('Evening edition <!channel>', '2021-10-07', [
      prose('Haiti & the gangs', ['HT'], 'Gangs <@U123> control roads.'),
    ]),
    { receivedAt: '2021-10-07T22:00:00Z' },
  );
  await addBriefing(store, briefing('Chile vote', '2021-10-12', [prose('Chile', ['CL'], 'Chile votes.')]));
  for (let day = 1; day <= 37; day += 1) {
    const date =
      day <= 31 ? `2021-10-${String(day).padStart(2, '0')}` : `2021-11-${String(day - 31).padStart(2, '0')}`;
    await addBriefing(
      store,
      briefing(`Daily ${day}`, date, [
        list('News Briefs', [
          { text: `Lima story ${day}. More.`, countries: day % 2 ? ['PE', 'BO'] : ['PE'] },
        ]),
      ]),
    );
  }
  return store;
}

describe('signatures', () => {
  test('a bad or stale X-Slack-Signature gets 401 and no answer', async () => {
    const { boltUrl } = await start(await emptyStore());
    const form = slashCommandForm(
      { teamId: 'T_LOCAL', teamDomain: 'local', appId: 'A_LOCAL' },
      {
        command: '/briefing',
        text: '',
        userId: 'U_LOCAL',
        userName: 'editor',
        channelId: 'C1',
        channelName: 'briefings',
      },
      'http://127.0.0.1:9/response/none',
    );
    const post = (headers: Record<string, string>) =>
      fetch(boltUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
        body: form,
      });
    expect((await post(slackSignatureHeaders('not-the-secret', form))).status).toBe(401);
    const stale = slackSignatureHeaders(SIGNING_SECRET, form, Date.now() - 10 * 60 * 1000);
    expect((await post(stale)).status).toBe(401);
    expect((await post({})).status).toBe(401);
  });
});

describe('/briefing', () => {
  test('a day with two briefings: both, each section linked, ephemeral, escaped, acked with an empty body', async () => {
    const { command } = await start(await archive());
    const { interaction, answer } = await command('/briefing', 'October 7, 2021');
    expect(interaction.ack).toBeNull();
    expect(answer.response_type).toBe('ephemeral');
    const text = textOf(answer);
    expect(text).toContain('*3 briefings on Thu, Oct 7, 2021*');
    expect(text).toMatch(
      /• \*<https:\/\/newsroom\.slack\.com\/archives\/[^|]+\|Mexico - U\.S\. security talks>\* 🇲🇽 🇺🇸 — U\.S\. Secretary of State Antony Blinken is leading a delegation to Mexico for high-level security talks\./,
    );
    expect(text).toContain(
      'Peru cabinet reshuffle>* 🇵🇪 — Peruvian President Pedro Castillo named Mirtha Vásquez prime minister yesterday evening.',
    );
    // Rich text: the email's words as typed, the mention defused (‹ › stand for < >).
    expect(text).toContain('Evening edition ‹!channel›');
    expect(text).toContain('Gangs ‹@U123› control roads.');
    expect(text).not.toContain('<!channel>');
    expect(text).not.toContain('<@U123>');
  });

  test.each([
    ['2021-10-07'],
    ['Oct 7'],
    ['7 Oct 2021'],
    ['10/7'],
    ['7 de octubre'],
    ['7 de outubro'],
    ['el 7 de octubre de 2021'],
  ])('"%s" answers Oct 7', async (when) => {
    harness ??= await start(await archive());
    const { answer } = await harness.command('/briefing', when);
    expect(textOf(answer)).toContain('on Thu, Oct 7, 2021*');
  });

  test('today, yesterday, ayer, ontem and latest follow the clock and the archive', async () => {
    const { command } = await start(await archive());
    expect(textOf((await command('/briefing', '')).answer)).toContain('No briefing on *Wed, Nov 10, 2021*');
    expect(textOf((await command('/briefing', 'yesterday')).answer)).toContain(
      'No briefing on *Tue, Nov 9, 2021*',
    );
    expect(textOf((await command('/briefing', 'ayer')).answer)).toContain('Tue, Nov 9, 2021');
    expect(textOf((await command('/briefing', 'ontem')).answer)).toContain('Tue, Nov 9, 2021');
    expect(textOf((await command('/briefing', 'latest')).answer)).toContain(
      '*1 briefing on Sat, Nov 6, 2021*',
    );
  });

  test('an empty day offers the nearest dates; clicking one replaces the answer with that day', async () => {
    const store = await emptyStore();
    await addBriefing(store, briefing('Early', '2021-10-07', [prose('A', ['PE'], 'First.')]));
    await addBriefing(store, briefing('Late', '2021-10-12', [prose('B', ['CL'], 'Second.')]));
    const { command, click, standIn } = await start(store);
    const { answer } = await command('/briefing', '2021-10-09');
    expect(textOf(answer)).toContain(
      'No briefing on *Sat, Oct 9, 2021*. Nearest with one: `/briefing 2021-10-07` or `/briefing 2021-10-12`.',
    );
    const replaced = await click('briefing_goto_before');
    expect(replaced.replace_original).toBe(true);
    expect(textOf(replaced)).toContain('1 briefing on Thu, Oct 7, 2021');
    const shown = standIn.workspace.ephemerals('U_LOCAL');
    expect(shown).toHaveLength(1);
    expect(textOf(shown[0]!)).toContain('Early');
  });

  test('an empty store says nothing has arrived', async () => {
    const { command } = await start(await emptyStore());
    expect(textOf((await command('/briefing', 'latest')).answer)).toContain(
      'No briefings have been received yet.',
    );
    expect(textOf((await command('/briefing', 'Oct 7')).answer)).toContain(
      'No briefings have been received yet.',
    );
  });

  // Issue 15: "/briefing last week" silently answered for a single day.
  test('a period gets a summary: the days listed, the most covered countries, Share', async () => {
    const { command, click, standIn } = await start(await archive());
    const { answer } = await command('/briefing', 'last week');
    expect(answer.response_type).toBe('ephemeral');
    const text = textOf(answer);
    expect(text).toContain(':newspaper: *6 briefings on 6 days, Nov 1 – Nov 7, 2021*');
    expect(text).toMatch(
      /• \*Mon, Nov 1, 2021\*: <https:\/\/newsroom\.slack\.com\/archives\/[^|]+\|Daily 32> \(1 section\)/,
    );
    expect(text).toContain('• *Sat, Nov 6, 2021*: ');
    expect(text.indexOf('Mon, Nov 1')).toBeLessThan(text.indexOf('Sat, Nov 6'));
    expect(text).not.toContain('Oct');
    expect(text).toContain('*Most covered countries* (stories)\n🇵🇪 Peru 6  ·  🇧🇴 Bolivia 3');
    expect(text).toContain('`/briefing 2021-11-06` shows one day in full');
    // Other spans: a month, a year, the whole archive.
    expect(textOf((await command('/briefing', 'October 2021')).answer)).toContain(
      '*34 briefings on 31 days, Oct 1 – Oct 31, 2021*',
    );
    const all = textOf((await command('/briefing', 'all')).answer);
    expect(all).toContain('*40 briefings on 37 days, the whole archive (Oct 1 – Nov 6, 2021)*');
    expect(all).toContain('6 earlier days not listed; the 31 most recent are.');
    const shared = await click('answer_share');
    expect(shared.response_type).toBe('in_channel');
    const posted = standIn.messages('briefings');
    expect(textOf(posted.at(-1)!)).toContain('the whole archive');
    expect(textOf(posted.at(-1)!)).toContain('Shared by <@U_LOCAL>');
    // A single day is still that day's posts.
    expect(textOf((await command('/briefing', 'Oct 12')).answer)).toContain(
      '*2 briefings on Tue, Oct 12, 2021*',
    );
  });

  test('help, and a bad date with the reason and the usage', async () => {
    const { command } = await start(await emptyStore());
    const help = textOf((await command('/briefing', 'help')).answer);
    expect(help).toContain('*/briefing [when]*');
    expect(help).toContain('*/country <name> [period]*');
    expect(help).toContain('@-mention the bot');
    const bad = textOf((await command('/briefing', 'the <day> after')).answer);
    expect(bad).toContain(':warning: I could not read "the &lt;day&gt; after" as a date.');
    expect(bad).toContain('*/briefing [when]*');
  });
});

describe('/country', () => {
  test('37 stories page 10 at a time through the More button', async () => {
    const { command, click, standIn } = await start(await archive());
    const { answer } = await command('/country', 'Peruvian since Oct 1');
    const first = textOf(answer);
    expect(first).toContain('🇵🇪 *Peru*: 38 stories Oct 1 – Nov 10, 2021');
    expect(first).toContain('1–10 of 38, newest first');
    expect(first).toContain('*Sat, Nov 6, 2021* · *<');
    expect(first).toContain('Lima story 37.');
    expect(first).toContain('_Also:_ 🇧🇴');

    const pages = [first];
    for (let page = 2; page <= 4; page += 1) {
      const next = await click('country_more');
      expect(next.replace_original).toBe(true);
      pages.push(textOf(next));
    }
    expect(pages[1]).toContain('11–20 of 38');
    expect(pages[2]).toContain('21–30 of 38');
    expect(pages[3]).toContain('31–38 of 38');
    expect(pages[3]).toContain('Lima story 1.');
    // The More button is gone from the last page, and the private answer was replaced, not added to.
    const shown = standIn.workspace.ephemerals('U_LOCAL');
    expect(shown).toHaveLength(1);
    expect(JSON.stringify(shown[0]!.blocks)).not.toContain('country_more');
  });

  test('period forms: in October 2021, 2021, last 7 days, this week', async () => {
    const { command } = await start(await archive());
    expect(textOf((await command('/country', 'peru in October 2021')).answer)).toContain(
      '32 stories Oct 1 – Oct 31, 2021',
    );
    expect(textOf((await command('/country', 'PE 2021')).answer)).toContain(
      '38 stories Jan 1 – Dec 31, 2021',
    );
    expect(textOf((await command('/country', 'Perú last 7 days')).answer)).toContain(
      '3 stories Nov 4 – Nov 10, 2021',
    );
    expect(textOf((await command('/country', 'Peru this week')).answer)).toContain(
      'No stories about 🇵🇪 *Peru* Nov 8 – Nov 10, 2021.',
    );
  });

  test('the default period is the 30 days up to the newest briefing', async () => {
    const { command } = await start(await archive());
    const text = textOf((await command('/country', 'Venezeula')).answer);
    expect(text).toContain(
      'No stories about 🇻🇪 *Venezuela* Oct 8 – Nov 6, 2021 (the 30 days up to the newest briefing).',
    );
    const chile = textOf((await command('/country', 'chile')).answer);
    expect(chile).toContain('1 story Oct 8 – Nov 6, 2021 (the 30 days up to the newest briefing)');
  });

  test('an unknown country, with suggestions', async () => {
    const { command } = await start(await archive());
    const text = textOf((await command('/country', 'Atlantis')).answer);
    expect(text).toContain("No country matches 'Atlantis'.");
    expect(textOf((await command('/country', '')).answer)).toContain('Name a country');
  });

  test('Share in channel posts the same page for everyone, attributed', async () => {
    const { command, click, standIn } = await start(await archive());
    await command('/country', 'Peru 2021');
    const page2 = textOf(await click('country_more'));
    const shared = await click('answer_share');
    expect(shared.response_type).toBe('in_channel');
    expect(shared.replace_original).toBe(false);
    const posted = standIn.messages('briefings');
    expect(posted).toHaveLength(1);
    const text = textOf(posted[0]!);
    expect(text).toContain('Shared by <@U_LOCAL>');
    expect(text).toContain('11–20 of 38');
    expect(page2).toContain('11–20 of 38');
    expect(JSON.stringify(posted[0]!.blocks)).not.toContain('"type":"button"');
  });

  test('an empty store answers without failing', async () => {
    const { command } = await start(await emptyStore());
    const text = textOf((await command('/country', 'Peru')).answer);
    expect(text).toContain(
      'No stories about 🇵🇪 *Peru* Oct 12 – Nov 10, 2021 (the 30 days up to the newest briefing). There are none in the archive yet.',
    );
  });
});

describe('sharing a day', () => {
  test('works from /briefing too', async () => {
    const { command, click, standIn } = await start(await archive());
    await command('/briefing', '2021-10-12');
    await click('answer_share');
    const [message] = standIn.messages('briefings');
    expect(textOf(message!)).toContain('2 briefings on Tue, Oct 12, 2021');
    expect(textOf(message!)).toContain('Shared by <@U_LOCAL>');
  });
});

describe('where the bot is not a member', () => {
  test('answers and shares in a private channel through response_url alone, never chat.postMessage', async () => {
    const { command, click, standIn } = await start(await archive());
    standIn.addChannel({ name: 'desk', isPrivate: true, members: ['U_LOCAL'] });
    const { answer } = await command('/country', 'Chile', { channel: 'desk' });
    expect(textOf(answer)).toContain('🇨🇱 *Chile*: 1 story');
    await click('answer_share');
    const [shared] = standIn.messages('desk');
    expect(textOf(shared!)).toContain('Shared by <@U_LOCAL>');
    expect(standIn.messages('briefings')).toHaveLength(0);
    expect(standIn.callCount('chat.postMessage')).toBe(0);
  });
});

describe('failures', () => {
  test('a store that throws gets an apology, and the error is logged, not swallowed', async () => {
    const store = await archive();
    // The real store, except that reading a day fails as a corrupt month file would.
    const failing = failingOn(store, 'filedDay');
    const { command } = await start(failing);
    const { answer } = await command('/briefing', '2021-10-07');
    expect(answer.text).toBe(
      'Sorry, something went wrong answering that. It has been logged; please try again.',
    );
    expect(answer.response_type).toBe('ephemeral');
    const errors = loggedErrors.splice(0);
    expect(errors).toHaveLength(1);
    expect(String(errors[0]?.[0])).toContain('/briefing failed');
  });
});
