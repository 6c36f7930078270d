import { createTestIntranet, type TestIntranet, type TestUser } from '@plein/sdk/testing';
import forum from '../src';
import { reviewGate } from './fixtures/review-gate.plugin';
import { category, expectInert, reply, topic, XSS_TITLES, XSS_VECTORS } from './helpers';

jest.setTimeout(120_000);

/** The JSON API's shapes, lists and their cursors, input rules, XSS, edits, quotes and gates. */
describe('forum topics and posts', () => {
  let intranet: TestIntranet;
  let ada: TestUser;
  let bob: TestUser;
  let mod: TestUser;
  let admin: TestUser;

  beforeAll(async () => {
    intranet = await createTestIntranet({ plugins: [forum, reviewGate] });
    ada = await intranet.createUser({ handle: 'ada', displayName: 'Ada Lovelace' });
    bob = await intranet.createUser({ handle: 'bob', displayName: 'Bob Builder' });
    mod = await intranet.createUser({ handle: 'mod', displayName: 'Mo Derator', roles: ['moderator'] });
    admin = await intranet.createUser({ handle: 'root', roles: ['admin'] });
    await category(admin, { slug: 'general', name: 'General', description: 'Anything' });
  });
  afterAll(() => intranet.close());

  it('starts a topic with its first post: the content item fields, tags, and a page of posts', async () => {
    const res = await ada.http
      .post('/api/v1/forum/categories/general/topics')
      .send({ title: '  Printer on floor 3  ', body: 'It jams. *Again*.', tags: ['Printing', '#floor-3', 'printing'] })
      .expect(201);
    expect(res.body).toMatchObject({
      type: 'forum.topic',
      status: 'published',
      author: { handle: 'ada', displayName: 'Ada Lovelace' },
      spaceId: null,
      title: 'Printer on floor 3',
      tags: ['floor-3', 'printing'],
      pinned: false,
      locked: false,
      closed: false,
      solved: false,
      replyCount: 0,
      category: { slug: 'general', name: 'General' },
      watchLevel: 'watching',
      lastReadPostId: res.body.firstPostId,
      posts: {
        items: [
          {
            id: res.body.firstPostId,
            contentId: res.body.contentId,
            type: 'forum.topic',
            position: 1,
            body: 'It jams. *Again*.',
            html: '<p>It jams. <em>Again</em>.</p>\n',
            version: 1,
            quote: null,
          },
        ],
        nextCursor: null,
      },
    });
    for (const field of ['id', 'contentId', 'createdAt', 'updatedAt', 'categoryId'])
      expect(typeof res.body[field]).toBe('string');
    expect(intranet.events.map((e) => e.name)).toContain('forum.topic.created');
    const read = await intranet.http.get(`/api/v1/forum/topics/${res.body.id}`).expect(200);
    expect(read.body).toMatchObject({ id: res.body.id, lastReadPostId: null, watchLevel: null, me: null });
  });

  it('replies oldest first, counts replies and moves the topic up its category', async () => {
    const older = await topic(ada, 'general', { title: 'Older' });
    const newer = await topic(ada, 'general', { title: 'Newer' });
    let list = await intranet.http.get('/api/v1/forum/categories/general/topics').expect(200);
    expect(list.body.items.map((t: { title: string }) => t.title).slice(0, 2)).toEqual(['Newer', 'Older']);
    const first = await reply(bob, older.id, { body: 'First reply' });
    const second = await reply(ada, older.id, { body: 'Second reply' });
    expect([first.position, second.position]).toEqual([2, 3]);
    expect(first).toMatchObject({
      type: 'forum.post',
      status: 'published',
      topicId: older.id,
      author: { handle: 'bob' },
    });
    list = await intranet.http.get('/api/v1/forum/categories/general/topics').expect(200);
    expect(list.body.items[0]).toMatchObject({
      id: older.id,
      replyCount: 2,
      lastPostId: second.id,
      lastPoster: { handle: 'ada' },
    });
    expect(list.body.items[1].id).toBe(newer.id);
    const view = await intranet.http.get(`/api/v1/forum/topics/${older.id}`).expect(200);
    expect(view.body.posts.items.map((p: { body: string }) => p.body)).toEqual([
      'Its opening post',
      'First reply',
      'Second reply',
    ]);
    expect(intranet.events.filter((e) => e.name === 'forum.post.created').length).toBeGreaterThanOrEqual(2);
  });

  it('pages a topic’s posts by cursor and by page number without repeats or gaps', async () => {
    const t = await topic(ada, 'general', { title: 'Long thread' });
    for (let i = 1; i <= 11; i++) await reply(i % 2 ? bob : ada, t.id, { body: `Reply ${i}` });
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res: { body: { posts: { items: Array<{ body: string }>; nextCursor: string | null } } } =
        await intranet.http
          .get(`/api/v1/forum/topics/${t.id}`)
          .query({ limit: 5, ...(cursor ? { cursor } : {}) })
          .expect(200);
      seen.push(...res.body.posts.items.map((p) => p.body));
      cursor = res.body.posts.nextCursor;
    } while (cursor);
    expect(seen).toEqual(['Its opening post', ...Array.from({ length: 11 }, (_, i) => `Reply ${i + 1}`)]);
    const page3 = await intranet.http.get(`/api/v1/forum/topics/${t.id}`).query({ limit: 5, page: 3 }).expect(200);
    expect(page3.body).toMatchObject({ page: 3, perPage: 5, pageCount: 3, lastPosition: 12 });
    expect(page3.body.posts.items.map((p: { position: number }) => p.position)).toEqual([11, 12]);
    expect(page3.body.posts.nextCursor).toBeNull();
    const page2 = await intranet.http.get(`/api/v1/forum/topics/${t.id}`).query({ limit: 5, page: 2 }).expect(200);
    expect(page2.body.posts.items.map((p: { position: number }) => p.position)).toEqual([6, 7, 8, 9, 10]);
    const after2 = await intranet.http
      .get(`/api/v1/forum/topics/${t.id}`)
      .query({ limit: 5, cursor: page2.body.posts.nextCursor })
      .expect(200);
    expect(after2.body.posts.items.map((p: { position: number }) => p.position)).toEqual([11, 12]);
    await intranet.http.get(`/api/v1/forum/topics/${t.id}`).query({ page: 0 }).expect(422);
    await intranet.http.get(`/api/v1/forum/topics/${t.id}`).query({ cursor: 'garbage!' }).expect(422);
    await intranet.http.get(`/api/v1/forum/topics/${t.id}`).query({ limit: 101 }).expect(422);
  });

  it('lists a category’s topics by cursor, pinned first, without repeats', async () => {
    await category(admin, { slug: 'paged', name: 'Paged' });
    const made: string[] = [];
    for (let i = 0; i < 7; i++) made.push((await topic(bob, 'paged', { title: `Topic ${i}` })).id);
    await mod.http.patch(`/api/v1/forum/topics/${made[2]}`).send({ pinned: true }).expect(200);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res: { body: { items: Array<{ title: string; pinned: boolean }>; nextCursor: string | null } } =
        await intranet.http
          .get('/api/v1/forum/categories/paged/topics')
          .query({ limit: 3, ...(cursor ? { cursor } : {}) })
          .expect(200);
      seen.push(...res.body.items.map((t) => t.title));
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(['Topic 2', 'Topic 6', 'Topic 5', 'Topic 4', 'Topic 3', 'Topic 1', 'Topic 0']);
    await intranet.http.get('/api/v1/forum/categories/paged/topics').query({ cursor: 'eyJ4IjoxfQ' }).expect(422);
    await intranet.http.get('/api/v1/forum/categories/paged/topics').query({ solved: 'maybe' }).expect(422);
  });

  it('filters a category’s topics by tag', async () => {
    await category(admin, { slug: 'tagged', name: 'Tagged' });
    await topic(ada, 'tagged', { title: 'About printers', tags: ['printers'] });
    await topic(ada, 'tagged', { title: 'About coffee', tags: ['coffee'] });
    const res = await intranet.http
      .get('/api/v1/forum/categories/tagged/topics')
      .query({ tag: 'Printers' })
      .expect(200);
    expect(res.body.items.map((t: { title: string }) => t.title)).toEqual(['About printers']);
  });

  it('validates lengths: 422 naming the field, 413 naming the body', async () => {
    const create = (body: Record<string, unknown>) =>
      ada.http.post('/api/v1/forum/categories/general/topics').send(body);
    expect((await create({ title: '   ', body: 'x' }).expect(422)).body.errors).toEqual([
      { field: 'title', message: 'must not be empty' },
    ]);
    expect((await create({ title: 'x'.repeat(201), body: 'x' }).expect(422)).body.errors[0].field).toBe('title');
    expect((await create({ title: 'Two\nlines', body: 'x' }).expect(422)).body.errors[0].field).toBe('title');
    expect((await create({ title: 'Empty', body: '  ' }).expect(422)).body.errors[0].field).toBe('body');
    expect(
      (await create({ title: 'Tags', body: 'x', tags: ['a', 'b', 'c', 'd', 'e', 'f'] }).expect(422)).body.errors[0]
        .field,
    ).toBe('tags');
    expect((await create({ title: 'Tags', body: 'x', tags: [42] }).expect(422)).body.errors[0].field).toMatch(/^tags/);
    const unknown = await create({ title: 'x', body: 'x', admin: true }).expect(422);
    expect(unknown.body.errors.map((e: { field: string }) => e.field)).toContain('admin');
    const big = await create({ title: 'Big', body: 'é'.repeat(50_001) }).expect(413);
    expect(big.headers['content-type']).toContain('application/problem+json');
    expect(big.body.errors).toEqual([{ field: 'body', message: 'is larger than the limit of 100000 bytes' }]);
    await create({ title: 'Just fits', body: 'a'.repeat(100_000) }).expect(201);
    const t = await topic(ada, 'general');
    expect(
      (await bob.http.post(`/api/v1/forum/topics/${t.id}/posts`).send({ body: '' }).expect(422)).body.errors[0].field,
    ).toBe('body');
    await bob.http
      .post(`/api/v1/forum/topics/${t.id}/posts`)
      .send({ body: 'x'.repeat(100_001) })
      .expect(413);
    await intranet.http.post(`/api/v1/forum/topics/${t.id}/posts`).send({ body: 'anonymous' }).expect(401);
    await bob.http.post('/api/v1/forum/categories/nowhere/topics').send({ title: 'x', body: 'x' }).expect(404);
  });

  it('renders the XSS vectors in posts, titles and tags inert', async () => {
    const t = await topic(ada, 'general', { title: XSS_TITLES[0], body: XSS_VECTORS.join('\n\n') });
    const opening = (t.posts as { items: Array<{ html: string }> }).items[0];
    expect(opening.html).toContain('&lt;script&gt;');
    expectInert(opening.html);
    const r = await reply(bob, t.id, { body: [...XSS_VECTORS].reverse().join('\n\n'), quotePostId: t.firstPostId });
    expectInert(r.html as string);
    expectInert((r.quote as { html: string }).html);
    for (const title of XSS_TITLES) {
      const made = await topic(ada, 'general', { title, body: 'x' });
      expect(made.title).toBe(title);
    }
    for (const tag of ['<script>', '"onmouseover=alert(1)', 'javascript:alert(1)', '<img/src=x>'])
      expect(
        (
          await ada.http
            .post('/api/v1/forum/categories/general/topics')
            .send({ title: 'x', body: 'x', tags: [tag] })
            .expect(422)
        ).body.errors[0].field,
      ).toBe('tags');
  });

  it('keeps the history of edits and refuses a stale edit with 409 carrying both texts', async () => {
    const t = await topic(ada, 'general', { title: 'Lunch', body: 'Thursday at noon' });
    const edited = await ada.http
      .put(`/api/v1/forum/posts/${t.firstPostId}`)
      .send({ body: 'Thursday at half past twelve', title: 'Team lunch', baseVersion: 1 })
      .expect(200);
    expect(edited.body).toMatchObject({ version: 2, body: 'Thursday at half past twelve' });
    expect(edited.body.editedAt).not.toBeNull();
    expect((await intranet.http.get(`/api/v1/forum/topics/${t.id}`).expect(200)).body.title).toBe('Team lunch');
    const stale = await ada.http
      .put(`/api/v1/forum/posts/${t.firstPostId}`)
      .send({ body: 'Friday', baseVersion: 1 })
      .expect(409);
    expect(stale.headers['content-type']).toContain('application/problem+json');
    expect(stale.body).toMatchObject({
      current: { version: 2, body: 'Thursday at half past twelve', title: 'Team lunch' },
      yours: { body: 'Friday', baseVersion: 1 },
    });
    const history = await intranet.http.get(`/api/v1/forum/posts/${t.firstPostId}/revisions`).expect(200);
    expect(history.body.items).toMatchObject([
      { version: 2, body: 'Thursday at half past twelve', title: 'Team lunch', current: true },
      { version: 1, body: 'Thursday at noon', title: 'Lunch', current: false },
    ]);
    // Others may not edit Ada's post; moderators may.
    await bob.http.put(`/api/v1/forum/posts/${t.firstPostId}`).send({ body: 'mine', baseVersion: 2 }).expect(403);
    await mod.http.put(`/api/v1/forum/posts/${t.firstPostId}`).send({ body: 'Tidied', baseVersion: 2 }).expect(200);
    await ada.http.put(`/api/v1/forum/posts/${t.firstPostId}`).send({ body: 'x' }).expect(422);
    expect(intranet.events.map((e) => e.name)).toEqual(
      expect.arrayContaining(['forum.post.edited', 'forum.topic.renamed']),
    );
  });

  it('lets exactly one of two simultaneous edits from the same version win; the other gets 409', async () => {
    const t = await topic(ada, 'general', { title: 'Race', body: 'Start' });
    for (let round = 1; round <= 5; round++) {
      const results = await Promise.all(
        [ada, mod].map((who, i) =>
          who.http
            .put(`/api/v1/forum/posts/${t.firstPostId}`)
            .send({ body: `Round ${round} by ${i}`, baseVersion: round }),
        ),
      );
      expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    }
    const history = await intranet.http.get(`/api/v1/forum/posts/${t.firstPostId}/revisions`).expect(200);
    expect(history.body.items.map((r: { version: number }) => r.version)).toEqual([6, 5, 4, 3, 2, 1]);
  });

  it('hands out distinct positions to simultaneous replies', async () => {
    const t = await topic(ada, 'general', { title: 'Busy thread' });
    const made = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        (i % 2 ? bob : ada).http.post(`/api/v1/forum/topics/${t.id}/posts`).send({ body: `Reply ${i}` }),
      ),
    );
    expect(made.map((r) => r.status)).toEqual(new Array(8).fill(201));
    expect(made.map((r) => r.body.position).sort((a: number, b: number) => a - b)).toEqual([2, 3, 4, 5, 6, 7, 8, 9]);
    expect((await intranet.http.get(`/api/v1/forum/topics/${t.id}`).expect(200)).body.replyCount).toBe(8);
  });

  it('keeps a quote as it was when quoted, linking back to its source, after the source is edited', async () => {
    const t = await topic(ada, 'general', { title: 'Quotes', body: 'The meeting is at **ten**.' });
    const quoting = await reply(bob, t.id, { body: 'Noted!', quotePostId: t.firstPostId });
    expect(quoting.quote).toEqual({
      postId: t.firstPostId,
      author: expect.objectContaining({ handle: 'ada' }),
      body: 'The meeting is at **ten**.',
      html: '<p>The meeting is at <strong>ten</strong>.</p>\n',
      url: `/forum/posts/${t.firstPostId}`,
    });
    await ada.http
      .put(`/api/v1/forum/posts/${t.firstPostId}`)
      .send({ body: 'The meeting is at eleven.', baseVersion: 1 })
      .expect(200);
    const after = await intranet.http.get(`/api/v1/forum/posts/${quoting.id}`).expect(200);
    expect(after.body.quote).toMatchObject({ postId: t.firstPostId, body: 'The meeting is at **ten**.' });
    // The link back leads to the source in its topic.
    const source = await intranet.http.get(`/forum/posts/${t.firstPostId}`).expect(303);
    expect(source.headers.location).toBe(`/forum/t/${t.id}#post-1`);
    // A post one cannot see cannot be quoted.
    const unknown = await bob.http
      .post(`/api/v1/forum/topics/${t.id}/posts`)
      .send({ body: 'x', quotePostId: '00000000-0000-0000-0000-000000000000' })
      .expect(422);
    expect(unknown.body.errors).toEqual([{ field: 'quotePostId', message: 'no such post, or you cannot see it' }]);
  });

  it('soft-deletes posts and topics; moderators see and restore them', async () => {
    const t = await topic(ada, 'general', { title: 'To be removed' });
    const r = await reply(bob, t.id, { body: 'Regrettable' });
    await ada.http.delete(`/api/v1/forum/posts/${r.id}`).expect(403);
    await bob.http.delete(`/api/v1/forum/posts/${r.id}`).expect(204);
    await ada.http.get(`/api/v1/forum/posts/${r.id}`).expect(404);
    expect((await ada.http.get(`/api/v1/forum/topics/${t.id}`).expect(200)).body).toMatchObject({ replyCount: 0 });
    const modView = await mod.http.get(`/api/v1/forum/topics/${t.id}`).expect(200);
    expect(modView.body.posts.items.map((p: { status: string }) => p.status)).toEqual(['published', 'deleted']);
    await bob.http.post(`/api/v1/forum/posts/${r.id}/restore`).expect(403);
    expect((await mod.http.post(`/api/v1/forum/posts/${r.id}/restore`).expect(200)).body.status).toBe('published');
    expect((await ada.http.get(`/api/v1/forum/topics/${t.id}`).expect(200)).body.replyCount).toBe(1);
    // Deleting the opening post deletes the topic.
    await ada.http.delete(`/api/v1/forum/posts/${t.firstPostId}`).expect(204);
    await bob.http.get(`/api/v1/forum/topics/${t.id}`).expect(404);
    const list = await bob.http.get('/api/v1/forum/categories/general/topics').query({ limit: 100 }).expect(200);
    expect(list.body.items.map((x: { id: string }) => x.id)).not.toContain(t.id);
    expect((await mod.http.get(`/api/v1/forum/topics/${t.id}`).expect(200)).body.status).toBe('deleted');
    await mod.http.post(`/api/v1/forum/topics/${t.id}/restore`).expect(200);
    await bob.http.get(`/api/v1/forum/topics/${t.id}`).expect(200);
    const audit = await admin.http.get('/api/v1/audit').expect(200);
    expect(audit.body.items.map((e: { action: string }) => e.action)).toEqual(
      expect.arrayContaining([
        'forum.post.deleted',
        'forum.post.restored',
        'forum.topic.deleted',
        'forum.topic.restored',
      ]),
    );
  });

  it('holds a topic a gate holds: only its author sees it, with the reason, until a moderator approves it', async () => {
    const held = await ada.http
      .post('/api/v1/forum/categories/general/topics')
      .send({ title: 'The secret plan', body: 'Shh' })
      .expect(201);
    expect(held.body).toMatchObject({ status: 'pending', statusReason: 'Posts about secrets are reviewed first' });
    await bob.http.get(`/api/v1/forum/topics/${held.body.id}`).expect(404);
    const bobList = await bob.http.get('/api/v1/forum/categories/general/topics').query({ limit: 100 }).expect(200);
    expect(bobList.body.items.map((t: { id: string }) => t.id)).not.toContain(held.body.id);
    const adaList = await ada.http.get('/api/v1/forum/categories/general/topics').query({ limit: 100 }).expect(200);
    expect(adaList.body.items.find((t: { id: string }) => t.id === held.body.id)).toMatchObject({ status: 'pending' });
    await bob.http.post(`/api/v1/forum/topics/${held.body.id}/posts`).send({ body: 'x' }).expect(404);
    await mod.http.post(`/api/v1/reviewgate/approve/${held.body.contentId}`).expect(200);
    expect((await bob.http.get(`/api/v1/forum/topics/${held.body.id}`).expect(200)).body.status).toBe('published');
  });

  it('holds a reply a gate holds and refuses one it rejects with 422 and the reason', async () => {
    const t = await topic(ada, 'general', { title: 'Gated replies' });
    const held = await reply(bob, t.id, { body: 'Here is a secret' });
    expect(held).toMatchObject({ status: 'pending', statusReason: 'Posts about secrets are reviewed first' });
    const others = await ada.http.get(`/api/v1/forum/topics/${t.id}`).expect(200);
    expect(others.body.posts.items.map((p: { id: string }) => p.id)).not.toContain(held.id);
    expect(others.body.replyCount).toBe(0);
    const own = await bob.http.get(`/api/v1/forum/topics/${t.id}`).expect(200);
    expect(own.body.posts.items.find((p: { id: string }) => p.id === held.id)).toMatchObject({ status: 'pending' });
    const rejected = await bob.http
      .post(`/api/v1/forum/topics/${t.id}/posts`)
      .send({ body: 'forbidden words' })
      .expect(422);
    expect(rejected.body.errors).toEqual([{ field: 'text', message: 'The word "forbidden" is not allowed here' }]);
    await mod.http.post(`/api/v1/reviewgate/approve/${held.contentId}`).expect(200);
    const approved = await ada.http.get(`/api/v1/forum/topics/${t.id}`).expect(200);
    expect(approved.body).toMatchObject({ replyCount: 1, lastPostId: held.id });
    // A moderator's hide takes the reply out of every list, with no forum code.
    await mod.http.post(`/api/v1/reviewgate/hide/${held.contentId}`).expect(200);
    expect((await ada.http.get(`/api/v1/forum/topics/${t.id}`).expect(200)).body).toMatchObject({ replyCount: 0 });
  });

  it('tells watchers of a held reply once it is approved, and not again when a held edit of it is approved', async () => {
    const t = await topic(ada, 'general', { title: 'Watched and gated' });
    const replied = async () =>
      (await ada.http.get('/api/v1/notifications').query({ limit: 100 }).expect(200)).body.items.filter(
        (n: { kind: string; url: string }) => n.kind === 'forum.topic.replied' && n.url.includes(held.id),
      ).length;
    const held = await reply(bob, t.id, { body: 'A secret, first' });
    expect(await replied()).toBe(0);
    await mod.http.post(`/api/v1/reviewgate/approve/${held.contentId}`).expect(200);
    expect(await replied()).toBe(1);
    const edited = await bob.http
      .put(`/api/v1/forum/posts/${held.id}`)
      .send({ body: 'Another secret, edited', baseVersion: 1 })
      .expect(200);
    expect(edited.body.status).toBe('pending');
    await mod.http.post(`/api/v1/reviewgate/approve/${held.contentId}`).expect(200);
    expect(await replied()).toBe(1);
  });

  it('answers the category list and one category with the caller’s abilities', async () => {
    const list = await intranet.http.get('/api/v1/forum/categories').expect(200);
    expect(list.body.nextCursor).toBeNull();
    expect(list.body.items[0]).toMatchObject({
      slug: 'general',
      name: 'General',
      description: 'Anything',
      unreadCount: null,
    });
    const one = await ada.http.get('/api/v1/forum/categories/general').expect(200);
    expect(one.body.abilities).toEqual({ create: true, reply: true, moderate: false, manage: false });
    expect((await mod.http.get('/api/v1/forum/categories/general').expect(200)).body.abilities.moderate).toBe(true);
  });
});
