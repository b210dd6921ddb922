import { expect, it } from 'vitest';
import { PostIndex } from '../../src/store/post-index.js';

it('finds the briefing of a post by channel and ts, forgets a deleted one, and keeps channels apart', () => {
  const posts = new PostIndex();
  posts.set('C1', '1633627273.000100', 'b1');
  posts.set('C2', '1633627273.000100', 'b2');
  posts.set('C1', '1633627274.000100', 'b1');
  expect(posts.get('C1', '1633627273.000100')).toBe('b1');
  expect(posts.get('C2', '1633627273.000100')).toBe('b2');
  expect(posts.get('C3', '1633627273.000100')).toBeUndefined();
  posts.delete('C1', '1633627273.000100');
  expect(posts.get('C1', '1633627273.000100')).toBeUndefined();
  expect(posts.get('C1', '1633627274.000100')).toBe('b1');
  posts.delete('C1', '1633627274.000100');
  posts.delete('C9', 'nothing');
  posts.set('C1', '1633627274.000100', 'b3');
  expect(posts.get('C1', '1633627274.000100')).toBe('b3');
});
