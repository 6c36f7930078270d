import { ancestorPaths, checkBody, checkSlug, checkTitle, isWithin, slugify, titleKey } from './wiki-names';

describe('wiki names', () => {
  it('makes slugs from titles: ASCII, lower case, dashes, never empty', () => {
    expect(slugify('Team Handbook')).toBe('team-handbook');
    expect(slugify('Über uns & FAQ!')).toBe('uber-uns-faq');
    expect(slugify('../../etc/passwd')).toBe('etc-passwd');
    expect(slugify('日本語')).toBe('page');
    expect(slugify('x'.repeat(200))).toHaveLength(80);
  });

  it('accepts only slugs that are one safe URL segment', () => {
    expect(checkSlug('a')).toBe('a');
    expect(checkSlug('faq-2')).toBe('faq-2');
    for (const bad of ['', '..', '.', 'a/b', 'a\\b', '-a', 'a-', 'a--b', 'A', 'a b', 'a\u0000', '%2e', 'x'.repeat(101)])
      expect(() => checkSlug(bad)).toThrow();
  });

  it('trims titles and refuses empty, multi-line and over-long ones', () => {
    expect(checkTitle('  Hello  ')).toBe('Hello');
    expect(() => checkTitle(' \t ')).toThrow();
    expect(() => checkTitle('a\nb')).toThrow();
    expect(() => checkTitle('x'.repeat(201))).toThrow();
    expect(checkTitle('😀'.repeat(200))).toHaveLength(400);
  });

  it('folds titles for link lookups', () => {
    expect(titleKey('  Team   HANDBOOK ')).toBe('team handbook');
  });

  it('measures bodies in bytes of UTF-8 and answers 413 above the limit', () => {
    expect(checkBody('é'.repeat(5), 10)).toBe('ééééé');
    try {
      checkBody('é'.repeat(6), 10);
      throw new Error('expected a 413');
    } catch (error) {
      expect((error as { getStatus(): number }).getStatus()).toBe(413);
    }
  });

  it('knows ancestors and subtrees by path', () => {
    expect(ancestorPaths('a/b/c')).toEqual(['a', 'a/b']);
    expect(ancestorPaths('a')).toEqual([]);
    expect(isWithin('a/b', 'a')).toBe(true);
    expect(isWithin('a', 'a')).toBe(true);
    expect(isWithin('ab', 'a')).toBe(false);
  });
});
