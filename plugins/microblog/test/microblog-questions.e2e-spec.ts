import { createTestIntranet, type TestIntranet, type TestUser } from '@plein/sdk/testing';
import microblog from '../src';
import { API, post, space, tickBeforePosts, type StreamBody } from './fixtures/helpers';
import { reviewGate } from './fixtures/review-gate.plugin';

jest.setTimeout(60_000);

interface Notification {
  kind: string;
  title: string;
  url: string;
  contentId: string | null;
}

/** Questions and accepted answers, question boards, pins that expire, and notifications. */
describe('microblog questions, pins and notifications', () => {
  let intranet: TestIntranet;
  let ada: TestUser;
  let bob: TestUser;
  let cy: TestUser;
  let spaceMod: TestUser;
  let moderator: TestUser;
  let support: string;

  beforeAll(async () => {
    intranet = await createTestIntranet({ plugins: [microblog, reviewGate] });
    tickBeforePosts(intranet.clock);
    ada = await intranet.createUser({ handle: 'ada', displayName: 'Ada Lovelace' });
    bob = await intranet.createUser({ handle: 'bob', displayName: 'Bob Builder' });
    cy = await intranet.createUser({ handle: 'cy', displayName: 'Cy Young' });
    spaceMod = await intranet.createUser({ handle: 'sam', displayName: 'Sam Steward' });
    moderator = await intranet.createUser({ handle: 'mod', roles: ['moderator'] });
    const owner = await intranet.createUser({ handle: 'owner' });
    support = await space(owner, 'support', 'public', [[spaceMod, 'moderator']]);
  });
  afterAll(() => intranet.close());

  const notifications = async (who: TestUser): Promise<Notification[]> =>
    (await who.http.get('/api/v1/notifications').query({ limit: 100 }).expect(200)).body.items;

  it('shows a question as unanswered until its author accepts a reply, which then shows under it', async () => {
    const q = await post(ada, { body: 'How do I book a parking spot?', kind: 'question', spaceId: support });
    expect(q).toMatchObject({ kind: 'question', answered: false, acceptedAnswerId: null });
    const wrong = await post(bob, { body: 'Ask reception', replyToId: q.id });
    const right = await post(cy, { body: 'Use the parking app', replyToId: q.id });
    // Someone else may not accept (403); a reply to another post is not an answer (422).
    await bob.http.post(`${API}/posts/${q.id}/answer`).send({ replyId: right.id }).expect(403);
    await intranet.http.post(`${API}/posts/${q.id}/answer`).send({ replyId: right.id }).expect(401);
    const other = await post(bob, { body: 'Unrelated' });
    const otherReply = await post(cy, { body: 'Reply elsewhere', replyToId: other.id });
    const notReply = await ada.http.post(`${API}/posts/${q.id}/answer`).send({ replyId: otherReply.id }).expect(422);
    expect(notReply.body.errors).toEqual([{ field: 'replyId', message: 'must be a published reply to this question' }]);
    await ada.http.post(`${API}/posts/${q.id}/answer`).send({ replyId: q.id }).expect(422);
    await ada.http.post(`${API}/posts/${q.id}/answer`).send({ replyId: 'no-such-post' }).expect(422);
    await ada.http.post(`${API}/posts/${q.id}/answer`).send({}).expect(422);
    // Only a question takes an answer.
    await bob.http.post(`${API}/posts/${other.id}/answer`).send({ replyId: otherReply.id }).expect(409);

    const accepted = await ada.http.post(`${API}/posts/${q.id}/answer`).send({ replyId: wrong.id }).expect(200);
    expect(accepted.body).toMatchObject({
      answered: true,
      acceptedAnswerId: wrong.id,
      acceptedAnswer: { id: wrong.id },
    });
    // The author changes their mind; a moderator of the space may also choose.
    await ada.http.post(`${API}/posts/${q.id}/answer`).send({ replyId: right.id }).expect(200);
    await spaceMod.http.post(`${API}/posts/${q.id}/answer`).send({ replyId: right.id }).expect(200);
    const read = await bob.http.get(`${API}/posts/${q.id}`).expect(200);
    expect(read.body).toMatchObject({
      answered: true,
      acceptedAnswerId: right.id,
      acceptedAnswer: { id: right.id, body: 'Use the parking app', author: { handle: 'cy' } },
    });
    const withdrawn = await spaceMod.http.delete(`${API}/posts/${q.id}/answer`).expect(200);
    expect(withdrawn.body).toMatchObject({ answered: false, acceptedAnswerId: null, acceptedAnswer: null });
    await ada.http.post(`${API}/posts/${q.id}/answer`).send({ replyId: right.id }).expect(200);
    expect(intranet.events.filter((e) => e.name === 'microblog.question.answered').length).toBeGreaterThanOrEqual(4);
    const told = (await notifications(cy)).filter((n) => n.kind === 'microblog.answer.accepted');
    expect(told[0]).toMatchObject({ title: 'Ada Lovelace accepted your answer', url: `/microblog/posts/${q.id}` });
  });

  it('makes a question unanswered again when its accepted answer is deleted', async () => {
    const q = await post(ada, { body: 'Which floor is HR on?', kind: 'question' });
    const answer = await post(bob, { body: 'Fourth', replyToId: q.id });
    await ada.http.post(`${API}/posts/${q.id}/answer`).send({ replyId: answer.id }).expect(200);
    await bob.http.delete(`${API}/posts/${answer.id}`).expect(204);
    expect((await ada.http.get(`${API}/posts/${q.id}`).expect(200)).body).toMatchObject({
      answered: false,
      acceptedAnswerId: null,
      acceptedAnswer: null,
    });
  });

  it('lists a space’s questions unanswered first and filters answered and unanswered', async () => {
    const answered = await post(ada, { body: 'Where is the printer?', kind: 'question', spaceId: 'support' });
    const reply = await post(bob, { body: 'Second floor', replyToId: answered.id });
    await ada.http.post(`${API}/posts/${answered.id}/answer`).send({ replyId: reply.id }).expect(200);
    const open1 = await post(bob, { body: 'Who has the projector?', kind: 'question', spaceId: support });
    const open2 = await post(cy, { body: 'Is the canteen open?', kind: 'question', spaceId: support });
    await post(cy, { body: 'Just a post', spaceId: support });
    const board = (await bob.http.get(`${API}/questions`).query({ spaceId: 'support' }).expect(200)).body as StreamBody;
    const order = board.items.map((i) => i.id);
    expect(order.slice(0, 2)).toEqual([open2.id, open1.id]);
    expect(order.indexOf(answered.id)).toBeGreaterThan(1);
    expect(board.items.every((i) => i.kind === 'question')).toBe(true);
    const unanswered = (
      await bob.http.get(`${API}/questions`).query({ spaceId: support, state: 'unanswered' }).expect(200)
    ).body as StreamBody;
    expect(unanswered.items.every((i) => i.answered === false)).toBe(true);
    const done = (await bob.http.get(`${API}/questions`).query({ spaceId: support, state: 'answered' }).expect(200))
      .body as StreamBody;
    expect(done.items.map((i) => i.id)).toContain(answered.id);
    expect(done.items.every((i) => i.answered === true)).toBe(true);
    await bob.http.get(`${API}/questions`).query({ state: 'maybe' }).expect(422);
    // Paging one by one crosses from the unanswered part to the answered part without repeats.
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res: { body: StreamBody } = await bob.http
        .get(`${API}/questions`)
        .query({ spaceId: support, limit: 1, ...(cursor ? { cursor } : {}) })
        .expect(200);
      seen.push(...res.body.items.map((i) => i.id));
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(order);
    const everywhere = (await bob.http.get(`${API}/questions`).expect(200)).body as StreamBody;
    expect(everywhere.items.map((i) => i.id)).toEqual(expect.arrayContaining([open1.id, open2.id, answered.id]));
    const orgWide = (await bob.http.get(`${API}/questions`).query({ spaceId: '-' }).expect(200)).body as StreamBody;
    expect(orgWide.items.map((i) => i.id)).not.toContain(open1.id);
  });

  it('pins a thread first in its space until the pin expires; only moderators of the space pin', async () => {
    const old = await post(ada, { body: 'House rules: be kind', spaceId: support });
    await post(bob, { body: 'Newer chatter', spaceId: support });
    await bob.http.post(`${API}/posts/${old.id}/pin`).send({}).expect(403);
    const until = new Date(intranet.clock.now().getTime() + 3_600_000).toISOString();
    const pinned = await spaceMod.http.post(`${API}/posts/${old.id}/pin`).send({ until }).expect(200);
    expect(pinned.body.pinned).toEqual({ at: expect.any(String), until });
    const stream = (await bob.http.get(`${API}/spaces/support/posts`).query({ limit: 3 }).expect(200))
      .body as StreamBody;
    expect(stream.items[0]).toMatchObject({ id: old.id, pinned: { until } });
    expect(stream.items.filter((i) => i.id === old.id)).toHaveLength(1);
    // Later pages do not show it again.
    let cursor = stream.nextCursor;
    while (cursor) {
      const page = (await bob.http.get(`${API}/spaces/support/posts`).query({ limit: 3, cursor }).expect(200))
        .body as StreamBody;
      expect(page.items.map((i) => i.id)).not.toContain(old.id);
      cursor = page.nextCursor;
    }
    intranet.clock.advance(2 * 3_600_000);
    const later = (await bob.http.get(`${API}/spaces/support/posts`).query({ limit: 100 }).expect(200))
      .body as StreamBody;
    expect(later.items[0].id).not.toBe(old.id);
    expect(later.items.find((i) => i.id === old.id)).toMatchObject({ pinned: null });
    // Pinned without an end, then unpinned; a reply, an organisation-wide post and the past are refused.
    await moderator.http.post(`${API}/posts/${old.id}/pin`).send({ until: null }).expect(200);
    expect(((await bob.http.get(`${API}/spaces/support/posts`).expect(200)).body as StreamBody).items[0].id).toBe(
      old.id,
    );
    await spaceMod.http.delete(`${API}/posts/${old.id}/pin`).expect(200);
    expect(((await bob.http.get(`${API}/spaces/support/posts`).expect(200)).body as StreamBody).items[0].id).not.toBe(
      old.id,
    );
    const reply = await post(bob, { body: 'Agreed', replyToId: old.id });
    expect((await spaceMod.http.post(`${API}/posts/${reply.id}/pin`).send({}).expect(422)).body.errors[0].field).toBe(
      'id',
    );
    const orgWide = await post(bob, { body: 'Everyone, hello' });
    await moderator.http.post(`${API}/posts/${orgWide.id}/pin`).send({}).expect(422);
    const past = await spaceMod.http
      .post(`${API}/posts/${old.id}/pin`)
      .send({ until: '2000-01-01T00:00:00.000Z' })
      .expect(422);
    expect(past.body.errors).toEqual([{ field: 'until', message: 'must be in the future' }]);
    await spaceMod.http.post(`${API}/posts/${old.id}/pin`).send({ until: 'tomorrow' }).expect(422);
    expect(intranet.events.filter((e) => e.name === 'microblog.post.pinned').length).toBeGreaterThanOrEqual(3);
  });

  it('notifies mentioned people who exist and may read the post, once', async () => {
    const hr = await space(ada, 'hr', 'private', [[bob, 'member']]);
    const before = (await notifications(bob)).length;
    const p = await post(ada, { body: 'Welcome @bob and @ghost! Also @bob again and @ada myself' });
    const bobs = (await notifications(bob)).filter((n) => n.kind === 'microblog.post.mentioned');
    expect(bobs[0]).toMatchObject({
      title: 'Ada Lovelace mentioned you',
      url: `/microblog/posts/${p.id}`,
      contentId: p.contentId,
    });
    expect((await notifications(bob)).length).toBe(before + 1);
    expect((await notifications(ada)).filter((n) => n.url === `/microblog/posts/${p.id}`)).toEqual([]);
    // Cy is mentioned in a private space he is not in: he is not told.
    await post(ada, { body: 'Salary bands, cc @cy @bob', spaceId: hr });
    expect((await notifications(cy)).filter((n) => n.kind === 'microblog.post.mentioned')).toEqual([]);
    // An edit tells only people mentioned for the first time.
    const count = (await notifications(bob)).length;
    await ada.http.put(`${API}/posts/${p.id}`).send({ body: 'Welcome @bob and @cy!' }).expect(200);
    expect((await notifications(bob)).length).toBe(count);
    expect((await notifications(cy)).filter((n) => n.url === `/microblog/posts/${p.id}`)).toHaveLength(1);
  });

  it('tells nobody about a held post until a moderator approves it, then tells them', async () => {
    const held = await ada.http.post(`${API}/posts`).send({ body: 'The secret plan, @cy' }).expect(202);
    const cyBefore = (await notifications(cy)).filter((n) => n.contentId === held.body.contentId);
    expect(cyBefore).toEqual([]);
    await moderator.http
      .post(`/api/v1/reviewgate/decide/${held.body.contentId}`)
      .send({ status: 'published' })
      .expect(200);
    const cyAfter = (await notifications(cy)).filter((n) => n.contentId === held.body.contentId);
    expect(cyAfter).toHaveLength(1);
  });

  it('tells the author of a post about a reply, and of a question about an answer', async () => {
    const p = await post(bob, { body: 'Anyone for lunch?' });
    await post(cy, { body: 'Me!', replyToId: p.id });
    const q = await post(bob, { body: 'Which lunch place?', kind: 'question' });
    await post(cy, { body: 'The Thai one', replyToId: q.id });
    await post(bob, { body: 'Replying to myself', replyToId: q.id });
    const mine = (await notifications(bob)).filter(
      (n) => n.kind === 'microblog.post.replied' && (n.url.includes(p.id) || n.url.includes(q.id)),
    );
    expect(mine.map((n) => n.title)).toEqual(['Cy Young answered your question', 'Cy Young replied to your post']);
    expect(mine[1].url).toMatch(new RegExp(`^/microblog/posts/${p.id}#microblog\\.post-`));
  });

  it('speaks Dutch in notifications to people who chose Dutch', async () => {
    // Bob chooses Dutch on his profile page (a form; his token stands in for a browser session).
    await bob.http.post('/profile').type('form').send({ displayName: 'Bob Builder', locale: 'nl' }).expect(303);
    await post(ada, { body: 'Hallo @bob' });
    expect((await notifications(bob))[0].title).toBe('Ada Lovelace noemde je');
  });
});
