import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  escapeMrkdwn,
  MAX_LINK_URL_LENGTH,
  mrkdwnLink,
  safeHttpUrl,
  unescapeMrkdwn,
} from '../../../src/slack/escape.js';
import { renderItem } from '../../../src/slack/render/item.js';

/** Any of Slack's control sequences: mentions, channel links, special mentions, links. */
const CONTROL = /<[@#!]|<https?:|<mailto:/i;

describe('escapeMrkdwn', () => {
  it('escapes exactly &, < and >', () => {
    expect(escapeMrkdwn('Tom & Jerry <!channel> <@U123> "quotes" \'apos\' *bold*')).toBe(
      'Tom &amp; Jerry &lt;!channel&gt; &lt;@U123&gt; "quotes" \'apos\' *bold*',
    );
  });

  it('escapes an existing entity again, so it shows as typed', () => {
    expect(escapeMrkdwn('&lt;b&gt;')).toBe('&amp;lt;b&amp;gt;');
  });

  it('never leaves a < in any text', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        expect(escapeMrkdwn(text)).not.toMatch(/[<>]/);
      }),
    );
  });
});

describe('unescapeMrkdwn', () => {
  it('reads what Slack sends back as typed: a typed entity stays an entity', () => {
    expect(unescapeMrkdwn('Tom &amp; Jerry &lt;3 &gt; &amp;lt;b&amp;gt;')).toBe('Tom & Jerry <3 > &lt;b&gt;');
  });

  it('undoes escapeMrkdwn for any text', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        expect(unescapeMrkdwn(escapeMrkdwn(text))).toBe(text);
      }),
    );
  });
});

describe('mrkdwnLink', () => {
  it('links http(s) URLs with escaped text', () => {
    expect(mrkdwnLink('https://example.org/a?b=1&c=2', 'Tom & <Jerry>')).toBe(
      '<https://example.org/a?b=1&amp;c=2|Tom &amp; &lt;Jerry&gt;>',
    );
  });

  it('keeps a | in the text from splitting the link', () => {
    expect(mrkdwnLink('https://example.org/', 'a | b')).toBe('<https://example.org/|a ¦ b>');
  });

  it('encodes | and > in the URL itself', () => {
    expect(mrkdwnLink('https://example.org/x|y>z', 'x')).toBe('<https://example.org/x%7Cy%3Ez|x>');
  });

  it('turns non-http schemes into plain text', () => {
    expect(mrkdwnLink('javascript:alert(1)', 'click')).toBe('click');
    expect(mrkdwnLink('mailto:a@b.org', 'mail me')).toBe('mail me');
    expect(mrkdwnLink('slack://channel?id=C1', '')).toBe('slack://channel?id=C1');
  });

  it('does not let a letter from another script hide the site a label names', () => {
    // The Unicode token is a punycoded host, but a reader sees "nytimes.com" — the label must go.
    const out = mrkdwnLink('https://evil.example/a', '\u{2CEA2}nytimes.com story');
    expect(out).toBe('\u{2CEA2}nytimes.com story (<https://evil.example/a|evil.example/…>)');
    // Read in Unicode it names another host (punycoded, or one the URL parser refuses): the target is
    // shown instead, on every Node line alike.
    expect(mrkdwnLink('https://www.nytimes.com/a', '\u{2CEA2}nytimes.com story')).toBe(
      '\u{2CEA2}nytimes.com story (<https://www.nytimes.com/a|www.nytimes.com/…>)',
    );
  });

  it('does not link URLs too long to read', () => {
    const long = `https://example.org/${'a'.repeat(MAX_LINK_URL_LENGTH)}`;
    expect(safeHttpUrl(long)).toBeNull();
    expect(mrkdwnLink(long, 'long')).toBe('long');
  });

  it('cannot be made to produce a mention, whatever the text and URL', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (url, text) => {
        const out = mrkdwnLink(url, text);
        // The only < allowed is the link's own opening, followed by an http(s) URL.
        const opens = [...out.matchAll(/</g)].map((m) => m.index);
        expect(opens.length).toBeLessThanOrEqual(1);
        if (opens.length) expect(out).toMatch(/^<https?:\/\/[^|<>]*(\|[^<>]*)?>$/);
      }),
    );
  });
});

describe('renderItem', () => {
  it('places links inline where their anchor text appears and keeps the rest aside', () => {
    const { text, leftover } = renderItem({
      text: 'Read the report by Reuters & more <here>.',
      countries: [],
      sources: [],
      links: [
        { url: 'https://reuters.com/x', text: 'report' },
        { url: 'https://elsewhere.org/', text: 'not in the text' },
        { url: 'javascript:evil()', text: 'more' },
      ],
    });
    expect(text).toBe('Read the <https://reuters.com/x|report> by Reuters &amp; more &lt;here&gt;.');
    expect(leftover.map((l) => l.url)).toEqual(['https://elsewhere.org/', 'javascript:evil()']);
  });

  it('renders hostile email text inert', () => {
    const { text } = renderItem({
      text: 'Hi <!channel> and <!here|here> and <!everyone>, ask <@U123> in <#C999|general> or <https://evil|click> & go',
      countries: [],
      sources: [],
      links: [{ url: 'https://evil.example/', text: 'click' }],
    });
    // The vetted link is the only markup; without it nothing of Slack's syntax is left.
    expect(text).toContain('<https://evil.example/|click>');
    const rest = text.replace('<https://evil.example/|click>', '');
    expect(rest).not.toMatch(CONTROL);
    expect(rest).not.toMatch(/[<>]/);
  });
});
