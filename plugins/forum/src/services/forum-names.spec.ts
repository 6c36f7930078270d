import { HttpException } from '@nestjs/common';
import { InvalidInput } from '@plein/sdk';
import { checkBody, checkSlug, checkTags, checkTitle, checkUntil } from './forum-names';

const fieldOf = (fn: () => unknown): string | undefined => {
  try {
    fn();
  } catch (error) {
    if (error instanceof InvalidInput) return error.errors[0]?.field;
    if (error instanceof HttpException) return `${error.getStatus()}`;
  }
  return undefined;
};

describe('forum input rules', () => {
  it('trims titles and refuses empty, long and multi-line ones naming the field', () => {
    expect(checkTitle('  Printer on floor 3  ')).toBe('Printer on floor 3');
    expect(fieldOf(() => checkTitle('   '))).toBe('title');
    expect(fieldOf(() => checkTitle('x'.repeat(201)))).toBe('title');
    expect(fieldOf(() => checkTitle('two\nlines'))).toBe('title');
    expect(fieldOf(() => checkTitle(42))).toBe('title');
  });

  it('folds tags to lower case without duplicates and refuses markup in them', () => {
    expect(checkTags(['Printing', '#printing', 'floor-3', ' Ünïcode '], 5)).toEqual(['printing', 'floor-3', 'ünïcode']);
    expect(checkTags('a, b c', 5)).toEqual(['a', 'b', 'c']);
    expect(fieldOf(() => checkTags(['<script>'], 5))).toBe('tags');
    expect(fieldOf(() => checkTags(['"onmouseover=alert(1)'], 5))).toBe('tags');
    expect(fieldOf(() => checkTags(['a', 'b', 'c'], 2))).toBe('tags');
    expect(fieldOf(() => checkTags([1], 5))).toBe('tags');
  });

  it('answers 413 for a body above the limit and 422 for an empty one', () => {
    expect(checkBody('hello\r\nworld', 100)).toBe('hello\nworld');
    expect(fieldOf(() => checkBody('é'.repeat(60), 100))).toBe('413');
    expect(fieldOf(() => checkBody('  ', 100))).toBe('body');
  });

  it('accepts slugs that are one URL segment only', () => {
    expect(checkSlug('it-support')).toBe('it-support');
    for (const bad of ['..', 'a/b', 'UPPER', 'new', 'x', '-lead', 'dou--ble'])
      expect(fieldOf(() => checkSlug(bad))).toBe('slug');
  });

  it('wants a pin’s end in the future', () => {
    const now = new Date('2030-01-01T00:00:00Z');
    expect(checkUntil('2030-01-02T00:00:00Z', now)?.toISOString()).toBe('2030-01-02T00:00:00.000Z');
    expect(checkUntil(null, now)).toBeNull();
    expect(fieldOf(() => checkUntil('2029-12-31T00:00:00Z', now))).toBe('pinnedUntil');
    expect(fieldOf(() => checkUntil('tomorrow', now))).toBe('pinnedUntil');
  });
});
