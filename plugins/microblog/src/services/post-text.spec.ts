import { InvalidInput } from '@plein/sdk';
import { checkBody, countCharacters, linkifyHtml, reactionOf, tagFrom } from './post-text';

const problem = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    if (error instanceof InvalidInput) return error.errors;
    throw error;
  }
  throw new Error('expected a 422');
};

describe('post text', () => {
  it('counts characters as a person does: emoji, flags and accents once', () => {
    expect(countCharacters('abc')).toBe(3);
    expect(countCharacters('e\u0301')).toBe(1);
    expect(countCharacters('👩‍👩‍👧')).toBe(1);
    expect(countCharacters('🇳🇱')).toBe(1);
    expect(countCharacters('👍🏽')).toBe(1);
  });

  it('accepts exactly the limit and refuses one more, naming the limit', () => {
    expect(checkBody('é'.repeat(10), 10)).toHaveLength(10);
    expect(checkBody('👍'.repeat(10), 10)).toBe('👍'.repeat(10));
    expect(problem(() => checkBody('👍'.repeat(11), 10))).toEqual([
      { field: 'body', message: 'must be at most 10 characters (found 11)' },
    ]);
  });

  it('folds carriage returns, keeps tabs and new lines, and trims', () => {
    expect(checkBody('  a\r\nb\rc\td  ', 100)).toBe('a\nb\nc\td');
  });

  it.each([[''], ['   \n\t ']])('refuses the empty text %j', (text) => {
    expect(problem(() => checkBody(text, 100))).toEqual([{ field: 'body', message: 'must not be empty' }]);
  });

  it.each([['a\u0000b'], ['bell\u0007'], ['esc\u001b[31m'], ['del\u007f'], ['c1\u0085'], ['vt\u000b']])(
    'refuses control characters in %j',
    (text) => {
      expect(problem(() => checkBody(text, 100))[0].message).toContain('control characters');
    },
  );

  it.each([['\ud800'], ['a\udc00b'], ['x\ufffdy']])('refuses broken text %j', (text) => {
    expect(problem(() => checkBody(text, 100))[0].message).toContain('broken character');
  });

  it('reads tags from addresses in lower case, refusing what cannot be a tag', () => {
    expect(tagFrom('Launch')).toBe('launch');
    expect(tagFrom('café')).toBe('café');
    expect(tagFrom('123')).toBeNull();
    expect(tagFrom('a b')).toBeNull();
    expect(tagFrom('../x')).toBeNull();
  });

  it('links bare addresses, leaving punctuation, code and existing links alone', () => {
    expect(linkifyHtml('<p>See https://example.com/a?b=1&amp;c=2.</p>')).toBe(
      '<p>See <a href="https://example.com/a?b=1&amp;c=2" rel="noopener noreferrer nofollow">https://example.com/a?b=1&amp;c=2</a>.</p>',
    );
    expect(linkifyHtml('<p>(https://example.com/wiki/A_(b))</p>')).toContain(
      '<a href="https://example.com/wiki/A_(b)" rel="noopener noreferrer nofollow">https://example.com/wiki/A_(b)</a>)',
    );
    expect(linkifyHtml('<p><code>https://example.com</code></p>')).toBe('<p><code>https://example.com</code></p>');
    const linked = '<p><a href="https://x.example">https://x.example</a></p>';
    expect(linkifyHtml(linked)).toBe(linked);
    expect(linkifyHtml('<p>&quot;https://example.com&quot;</p>')).toContain('>https://example.com</a>&quot;');
    expect(linkifyHtml('<p>javascript:alert(1) https://</p>')).toBe('<p>javascript:alert(1) https://</p>');
  });

  it('knows the fixed reactions by emoji, by emoji without its variation selector, and by name', () => {
    expect(reactionOf('👍')).toBe('👍');
    expect(reactionOf('❤')).toBe('❤️');
    expect(reactionOf('heart')).toBe('❤️');
    expect(reactionOf('💩')).toBeNull();
    expect(reactionOf(7)).toBeNull();
  });
});
