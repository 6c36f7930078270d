import { pageCount, pageLinks, pageOf, pageRange } from './forum-paging';

describe('page numbers of a topic', () => {
  it('maps a page to the positions it shows, whatever its depth', () => {
    expect(pageRange(1, 20)).toEqual({ after: 0, through: 20 });
    expect(pageRange(500, 20)).toEqual({ after: 9980, through: 10000 });
  });

  it('finds the page that shows a position', () => {
    expect(pageOf(1, 20)).toBe(1);
    expect(pageOf(20, 20)).toBe(1);
    expect(pageOf(21, 20)).toBe(2);
    expect(pageOf(10_000, 20)).toBe(500);
    expect(pageOf(0, 20)).toBe(1);
  });

  it('counts pages from the last position, with at least one page', () => {
    expect(pageCount(0, 20)).toBe(1);
    expect(pageCount(20, 20)).toBe(1);
    expect(pageCount(21, 20)).toBe(2);
  });

  it('offers the first, the last and the pages around the current one, with gaps marked', () => {
    expect(pageLinks(1, 1)).toEqual([1]);
    expect(pageLinks(1, 3)).toEqual([1, 2, 3]);
    expect(pageLinks(10, 500)).toEqual([1, null, 8, 9, 10, 11, 12, null, 500]);
    expect(pageLinks(500, 500)).toEqual([1, null, 498, 499, 500]);
  });
});
