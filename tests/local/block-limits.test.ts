import { describe, expect, it } from 'vitest';
import { checkBlocks } from '../../src/local/block-limits.js';

const mrkdwn = (text: string) => ({ type: 'mrkdwn', text });
const plain = (text: string) => ({ type: 'plain_text', text });
const button = (id: string, label = 'Go') => ({ type: 'button', action_id: id, text: plain(label) });

function errorsOf(blocks: unknown): string[] {
  const result = checkBlocks(blocks);
  return result.ok ? [] : result.errors;
}

describe('checkBlocks', () => {
  it('accepts blocks at every limit, given as an array or as the JSON string WebClient sends', () => {
    const atLimits = [
      { type: 'header', text: plain('h'.repeat(150)) },
      {
        type: 'section',
        text: mrkdwn('s'.repeat(3000)),
        fields: Array.from({ length: 10 }, () => mrkdwn('f'.repeat(2000))),
      },
      { type: 'context', elements: Array.from({ length: 10 }, (_, i) => mrkdwn(`c${i}`)) },
      { type: 'actions', elements: Array.from({ length: 25 }, (_, i) => button(`a${i}`, 'b'.repeat(75))) },
      { type: 'divider', block_id: 'x'.repeat(255) },
    ];
    expect(checkBlocks(atLimits)).toEqual({ ok: true, blocks: atLimits });
    expect(checkBlocks(JSON.stringify(atLimits)).ok).toBe(true);
  });

  it('refuses each limit by one, pointing at the offending field', () => {
    expect(errorsOf([{ type: 'header', text: plain('h'.repeat(151)) }])).toEqual([
      'must be less than 151 characters [json-pointer:/blocks/0/text/text]',
    ]);
    expect(errorsOf([{ type: 'header', text: mrkdwn('*h*') }])).toEqual([
      'must be a valid enum value [json-pointer:/blocks/0/text/type]',
    ]);
    expect(errorsOf([{ type: 'section', text: mrkdwn('') }])).toEqual([
      'must be more than 0 characters [json-pointer:/blocks/0/text/text]',
    ]);
    expect(errorsOf([{ type: 'section', fields: Array.from({ length: 11 }, () => mrkdwn('f')) }])).toEqual([
      'must provide no more than 10 items [json-pointer:/blocks/0/fields]',
    ]);
    expect(errorsOf([{ type: 'context', elements: Array.from({ length: 11 }, () => mrkdwn('c')) }])).toEqual([
      'must provide no more than 10 items [json-pointer:/blocks/0/elements]',
    ]);
    expect(
      errorsOf([{ type: 'actions', elements: Array.from({ length: 26 }, (_, i) => button(`a${i}`)) }]),
    ).toEqual(['must provide no more than 25 items [json-pointer:/blocks/0/elements]']);
    expect(errorsOf([{ type: 'actions', elements: [button('a', 'b'.repeat(76))] }])).toEqual([
      'must be less than 76 characters [json-pointer:/blocks/0/elements/0/text/text]',
    ]);
    expect(errorsOf([{ type: 'section' }])).toEqual([
      'must provide either text or fields [json-pointer:/blocks/0]',
    ]);
  });

  it('refuses duplicate ids, unknown block types and what is not a list of blocks', () => {
    expect(
      errorsOf([
        { type: 'divider', block_id: 'same' },
        { type: 'divider', block_id: 'same' },
        { type: 'actions', elements: [button('a'), button('a')] },
        { type: 'carousel' },
      ]),
    ).toEqual([
      'block_id "same" already exists [json-pointer:/blocks/1/block_id]',
      'action_id "a" already exists [json-pointer:/blocks/2/elements/1/action_id]',
      'unsupported type: carousel [json-pointer:/blocks/3/type]',
    ]);
    expect(checkBlocks('{not json')).toMatchObject({ ok: false, error: 'invalid_blocks_format' });
    expect(checkBlocks({ type: 'divider' })).toMatchObject({ ok: false, error: 'invalid_blocks_format' });
    expect(checkBlocks(Array.from({ length: 51 }, () => ({ type: 'divider' })))).toMatchObject({
      ok: false,
      error: 'invalid_blocks',
      errors: ['must provide no more than 50 items [json-pointer:/blocks]'],
    });
  });
});
