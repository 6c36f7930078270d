import MarkdownIt from 'markdown-it';
import anchor from 'markdown-it-anchor';
import sanitizeHtml from 'sanitize-html';

/**
 * How {@link renderMarkdown} links the intranet's own syntax. Each resolver is optional: without
 * it, the syntax stays plain text.
 *
 * @example
 * ```ts
 * const options: MarkdownOptions = {
 *   wikiLink: (title) => ({ href: `/wiki/${slugify(title)}`, exists: titles.has(title) }),
 *   mention: (handle) => (known.has(handle) ? `/users/${handle}` : null),
 *   hashtag: (tag) => `/microblog/tags/${tag}`,
 * };
 * ```
 */
export interface MarkdownOptions {
  /** `[[Page title]]`: where it points and whether the page exists (missing pages get class `missing`). */
  wikiLink?: (title: string) => { href: string; exists: boolean };
  /** `@handle`: the profile link, or null to leave an unknown handle as plain text. */
  mention?: (handle: string) => string | null;
  /** `#tag`: the tag page link (tags arrive lower case). */
  hashtag?: (tag: string) => string | null;
  /** Give headings `id` anchors (default true). */
  anchors?: boolean;
}

/**
 * The result of {@link renderMarkdown}.
 *
 * @example
 * ```ts
 * const { html, headings } = renderMarkdown('# Title\n\nText');
 * headings[0]; // { level: 1, text: 'Title', id: 'title' }
 * ```
 */
export interface RenderedMarkdown {
  /** Sanitised HTML, safe to store and to print with `{{{…}}}` in a view. */
  html: string;
  /** Every heading with its anchor, for a table of contents. */
  headings: Array<{ level: number; text: string; id: string }>;
  /** Titles of the `[[wiki links]]` found, in order, without duplicates. */
  wikiLinks: string[];
  /** Handles `@mentioned` that the `mention` resolver knew, lower case, without duplicates. */
  mentions: string[];
  /** `#hashtags`, lower case, without duplicates. */
  hashtags: string[];
}

const HANDLE = /^@([a-z0-9][a-z0-9_.-]{1,31})/i;
const TAG = /^#([\p{L}\p{N}_][\p{L}\p{N}_-]{0,63})/u;

function wikiLinkRule(state: MarkdownIt.StateInline, silent: boolean): boolean {
  const env = state.env as unknown as RenderEnv;
  if (!env.options.wikiLink || !state.src.startsWith('[[', state.pos)) return false;
  const end = state.src.indexOf(']]', state.pos + 2);
  if (end < 0) return false;
  const inner = state.src.slice(state.pos + 2, end);
  const [target, label] = inner.split('|').map((s) => s.trim());
  if (!target || target.length > 200 || /[[\]\n]/.test(inner)) return false;
  if (!silent) {
    const { href, exists } = env.options.wikiLink(target);
    const open = state.push('link_open', 'a', 1);
    open.attrs = [['href', href], ['class', exists ? 'wikilink' : 'wikilink missing']];
    if (!exists) open.attrs.push(['title', `Create “${target}”`]);
    state.push('text', '', 0).content = label || target;
    state.push('link_close', 'a', -1);
    if (!env.wikiLinks.includes(target)) env.wikiLinks.push(target);
  }
  state.pos = end + 2;
  return true;
}

/** `@handle` and `#tag` only at a word start, so e-mail addresses and URL fragments stay as they are. */
function atWordStart(state: MarkdownIt.StateInline): boolean {
  return state.pos === 0 || /[\s([{"'>]/.test(state.src[state.pos - 1]);
}

function mentionRule(state: MarkdownIt.StateInline, silent: boolean): boolean {
  const env = state.env as unknown as RenderEnv;
  if (!env.options.mention || state.src[state.pos] !== '@' || !atWordStart(state)) return false;
  const match = HANDLE.exec(state.src.slice(state.pos));
  if (!match) return false;
  const handle = match[1].replace(/[.-]+$/, '');
  const href = env.options.mention(handle.toLowerCase());
  if (!href) return false;
  if (!silent) {
    const open = state.push('link_open', 'a', 1);
    open.attrs = [['href', href], ['class', 'mention']];
    state.push('text', '', 0).content = `@${handle}`;
    state.push('link_close', 'a', -1);
    if (!env.mentions.includes(handle.toLowerCase())) env.mentions.push(handle.toLowerCase());
  }
  state.pos += handle.length + 1;
  return true;
}

function hashtagRule(state: MarkdownIt.StateInline, silent: boolean): boolean {
  const env = state.env as unknown as RenderEnv;
  if (!env.options.hashtag || state.src[state.pos] !== '#' || !atWordStart(state)) return false;
  const match = TAG.exec(state.src.slice(state.pos));
  if (!match || /^\d+$/.test(match[1])) return false;
  const tag = match[1].toLowerCase();
  const href = env.options.hashtag(tag);
  if (!href) return false;
  if (!silent) {
    const open = state.push('link_open', 'a', 1);
    open.attrs = [['href', href], ['class', 'hashtag']];
    state.push('text', '', 0).content = match[0];
    state.push('link_close', 'a', -1);
    if (!env.hashtags.includes(tag)) env.hashtags.push(tag);
  }
  state.pos += match[0].length;
  return true;
}

interface RenderEnv {
  options: MarkdownOptions;
  wikiLinks: string[];
  mentions: string[];
  hashtags: string[];
}

function slugify(text: string): string {
  return (
    text
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s-]/gu, '')
      .trim()
      .replace(/\s+/g, '-')
      .slice(0, 80) || 'section'
  );
}

function build(anchors: boolean): MarkdownIt.MarkdownIt {
  // CommonMark with raw HTML off (the first wall), plus GFM tables and strikethrough.
  const md = new MarkdownIt('commonmark', { html: false, linkify: false });
  md.enable(['table', 'strikethrough']);
  md.inline.ruler.before('link', 'plein_wikilink', wikiLinkRule);
  md.inline.ruler.before('emphasis', 'plein_mention', mentionRule);
  md.inline.ruler.before('emphasis', 'plein_hashtag', hashtagRule);
  if (anchors) md.use(anchor, { slugify, tabIndex: false });
  return md;
}

const withAnchors = build(true);
const withoutAnchors = build(false);

function alignClass(tagName: string, attribs: sanitizeHtml.Attributes): sanitizeHtml.Tag {
  const align = /text-align:\s*(left|right|center)/.exec(attribs.style ?? '')?.[1];
  return { tagName, attribs: align ? { class: `align-${align}` } : {} };
}

/** The second wall: whatever the Markdown produced, only these tags, attributes and schemes survive. */
// `allowedEmptyAttributes` exists in sanitize-html 2.x but not in its published types.
const SANITIZE: sanitizeHtml.IOptions & { allowedEmptyAttributes: string[] } = {
  allowedTags: [
    'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'p', 'br', 'hr', 'blockquote', 'pre', 'code', 'em', 'strong', 's', 'del',
    'ul', 'ol', 'li', 'a', 'img', 'table', 'thead', 'tbody', 'tr', 'th', 'td',
  ],
  allowedAttributes: {
    a: ['href', 'title', 'class', 'rel'],
    img: ['src', 'alt', 'title'],
    code: ['class'],
    ol: ['start'],
    th: ['class'],
    td: ['class'],
    h1: ['id'], h2: ['id'], h3: ['id'], h4: ['id'], h5: ['id'], h6: ['id'],
  },
  allowedClasses: { a: ['wikilink', 'missing', 'mention', 'hashtag'], code: [/^language-\S+$/], th: [/^align-(left|right|center)$/], td: [/^align-(left|right|center)$/] },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowedSchemesByTag: { img: ['http', 'https'] },
  allowProtocolRelative: false,
  allowedEmptyAttributes: ['alt', 'href'],
  // Link schemes are checked by the denylist in `a` below (any scheme a person may legitimately use,
  // irc: or a custom app's, stays a link); images keep the strict allowlist.
  allowedSchemesAppliedToAttributes: ['src', 'cite'],
  transformTags: {
    // The CSP forbids style attributes: table alignment travels as a class the theme styles.
    th: (tagName, attribs) => alignClass(tagName, attribs),
    td: (tagName, attribs) => alignClass(tagName, attribs), a: (tagName, attribs) => (/^https?:/i.test(attribs.href ?? '') ? { tagName, attribs: { ...attribs, rel: 'noopener noreferrer nofollow' } } : { tagName, attribs }) },
};

/**
 * The one Markdown renderer every plugin uses: CommonMark (plus tables and strikethrough) with raw
 * HTML off, then sanitize-html as a second wall. Render once, when content is written, and store
 * the HTML; reads print it with `{{{…}}}` and never render again.
 *
 * @example
 * ```ts
 * const { html, headings, wikiLinks } = renderMarkdown(body, { wikiLink: (t) => ({ href: `/wiki/${t}`, exists: true }) });
 * ```
 */
export function renderMarkdown(source: string, options: MarkdownOptions = {}): RenderedMarkdown {
  const env: RenderEnv = { options, wikiLinks: [], mentions: [], hashtags: [] };
  const md = options.anchors === false ? withoutAnchors : withAnchors;
  const tokens = md.parse(source, env as unknown as MarkdownIt.Env);
  const headings: RenderedMarkdown['headings'] = [];
  tokens.forEach((token, i) => {
    if (token.type === 'heading_open') {
      const inline = tokens[i + 1];
      headings.push({ level: Number(token.tag.slice(1)), text: inline?.children?.filter((c) => c.type === 'text' || c.type === 'code_inline').map((c) => c.content).join('') ?? '', id: String(token.attrGet('id') ?? '') });
    }
  });
  const html = sanitizeHtml(md.renderer.render(tokens, md.options, env as unknown as MarkdownIt.Env), SANITIZE);
  return { html, headings, wikiLinks: env.wikiLinks, mentions: env.mentions, hashtags: env.hashtags };
}

/**
 * The `@handles` in a text (lower case, without duplicates), skipping code spans and blocks; the
 * one parser for mentions in every plugin.
 *
 * @example
 * ```ts
 * extractMentions('Thanks @Ada and @bob! `@not-me`'); // ['ada', 'bob']
 * ```
 */
export function extractMentions(source: string): string[] {
  return renderMarkdown(source, { mention: (h) => `/users/${h}`, anchors: false }).mentions;
}

/**
 * The `#hashtags` in a text (lower case, without duplicates), skipping code and headings' `#`.
 *
 * @example
 * ```ts
 * extractHashtags('Release #Q4 #q4 #launch'); // ['q4', 'launch']
 * ```
 */
export function extractHashtags(source: string): string[] {
  return renderMarkdown(source, { hashtag: (t) => `/tags/${t}`, anchors: false }).hashtags;
}
