import { createTestIntranet, type TestIntranet, type TestUser } from '@plein/sdk/testing';
import forum from '../src';
import { addMember, category, main, reply, space, topic } from './helpers';

// The authorization table sends some thousand requests; on MySQL beside other suites that takes minutes.
jest.setTimeout(600_000);

/** Category grants, private spaces, and who may call which route. */
describe('forum access', () => {
  let intranet: TestIntranet;
  let author: TestUser;
  let member: TestUser;
  let spaceMember: TestUser;
  let spaceModerator: TestUser;
  let admin: TestUser;
  let staff: TestUser;
  let privateSpace: string;

  beforeAll(async () => {
    intranet = await createTestIntranet({ plugins: [forum] });
    author = await intranet.createUser({ handle: 'author', displayName: 'Ann Author' });
    member = await intranet.createUser({ handle: 'member', displayName: 'Mem Ber' });
    spaceMember = await intranet.createUser({ handle: 'insider', displayName: 'Ina Sider' });
    spaceModerator = await intranet.createUser({ handle: 'spacemod', displayName: 'Sam Moderator' });
    admin = await intranet.createUser({ handle: 'root', roles: ['admin'] });
    await admin.http.post('/api/v1/roles').send({ name: 'staff', description: 'Staff' }).expect(201);
    staff = await intranet.createUser({ handle: 'staffer', displayName: 'Stef Staff', roles: ['staff'] });
    privateSpace = await space(admin, 'board', 'private');
    await addMember(admin, privateSpace, author);
    await addMember(admin, privateSpace, spaceMember);
    await addMember(admin, privateSpace, spaceModerator, 'moderator');
    await category(admin, { slug: 'open', name: 'Open' });
    await category(admin, { slug: 'boardroom', name: 'Board room', spaceId: privateSpace });
  });
  afterAll(() => intranet.close());

  describe('private spaces', () => {
    it('keeps a private space’s categories and everything in them 404 to non-members, in every list', async () => {
      const t = await topic(author, 'boardroom', { title: 'Salaries 2026' });
      const r = await reply(author, t.id, { body: 'Confidential numbers' });
      for (const who of [member, null]) {
        const http = who ? who.http : intranet.http;
        await http.get('/api/v1/forum/categories/boardroom').expect(404);
        await http.get('/api/v1/forum/categories/boardroom/topics').expect(404);
        await http.get(`/api/v1/forum/topics/${t.id}`).expect(404);
        await http.get(`/api/v1/forum/posts/${r.id}`).expect(404);
        await http.get(`/api/v1/forum/posts/${r.id}/revisions`).expect(404);
        await http.get('/forum/c/boardroom').expect(404);
        await http.get(`/forum/t/${t.id}`).expect(404);
        await http.get(`/forum/posts/${r.id}`).expect(404);
        const list = await http.get('/api/v1/forum/categories').expect(200);
        expect(JSON.stringify(list.body)).not.toContain('boardroom');
        expect((await http.get('/forum').expect(200)).text).not.toContain('Board room');
      }
      await member.http
        .post('/api/v1/forum/categories/boardroom/topics')
        .send({ title: 'Let me in', body: 'x' })
        .expect(404);
      await member.http.post(`/api/v1/forum/topics/${t.id}/posts`).send({ body: 'x' }).expect(404);
      await member.http.post(`/api/v1/forum/topics/${t.id}/posts`).send({ body: 'x', quotePostId: r.id }).expect(404);
      const open = await topic(member, 'open', { title: 'Quoting from afar' });
      await member.http
        .post(`/api/v1/forum/topics/${open.id}/posts`)
        .send({ body: 'x', quotePostId: r.id })
        .expect(422);
      expect((await spaceMember.http.get(`/api/v1/forum/topics/${t.id}`).expect(200)).body.spaceId).toBe(privateSpace);
      const cats = await spaceMember.http.get('/api/v1/forum/categories').expect(200);
      expect(cats.body.items.map((c: { slug: string }) => c.slug)).toContain('boardroom');
    });
  });

  describe('category grants', () => {
    it('limits who reads a category: others get 404 and do not see it listed', async () => {
      await category(admin, { slug: 'staff-only', name: 'Staff only' });
      const t = await topic(author, 'staff-only', { title: 'Before the rule' });
      const set = await admin.http
        .put('/api/v1/forum/categories/staff-only/grants')
        .send({ read: ['staff'] })
        .expect(200);
      expect(set.body).toEqual({ read: ['staff'] });
      expect((await admin.http.get('/api/v1/forum/categories/staff-only/grants').expect(200)).body).toEqual({
        read: ['staff'],
      });
      await member.http.get('/api/v1/forum/categories/staff-only').expect(404);
      await member.http.get(`/api/v1/forum/topics/${t.id}`).expect(404);
      await intranet.http.get('/api/v1/forum/categories/staff-only/topics').expect(404);
      expect(JSON.stringify((await member.http.get('/api/v1/forum/categories').expect(200)).body)).not.toContain(
        'staff-only',
      );
      await staff.http.get(`/api/v1/forum/topics/${t.id}`).expect(200);
      await admin.http.get(`/api/v1/forum/topics/${t.id}`).expect(200);
      // Subcategories inherit their parent's rule unless they have their own.
      await category(admin, { slug: 'staff-sub', name: 'Staff sub', parentId: 'staff-only' });
      await member.http.get('/api/v1/forum/categories/staff-sub').expect(404);
      await staff.http.get('/api/v1/forum/categories/staff-sub').expect(200);
      await admin.http
        .put('/api/v1/forum/categories/staff-sub/grants')
        .send({ read: ['member'] })
        .expect(200);
      await member.http.get('/api/v1/forum/categories/staff-sub').expect(200);
      await intranet.http.get('/api/v1/forum/categories/staff-sub').expect(404);
    });

    it('limits who starts topics and who replies, on top of reading', async () => {
      const announcements = await category(admin, { slug: 'announcements', name: 'Announcements' });
      await admin.http
        .put(`/api/v1/forum/categories/${announcements.id}/grants`)
        .send({ create: ['staff'], reply: ['space:member', 'staff'] })
        .expect(200);
      await member.http
        .post('/api/v1/forum/categories/announcements/topics')
        .send({ title: 'Mine', body: 'x' })
        .expect(403);
      const t = await topic(staff, 'announcements', { title: 'Office closed Friday' });
      await member.http.get(`/api/v1/forum/topics/${t.id}`).expect(200);
      await member.http.post(`/api/v1/forum/topics/${t.id}/posts`).send({ body: 'Why?' }).expect(403);
      // Organisation-wide categories have no space: space roles match nobody there.
      await spaceMember.http.post(`/api/v1/forum/topics/${t.id}/posts`).send({ body: 'Why?' }).expect(403);
      await reply(staff, t.id, { body: 'Maintenance' });
      const one = await member.http.get('/api/v1/forum/categories/announcements').expect(200);
      expect(one.body.abilities).toMatchObject({ create: false, reply: false });
      // In a space, space roles count.
      await category(admin, { slug: 'board-news', name: 'Board news', spaceId: privateSpace });
      await admin.http
        .put('/api/v1/forum/categories/board-news/grants')
        .send({ create: ['space:moderator'] })
        .expect(200);
      await spaceMember.http
        .post('/api/v1/forum/categories/board-news/topics')
        .send({ title: 'x', body: 'x' })
        .expect(403);
      await topic(spaceModerator, 'board-news', { title: 'Board decisions' });
      // An empty rule: nobody but administrators and category managers.
      await admin.http.put('/api/v1/forum/categories/board-news/grants').send({ create: [] }).expect(200);
      await spaceModerator.http
        .post('/api/v1/forum/categories/board-news/topics')
        .send({ title: 'x', body: 'x' })
        .expect(403);
      await topic(admin, 'board-news', { title: 'From the admin' });
      // Back to inheriting.
      await admin.http.put('/api/v1/forum/categories/board-news/grants').send({}).expect(200);
      await topic(spaceMember, 'board-news', { title: 'Allowed again' });
    });

    it('refuses grants that are not roles, and lets only managers change them', async () => {
      const bad = await admin.http
        .put('/api/v1/forum/categories/open/grants')
        .send({ read: ['<script>'] })
        .expect(422);
      expect(bad.body.errors[0].field).toBe('grants.read');
      await admin.http
        .put('/api/v1/forum/categories/open/grants')
        .send({ delete: ['staff'] })
        .expect(422);
      await member.http
        .put('/api/v1/forum/categories/open/grants')
        .send({ read: ['member'] })
        .expect(403);
      await member.http.get('/api/v1/forum/categories/open/grants').expect(403);
      const audit = await admin.http.get('/api/v1/audit').query({ limit: 100 }).expect(200);
      expect(audit.body.items.map((e: { action: string }) => e.action)).toContain('forum.category.grants-changed');
    });
  });

  describe('categories', () => {
    it('creates, nests one level, edits and deletes categories; managers only', async () => {
      const parent = await category(admin, { slug: 'it', name: 'IT', description: 'Computers' });
      const child = await category(admin, { slug: 'it-printers', name: 'Printers', parentId: parent.id });
      expect(child).toMatchObject({ parentId: parent.id, spaceId: null, topicCount: 0 });
      const nested = await admin.http
        .post('/api/v1/forum/categories')
        .send({ slug: 'deeper', name: 'Deeper', parentId: 'it-printers' })
        .expect(422);
      expect(nested.body.errors[0].field).toBe('parentId');
      const taken = await admin.http.post('/api/v1/forum/categories').send({ slug: 'it', name: 'Again' }).expect(409);
      expect(taken.body.errors).toEqual([{ field: 'slug', message: 'another category already has this slug' }]);
      expect(
        (await admin.http.post('/api/v1/forum/categories').send({ slug: '../x', name: 'x' }).expect(422)).body.errors[0]
          .field,
      ).toBe('slug');
      expect(
        (await admin.http.post('/api/v1/forum/categories').send({ slug: 'ok-slug', name: '' }).expect(422)).body
          .errors[0].field,
      ).toBe('name');
      await admin.http
        .post('/api/v1/forum/categories')
        .send({ slug: 'other-space', name: 'x', parentId: 'it', spaceId: privateSpace })
        .expect(422);
      await member.http.post('/api/v1/forum/categories').send({ slug: 'mine', name: 'Mine' }).expect(403);
      await intranet.http.post('/api/v1/forum/categories').send({ slug: 'anon', name: 'Anon' }).expect(401);
      const edited = await admin.http
        .patch('/api/v1/forum/categories/it')
        .send({ name: 'IT support', position: 5 })
        .expect(200);
      expect(edited.body).toMatchObject({ name: 'IT support', position: 5 });
      await member.http.patch('/api/v1/forum/categories/it').send({ name: 'Mine' }).expect(403);
      await admin.http.delete('/api/v1/forum/categories/it').expect(409);
      await topic(author, 'it-printers');
      await admin.http.delete('/api/v1/forum/categories/it-printers').expect(409);
      const empty = await category(admin, { slug: 'empty', name: 'Empty' });
      await member.http.delete(`/api/v1/forum/categories/${empty.id}`).expect(403);
      await admin.http.delete(`/api/v1/forum/categories/${empty.id}`).expect(204);
      await admin.http.get('/api/v1/forum/categories/empty').expect(404);
      const list = await admin.http.get('/api/v1/forum/categories').expect(200);
      const slugs = list.body.items.map((c: { slug: string }) => c.slug);
      expect(slugs.indexOf('it-printers')).toBe(slugs.indexOf('it') + 1);
      expect(intranet.events.map((e) => e.name)).toEqual(
        expect.arrayContaining(['forum.category.created', 'forum.category.updated']),
      );
    });

    it('lets a space admin manage the categories of their space only', async () => {
      const teamAdmin = await intranet.createUser({ handle: 'teamadmin' });
      const team = await space(teamAdmin, 'team', 'public');
      await teamAdmin.http
        .post('/api/v1/forum/categories')
        .send({ slug: 'team-cat', name: 'Team', spaceId: team })
        .expect(201);
      await teamAdmin.http.post('/api/v1/forum/categories').send({ slug: 'org-cat', name: 'Org' }).expect(403);
      await teamAdmin.http.patch('/api/v1/forum/categories/open').send({ name: 'Mine' }).expect(403);
    });
  });

  describe('authorization table', () => {
    type Actor = 'anonymous' | 'member' | 'spaceMember' | 'spaceModerator' | 'admin';
    type Outcome = 'ok' | 'login' | 401 | 403 | 404 | 409 | 422 | 423;
    const ACTORS: Actor[] = ['anonymous', 'member', 'spaceMember', 'spaceModerator', 'admin'];
    const row = (...outcomes: Outcome[]): Record<Actor, Outcome> =>
      Object.fromEntries(ACTORS.map((a, i) => [a, outcomes[i]])) as Record<Actor, Outcome>;

    interface Fixture {
      category: string;
      topic: string;
      firstPost: string;
      reply: string;
      other: string;
    }
    interface Line {
      route: string;
      request: (f: Fixture) => { method: 'get' | 'post' | 'put' | 'patch' | 'delete'; path: string; body?: object };
      /** Runs before the request on a fresh fixture (e.g. delete what is to be restored). */
      prepare?: (f: Fixture) => Promise<void>;
      open: Record<Actor, Outcome>;
      board: Record<Actor, Outcome>;
    }

    // Anonymous writers get 401 before anything is looked up, so a private space is not revealed to
    // them either; signed-in outsiders get 404 for what is in a private space.
    const READ = row('ok', 'ok', 'ok', 'ok', 'ok');
    const READ_PRIVATE = row(404, 404, 'ok', 'ok', 'ok');
    const WRITE = row(401, 'ok', 'ok', 'ok', 'ok');
    const WRITE_PRIVATE = row(401, 404, 'ok', 'ok', 'ok');
    const MODERATE = row(401, 403, 403, 403, 'ok');
    const MODERATE_PRIVATE = row(401, 404, 403, 'ok', 'ok');
    const MANAGE = row(401, 403, 403, 403, 'ok');
    const MANAGE_PRIVATE = row(401, 404, 403, 403, 'ok');
    /** The guard looks the space of `body.spaceId` up first: a private one is 404 even to anonymous callers. */
    const CREATE_CATEGORY_PRIVATE = row(404, 404, 403, 403, 'ok');
    /** Deleted items exist only for those who may restore them. */
    const REMOVED = row(401, 404, 404, 404, 'ok');
    const REMOVED_PRIVATE = row(401, 404, 404, 'ok', 'ok');
    const PAGE_WRITE = row('login', 'ok', 'ok', 'ok', 'ok');
    const PAGE_WRITE_PRIVATE = row('login', 404, 'ok', 'ok', 'ok');
    const PAGE_MODERATE = row('login', 403, 403, 403, 'ok');
    const PAGE_MODERATE_PRIVATE = row('login', 404, 403, 'ok', 'ok');
    const PAGE_MANAGE_PRIVATE = row('login', 404, 403, 403, 'ok');
    /** A form post without the page's CSRF token is refused (anonymous visitors have no other way in). */
    const PAGE_POST = row(403, 'ok', 'ok', 'ok', 'ok');
    const PAGE_POST_PRIVATE = row(403, 404, 'ok', 'ok', 'ok');
    const PAGE_POST_MODERATE = row(403, 403, 403, 403, 'ok');
    const PAGE_POST_MODERATE_PRIVATE = row(403, 404, 403, 'ok', 'ok');
    /** The wiki is not in this intranet: promoting to it is absent for everyone (see the promotion suite). */
    const WITHOUT_WIKI = row(401, 404, 404, 404, 404);
    const PAGE_POST_WITHOUT_WIKI = row(403, 404, 404, 404, 404);

    const deleteReply = async (f: Fixture) => {
      await admin.http.delete(`/api/v1/forum/posts/${f.reply}`).expect(204);
    };
    const deleteTopic = async (f: Fixture) => {
      await admin.http.delete(`/api/v1/forum/topics/${f.topic}`).expect(204);
    };
    const solve = async (f: Fixture) => {
      await admin.http.post(`/api/v1/forum/topics/${f.topic}/solution`).send({ postId: f.reply }).expect(200);
    };

    const LINES: Line[] = [
      {
        route: 'GET /categories',
        request: () => ({ method: 'get', path: '/api/v1/forum/categories' }),
        open: READ,
        board: READ,
      },
      {
        route: 'POST /categories',
        request: (f) => ({
          method: 'post',
          path: '/api/v1/forum/categories',
          body: {
            slug: `c-${f.topic.slice(0, 8)}`,
            name: 'New',
            spaceId: f.category === 'open' ? undefined : privateSpace,
          },
        }),
        open: MANAGE,
        board: CREATE_CATEGORY_PRIVATE,
      },
      {
        route: 'GET /categories/:id',
        request: (f) => ({ method: 'get', path: `/api/v1/forum/categories/${f.category}` }),
        open: READ,
        board: READ_PRIVATE,
      },
      {
        route: 'PATCH /categories/:id',
        request: (f) => ({
          method: 'patch',
          path: `/api/v1/forum/categories/${f.category}`,
          body: { description: 'Edited' },
        }),
        open: MANAGE,
        board: MANAGE_PRIVATE,
      },
      {
        route: 'GET /categories/:id/grants',
        request: (f) => ({ method: 'get', path: `/api/v1/forum/categories/${f.category}/grants` }),
        open: MANAGE,
        board: MANAGE_PRIVATE,
      },
      {
        route: 'PUT /categories/:id/grants',
        request: (f) => ({ method: 'put', path: `/api/v1/forum/categories/${f.category}/grants`, body: {} }),
        open: MANAGE,
        board: MANAGE_PRIVATE,
      },
      {
        route: 'GET /categories/:id/topics',
        request: (f) => ({ method: 'get', path: `/api/v1/forum/categories/${f.category}/topics` }),
        open: READ,
        board: READ_PRIVATE,
      },
      {
        route: 'POST /categories/:id/topics',
        request: (f) => ({
          method: 'post',
          path: `/api/v1/forum/categories/${f.category}/topics`,
          body: { title: 'New topic', body: 'Text' },
        }),
        open: WRITE,
        board: WRITE_PRIVATE,
      },
      {
        route: 'POST /categories/:id/read',
        request: (f) => ({ method: 'post', path: `/api/v1/forum/categories/${f.category}/read` }),
        open: WRITE,
        board: WRITE_PRIVATE,
      },
      {
        route: 'GET /topics/:id',
        request: (f) => ({ method: 'get', path: `/api/v1/forum/topics/${f.topic}` }),
        open: READ,
        board: READ_PRIVATE,
      },
      {
        route: 'POST /topics/:id/posts',
        request: (f) => ({
          method: 'post',
          path: `/api/v1/forum/topics/${f.topic}/posts`,
          body: { body: 'Reply', quotePostId: f.firstPost },
        }),
        open: WRITE,
        board: WRITE_PRIVATE,
      },
      {
        route: 'PATCH /topics/:id',
        request: (f) => ({
          method: 'patch',
          path: `/api/v1/forum/topics/${f.topic}`,
          body: { locked: true, pinned: true },
        }),
        open: MODERATE,
        board: MODERATE_PRIVATE,
      },
      {
        route: 'DELETE /topics/:id',
        request: (f) => ({ method: 'delete', path: `/api/v1/forum/topics/${f.topic}` }),
        open: MODERATE,
        board: MODERATE_PRIVATE,
      },
      {
        route: 'POST /topics/:id/restore',
        prepare: deleteTopic,
        request: (f) => ({ method: 'post', path: `/api/v1/forum/topics/${f.topic}/restore` }),
        open: REMOVED,
        board: REMOVED_PRIVATE,
      },
      {
        route: 'POST /topics/:id/close',
        request: (f) => ({ method: 'post', path: `/api/v1/forum/topics/${f.topic}/close`, body: { reason: 'Done' } }),
        open: MODERATE,
        board: MODERATE_PRIVATE,
      },
      {
        route: 'POST /topics/:id/reopen',
        request: (f) => ({ method: 'post', path: `/api/v1/forum/topics/${f.topic}/reopen` }),
        open: MODERATE,
        board: MODERATE_PRIVATE,
      },
      {
        route: 'POST /topics/:id/split',
        request: (f) => ({
          method: 'post',
          path: `/api/v1/forum/topics/${f.topic}/split`,
          body: { postIds: [f.reply], title: 'Split off' },
        }),
        open: MODERATE,
        board: MODERATE_PRIVATE,
      },
      {
        route: 'POST /topics/:id/merge',
        request: (f) => ({
          method: 'post',
          path: `/api/v1/forum/topics/${f.topic}/merge`,
          body: { intoTopicId: f.other },
        }),
        open: MODERATE,
        board: MODERATE_PRIVATE,
      },
      {
        route: 'POST /topics/:id/solution',
        request: (f) => ({
          method: 'post',
          path: `/api/v1/forum/topics/${f.topic}/solution`,
          body: { postId: f.reply },
        }),
        open: MODERATE,
        board: MODERATE_PRIVATE,
      },
      {
        route: 'DELETE /topics/:id/solution',
        prepare: solve,
        request: (f) => ({ method: 'delete', path: `/api/v1/forum/topics/${f.topic}/solution` }),
        open: MODERATE,
        board: MODERATE_PRIVATE,
      },
      {
        route: 'POST /topics/:id/promote',
        prepare: solve,
        request: (f) => ({ method: 'post', path: `/api/v1/forum/topics/${f.topic}/promote` }),
        open: WITHOUT_WIKI,
        board: WITHOUT_WIKI,
      },
      {
        route: 'PUT /topics/:id/watch',
        request: (f) => ({ method: 'put', path: `/api/v1/forum/topics/${f.topic}/watch`, body: { level: 'watching' } }),
        open: WRITE,
        board: WRITE_PRIVATE,
      },
      {
        route: 'PUT /topics/:id/read',
        request: (f) => ({ method: 'put', path: `/api/v1/forum/topics/${f.topic}/read`, body: { postId: f.reply } }),
        open: WRITE,
        board: WRITE_PRIVATE,
      },
      {
        route: 'GET /posts/:id',
        request: (f) => ({ method: 'get', path: `/api/v1/forum/posts/${f.reply}` }),
        open: READ,
        board: READ_PRIVATE,
      },
      {
        route: 'GET /posts/:id/revisions',
        request: (f) => ({ method: 'get', path: `/api/v1/forum/posts/${f.reply}/revisions` }),
        open: READ,
        board: READ_PRIVATE,
      },
      {
        route: 'PUT /posts/:id',
        request: (f) => ({
          method: 'put',
          path: `/api/v1/forum/posts/${f.reply}`,
          body: { body: 'Edited', baseVersion: 1 },
        }),
        open: MODERATE,
        board: MODERATE_PRIVATE,
      },
      {
        route: 'DELETE /posts/:id',
        request: (f) => ({ method: 'delete', path: `/api/v1/forum/posts/${f.reply}` }),
        open: MODERATE,
        board: MODERATE_PRIVATE,
      },
      {
        route: 'POST /posts/:id/restore',
        prepare: deleteReply,
        request: (f) => ({ method: 'post', path: `/api/v1/forum/posts/${f.reply}/restore` }),
        open: REMOVED,
        board: REMOVED_PRIVATE,
      },
      // Pages
      { route: 'GET /forum', request: () => ({ method: 'get', path: '/forum' }), open: READ, board: READ },
      {
        route: 'GET /forum/c/:slug',
        request: (f) => ({ method: 'get', path: `/forum/c/${f.category}` }),
        open: READ,
        board: READ_PRIVATE,
      },
      {
        route: 'GET /forum/c/:slug/new',
        request: (f) => ({ method: 'get', path: `/forum/c/${f.category}/new` }),
        open: PAGE_WRITE,
        board: PAGE_WRITE_PRIVATE,
      },
      {
        route: 'GET /forum/c/:slug/edit',
        request: (f) => ({ method: 'get', path: `/forum/c/${f.category}/edit` }),
        open: PAGE_MODERATE,
        board: PAGE_MANAGE_PRIVATE,
      },
      {
        route: 'GET /forum/t/:id',
        request: (f) => ({ method: 'get', path: `/forum/t/${f.topic}` }),
        open: READ,
        board: READ_PRIVATE,
      },
      {
        route: 'GET /forum/t/:id/moderate',
        request: (f) => ({ method: 'get', path: `/forum/t/${f.topic}/moderate` }),
        open: PAGE_MODERATE,
        board: PAGE_MODERATE_PRIVATE,
      },
      {
        route: 'POST /forum/t/:id/reply',
        request: (f) => ({ method: 'post', path: `/forum/t/${f.topic}/reply`, body: { body: 'From the page' } }),
        open: PAGE_POST,
        board: PAGE_POST_PRIVATE,
      },
      {
        route: 'POST /forum/t/:id/lock',
        request: (f) => ({ method: 'post', path: `/forum/t/${f.topic}/lock` }),
        open: PAGE_POST_MODERATE,
        board: PAGE_POST_MODERATE_PRIVATE,
      },
      {
        route: 'POST /forum/t/:id/promote',
        prepare: solve,
        request: (f) => ({ method: 'post', path: `/forum/t/${f.topic}/promote` }),
        open: PAGE_POST_WITHOUT_WIKI,
        board: PAGE_POST_WITHOUT_WIKI,
      },
      {
        route: 'GET /forum/posts/:id/edit',
        request: (f) => ({ method: 'get', path: `/forum/posts/${f.reply}/edit` }),
        open: PAGE_MODERATE,
        board: PAGE_MODERATE_PRIVATE,
      },
    ];

    const actors = (): Record<Actor, TestUser | null> => ({
      anonymous: null,
      member,
      spaceMember,
      spaceModerator,
      admin,
    });

    async function fixture(categorySlug: string): Promise<Fixture> {
      const t = await topic(author, categorySlug, { title: 'Fixture topic' });
      const r = await reply(author, t.id, { body: 'Fixture reply' });
      const other = await topic(author, categorySlug, { title: 'Other topic' });
      return { category: categorySlug, topic: t.id, firstPost: t.firstPostId, reply: r.id, other: other.id };
    }

    function outcome(status: number, location: string | undefined): Outcome {
      if (status === 303 && location?.startsWith('/login')) return 'login';
      if (status >= 200 && status < 400) return 'ok';
      return status as Outcome;
    }

    it('answers each route as the table says, for each kind of caller, in a public category and a private space', async () => {
      const shared: Record<'open' | 'board', Fixture | null> = {
        open: await fixture('open'),
        board: await fixture('boardroom'),
      };
      const found: Record<string, Record<string, Record<Actor, Outcome>>> = {};
      const expected: Record<string, Record<string, Record<Actor, Outcome>>> = {};
      for (const line of LINES) {
        for (const [where, slug] of [
          ['open', 'open'],
          ['board', 'boardroom'],
        ] as const) {
          (expected[line.route] ??= {})[where] = line[where];
          const got = {} as Record<Actor, Outcome>;
          for (const [actor, who] of Object.entries(actors()) as Array<[Actor, TestUser | null]>) {
            // Reads share one fixture per place; every change gets a fresh one.
            const reads = line.request(shared[where]!).method === 'get' && !line.prepare;
            const f = reads ? shared[where]! : await fixture(slug);
            if (line.prepare) await line.prepare(f);
            const { method, path, body } = line.request(f);
            const http = who ? who.http : intranet.agent();
            let req = http[method](path);
            if (path.startsWith('/forum') && method !== 'get') req = req.type('form');
            const res = body ? await req.send(body) : await req;
            got[actor] = outcome(res.status, res.headers.location);
          }
          found[line.route] = { ...(found[line.route] ?? {}), [where]: got };
        }
      }
      expect(found).toEqual(expected);
    });
  });

  it('shows the pages of a private space’s category to its members only, and sends anonymous writers to sign in', async () => {
    const t = await topic(author, 'boardroom', { title: 'Quarterly plan' });
    const page = await spaceMember.http.get(`/forum/t/${t.id}`).expect(200);
    expect(main(page.text)).toContain('Quarterly plan');
    const anon = await intranet.agent().get('/forum/c/open/new').expect(303);
    expect(anon.headers.location).toBe('/login?next=%2Fforum%2Fc%2Fopen%2Fnew');
  });
});
