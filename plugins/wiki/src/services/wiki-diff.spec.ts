import { lineHunks, sideBySide } from './wiki-diff';

describe('wiki line diff', () => {
  it('answers no hunks for equal texts, whatever the final newline', () => {
    expect(lineHunks('a\nb', 'a\nb\n')).toEqual([]);
  });

  it('reports a changed line with its context and numbers', () => {
    const hunks = lineHunks('one\ntwo\nthree\n', 'one\n2\nthree\n');
    expect(hunks).toEqual([
      { oldStart: 1, oldLines: 3, newStart: 1, newLines: 3, lines: [' one', '-two', '+2', ' three'] },
    ]);
    expect(sideBySide(hunks).map((r) => r.kind)).toEqual(['context', 'changed', 'context']);
  });

  it('pairs runs of unequal length and separates distant hunks with a gap', () => {
    const old = Array.from({ length: 20 }, (_, i) => `line ${i + 1}`).join('\n');
    const changed = old.replace('line 2\n', 'line two\nline two and a half\n').replace('line 19', 'line nineteen');
    const rows = sideBySide(lineHunks(old, changed));
    expect(rows.filter((r) => r.kind === 'gap')).toHaveLength(1);
    expect(rows.find((r) => r.kind === 'added')).toEqual({
      kind: 'added',
      left: null,
      right: { number: 3, text: 'line two and a half' },
    });
    expect(rows.find((r) => r.kind === 'changed' && r.left?.text === 'line 19')?.right).toEqual({
      number: 20,
      text: 'line nineteen',
    });
  });

  it('falls back to one replacement hunk when the texts are too different to diff quickly', () => {
    const a = Array.from({ length: 30_000 }, (_, i) => `a${i}`).join('\n');
    const b = Array.from({ length: 30_000 }, (_, i) => `b${i}`).join('\n');
    const started = Date.now();
    const hunks = lineHunks(a, b);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(hunks).toHaveLength(1);
    expect(hunks[0].lines).toHaveLength(60_000);
  });
});
