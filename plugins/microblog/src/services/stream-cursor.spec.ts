import { InvalidInput } from '@plein/sdk';
import { boardCursor, readBoardCursor, readStreamCursor, streamCursor } from './stream-cursor';

describe('stream cursors', () => {
  const post = { createdAt: new Date('2025-03-01T10:00:00.123Z'), id: '7b0e4c1e-0000-4000-8000-000000000001' };

  it('round-trips the sort key of a post', () => {
    expect(readStreamCursor(streamCursor(post))).toEqual({ at: post.createdAt, id: post.id });
    expect(readBoardCursor(boardCursor(1, post))).toEqual({ part: 1, at: post.createdAt, id: post.id });
    expect(readStreamCursor(undefined)).toBeNull();
    expect(readStreamCursor('')).toBeNull();
  });

  it.each([
    ['garbage!'],
    [Buffer.from('{"at":"yesterday","id":"x"}').toString('base64url')],
    [Buffer.from('{"at":"2025-01-01T00:00:00Z","id":7}').toString('base64url')],
    [Buffer.from('[1]').toString('base64url')],
  ])('refuses %j with a 422 naming the field', (value) => {
    expect(() => readStreamCursor(value)).toThrow(InvalidInput);
    try {
      readStreamCursor(value, 'since');
    } catch (error) {
      expect((error as InvalidInput).errors[0].field).toBe('since');
    }
  });

  it('refuses a stream cursor on a question board', () => {
    expect(() => readBoardCursor(streamCursor(post))).toThrow(InvalidInput);
  });
});
