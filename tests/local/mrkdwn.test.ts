import { describe, expect, it } from 'vitest';
import { parseInline, parseMrkdwn } from '../../src/local/page/mrkdwn.js';

const text = (t: string) => ({ type: 'text', text: t });

describe('parseInline', () => {
  it('reads bold, italic, strike and code, including nested and around links', () => {
    expect(parseInline('*Peru* _cabinet_ ~old~ `code`')).toEqual([
      { type: 'bold', children: [text('Peru')] },
      text(' '),
      { type: 'italic', children: [text('cabinet')] },
      text(' '),
      { type: 'strike', children: [text('old')] },
      text(' '),
      { type: 'code', text: 'code' },
    ]);
    expect(parseInline('*<https://example.org/a?b=1&amp;c=2|Reuters &amp; AP>*')).toEqual([
      {
        type: 'bold',
        children: [{ type: 'link', url: 'https://example.org/a?b=1&c=2', children: [text('Reuters & AP')] }],
      },
    ]);
    expect(parseInline('*bold _and italic_*')).toEqual([
      { type: 'bold', children: [text('bold '), { type: 'italic', children: [text('and italic')] }] },
    ]);
  });

  it('leaves markers that do not open or close at word boundaries', () => {
    expect(parseInline('snake_case_name and 2*3*4')).toEqual([text('snake_case_name and 2*3*4')]);
    expect(parseInline('* not bold *')).toEqual([text('* not bold *')]);
  });

  it('decodes only the three entities and never makes a token from escaped brackets', () => {
    expect(parseInline('&lt;script&gt;alert(1)&lt;/script&gt; &amp;amp; &quot;')).toEqual([
      text('<script>alert(1)</script> &amp; &quot;'),
    ]);
    expect(parseInline('&lt;!channel&gt;')).toEqual([text('<!channel>')]);
  });

  it('keeps unsafe link schemes as text', () => {
    expect(parseInline('<javascript:alert(1)|click>')).toEqual([text('<javascript:alert(1)|click>')]);
  });

  it('reads mentions, channels, specials, dates and flag emoji', () => {
    expect(
      parseInline(
        '<@U_BOT> <#CBRIEFINGS|briefings> <!here> <!date^1633627213^{date_short}|Oct 7> :flag-pe: :wave: :not_an_emoji: :constructor:',
      ),
    ).toEqual([
      { type: 'mention', kind: 'user', id: 'U_BOT', label: '' },
      text(' '),
      { type: 'mention', kind: 'channel', id: 'CBRIEFINGS', label: 'briefings' },
      text(' '),
      { type: 'mention', kind: 'special', id: 'here', label: '' },
      text(' '),
      { type: 'mention', kind: 'date', id: '1633627213^{date_short}', label: 'Oct 7' },
      text(' '),
      { type: 'emoji', name: 'flag-pe', text: '🇵🇪' },
      text(' '),
      { type: 'emoji', name: 'wave', text: '👋' },
      text(' :not_an_emoji: :constructor:'),
    ]);
  });

  it('does not confuse private-use characters in the input with its placeholders', () => {
    expect(parseInline('\ue000 <https://a.example|a>')).toEqual([
      text('\ufffd '),
      { type: 'link', url: 'https://a.example', children: [text('a')] },
    ]);
  });
});

describe('parseMrkdwn', () => {
  it('splits lines, quotes and fenced blocks', () => {
    expect(parseMrkdwn('• one\n&gt; quoted\n```\n<b>pre</b> *x*```after')).toEqual([
      { type: 'line', children: [text('• one')] },
      { type: 'quote', children: [text('quoted')] },
      { type: 'line', children: [] },
      { type: 'pre', text: '<b>pre</b> *x*' },
      { type: 'line', children: [text('after')] },
    ]);
  });
});
