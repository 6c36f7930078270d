import { createTestIntranet, type TestIntranet, type TestUser } from '@plein/sdk/testing';
import wiki from '../src';

jest.setTimeout(60_000);

/**
 * Every tag in `html` is one the sanitiser allows, no attribute is an event handler, and no link
 * or image points at a script or data URL: what reads as a vector in the text is only text.
 */
function expectInert(html: string): void {
  const allowed = new Set([
    'h1',
    'h2',
    'h3',
    'h4',
    'h5',
    'h6',
    'p',
    'br',
    'hr',
    'blockquote',
    'pre',
    'code',
    'em',
    'strong',
    's',
    'del',
    'ul',
    'ol',
    'li',
    'a',
    'img',
    'table',
    'thead',
    'tbody',
    'tr',
    'th',
    'td',
    'article',
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
      // Browsers ignore whitespace and control characters inside a scheme (`java\tscript:`).
      const scheme = [...decode(value)].filter((c) => c.charCodeAt(0) > 0x20).join('');
      if (/^(href|src)$/i.test(name)) expect(scheme).not.toMatch(/^(javascript|vbscript|data):/i);
    }
  }
}

/** The JSON API: pages, the tree, slugs, move, delete and restore, limits, private spaces, XSS. */
describe('wiki pages and tree', () => {
  let intranet: TestIntranet;
  let ada: TestUser;
  let bob: TestUser;
  let admin: TestUser;
  let spaceId: string;

  beforeAll(async () => {
    intranet = await createTestIntranet({ plugins: [wiki] });
    ada = await intranet.createUser({ handle: 'ada', displayName: 'Ada Lovelace' });
    bob = await intranet.createUser({ handle: 'bob', displayName: 'Bob Builder' });
    admin = await intranet.createUser({ handle: 'root', roles: ['admin'] });
    spaceId = (
      await ada.http
        .post('/api/v1/spaces')
        .send({ slug: 'engineering', name: 'Engineering', visibility: 'public', joinPolicy: 'open' })
        .expect(201)
    ).body.id;
  });
  afterAll(() => intranet.close());

  const create = (who: TestUser, body: Record<string, unknown>) => who.http.post('/api/v1/wiki/pages').send(body);

  it('creates a page in a space with a slug path, revision 1 and stored HTML', async () => {
    const res = await create(ada, { title: 'Team Handbook', body: '# Welcome\n\nRead *this* first.', spaceId }).expect(
      201,
    );
    expect(res.body).toMatchObject({
      type: 'wiki.page',
      status: 'published',
      author: { handle: 'ada' },
      spaceId,
      space: { slug: 'engineering' },
      title: 'Team Handbook',
      slug: 'team-handbook',
      path: '/wiki/engineering/team-handbook',
      revision: 1,
      parentId: null,
      children: [],
    });
    expect(res.body.html).toBe('<h1 id="welcome">Welcome</h1>\n<p>Read <em>this</em> first.</p>\n');
    const read = await intranet.http.get(`/api/v1/wiki/pages/${res.body.id}`).expect(200);
    expect(read.body).toMatchObject({
      id: res.body.id,
      revision: 1,
      body: '# Welcome\n\nRead *this* first.',
      html: res.body.html,
    });
  });

  it('accepts a space slug as spaceId, and nests pages under a parent in its space', async () => {
    const parent = await create(ada, { title: 'Onboarding', spaceId: 'engineering' }).expect(201);
    const child = await create(bob, {
      title: 'First week',
      body: 'Laptop, badge, lunch.',
      parentId: parent.body.id,
    }).expect(201);
    expect(child.body).toMatchObject({
      spaceId,
      parentId: parent.body.id,
      path: '/wiki/engineering/onboarding/first-week',
    });
    const again = await intranet.http.get(`/api/v1/wiki/pages/${parent.body.id}`).expect(200);
    expect(again.body.children).toEqual([
      expect.objectContaining({
        id: child.body.id,
        title: 'First week',
        url: '/wiki/engineering/onboarding/first-week',
      }),
    ]);
  });

  it('puts pages without a space under the organisation-wide segment', async () => {
    const res = await create(ada, { title: 'Holidays 2025' }).expect(201);
    expect(res.body).toMatchObject({ spaceId: null, path: '/wiki/-/holidays-2025' });
  });

  it('numbers a slug made from a title that is already taken, and refuses a taken explicit slug with 409', async () => {
    const first = await create(ada, { title: 'FAQ', spaceId }).expect(201);
    const second = await create(bob, { title: 'faq', spaceId }).expect(201);
    expect([first.body.slug, second.body.slug]).toEqual(['faq', 'faq-2']);
    const taken = await create(bob, { title: 'Questions', slug: 'faq', spaceId }).expect(409);
    expect(taken.body.errors).toEqual([{ field: 'slug', message: 'another page here already has this slug' }]);
  });

  it('makes a slug of a title without Latin letters', async () => {
    const res = await create(ada, { title: 'Über uns — 日本語' }).expect(201);
    expect(res.body.slug).toBe('uber-uns');
    const only = await create(ada, { title: '日本語' }).expect(201);
    expect(only.body.slug).toBe('page');
  });

  it.each([
    ['..'],
    ['../etc'],
    ['a/b'],
    ['a\\b'],
    ['%2e%2e'],
    ['UPPER'],
    ['with space'],
    ['tab\there'],
    ['nul\u0000'],
    ['-lead'],
    ['trail-'],
    ['dou--ble'],
    ['.hidden'],
    ['x'.repeat(101)],
  ])('refuses the slug %j with 422 naming the field', async (slug) => {
    const res = await create(ada, { title: 'Traversal', slug, spaceId }).expect(422);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.body.errors).toEqual([{ field: 'slug', message: expect.stringContaining('a-z, 0-9') }]);
  });

  it('answers 404 for addresses with traversal or bad segments instead of reading elsewhere', async () => {
    for (const path of [
      '/wiki/engineering/..%2F..%2Fetc%2Fpasswd',
      '/wiki/engineering/team-handbook/..',
      '/wiki/engineering/%2e%2e/team-handbook',
      '/wiki/engineering/Team-Handbook',
      '/wiki/-/%00',
    ]) {
      const res = await intranet.http.get(path);
      expect([400, 404]).toContain(res.status);
    }
    const resolved = await intranet.http
      .get('/api/v1/wiki/resolve')
      .query({ space: 'engineering', path: 'onboarding/../team-handbook' });
    expect(resolved.status).toBe(404);
  });

  it('validates titles and sizes: 422 naming the title, 413 naming the body', async () => {
    expect((await create(ada, { title: '   ' }).expect(422)).body.errors).toEqual([
      { field: 'title', message: 'must not be empty' },
    ]);
    expect((await create(ada, { title: 'x'.repeat(201) }).expect(422)).body.errors).toEqual([
      { field: 'title', message: 'must be at most 200 characters' },
    ]);
    expect((await create(ada, { title: 'Two\nlines' }).expect(422)).body.errors[0].field).toBe('title');
    const unknown = await create(ada, { title: 'x', admin: true }).expect(422);
    expect(unknown.body.errors.map((e: { field: string }) => e.field)).toContain('admin');
    const big = await create(ada, { title: 'Big', body: 'é'.repeat(100_001) }).expect(413);
    expect(big.headers['content-type']).toContain('application/problem+json');
    expect(big.body.errors).toEqual([{ field: 'body', message: 'is larger than the limit of 200000 bytes' }]);
  });

  it('stores a body of exactly the limit (200 kB)', async () => {
    await create(ada, { title: 'Just fits', body: 'a'.repeat(200_000) }).expect(201);
  });

  it('refuses an unknown parent with 422 naming parentId, and a parent in another space', async () => {
    expect(
      (await create(ada, { title: 'Orphan', parentId: '00000000-0000-0000-0000-000000000000' }).expect(422)).body
        .errors,
    ).toEqual([{ field: 'parentId', message: 'no such page in this space' }]);
    const org = await create(ada, { title: 'Org parent' }).expect(201);
    const res = await create(ada, { title: 'Cross', spaceId, parentId: org.body.id }).expect(422);
    expect(res.body.errors[0].field).toBe('parentId');
  });

  it('lists the tree of a space with children nested, titles in order', async () => {
    const tree = await intranet.http.get('/api/v1/wiki/tree').query({ spaceId: 'engineering' }).expect(200);
    expect(tree.body.nextCursor).toBeNull();
    const titles = tree.body.items.map((n: { title: string }) => n.title);
    expect(titles).toEqual([...titles].sort((a: string, b: string) => a.toLowerCase().localeCompare(b.toLowerCase())));
    const onboarding = tree.body.items.find((n: { title: string }) => n.title === 'Onboarding');
    expect(onboarding.children.map((c: { title: string }) => c.title)).toEqual(['First week']);
    const org = await intranet.http.get('/api/v1/wiki/tree').expect(200);
    expect(org.body.items.map((n: { title: string }) => n.title)).toContain('Holidays 2025');
    expect(org.body.items.map((n: { title: string }) => n.title)).not.toContain('Onboarding');
  });

  it('moves a page with its children, redirects the old address, and refuses a cycle with 409', async () => {
    const guides = await create(ada, { title: 'Guides', spaceId }).expect(201);
    const onboarding = (
      await intranet.http.get('/api/v1/wiki/resolve').query({ space: 'engineering', path: 'onboarding' }).expect(200)
    ).body;
    const moved = await bob.http
      .post(`/api/v1/wiki/pages/${onboarding.id}/move`)
      .send({ parentId: guides.body.id })
      .expect(200);
    expect(moved.body).toMatchObject({ parentId: guides.body.id, path: '/wiki/engineering/guides/onboarding' });
    const child = moved.body.children[0];
    expect(child.url).toBe('/wiki/engineering/guides/onboarding/first-week');
    // Old addresses answer 301 to the new ones, for the page and the pages under it.
    const old = await intranet.http.get('/wiki/engineering/onboarding/first-week').expect(301);
    expect(old.headers.location).toBe('/wiki/engineering/guides/onboarding/first-week');
    expect(
      (await intranet.http.get('/api/v1/wiki/resolve').query({ space: 'engineering', path: 'onboarding' }).expect(200))
        .body.movedFrom,
    ).toBe('onboarding');
    // Moving Guides under its own grandchild would make a cycle.
    const cycle = await bob.http
      .post(`/api/v1/wiki/pages/${guides.body.id}/move`)
      .send({ parentId: child.id })
      .expect(409);
    expect(cycle.headers['content-type']).toContain('application/problem+json');
    expect(cycle.body.errors).toEqual([{ field: 'parentId', message: 'would make a cycle' }]);
    await bob.http.post(`/api/v1/wiki/pages/${guides.body.id}/move`).send({ parentId: guides.body.id }).expect(409);
    // And back to the top level.
    const top = await bob.http.post(`/api/v1/wiki/pages/${onboarding.id}/move`).send({ parentId: null }).expect(200);
    expect(top.body.path).toBe('/wiki/engineering/onboarding');
    await intranet.http.get('/wiki/engineering/guides/onboarding').expect(301);
  });

  it('soft-deletes a page with its subtree, hides it from everyone but those who may restore it, and restores it', async () => {
    const parent = await create(ada, { title: 'Old project', spaceId }).expect(201);
    const child = await create(ada, { title: 'Old notes', parentId: parent.body.id }).expect(201);
    await bob.http.delete(`/api/v1/wiki/pages/${parent.body.id}`).expect(403);
    await ada.http.delete(`/api/v1/wiki/pages/${parent.body.id}`).expect(204);
    for (const id of [parent.body.id, child.body.id]) await bob.http.get(`/api/v1/wiki/pages/${id}`).expect(404);
    const tree = await bob.http.get('/api/v1/wiki/tree').query({ spaceId }).expect(200);
    expect(JSON.stringify(tree.body)).not.toContain('Old project');
    expect(intranet.events.filter((e) => e.name === 'content.deleted').length).toBeGreaterThanOrEqual(2);
    // Members may not restore (Ada may: she administers the space); administrators see the trash.
    await bob.http.post(`/api/v1/wiki/pages/${parent.body.id}/restore`).expect(403);
    await bob.http.get('/api/v1/wiki/deleted').query({ spaceId }).expect(403);
    const trash = await admin.http.get('/api/v1/wiki/deleted').query({ spaceId }).expect(200);
    expect(trash.body.items.map((p: { title: string }) => p.title)).toEqual(['Old project']);
    expect((await admin.http.get(`/api/v1/wiki/pages/${parent.body.id}`).expect(200)).body).toMatchObject({
      status: 'deleted',
      deleted: true,
    });
    const restored = await admin.http.post(`/api/v1/wiki/pages/${parent.body.id}/restore`).expect(200);
    expect(restored.body).toMatchObject({ status: 'published', deleted: false });
    await bob.http.get(`/api/v1/wiki/pages/${child.body.id}`).expect(200);
    expect(intranet.events.map((e) => e.name)).toEqual(
      expect.arrayContaining(['content.restored', 'wiki.page.deleted', 'wiki.page.restored']),
    );
    const audit = await admin.http.get('/api/v1/audit').expect(200);
    expect(audit.body.items).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          action: 'wiki.page.deleted',
          subject: `wiki-page:${parent.body.id}`,
          actorId: ada.user.id,
        }),
        expect.objectContaining({
          action: 'wiki.page.restored',
          subject: `wiki-page:${parent.body.id}`,
          actorId: admin.user.id,
        }),
      ]),
    );
  });

  it('keeps a private space’s pages from non-members: 404 by id and address, absent from every list', async () => {
    await ada.http
      .post('/api/v1/spaces')
      .send({ slug: 'board', name: 'Board', visibility: 'private', joinPolicy: 'invite' })
      .expect(201);
    const secret = await create(ada, { title: 'Salaries', body: 'Confidential', spaceId: 'board' }).expect(201);
    await bob.http.get(`/api/v1/wiki/pages/${secret.body.id}`).expect(404);
    await intranet.http.get(`/api/v1/wiki/pages/${secret.body.id}`).expect(404);
    await bob.http.get('/wiki/board/salaries').expect(404);
    await bob.http.get('/api/v1/wiki/tree').query({ spaceId: 'board' }).expect(404);
    expect(
      JSON.stringify((await bob.http.get('/api/v1/wiki/pages').query({ q: 'salar' }).expect(200)).body),
    ).not.toContain('Salaries');
    await bob.http.get(`/api/v1/wiki/pages/${secret.body.id}/revisions`).expect(404);
    await bob.http.get(`/api/v1/wiki/pages/${secret.body.id}/diff`).expect(404);
    // Writing into it is a 404 too (its existence is not revealed).
    await create(bob, { title: 'Let me in', spaceId: 'board' }).expect(404);
    await bob.http.put(`/api/v1/wiki/pages/${secret.body.id}`).send({ body: 'mine', baseRevision: 1 }).expect(404);
    expect((await ada.http.get('/api/v1/wiki/pages').query({ q: 'salar' }).expect(200)).body.items).toHaveLength(1);
    await ada.http.post('/api/v1/spaces/board/members').send({ userId: bob.user.id, role: 'member' }).expect(201);
    await bob.http.get(`/api/v1/wiki/pages/${secret.body.id}`).expect(200);
  });

  it('lets anonymous visitors read but not write', async () => {
    await intranet.http.post('/api/v1/wiki/pages').send({ title: 'Anon' }).expect(401);
    expect((await intranet.http.get('/api/v1/wiki/tree').expect(200)).body.items.length).toBeGreaterThan(0);
  });

  it('searches titles with a cursor, without repeats or gaps', async () => {
    for (let i = 0; i < 7; i++) await create(bob, { title: `Meeting notes ${i}`, spaceId }).expect(201);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res: { body: { items: Array<{ id: string; title: string }>; nextCursor: string | null } } = await bob.http
        .get('/api/v1/wiki/pages')
        .query({ q: 'MEETING', limit: 3, ...(cursor ? { cursor } : {}) })
        .expect(200);
      seen.push(...res.body.items.map((p) => p.title));
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(Array.from({ length: 7 }, (_, i) => `Meeting notes ${i}`));
    await bob.http.get('/api/v1/wiki/pages').query({ q: '100%_' }).expect(200);
    await bob.http.get('/api/v1/wiki/pages').query({ limit: 0 }).expect(422);
    await bob.http.get('/api/v1/wiki/pages').query({ cursor: 'garbage!' }).expect(422);
  });

  it('renders the OWASP filter-evasion vectors in a body inert', async () => {
    const vectors = [
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
      '[[<script>alert(1)</script>]]',
      '[[x" onmouseover="alert(1)]]',
      '`<script>alert(1)</script>`',
    ];
    const res = await create(ada, {
      title: '<script>alert("title")</script>',
      body: vectors.join('\n\n'),
      spaceId,
    }).expect(201);
    expectInert(res.body.html);
    // The same on the page people read, where the title is escaped too.
    const page = await intranet.http.get(res.body.path.replace(/"/g, '')).expect(200);
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    const main = page.text.slice(page.text.indexOf('<main'), page.text.indexOf('</main>'));
    expectInert(main.slice(main.indexOf('<article'), main.indexOf('</article>')));
    expect(main).not.toMatch(/<script/i);
    expect(main).toContain('&lt;script&gt;alert(&quot;title&quot;)&lt;/script&gt;');
  });
});
