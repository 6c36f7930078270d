import type { TestIntranet, TestUser } from '@plein/sdk/testing';

/**
 * Every tag in `html` is one the sanitiser allows (plus the page's own), no attribute is an event
 * handler, and no link or image points at a script or data URL: what reads as a vector is text.
 */
export function expectInert(html: string, extraTags: string[] = []): void {
  const allowed = new Set([
    ...['h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'p', 'br', 'hr', 'blockquote', 'pre', 'code', 'em', 'strong', 's', 'del'],
    ...['ul', 'ol', 'li', 'a', 'img', 'table', 'thead', 'tbody', 'tr', 'th', 'td'],
    ...extraTags,
  ]);
  const decode = (v: string) =>
    v
      .replace(/&#x([0-9a-f]+);?/gi, (_, h) => String.fromCharCode(parseInt(h, 16)))
      .replace(/&#(\d+);?/g, (_, d) => String.fromCharCode(Number(d)))
      .replace(/&amp;/g, '&')
      .replace(/&quot;/g, '"');
  for (const [, tag, attrs] of html.matchAll(/<([a-zA-Z][a-zA-Z0-9]*)([^>]*)>/g)) {
    expect(allowed).toContain(tag.toLowerCase());
    for (const [, name, value] of attrs.matchAll(/([^\s=]+)="([^"]*)"/g)) {
      expect(name.toLowerCase()).not.toMatch(/^on/);
      const scheme = [...decode(value)].filter((c) => c.charCodeAt(0) > 0x20).join('');
      if (/^(href|src|action)$/i.test(name)) expect(scheme).not.toMatch(/^(javascript|vbscript|data):/i);
    }
  }
}

/** The OWASP filter-evasion vectors, as they would arrive in a post. */
export const XSS_VECTORS = [
  '<script>alert(1)</script>',
  '<SCRIPT SRC=http://xss.example/xss.js></SCRIPT>',
  '<IMG SRC="javascript:alert(\'XSS\');">',
  "<IMG SRC=JaVaScRiPt:alert('XSS')>",
  '<IMG """><SCRIPT>alert("XSS")</SCRIPT>"\\>',
  '<img src=x onerror=alert(1)>',
  '<svg/onload=alert(1)>',
  '<svg><script>alert(1)</script></svg>',
  "<BODY ONLOAD=alert('XSS')>",
  '<iframe src="javascript:alert(1)"></iframe>',
  '<a href="javascript:alert(1)">x</a>',
  '<div style="background-image: url(javascript:alert(1))">',
  '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
  '<object data="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg=="></object>',
  '[click](javascript:alert(1))',
  '[click](JAVASCRIPT:alert(1))',
  '[click](&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1))',
  '[click](java\tscript:alert(1))',
  '[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)',
  '[click](vbscript:msgbox(1))',
  '![img](javascript:alert(1))',
  '![img](x" onerror="alert(1))',
  '![svg](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)',
  '<a href="&#x6A;avascript:alert(1)">x</a>',
  '@"><script>alert(1)</script>',
  '`<script>alert(1)</script>`',
];

/** Titles that try to break out of an attribute or a tag. */
export const XSS_TITLES = [
  '<script>alert("title")</script>',
  '"><img src=x onerror=alert(1)>',
  "'><svg onload=alert(1)>",
  '{{constructor.constructor("alert(1)")()}}',
];

/** The main element of a page, where the forum's own markup is. */
export const main = (html: string): string => html.slice(html.indexOf('<main'), html.indexOf('</main>'));

/** A category (created by an administrator) and its id. */
export async function category(admin: TestUser, body: Record<string, unknown>): Promise<{ id: string; slug: string }> {
  const res = await admin.http.post('/api/v1/forum/categories').send(body).expect(201);
  return res.body;
}

/** A topic started by `who` in a category, as the API answers it. */
export async function topic(
  who: TestUser,
  categoryRef: string,
  body: Record<string, unknown> = {},
): Promise<{ id: string; firstPostId: string; contentId: string; [key: string]: unknown }> {
  const res = await who.http
    .post(`/api/v1/forum/categories/${categoryRef}/topics`)
    .send({ title: 'A topic', body: 'Its opening post', ...body })
    .expect(201);
  return res.body;
}

export async function reply(
  who: TestUser,
  topicId: string,
  body: Record<string, unknown> = {},
): Promise<{ id: string; position: number; contentId: string; [key: string]: unknown }> {
  const res = await who.http
    .post(`/api/v1/forum/topics/${topicId}/posts`)
    .send({ body: 'A reply', ...body })
    .expect(201);
  return res.body;
}

/** A space and its id, made by `owner` (who becomes its admin). */
export async function space(owner: TestUser, slug: string, visibility: 'public' | 'private'): Promise<string> {
  const res = await owner.http
    .post('/api/v1/spaces')
    .send({ slug, name: slug, visibility, joinPolicy: visibility === 'public' ? 'open' : 'invite' })
    .expect(201);
  return res.body.id;
}

export async function addMember(
  owner: TestUser,
  spaceId: string,
  user: TestUser,
  role: 'member' | 'moderator' | 'admin' = 'member',
): Promise<void> {
  await owner.http.post(`/api/v1/spaces/${spaceId}/members`).send({ userId: user.user.id, role }).expect(201);
}

export type { TestIntranet };
