/**
 * Issue 10.7: mail that is not a briefing is refused by the parser with the reason (the ways in turn it
 * into 400, 550, exit 2 or the refused folder: tests/mail/not-briefing.test.ts), and no real newsletter
 * of the corpus is refused.
 */
import { describe, expect, it } from 'vitest';
import {
  BriefingParseError,
  NotABriefing,
  parseEmail,
  SubscriptionConfirmation,
} from '../../src/briefing/index.js';
import { loadCorpus } from '../fixtures/newsletters/corpus.js';
import { confirmation, notBriefings } from '../fixtures/not-briefings.js';

describe('not a briefing', async () => {
  const cases = await notBriefings();
  it.each(cases.map((c) => [c.name, c] as const))('%s is refused with the reason', async (_name, c) => {
    const error = await parseEmail(c.raw).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(NotABriefing);
    expect((error as Error).message).toMatch(c.reason);
  });

  it('a forwarded briefing with an .ics attached, or mentioning an auto-reply, is still a briefing', async () => {
    const { compose } = await import('../fixtures/not-briefings.js');
    const raw = await compose({
      subject: 'Daily Briefing (Dec. 2, 2026)',
      text: 'Peru: the minister met the press in Lima on Tuesday. An automatic reply said nothing.',
      attachments: [
        {
          filename: 'desk.ics',
          content: 'BEGIN:VCALENDAR\r\nMETHOD:REQUEST\r\nEND:VCALENDAR\r\n',
          contentType: 'text/calendar',
        },
      ],
      headers: { 'Auto-Submitted': 'no' },
    });
    const parsed = await parseEmail(raw);
    expect(parsed.briefing.sections.length).toBeGreaterThan(0);
  });

  it('refuses none of the 41 real newsletters of the corpus', async () => {
    const refused: string[] = [];
    for (const { issue, raw } of await loadCorpus()) {
      await parseEmail(raw).catch((error: unknown) => {
        if (error instanceof BriefingParseError) refused.push(`${issue.id}: ${error.message}`);
        else throw error;
      });
    }
    expect(refused).toEqual([]);
  });

  it.each([
    ['Confirm your subscription to Andean Monitor'],
    ['Confirma tu suscripción a Andean Monitor'],
    ['Confirme sua inscrição: Andean Monitor'],
    ['Fwd: Please confirm your subscription'],
  ])('"%s" is a subscription confirmation with its confirm link', async (subject) => {
    const error = await parseEmail(await confirmation(subject)).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(SubscriptionConfirmation);
    const found = error as SubscriptionConfirmation;
    expect(found.confirm).toEqual({
      url: 'https://list.example.org/confirm?u=1&id=abc',
      text: 'Yes, subscribe me to this list',
    });
    expect(found.sender).toMatch(/Andean Monitor/);
  });
});
