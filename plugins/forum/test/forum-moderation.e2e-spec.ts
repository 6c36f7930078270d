import { createTestIntranet, type TestIntranet, type TestUser } from '@plein/sdk/testing';
import forum from '../src';
import { addMember, category, reply, space, topic } from './helpers';

jest.setTimeout(120_000);

interface AuditItem {
  action: string;
  subject: string;
  actorId: string | null;
  details: Record<string, unknown>;
}

/** The moderators' tools and the solved workflow, each recorded in the audit log. */
describe('forum moderation and solutions', () => {
  let intranet: TestIntranet;
  let ada: TestUser;
  let bob: TestUser;
  let mod: TestUser;
  let admin: TestUser;

  const audit = async (): Promise<AuditItem[]> =>
    (await admin.http.get('/api/v1/audit').query({ limit: 100 }).expect(200)).body.items;
  const titles = async (slug: string, query: Record<string, string> = {}) =>
    (
      await intranet.http
        .get(`/api/v1/forum/categories/${slug}/topics`)
        .query({ limit: 100, ...query })
        .expect(200)
    ).body.items.map((t: { title: string }) => t.title);

  beforeAll(async () => {
    intranet = await createTestIntranet({ plugins: [forum] });
    ada = await intranet.createUser({ handle: 'ada', displayName: 'Ada Lovelace' });
    bob = await intranet.createUser({ handle: 'bob', displayName: 'Bob Builder' });
    mod = await intranet.createUser({ handle: 'mod', displayName: 'Mo Derator', roles: ['moderator'] });
    admin = await intranet.createUser({ handle: 'root', roles: ['admin'] });
    await category(admin, { slug: 'help', name: 'Help' });
    await category(admin, { slug: 'archive', name: 'Archive' });
  });
  afterAll(() => intranet.close());

  it('refuses a pin that ends in the past and a pin everywhere by a moderator of one space only', async () => {
    const t = await topic(ada, 'help', { title: 'Pin rules' });
    const past = await mod.http
      .patch(`/api/v1/forum/topics/${t.id}`)
      .send({ pinned: true, pinnedUntil: '2000-01-01T00:00:00Z' })
      .expect(422);
    expect(past.body.errors).toEqual([{ field: 'pinnedUntil', message: 'must be in the future' }]);
    await bob.http.patch(`/api/v1/forum/topics/${t.id}`).send({ pinned: true }).expect(403);
    const teamId = await space(admin, 'team', 'public');
    const spaceMod = await intranet.createUser({ handle: 'spacemod' });
    await addMember(admin, teamId, spaceMod, 'moderator');
    await category(admin, { slug: 'team-talk', name: 'Team talk', spaceId: teamId });
    const inSpace = await topic(ada, 'team-talk', { title: 'In the team' });
    await spaceMod.http.patch(`/api/v1/forum/topics/${inSpace.id}`).send({ pinned: true }).expect(200);
    await spaceMod.http.patch(`/api/v1/forum/topics/${inSpace.id}`).send({ pinned: 'global' }).expect(403);
    await spaceMod.http.patch(`/api/v1/forum/topics/${t.id}`).send({ locked: true }).expect(403);
    const global = await mod.http.patch(`/api/v1/forum/topics/${t.id}`).send({ pinned: 'global' }).expect(200);
    expect(global.body.pinScope).toBe('global');
    const page = await intranet.http.get('/forum').expect(200);
    expect(page.text).toContain('Pin rules');
  });

  it('locks a topic: replies and edits answer 423 for members, moderators may still reply', async () => {
    const t = await topic(ada, 'help', { title: 'Heated' });
    const r = await reply(bob, t.id, { body: 'Strong words' });
    const locked = await mod.http.patch(`/api/v1/forum/topics/${t.id}`).send({ locked: true }).expect(200);
    expect(locked.body.locked).toBe(true);
    const refused = await bob.http
      .post(`/api/v1/forum/topics/${t.id}/posts`)
      .send({ body: 'One more thing' })
      .expect(423);
    expect(refused.headers['content-type']).toContain('application/problem+json');
    expect(refused.body).toMatchObject({ status: 423, locked: true });
    await bob.http.put(`/api/v1/forum/posts/${r.id}`).send({ body: 'Softer words', baseVersion: 1 }).expect(423);
    await reply(mod, t.id, { body: 'Locked for a cooling-off period.' });
    await mod.http.patch(`/api/v1/forum/topics/${t.id}`).send({ locked: false }).expect(200);
    await reply(bob, t.id, { body: 'Sorry' });
    const actions = (await audit()).filter((e) => e.subject === `forum-topic:${t.id}`).map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['forum.topic.locked', 'forum.topic.unlocked']));
  });

  it('closes a topic with a reason shown in the thread, and reopens it', async () => {
    const t = await topic(ada, 'help', { title: 'Wifi down' });
    await mod.http.post(`/api/v1/forum/topics/${t.id}/close`).send({ reason: '   ' }).expect(422);
    const closed = await mod.http
      .post(`/api/v1/forum/topics/${t.id}/close`)
      .send({ reason: 'Fixed by IT on Monday; see the status page.' })
      .expect(200);
    expect(closed.body).toMatchObject({ closed: true, closeReason: 'Fixed by IT on Monday; see the status page.' });
    const refused = await bob.http
      .post(`/api/v1/forum/topics/${t.id}/posts`)
      .send({ body: 'Still down here' })
      .expect(423);
    expect(refused.body).toMatchObject({ closed: true, closeReason: 'Fixed by IT on Monday; see the status page.' });
    await bob.http.post(`/api/v1/forum/topics/${t.id}/close`).send({ reason: 'no' }).expect(403);
    const page = await bob.http.get(`/forum/t/${t.id}`).expect(200);
    expect(page.text).toContain('This topic is closed.');
    expect(page.text).toContain('Fixed by IT on Monday; see the status page.');
    expect(page.text).not.toContain('id="reply"');
    await mod.http.post(`/api/v1/forum/topics/${t.id}/reopen`).expect(200);
    await reply(bob, t.id, { body: 'Down again' });
    const entry = (await audit()).find((e) => e.action === 'forum.topic.closed' && e.subject === `forum-topic:${t.id}`);
    expect(entry?.details).toMatchObject({ reason: 'Fixed by IT on Monday; see the status page.' });
  });

  it('moves a topic to a category the moderator may post in; 403 where they may not, 422 across spaces', async () => {
    const t = await topic(ada, 'help', { title: 'Old announcement' });
    // Only moderators start topics in the archive; only staff in the staff room.
    await admin.http
      .put('/api/v1/forum/categories/archive/grants')
      .send({ create: ['moderator'] })
      .expect(200);
    await category(admin, { slug: 'staff-room', name: 'Staff room' });
    await admin.http
      .put('/api/v1/forum/categories/staff-room/grants')
      .send({ create: ['staff'] })
      .expect(200);
    await bob.http.patch(`/api/v1/forum/topics/${t.id}`).send({ categoryId: 'archive' }).expect(403);
    const refused = await mod.http.patch(`/api/v1/forum/topics/${t.id}`).send({ categoryId: 'staff-room' }).expect(403);
    expect(refused.body.detail).toContain('Staff room');
    const moved = await mod.http.patch(`/api/v1/forum/topics/${t.id}`).send({ categoryId: 'archive' }).expect(200);
    expect(moved.body.category.slug).toBe('archive');
    expect(await titles('archive')).toContain('Old announcement');
    expect(await titles('help')).not.toContain('Old announcement');
    const teamId = await space(admin, 'movers', 'public');
    await category(admin, { slug: 'movers-talk', name: 'Movers', spaceId: teamId });
    const across = await mod.http.patch(`/api/v1/forum/topics/${t.id}`).send({ categoryId: 'movers-talk' }).expect(422);
    expect(across.body.errors[0].field).toBe('categoryId');
    await mod.http.patch(`/api/v1/forum/topics/${t.id}`).send({ categoryId: 'nowhere' }).expect(422);
    const entry = (await audit()).find((e) => e.action === 'forum.topic.moved' && e.subject === `forum-topic:${t.id}`);
    expect(entry).toMatchObject({
      actorId: mod.user.id,
      details: expect.objectContaining({ to: moved.body.category.id }),
    });
    expect(intranet.events.map((e) => e.name)).toContain('forum.topic.moved');
  });

  it('renames a topic, its record too, and records it', async () => {
    const t = await topic(ada, 'help', { title: 'Typo in teh title' });
    const renamed = await mod.http
      .patch(`/api/v1/forum/topics/${t.id}`)
      .send({ title: 'Typo in the title' })
      .expect(200);
    expect(renamed.body.title).toBe('Typo in the title');
    await mod.http.patch(`/api/v1/forum/topics/${t.id}`).send({ title: '' }).expect(422);
    const entry = (await audit()).find(
      (e) => e.action === 'forum.topic.renamed' && e.subject === `forum-topic:${t.id}`,
    );
    expect(entry?.details).toMatchObject({ from: 'Typo in teh title', to: 'Typo in the title' });
  });

  it('splits replies into a new topic, numbered from 1 there, and leaves the rest', async () => {
    const t = await topic(ada, 'help', { title: 'Printers and coffee' });
    const p1 = await reply(bob, t.id, { body: 'Printer: try turning it off' });
    const c1 = await reply(ada, t.id, { body: 'Coffee machine is broken too' });
    const c2 = await reply(bob, t.id, { body: 'Coffee: descale it' });
    const refused = await mod.http
      .post(`/api/v1/forum/topics/${t.id}/split`)
      .send({ postIds: [t.firstPostId], title: 'No' })
      .expect(422);
    expect(refused.body.errors[0]).toEqual({ field: 'postIds', message: 'must be a reply, not the opening post' });
    await mod.http.post(`/api/v1/forum/topics/${t.id}/split`).send({ postIds: [], title: 'Empty' }).expect(422);
    await bob.http
      .post(`/api/v1/forum/topics/${t.id}/split`)
      .send({ postIds: [c1.id], title: 'No' })
      .expect(403);
    const split = await mod.http
      .post(`/api/v1/forum/topics/${t.id}/split`)
      .send({ postIds: [c2.id, c1.id], title: 'The coffee machine' })
      .expect(201);
    expect(split.body).toMatchObject({
      title: 'The coffee machine',
      author: { handle: 'ada' },
      replyCount: 1,
      category: { slug: 'help' },
    });
    expect(split.body.posts.items.map((p: { id: string; position: number }) => [p.id, p.position])).toEqual([
      [c1.id, 1],
      [c2.id, 2],
    ]);
    const left = await intranet.http.get(`/api/v1/forum/topics/${t.id}`).expect(200);
    expect(left.body.posts.items.map((p: { id: string }) => p.id)).toEqual([t.firstPostId, p1.id]);
    expect(left.body.replyCount).toBe(1);
    expect((await intranet.http.get(`/forum/posts/${c2.id}`).expect(303)).headers.location).toBe(
      `/forum/t/${split.body.id}#post-2`,
    );
    const entry = (await audit()).find((e) => e.action === 'forum.topic.split' && e.subject === `forum-topic:${t.id}`);
    expect(entry?.details).toMatchObject({ newTopicId: split.body.id, posts: 2 });
  });

  it('merges a topic into another: its posts follow, its address leads there', async () => {
    const target = await topic(ada, 'help', { title: 'VPN problems' });
    const t1 = await reply(bob, target.id, { body: 'Mine too' });
    const source = await topic(bob, 'help', { title: 'VPN broken?' });
    const s1 = await reply(ada, source.id, { body: 'Same here' });
    await mod.http.post(`/api/v1/forum/topics/${source.id}/merge`).send({ intoTopicId: source.id }).expect(422);
    await mod.http.post(`/api/v1/forum/topics/${source.id}/merge`).send({ intoTopicId: 'nope' }).expect(422);
    const merged = await mod.http
      .post(`/api/v1/forum/topics/${source.id}/merge`)
      .send({ intoTopicId: target.id })
      .expect(200);
    expect(merged.body.id).toBe(target.id);
    expect(merged.body.posts.items.map((p: { id: string }) => p.id)).toEqual([
      target.firstPostId,
      t1.id,
      source.firstPostId,
      s1.id,
    ]);
    expect(merged.body.posts.items.map((p: { position: number }) => p.position)).toEqual([1, 2, 3, 4]);
    expect(merged.body.replyCount).toBe(3);
    expect(await titles('help')).not.toContain('VPN broken?');
    expect((await intranet.http.get(`/api/v1/forum/topics/${source.id}`).expect(200)).body.mergedIntoId).toBe(
      target.id,
    );
    expect((await intranet.http.get(`/forum/t/${source.id}`).expect(303)).headers.location).toBe(
      `/forum/t/${target.id}`,
    );
    await bob.http.post(`/api/v1/forum/topics/${source.id}/posts`).send({ body: 'late' }).expect(409);
    const entry = (await audit()).find(
      (e) => e.action === 'forum.topic.merged' && e.subject === `forum-topic:${source.id}`,
    );
    expect(entry).toMatchObject({
      actorId: mod.user.id,
      details: expect.objectContaining({ intoTopicId: target.id, posts: 2 }),
    });
  });

  describe('solutions', () => {
    it('lets the topic’s author mark a reply as the solution, shown under the first post', async () => {
      const t = await topic(ada, 'help', { title: 'How do I print double-sided?' });
      const wrong = await reply(bob, t.id, { body: 'Buy a new printer' });
      const right = await reply(mod, t.id, { body: 'Tick “duplex” in the dialog' });
      await bob.http.post(`/api/v1/forum/topics/${t.id}/solution`).send({ postId: wrong.id }).expect(403);
      const solved = await ada.http
        .post(`/api/v1/forum/topics/${t.id}/solution`)
        .send({ postId: right.id })
        .expect(200);
      expect(solved.body).toMatchObject({
        solved: true,
        solutionPostId: right.id,
        solution: { id: right.id, body: 'Tick “duplex” in the dialog' },
      });
      expect(solved.body.posts.items.find((p: { id: string }) => p.id === right.id).solution).toBe(true);
      const page = await intranet.http.get(`/forum/t/${t.id}`).expect(200);
      const opening = page.text.indexOf('id="post-1"');
      const solution = page.text.indexOf('forum-solution');
      const replies = page.text.indexOf('id="post-2"');
      expect(opening).toBeGreaterThan(0);
      expect(solution).toBeGreaterThan(opening);
      expect(replies).toBeGreaterThan(solution);
      const notifications = await mod.http.get('/api/v1/notifications').expect(200);
      expect(notifications.body.items.map((n: { kind: string }) => n.kind)).toContain('forum.post.solution');
      // Moderators may change it; the author may unmark it.
      await mod.http.post(`/api/v1/forum/topics/${t.id}/solution`).send({ postId: wrong.id }).expect(200);
      await ada.http.delete(`/api/v1/forum/topics/${t.id}/solution`).expect(200);
      expect((await intranet.http.get(`/api/v1/forum/topics/${t.id}`).expect(200)).body.solved).toBe(false);
      const actions = (await audit()).filter((e) => e.subject === `forum-topic:${t.id}`).map((e) => e.action);
      expect(actions).toEqual(expect.arrayContaining(['forum.topic.solved', 'forum.topic.unsolved']));
    });

    it('refuses a solution from another topic, the opening post, or an unknown post with 422', async () => {
      const t = await topic(ada, 'help', { title: 'Question one' });
      const other = await topic(ada, 'help', { title: 'Question two' });
      const elsewhere = await reply(bob, other.id, { body: 'Answer to two' });
      const res = await ada.http
        .post(`/api/v1/forum/topics/${t.id}/solution`)
        .send({ postId: elsewhere.id })
        .expect(422);
      expect(res.body.errors).toEqual([{ field: 'postId', message: 'no such post in this topic' }]);
      await ada.http.post(`/api/v1/forum/topics/${t.id}/solution`).send({ postId: t.firstPostId }).expect(422);
      await ada.http
        .post(`/api/v1/forum/topics/${t.id}/solution`)
        .send({ postId: 'x'.repeat(40) })
        .expect(422);
      await ada.http.post(`/api/v1/forum/topics/${t.id}/solution`).send({}).expect(422);
    });

    it('filters a category’s list by solved and unsolved', async () => {
      await category(admin, { slug: 'qa', name: 'Q&A' });
      const solvedTopic = await topic(ada, 'qa', { title: 'Solved one' });
      await topic(ada, 'qa', { title: 'Open one' });
      const answer = await reply(bob, solvedTopic.id, { body: 'This' });
      await ada.http.post(`/api/v1/forum/topics/${solvedTopic.id}/solution`).send({ postId: answer.id }).expect(200);
      expect(await titles('qa', { solved: 'true' })).toEqual(['Solved one']);
      expect(await titles('qa', { solved: 'false' })).toEqual(['Open one']);
      const page = await intranet.http.get('/forum/c/qa?solved=yes').expect(200);
      expect(page.text).toContain('Solved one');
      expect(page.text).not.toContain('Open one');
    });
  });
  // Last: the clock stands still from here on.
  it('pins a topic on top of its category until the pin’s end, then lists it by activity again', async () => {
    const start = new Date(Date.now() + 3600_000);
    intranet.clock.set(start);
    await category(admin, { slug: 'notices', name: 'Notices' });
    const rules = await topic(ada, 'notices', { title: 'House rules' });
    intranet.clock.set(new Date(start.getTime() + 60_000));
    await topic(ada, 'notices', { title: 'Later question' });
    const until = new Date(start.getTime() + 2 * 86_400_000).toISOString();
    const pinned = await mod.http
      .patch(`/api/v1/forum/topics/${rules.id}`)
      .send({ pinned: true, pinnedUntil: until })
      .expect(200);
    expect(pinned.body).toMatchObject({ pinned: true, pinScope: 'category', pinnedUntil: until });
    expect((await titles('notices')).slice(0, 2)).toEqual(['House rules', 'Later question']);
    intranet.clock.set(new Date(start.getTime() + 2 * 86_400_000 + 1000));
    expect((await titles('notices')).slice(0, 2)).toEqual(['Later question', 'House rules']);
    expect((await intranet.http.get(`/api/v1/forum/topics/${rules.id}`).expect(200)).body.pinned).toBe(false);
    const unpinned = (await audit()).find(
      (e) => e.action === 'forum.topic.unpinned' && e.subject === `forum-topic:${rules.id}`,
    );
    expect(unpinned).toMatchObject({ actorId: null, details: expect.objectContaining({ expired: true }) });
    expect((await audit()).find((e) => e.action === 'forum.topic.pinned')).toMatchObject({
      subject: `forum-topic:${rules.id}`,
      actorId: mod.user.id,
      details: expect.objectContaining({ scope: 'category', until }),
    });
    expect(intranet.events.map((e) => e.name)).toEqual(
      expect.arrayContaining(['forum.topic.pinned', 'forum.topic.unpinned']),
    );
  });
});
