import { describe, expect, test } from 'vitest';
import { answerCountryCommand, typedText } from '../../../src/slack/commands/answer.js';
import type { Answer } from '../../../src/slack/commands/blocks.js';
import { addBriefing, briefing, emptyStore, prose } from '../../query/archive.js';

const NOW = new Date('2021-11-10T15:00:00Z');

function textOf(answer: Answer): string {
  return answer.blocks
    .map((block) => ('text' in block && block.text ? block.text.text : ''))
    .filter(Boolean)
    .join('\n');
}

async function context() {
  const store = await emptyStore();
  await addBriefing(store, briefing('Daily', '2021-11-05', [prose('Peru', ['PE'], 'Lima story. More.')]));
  return { store, now: NOW, timeZone: 'America/New_York', dateOrder: 'MDY' as const };
}

describe('/country with a country and a tail that is not a period', () => {
  // Bug: "/country Peru blah" answered "No country matches 'Peru blah'. Did you mean Mexico, Peru?".
  test('says the period is what could not be read, with the usage', async () => {
    const answer = await answerCountryCommand('Peru blah', await context());
    expect(answer.text).toBe('Peru: I could not read "blah" as a period.');
    expect(textOf(answer)).toContain('*/country <name> [period]*');
    expect(textOf(answer)).not.toContain('No country matches');
  });

  test('the longest country name before the tail is the one meant', async () => {
    const answer = await answerCountryCommand('South Africa every tuesday', await context());
    expect(answer.text).toBe('South Africa: I could not read "every tuesday" as a period.');
  });

  test('an unknown name still gets suggestions, and a good period still answers', async () => {
    const ctx = await context();
    expect((await answerCountryCommand('Atlantis', ctx)).text).toMatch(/^No country matches 'Atlantis'\./);
    expect((await answerCountryCommand('Peru in November 2021', ctx)).text).toBe(
      'Peru: 1 story Nov 1 – Nov 30, 2021, 1–1 of 1',
    );
  });
});

describe('command text as Slack sends it', () => {
  // Slack escapes &, < and > in a command's text; echoing it escaped again showed "&amp;amp;".
  test('entities are decoded before parsing and escaped once in the answer', async () => {
    const ctx = await context();
    const unknown = await answerCountryCommand('Foo &amp; &lt;Bar&gt;', ctx);
    expect(textOf(unknown)).toContain("No country matches 'Foo &amp; &lt;Bar&gt;'.");
    expect((await answerCountryCommand('Trinidad &amp; Tobago all', ctx)).text).toBe(
      'No stories about Trinidad and Tobago in the whole archive.',
    );
    expect(typedText('<https://example.org|Peru> &amp;lt;')).toBe('Peru &lt;');
  });
});
