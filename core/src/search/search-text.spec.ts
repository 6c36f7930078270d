import fc from 'fast-check';
import { bodyOf, booleanQueries, foldWord, ftsMatch, HIT_END, HIT_START, hitParts, hitsHtml, indexTerms, indexText, markHits, queryWords, snippetOf } from './search-text';

describe('search text', () => {
  it('reduces a query to its words, folded, each once', () => {
    expect(queryWords('Café  één "NEAR" (x*) -HR café')).toEqual(['cafe', 'een', 'near', 'x', 'hr']);
    expect(queryWords('"*-()%\'')).toEqual([]);
    expect(queryWords('ÉÉN')).toEqual(['een']);
    expect(queryWords(Array.from({ length: 30 }, (_, i) => `w${i}`).join(' '))).toHaveLength(12);
  });

  it('folds case and diacritics', () => {
    expect(['Één', 'café', 'CAFÉ', 'naïve', 'Ångström'].map(foldWord)).toEqual(['een', 'cafe', 'cafe', 'naive', 'angstrom']);
  });

  it('quotes every word in the FTS5 expression, the last also as a prefix', () => {
    expect(ftsMatch(['hr', 'desk'])).toBe('"hr" AND ("desk" OR "desk"*)');
    expect(ftsMatch(['near'])).toBe('("near" OR "near"*)');
  });

  it('builds InnoDB boolean queries of prefixed terms only', () => {
    expect(booleanQueries(['it', 'de'])).toEqual({ all: '+w_it +(w_de w_de*)', any: 'w_it w_de w_de*' });
    expect(indexTerms('Het café, één keer (HR)!')).toBe('w_het w_cafe w_een w_keer w_hr');
  });

  it('never lets query syntax through: every word of any query is letters, digits and marks', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 200 }), (q) => {
        for (const word of queryWords(q)) expect(word).toMatch(/^[\p{L}\p{N}]+$/u);
        const { all, any } = booleanQueries(queryWords(q));
        // Plein's own operators (+, the parentheses around the last word, its *) around terms of word characters only.
        for (const term of `${all} ${any}`.split(' ').filter(Boolean)) expect(term).toMatch(/^\+?\(?w_[\p{L}\p{N}]+\*?\)?$/u);
      }),
    );
  });

  it('keeps Markdown markup out of indexed text, and the text itself', () => {
    expect(indexText('# Title\n\n> quoted **bold** and `code`\n- item\n1. first\nC# < 5 > 3')).toBe('Title quoted bold and code item first C# < 5 > 3');
    expect(indexText('a\u0002b\u0003c')).toBe('a b c');
  });

  it('takes the title off the start of the search text', () => {
    expect(bodyOf('Title', 'Title\nThe text')).toBe('The text');
    expect(bodyOf(null, 'The text')).toBe('The text');
    expect(bodyOf('Other', 'Title\nThe text')).toBe('Title\nThe text');
  });

  it('marks hits, the last word also where it starts a word', () => {
    expect(hitsHtml(markHits('Het café is open', ['cafe', 'op']))).toBe('Het <mark>café</mark> is <mark>open</mark>');
  });

  it('cuts an excerpt around the first hit, with ellipses where it was cut', () => {
    const text = Array.from({ length: 60 }, (_, i) => `w${i}`).join(' ');
    const excerpt = snippetOf(text, ['w40'], 10);
    expect(excerpt.startsWith('…w36 ')).toBe(true);
    expect(excerpt.endsWith(' w45…')).toBe(true);
    expect(hitsHtml(excerpt)).toContain('<mark>w40</mark>');
    expect(snippetOf('short text', ['zzz'])).toBe('short text');
  });

  it('turns marked text into HTML with nothing but <mark> unescaped', () => {
    expect(hitsHtml(`<b>x</b> & ${HIT_START}"y"${HIT_END} '`)).toBe('&lt;b&gt;x&lt;/b&gt; &amp; <mark>&quot;y&quot;</mark> &#39;');
    expect(hitParts(`a${HIT_START}b${HIT_END}c`)).toEqual([
      { text: 'a', hit: false },
      { text: 'b', hit: true },
      { text: 'c', hit: false },
    ]);
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), fc.array(fc.string({ maxLength: 5 }), { maxLength: 3 }), (text, words) => {
        const html = hitsHtml(markHits(text, queryWords(words.join(' '))));
        expect(html.replace(/<\/?mark>/g, '')).not.toMatch(/[<>"']/);
      }),
    );
  });
});
