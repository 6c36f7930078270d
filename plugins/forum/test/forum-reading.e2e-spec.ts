import { createTestIntranet, type TestIntranet, type TestUser } from '@plein/sdk/testing';
import forum from '../src';
import { addMember, category, reply, space, topic } from './helpers';

jest.setTimeout(120_000);

interface NotificationItem {
  kind: string;
  title: string;
  url: string;
  contentId: string | null;
}

/** Watch levels and the notifications they bring; read positions, unread counts, first unread. */
describe('forum watching and reading', () => {
  let intranet: TestIntranet;
  let ada: TestUser;
  let bob: TestUser;
  let cyd: TestUser;
  let dee: TestUser;
  let admin: TestUser;

  /** Notifications a user got since the last call (the forum's kinds only). */
  const seen = new Map<string, number>();
  const fresh = async (who: TestUser): Promise<NotificationItem[]> => {
    const items: NotificationItem[] = (await who.http.get('/api/v1/notifications').query({ limit: 100 }).expect(200))
      .body.items;
    const forumItems = items.filter((n) => n.kind.startsWith('forum.'));
    const before = seen.get(who.user.id) ?? 0;
    seen.set(who.user.id, forumItems.length);
    return forumItems.slice(0, forumItems.length - before);
  };

  beforeAll(async () => {
    intranet = await createTestIntranet({ plugins: [forum] });
    ada = await intranet.createUser({ handle: 'ada', displayName: 'Ada Lovelace' });
    bob = await intranet.createUser({ handle: 'bob', displayName: 'Bob Builder' });
    cyd = await intranet.createUser({ handle: 'cyd', displayName: 'Cyd Charisse' });
    dee = await intranet.createUser({ handle: 'dee', displayName: 'Dee Dee' });
    admin = await intranet.createUser({ handle: 'root', roles: ['admin'] });
    await category(admin, { slug: 'general', name: 'General' });
    await category(admin, { slug: 'quiet', name: 'Quiet' });
  });
  afterAll(() => intranet.close());

  it('notifies watchers of every reply, normal readers of mentions and quotes, muted ones of nothing', async () => {
    const t = await topic(ada, 'general', { title: 'Office move' });
    for (const who of [ada, bob, cyd, dee]) await fresh(who);
    await cyd.http.put(`/api/v1/forum/topics/${t.id}/watch`).send({ level: 'watching' }).expect(200);
    await dee.http.put(`/api/v1/forum/topics/${t.id}/watch`).send({ level: 'muted' }).expect(200);
    await bob.http.put(`/api/v1/forum/topics/${t.id}/watch`).send({ level: 'loud' }).expect(422);
    const first = await reply(bob, t.id, { body: 'Which floor?' });
    // Ada started the topic (watching), Cyd watches; Bob wrote it; Dee muted it.
    expect((await fresh(ada)).map((n) => n.kind)).toEqual(['forum.topic.replied']);
    expect(await fresh(cyd)).toEqual([
      expect.objectContaining({
        kind: 'forum.topic.replied',
        title: 'Bob Builder replied in “Office move”',
        url: `/forum/posts/${first.id}`,
      }),
    ]);
    expect(await fresh(bob)).toEqual([]);
    expect(await fresh(dee)).toEqual([]);
    // Mentions reach people at the normal level; a muted topic stays silent even for a mention.
    await reply(ada, t.id, { body: 'Fourth, @bob and @dee.' });
    expect((await fresh(bob)).map((n) => n.kind)).toEqual(['forum.post.mentioned']);
    expect(await fresh(dee)).toEqual([]);
    expect((await fresh(cyd)).map((n) => n.kind)).toEqual(['forum.topic.replied']);
    // A quote of Bob's post notifies Bob once (as a quote), not also as a mention.
    await reply(cyd, t.id, { body: 'Thanks @bob', quotePostId: first.id });
    expect((await fresh(bob)).map((n) => n.kind)).toEqual(['forum.post.mentioned']);
    await reply(cyd, t.id, { body: 'Indeed', quotePostId: first.id });
    expect((await fresh(bob)).map((n) => n.kind)).toEqual(['forum.post.quoted']);
    // Unwatching: back to normal, no more notifications of every reply.
    await cyd.http.put(`/api/v1/forum/topics/${t.id}/watch`).send({ level: 'normal' }).expect(200);
    await reply(bob, t.id, { body: 'See you there' });
    expect(await fresh(cyd)).toEqual([]);
    expect((await intranet.http.get(`/api/v1/forum/topics/${t.id}`).expect(200)).body.watchLevel).toBeNull();
    expect((await cyd.http.get(`/api/v1/forum/topics/${t.id}`).expect(200)).body.watchLevel).toBe('normal');
  });

  it('tells people in their own language', async () => {
    const t = await topic(ada, 'general', { title: 'Borrel' });
    await ada.http.patch('/api/v1/me').send({ locale: 'nl' }).expect(200);
    await fresh(ada);
    await reply(bob, t.id, { body: 'Ik kom!' });
    expect((await fresh(ada))[0].title).toBe('Bob Builder reageerde in “Borrel”');
    await ada.http.patch('/api/v1/me').send({ locale: null }).expect(200);
  });

  it('does not notify a mentioned person who cannot see the private space the topic is in', async () => {
    const spaceId = await space(ada, 'board', 'private');
    await category(admin, { slug: 'board-room', name: 'Board room', spaceId });
    const t = await topic(ada, 'board-room', { title: 'Budget' });
    await fresh(bob);
    await reply(ada, t.id, { body: 'What does @bob think?' });
    expect(await fresh(bob)).toEqual([]);
    await addMember(ada, spaceId, bob);
    await reply(ada, t.id, { body: 'Now @bob can see it.' });
    expect((await fresh(bob)).map((n) => n.kind)).toEqual(['forum.post.mentioned']);
  });

  it('keeps each person’s read position and counts what is unread per topic and per category', async () => {
    const t = await topic(ada, 'quiet', { title: 'Reading list' });
    const other = await topic(ada, 'quiet', { title: 'Another' });
    const r: string[] = [];
    for (let i = 1; i <= 4; i++) r.push((await reply(ada, t.id, { body: `Book ${i}` })).id);
    // Bob never opened either topic: both are new to him.
    let list = await bob.http.get('/api/v1/forum/categories/quiet/topics').expect(200);
    expect(list.body.items.map((x: { me: { new: boolean } }) => x.me.new)).toEqual([true, true]);
    let cats = await bob.http.get('/api/v1/forum/categories').expect(200);
    expect(cats.body.items.find((c: { slug: string }) => c.slug === 'quiet').unreadCount).toBe(2);
    // He reads up to the second book.
    const read = await bob.http.put(`/api/v1/forum/topics/${t.id}/read`).send({ postId: r[1] }).expect(200);
    expect(read.body).toEqual({ lastReadPostId: r[1], lastReadPosition: 3, unreadCount: 2 });
    const view = await bob.http.get(`/api/v1/forum/topics/${t.id}`).expect(200);
    expect(view.body).toMatchObject({ lastReadPostId: r[1], lastReadPosition: 3, firstUnreadPosition: 4 });
    list = await bob.http.get('/api/v1/forum/categories/quiet/topics').expect(200);
    expect(list.body.items.find((x: { id: string }) => x.id === t.id).me).toMatchObject({
      new: false,
      unreadCount: 2,
      lastReadPosition: 3,
    });
    // Jump to the first unread post.
    const jump = await bob.http.get(`/forum/t/${t.id}/unread`).expect(303);
    expect(jump.headers.location).toBe(`/forum/t/${t.id}#post-4`);
    // Reading to the end leaves the other topic as the only unread one.
    await bob.http.put(`/api/v1/forum/topics/${t.id}/read`).send({ postId: r[3] }).expect(200);
    expect((await bob.http.get(`/api/v1/forum/topics/${t.id}`).expect(200)).body.firstUnreadPosition).toBeNull();
    cats = await bob.http.get('/api/v1/forum/categories').expect(200);
    expect(cats.body.items.find((c: { slug: string }) => c.slug === 'quiet').unreadCount).toBe(1);
    // A new reply makes it unread again; muting it takes it out of the count.
    await reply(ada, t.id, { body: 'Book 5' });
    cats = await bob.http.get('/api/v1/forum/categories').expect(200);
    expect(cats.body.items.find((c: { slug: string }) => c.slug === 'quiet').unreadCount).toBe(2);
    await bob.http.put(`/api/v1/forum/topics/${t.id}/watch`).send({ level: 'muted' }).expect(200);
    cats = await bob.http.get('/api/v1/forum/categories').expect(200);
    expect(cats.body.items.find((c: { slug: string }) => c.slug === 'quiet').unreadCount).toBe(1);
    // "Mark all as read" clears the category until new activity.
    await bob.http.post('/api/v1/forum/categories/quiet/read').expect(204);
    cats = await bob.http.get('/api/v1/forum/categories').expect(200);
    expect(cats.body.items.find((c: { slug: string }) => c.slug === 'quiet').unreadCount).toBe(0);
    await reply(ada, other.id, { body: 'News' });
    cats = await bob.http.get('/api/v1/forum/categories').expect(200);
    expect(cats.body.items.find((c: { slug: string }) => c.slug === 'quiet').unreadCount).toBe(1);
    // Only a post of this topic can be a read position.
    await bob.http.put(`/api/v1/forum/topics/${t.id}/read`).send({ postId: other.firstPostId }).expect(422);
  });

  it('marks what a page shows as read when a signed-in person opens it, forward only', async () => {
    const t = await topic(ada, 'quiet', { title: 'Long read' });
    const r1 = await reply(ada, t.id, { body: 'One' });
    await reply(ada, t.id, { body: 'Two' });
    await cyd.http.get(`/forum/t/${t.id}`).expect(200);
    expect((await cyd.http.get(`/api/v1/forum/topics/${t.id}`).expect(200)).body.lastReadPosition).toBe(3);
    // An explicit position may move back ("unread from here"); reading the page again moves it forward.
    await cyd.http.put(`/api/v1/forum/topics/${t.id}/read`).send({ postId: r1.id }).expect(200);
    expect((await cyd.http.get(`/api/v1/forum/topics/${t.id}`).expect(200)).body.firstUnreadPosition).toBe(3);
    await cyd.http.get(`/forum/t/${t.id}`).expect(200);
    expect((await cyd.http.get(`/api/v1/forum/topics/${t.id}`).expect(200)).body.lastReadPosition).toBe(3);
  });

  it('counts nothing unread for anonymous visitors and answers 401 to their read and watch requests', async () => {
    const cats = await intranet.http.get('/api/v1/forum/categories').expect(200);
    expect(cats.body.items.every((c: { unreadCount: number | null }) => c.unreadCount === null)).toBe(true);
    const t = await topic(ada, 'quiet', { title: 'Public' });
    await intranet.http.put(`/api/v1/forum/topics/${t.id}/watch`).send({ level: 'watching' }).expect(401);
    await intranet.http.put(`/api/v1/forum/topics/${t.id}/read`).send({ postId: t.firstPostId }).expect(401);
    await intranet.http.post('/api/v1/forum/categories/quiet/read').expect(401);
  });

  it('ignores topics without activity in the unread window', async () => {
    await category(admin, { slug: 'old-news', name: 'Old news' });
    await topic(ada, 'old-news', { title: 'Ancient' });
    const count = async () =>
      (await dee.http.get('/api/v1/forum/categories').expect(200)).body.items.find(
        (c: { slug: string }) => c.slug === 'old-news',
      ).unreadCount;
    expect(await count()).toBe(1);
    intranet.clock.set(new Date(Date.now() + 31 * 86_400_000));
    expect(await count()).toBe(0);
  });
});
