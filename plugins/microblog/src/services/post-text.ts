import { InvalidInput } from '@plein/sdk';

/** The messages the service answers with; the pages map them to catalogue keys. */
export const POST_MESSAGES = {
  empty: 'must not be empty',
  tooLong: 'must be at most {limit} characters (found {count})',
  control: 'must not contain control characters (other than new lines and tabs)',
  encoding: 'must be valid text: it contains a broken character (invalid UTF-8 or a lone surrogate)',
} as const;

export function invalid(field: string, message: string): InvalidInput {
  return new InvalidInput([{ field, message }]);
}

const segmenter = new Intl.Segmenter('en', { granularity: 'grapheme' });

/** Characters as a person counts them: `é` (e + accent) is one, so is 👩‍👩‍👧 or 🇳🇱. */
export function countCharacters(text: string): number {
  let count = 0;
  for (const _ of segmenter.segment(text)) count++;
  return count;
}

// C0 controls except tab (\u0009) and new line (\u000a), DEL and the C1 controls. Carriage returns
// are folded into new lines before this check, so a form's \r\n passes.
// eslint-disable-next-line no-control-regex -- the point is to find control characters
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;
/** A high surrogate without its low half, or a low one without its high half. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
/** U+FFFD: what a decoder puts in place of a byte sequence that is not UTF-8. */
const REPLACEMENT = /\ufffd/;

/**
 * A post's text as stored: new lines folded to `\n`, composed (NFC), without surrounding blank
 * space; refused with a 422 naming `field` when empty, broken, with control characters, or longer
 * than `limit` characters (graphemes).
 */
export function checkBody(raw: unknown, limit: number, field = 'body'): string {
  if (typeof raw !== 'string') throw invalid(field, 'must be a string');
  if (LONE_SURROGATE.test(raw) || REPLACEMENT.test(raw)) throw invalid(field, POST_MESSAGES.encoding);
  const folded = raw.replace(/\r\n?/g, '\n');
  if (CONTROL.test(folded)) throw invalid(field, POST_MESSAGES.control);
  const text = folded.normalize('NFC').trim();
  if (!text) throw invalid(field, POST_MESSAGES.empty);
  const count = countCharacters(text);
  if (count > limit)
    throw invalid(field, POST_MESSAGES.tooLong.replace('{limit}', String(limit)).replace('{count}', String(count)));
  return text;
}

/** A hashtag as the SDK's renderer reads it (letters, digits, `_` and `-`; not only digits). */
export const TAG_PATTERN = /^[\p{L}\p{N}_][\p{L}\p{N}_-]{0,63}$/u;

/** A tag from an address: lower case, or null when it cannot be a tag. */
export function tagFrom(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const tag = value.normalize('NFC').toLowerCase();
  return TAG_PATTERN.test(tag) && !/^\d+$/.test(tag) ? tag : null;
}

// ----- links in text

/** An http(s) address in text that is already HTML-escaped (`&amp;`, `&quot;`, `&lt;`, `&gt;`). */
const ADDRESS = /\bhttps?:\/\/(?:(?!&(?:quot|lt|gt|#39|#x27);)[^\s<>"'])+/gi;

/** Drops what usually ends a sentence rather than an address: `.`, `,`, `)` without its `(`. */
function trimAddress(address: string): string {
  let end = address.length;
  for (;;) {
    const last = address[end - 1];
    if (/[.,:;!?*]/.test(last)) end--;
    else if (last === ')') {
      const inside = address.slice(0, end);
      if ((inside.match(/\(/g)?.length ?? 0) < (inside.match(/\)/g)?.length ?? 0)) end--;
      else break;
    } else break;
  }
  return address.slice(0, end);
}

/**
 * Turns bare `https://…` addresses in the text of sanitised HTML into links (the SDK's renderer
 * links only `<https://…>` and `[text](https://…)`). Text inside links, code and preformatted
 * blocks is left alone. The text is already escaped, so the address is safe inside `href="…"` as
 * it is; only http and https are linked.
 */
export function linkifyHtml(html: string): string {
  let inside = 0;
  return html.replace(/(<[^>]*>)|([^<]+)/g, (_whole, tag: string | undefined, text: string | undefined) => {
    if (tag) {
      const match = /^<(\/?)(a|code|pre)\b/i.exec(tag);
      if (match) inside = Math.max(0, inside + (match[1] ? -1 : 1));
      return tag;
    }
    if (inside > 0 || !text) return text ?? '';
    return text.replace(ADDRESS, (found) => {
      const address = trimAddress(found);
      if (!/^https?:\/\/[^/?#.,:;!*()]/i.test(address)) return found;
      return `<a href="${address}" rel="noopener noreferrer nofollow">${address}</a>${found.slice(address.length)}`;
    });
  });
}

// ----- reactions

/** The fixed set of reactions, in the order they are shown; `name` is for addresses and labels. */
export const REACTIONS = [
  { emoji: '👍', name: 'thumbs-up' },
  { emoji: '❤️', name: 'heart' },
  { emoji: '🎉', name: 'party' },
  { emoji: '😄', name: 'smile' },
  { emoji: '🤔', name: 'thinking' },
  { emoji: '👀', name: 'eyes' },
] as const;

export type ReactionEmoji = (typeof REACTIONS)[number]['emoji'];

const bare = (s: string) => s.replace(/\ufe0f/g, '');

/** The reaction meant by `value` (the emoji, with or without its variation selector, or its name); null if none. */
export function reactionOf(value: unknown): ReactionEmoji | null {
  if (typeof value !== 'string') return null;
  const wanted = bare(value.trim());
  return REACTIONS.find((r) => bare(r.emoji) === wanted || r.name === wanted.toLowerCase())?.emoji ?? null;
}
