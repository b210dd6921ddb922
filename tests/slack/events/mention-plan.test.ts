import { describe, expect, it } from 'vitest';
import { findSection, mentionText, planMention } from '../../../src/slack/events/mention-plan.js';
import { seedBriefing } from './seed-briefing.js';

const sections = seedBriefing().sections;
const briefingThread = { sections, sectionIndex: null };
const peruThread = { sections, sectionIndex: 1 };

describe('mentionText', () => {
  it('drops mention tokens and collapses whitespace', () => {
    expect(mentionText('<@U0BOT>   sources\n peru')).toBe('sources peru');
    expect(mentionText('<@U0BOT|briefing-bot> more 2 <@U0OTHER>')).toBe('more 2');
  });

  // Bug: Slack sends "&" as "&amp;"; the unknown-section reply escaped it again and showed "&amp;amp;".
  it('decodes Slack’s entities and reads links and channels as what they show', () => {
    expect(mentionText('<@U0BOT> more foo &amp; &lt;bar&gt;')).toBe('more foo & <bar>');
    expect(mentionText('<@U0BOT> typed &amp;lt; literally')).toBe('typed &lt; literally');
    expect(mentionText('<@U0BOT> sources <https://example.org/a?b=1&amp;c=2|the link> <#C123|news>')).toBe(
      'sources the link news',
    );
    expect(mentionText('<@U0BOT> more <https://example.org/> <!here>')).toBe('more https://example.org/');
  });
});

describe('findSection', () => {
  it('finds a section by its number', () => {
    expect(findSection('2', sections)).toEqual({ kind: 'found', index: 1 });
    expect(findSection('#4', sections)).toEqual({ kind: 'found', index: 3 });
    expect(findSection('9', sections)).toEqual({ kind: 'not-found' });
  });

  it('finds a section by words of its title, accents and case aside', () => {
    expect(findSection('peru', sections)).toEqual({ kind: 'found', index: 1 });
    expect(findSection('PERÚ', sections)).toEqual({ kind: 'found', index: 1 });
    expect(findSection('the cabinet section', sections)).toEqual({ kind: 'found', index: 1 });
    expect(findSection('regional', sections)).toEqual({ kind: 'found', index: 3 });
  });

  it('prefers the title the words cover most', () => {
    // "News Briefs" is a title, and the group heading of "Regional Relations" ("News Briefs · Regional Relations").
    expect(findSection('news briefs', sections)).toEqual({ kind: 'found', index: 2 });
    expect(findSection('news', sections)).toEqual({ kind: 'found', index: 2 });
  });

  it('reports a tie instead of guessing', () => {
    const twins = [
      { ...sections[1]!, title: 'Peru protests' },
      { ...sections[1]!, title: 'Peru economy' },
    ];
    expect(findSection('peru', twins)).toEqual({ kind: 'ambiguous', candidates: [0, 1] });
    expect(findSection('peru economy', twins)).toEqual({ kind: 'found', index: 1 });
  });

  it('tells "nothing named" from "nothing matches"', () => {
    expect(findSection('', sections)).toEqual({ kind: 'none-given' });
    expect(findSection('the section', sections)).toEqual({ kind: 'none-given' });
    expect(findSection('cricket', sections)).toEqual({ kind: 'not-found' });
  });
});

describe('planMention', () => {
  it('answers outside the bot’s threads with the short help, whatever was asked', () => {
    expect(planMention('<@U0BOT> sources', null)).toEqual({ kind: 'outside' });
  });

  it('reads more/sources/related with a named section', () => {
    expect(planMention('<@U0BOT> more 2', briefingThread)).toEqual({ kind: 'more', sectionIndex: 1 });
    expect(planMention('<@U0BOT> sources peru', briefingThread)).toEqual({
      kind: 'sources',
      sectionIndex: 1,
    });
    expect(planMention('<@U0BOT> related 1', briefingThread)).toEqual({
      kind: 'related',
      countries: ['MX', 'US'],
    });
    // A list section without its own tags: its items' countries.
    expect(planMention('<@U0BOT> related news', briefingThread)).toEqual({
      kind: 'related',
      countries: ['HT', 'US', 'BR'],
    });
  });

  it('finds the request word after a greeting, and ignores punctuation around it', () => {
    expect(planMention('hey <@U0BOT>, can I have the sources for peru?', briefingThread)).toEqual({
      kind: 'sources',
      sectionIndex: 1,
    });
    expect(planMention('<@U0BOT> More on Peru', briefingThread)).toEqual({ kind: 'more', sectionIndex: 1 });
    // An inherited property name is not a request word.
    expect(planMention('<@U0BOT> constructor toString', briefingThread)).toEqual({ kind: 'help' });
  });

  it('implies the section in a section’s own thread', () => {
    expect(planMention('<@U0BOT> more', peruThread)).toEqual({ kind: 'more', sectionIndex: 1 });
    expect(planMention('<@U0BOT> sources', peruThread)).toEqual({ kind: 'sources', sectionIndex: 1 });
    expect(planMention('<@U0BOT> related', peruThread)).toEqual({ kind: 'related', countries: ['PE'] });
    // Another section can still be named there.
    expect(planMention('<@U0BOT> sources 1', peruThread)).toEqual({ kind: 'sources', sectionIndex: 0 });
  });

  it('in the briefing’s thread without a section: sources of all, related to the briefing, more asks which', () => {
    expect(planMention('<@U0BOT> sources', briefingThread)).toEqual({ kind: 'sources', sectionIndex: null });
    expect(planMention('<@U0BOT> related', briefingThread)).toEqual({
      kind: 'related',
      countries: ['US', 'MX', 'PE'],
    });
    expect(planMention('<@U0BOT> more', briefingThread)).toEqual({
      kind: 'pick-section',
      verb: 'more',
      candidates: [0, 1, 2, 3],
    });
  });

  it('reads a bare country name, capitalised or not, as related', () => {
    expect(planMention('<@U0BOT> what about Haiti?', briefingThread)).toEqual({
      kind: 'related',
      countries: ['HT'],
    });
    expect(planMention('<@U0BOT> haiti', briefingThread)).toEqual({ kind: 'related', countries: ['HT'] });
    expect(planMention('<@U0BOT> chile and argentina', briefingThread)).toEqual({
      kind: 'related',
      countries: ['CL', 'AR'],
    });
    expect(planMention('<@U0BOT> related haiti', briefingThread)).toEqual({
      kind: 'related',
      countries: ['HT'],
    });
  });

  it('reads a country in place of a title as the sections tagged with it', () => {
    expect(planMention('<@U0BOT> sources brazil', briefingThread)).toEqual({
      kind: 'sources',
      sectionIndex: 2,
    });
    // A demonym names the country too; only the lead is tagged with Mexico.
    expect(planMention('<@U0BOT> more on the mexican story', briefingThread)).toEqual({
      kind: 'more',
      sectionIndex: 0,
    });
    // The U.S. is tagged in the lead and in the briefs: which one?
    expect(planMention('<@U0BOT> sources united states', briefingThread)).toEqual({
      kind: 'pick-section',
      verb: 'sources',
      candidates: [0, 2],
    });
    expect(planMention('<@U0BOT> more about chile', briefingThread)).toEqual({
      kind: 'unknown-section',
      verb: 'more',
      query: 'about chile',
    });
  });

  it('says which section it could not find, or falls back to help', () => {
    expect(planMention('<@U0BOT> more cricket', briefingThread)).toEqual({
      kind: 'unknown-section',
      verb: 'more',
      query: 'cricket',
    });
    expect(planMention('<@U0BOT> help', peruThread)).toEqual({ kind: 'help' });
    expect(planMention('<@U0BOT> thanks!', briefingThread)).toEqual({ kind: 'help' });
    expect(planMention('<@U0BOT> nice work', briefingThread)).toEqual({ kind: 'help' });
    expect(planMention('<@U0BOT>', briefingThread)).toEqual({ kind: 'help' });
  });
});
