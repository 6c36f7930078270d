/**
 * Words, queries and highlighted excerpts for search, the same on both engines. Nothing the user
 * typed reaches a full-text query as syntax: a query is reduced to its words (letters, digits and
 * combining marks), and each word is quoted (SQLite FTS5) or turned into an index term (MySQL).
 */

/** The longest query people may send, in characters (longer is a 422 naming `q`). */
export const MAX_QUERY_LENGTH = 200;

/** Words a query keeps; more add little and make the full-text query slow. */
const MAX_QUERY_WORDS = 12;

/** InnoDB ignores longer tokens (`innodb_ft_max_token_size` is 84); the prefix takes two. */
const MAX_TERM_LENGTH = 80;

/** Around each hit: the markers `snippet()`/`highlight()` and {@link markHits} put in the text. */
export const HIT_START = '\u0002';
export const HIT_END = '\u0003';
const HIT_MARKERS = new RegExp(`(${HIT_START}|${HIT_END})`);

const WORD = /[\p{L}\p{N}\p{M}]+/gu;
// Control characters would be taken for hit markers; everything a person writes stays.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g;
/** Markdown that is only markup: heading, quote and list markers at a line's start, emphasis and code fences. */
const MARKDOWN_LINE_START = /^[ \t]{0,3}(?:#{1,6}|>+|[-*+]|\d{1,9}[.)])[ \t]+/gm;
const MARKDOWN_MARKS = /\*\*|__|~~|`+/g;

/** A word as the index compares it: lower case, diacritics folded (`Één` → `een`). */
export function foldWord(word: string): string {
  return word.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

/** The words of a query, in order, each once, at most {@link MAX_QUERY_WORDS}. */
export function queryWords(q: string): string[] {
  const seen = new Set<string>();
  const words: string[] = [];
  for (const [word] of q.normalize('NFC').matchAll(WORD)) {
    const folded = foldWord(word);
    if (!folded || seen.has(folded)) continue;
    seen.add(folded);
    words.push(folded.slice(0, MAX_TERM_LENGTH));
    if (words.length === MAX_QUERY_WORDS) break;
  }
  return words;
}

/**
 * The FTS5 MATCH expression for `words`: each word a quoted string (so `NEAR`, `-`, `*`, `"` and
 * parentheses are text, not syntax), all required; the last may also be the start of a longer word
 * (people type as they search), and an exact last word ranks above a word it starts.
 */
export function ftsMatch(words: readonly string[]): string {
  const quoted = words.map((w) => `"${w.replace(/"/g, '""')}"`);
  const last = quoted.length - 1;
  return quoted.map((w, i) => (i === last ? `(${w} OR ${w}*)` : w)).join(' AND ');
}

/** A word as the MySQL index stores it (see the migration: the prefix beats min size and stopwords). */
export function indexTerm(folded: string): string {
  return `w_${folded.slice(0, MAX_TERM_LENGTH)}`;
}

/** The MySQL index terms of a text: every word, folded and prefixed, separated by spaces. */
export function indexTerms(text: string | null | undefined): string {
  if (!text) return '';
  return Array.from(text.normalize('NFC').matchAll(WORD), ([word]) => indexTerm(foldWord(word))).join(' ');
}

/**
 * The InnoDB boolean-mode queries for `words`: `all` requires every word (the last also as a
 * prefix), `any` scores each word present (used to weigh matches in titles).
 */
export function booleanQueries(words: readonly string[]): { all: string; any: string } {
  const terms = words.map(indexTerm);
  const last = terms.length - 1;
  return {
    all: terms.map((t, i) => (i === last ? `+(${t} ${t}*)` : `+${t}`)).join(' '),
    any: terms.map((t, i) => (i === last ? `${t} ${t}*` : t)).join(' '),
  };
}

/** Text as the search index keeps it: no control characters, no Markdown punctuation, one space between words. */
export function indexText(text: string | null | undefined): string {
  if (!text) return '';
  return text.replace(CONTROL, ' ').replace(MARKDOWN_LINE_START, '').replace(MARKDOWN_MARKS, '').replace(/\s+/g, ' ').trim();
}

/**
 * The body of a content record's search text: `searchText` starts with the title on a line of its
 * own (Contents writes `title\ntext`), which the index keeps in its own column.
 */
export function bodyOf(title: string | null, searchText: string | null): string {
  const text = searchText ?? '';
  return title && text.startsWith(`${title}\n`) ? text.slice(title.length + 1) : text;
}

interface Token {
  start: number;
  end: number;
  hit: boolean;
}

function tokens(text: string, words: readonly string[]): Token[] {
  const exact = new Set(words);
  const prefix = words[words.length - 1];
  return Array.from(text.matchAll(WORD), (m) => {
    const folded = foldWord(m[0]);
    return { start: m.index, end: m.index + m[0].length, hit: exact.has(folded) || (prefix !== undefined && folded.startsWith(prefix)) };
  });
}

function marked(text: string, list: Token[], from: number, to: number): string {
  let out = '';
  let at = from;
  for (const t of list) {
    if (t.end <= from || t.start >= to) continue;
    out += text.slice(at, t.start);
    out += t.hit ? `${HIT_START}${text.slice(t.start, t.end)}${HIT_END}` : text.slice(t.start, t.end);
    at = t.end;
  }
  return out + text.slice(at, to);
}

/** `text` with every word of the query marked (what `highlight()` does on SQLite). */
export function markHits(text: string, words: readonly string[]): string {
  const clean = indexText(text);
  return marked(clean, tokens(clean, words), 0, clean.length);
}

/**
 * About `size` words of `text` around the first hit, hits marked, `…` where it was cut (what
 * `snippet()` does on SQLite).
 */
export function snippetOf(text: string, words: readonly string[], size = 24): string {
  const clean = indexText(text);
  const list = tokens(clean, words);
  if (list.length === 0) return clean.slice(0, 200);
  const first = Math.max(0, list.findIndex((t) => t.hit));
  const start = Math.max(0, Math.min(first - 4, list.length - size));
  const end = Math.min(list.length, start + size);
  const from = start === 0 ? 0 : list[start].start;
  const to = end === list.length ? clean.length : list[end - 1].end;
  return `${start > 0 ? '…' : ''}${marked(clean, list, from, to)}${end < list.length ? '…' : ''}`;
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

/** Marked text as pieces, for templates that print each piece escaped (`{{#if hit}}<mark>…`). */
export function hitParts(markedText: string): Array<{ text: string; hit: boolean }> {
  const parts: Array<{ text: string; hit: boolean }> = [];
  let hit = false;
  for (const piece of markedText.split(HIT_MARKERS)) {
    if (piece === HIT_START) hit = true;
    else if (piece === HIT_END) hit = false;
    else if (piece) parts.push({ text: piece, hit });
  }
  return parts;
}

/** Marked text as safe HTML: every character the text holds escaped, `<mark>` around the hits and nothing else. */
export function hitsHtml(markedText: string): string {
  return hitParts(markedText)
    .map((p) => (p.hit ? `<mark>${escapeHtml(p.text)}</mark>` : escapeHtml(p.text)))
    .join('');
}
