import { Database } from '@plein/sdk';
import { createTestIntranet, type TestIntranet, type TestUser } from '@plein/sdk/testing';
import microblog from '../src';
import { API, post, readAll, space, tickBeforePosts, type StreamBody } from './fixtures/helpers';

jest.setTimeout(120_000);

/** Follows and streams: who is in a home timeline, the other streams, paging, polling, privacy. */
describe('microblog streams', () => {
  let intranet: TestIntranet;
  let ada: TestUser;
  let bob: TestUser;
  let cy: TestUser;
  let dee: TestUser;
  let eng: string;
  let board: string;

  beforeAll(async () => {
    intranet = await createTestIntranet({ plugins: [microblog] });
    tickBeforePosts(intranet.clock);
    ada = await intranet.createUser({ handle: 'ada', displayName: 'Ada Lovelace' });
    bob = await intranet.createUser({ handle: 'bob', displayName: 'Bob Builder' });
    cy = await intranet.createUser({ handle: 'cy', displayName: 'Cy Young' });
    dee = await intranet.createUser({ handle: 'dee', displayName: 'Dee Dee' });
    eng = await space(cy, 'engineering', 'public');
    board = await space(cy, 'board', 'private', [[bob, 'member']]);
  });
  afterAll(() => intranet.close());

  const timeline = async (who: TestUser) =>
    ((await who.http.get(`${API}/timeline`).query({ limit: 100 }).expect(200)).body as StreamBody).items.map(
      (i) => i.body,
    );

  it('refuses to follow oneself (422) or nobody (404), and following twice is following once', async () => {
    const self = await ada.http.post(`${API}/users/ada/follow`).expect(422);
    expect(self.body.errors).toEqual([{ field: 'id', message: 'you cannot follow yourself' }]);
    await ada.http.post(`${API}/users/nobody/follow`).expect(404);
    const first = await ada.http.post(`${API}/users/bob/follow`).expect(200);
    expect(first.body).toMatchObject({ user: { handle: 'bob' }, followers: 1, followedByMe: true });
    await ada.http.post(`${API}/users/${bob.user.id}/follow`).expect(200);
    const profile = await ada.http.get(`${API}/users/bob`).expect(200);
    expect(profile.body).toMatchObject({ followers: 1, following: 0, followedByMe: true, me: false });
    expect((await ada.http.get(`${API}/users/ada`).expect(200)).body).toMatchObject({ following: 1, me: true });
    await intranet.http.post(`${API}/users/bob/follow`).expect(401);
    expect(intranet.events.filter((e) => e.name === 'microblog.follow.created')).toHaveLength(1);
  });

  it('fills the home timeline with my posts, people I follow, and spaces I follow or belong to', async () => {
    await post(ada, { body: 'ada: my own post' });
    await post(bob, { body: 'bob: followed person' });
    await post(dee, { body: 'dee: not followed' });
    await post(dee, { body: 'dee: in engineering', spaceId: eng });
    await post(cy, { body: 'cy: in the board (private)', spaceId: board });
    await post(bob, { body: 'bob: in the board (private)', spaceId: board });
    const root = await post(dee, { body: 'dee: a thread' });
    await post(bob, { body: 'bob: a reply is in the thread, not the timeline', replyToId: root.id });

    expect(await timeline(ada)).toEqual(['bob: followed person', 'ada: my own post']);
    // Following a space brings its posts; belonging to one too (Bob is in the board).
    await ada.http.post(`${API}/spaces/engineering/follow`).expect(200);
    expect(await timeline(ada)).toEqual(['dee: in engineering', 'bob: followed person', 'ada: my own post']);
    expect(await timeline(bob)).toEqual([
      'bob: in the board (private)',
      'cy: in the board (private)',
      'bob: followed person',
    ]);
    // A person I follow posting where I may not read stays out (Bob's board post, for Ada).
    expect(await timeline(ada)).not.toContain('bob: in the board (private)');
    await ada.http.delete(`${API}/users/bob/follow`).expect(204);
    await ada.http.delete(`${API}/spaces/engineering/follow`).expect(204);
    expect(await timeline(ada)).toEqual(['ada: my own post']);
    await intranet.http.get(`${API}/timeline`).expect(401);
  });

  it('streams a person, a space and a tag; a private space’s posts are in none of them for outsiders', async () => {
    await post(cy, { body: 'Quarterly numbers #Finance', spaceId: board });
    await post(dee, { body: 'Public #finance tips' });
    const tag = (await dee.http.get(`${API}/tags/FINANCE`).expect(200)).body as StreamBody;
    expect(tag.items.map((i) => i.body)).toEqual(['Public #finance tips']);
    const tagForBob = (await bob.http.get(`${API}/tags/finance`).expect(200)).body as StreamBody;
    expect(tagForBob.items.map((i) => i.body)).toEqual(['Public #finance tips', 'Quarterly numbers #Finance']);
    const profile = (await dee.http.get(`${API}/users/bob/posts`).query({ limit: 100 }).expect(200)).body as StreamBody;
    expect(profile.items.map((i) => i.body)).toEqual([
      'bob: a reply is in the thread, not the timeline',
      'bob: followed person',
    ]);
    const spaceStream = (await dee.http.get(`${API}/spaces/engineering/posts`).expect(200)).body as StreamBody;
    expect(spaceStream.items.map((i) => i.body)).toEqual(['dee: in engineering']);
    // Outsiders: the private space is not there at all.
    await dee.http.get(`${API}/spaces/board/posts`).expect(404);
    await intranet.http.get(`${API}/spaces/board/posts`).expect(404);
    await dee.http.post(`${API}/spaces/board/follow`).expect(404);
    for (const path of [
      `${API}/posts`,
      `${API}/users/cy/posts`,
      `${API}/tags/finance`,
      `${API}/questions`,
      `${API}/timeline`,
    ]) {
      const body = JSON.stringify((await dee.http.get(path).query({ limit: 100 }).expect(200)).body);
      expect({ path, leaked: body.includes(board) }).toEqual({ path, leaked: false });
    }
    const inside = (await bob.http.get(`${API}/spaces/${board}/posts`).expect(200)).body as StreamBody;
    expect(inside.items.map((i) => i.body)).toContain('Quarterly numbers #Finance');
    await dee.http.get(`${API}/tags/${encodeURIComponent('not a tag')}`).expect(422);
  });

  it('answers 404 for every post of a private space, by id, replies and edits', async () => {
    const secret = await post(cy, { body: 'Merger talks', spaceId: board });
    for (const path of [`/posts/${secret.id}`, `/posts/${secret.id}/replies`, `/posts/${secret.id}/edits`]) {
      await dee.http.get(`${API}${path}`).expect(404);
      await intranet.http.get(`${API}${path}`).expect(404);
    }
    await dee.http.post(`${API}/posts/${secret.id}/reactions`).send({ emoji: '👍' }).expect(404);
    await dee.http.put(`${API}/posts/${secret.id}`).send({ body: 'x' }).expect(404);
    await dee.http.delete(`${API}/posts/${secret.id}`).expect(404);
    await dee.http.get(`/microblog/posts/${secret.id}`).expect(404);
    await dee.http.get('/microblog/spaces/board').expect(404);
    await bob.http.get(`${API}/posts/${secret.id}`).expect(200);
  });

  it('pages without duplicates or gaps while others keep posting between page fetches', async () => {
    const writer = await intranet.createUser({ handle: 'writer' });
    const reader = await intranet.createUser({ handle: 'reader' });
    await reader.http.post(`${API}/users/writer/follow`).expect(200);
    const before: string[] = [];
    for (let i = 0; i < 23; i++) {
      before.push((await post(writer, { body: `before ${i}` })).id);
    }
    const expected = [...before].reverse();
    for (const path of [`${API}/timeline`, `${API}/users/writer/posts`, `${API}/posts`]) {
      const seen: string[] = [];
      let cursor: string | null = null;
      let round = 0;
      do {
        const res: { body: StreamBody } = await reader.http
          .get(path)
          .query({ limit: 4, ...(cursor ? { cursor } : {}) })
          .expect(200);
        seen.push(...res.body.items.filter((i) => i.body.startsWith('before')).map((i) => i.id));
        cursor = res.body.nextCursor;
        // Someone posts between two page fetches, twice at once.
        await Promise.all([
          post(writer, { body: `during ${path} ${round}` }),
          post(writer, { body: `also ${round++}` }),
        ]);
      } while (cursor);
      expect(new Set(seen).size).toBe(seen.length);
      expect(seen.filter((id) => before.includes(id))).toEqual(expected);
    }
  });

  it('fills a home page past deleted posts of people followed, and pages on without gaps', async () => {
    const prolific = await intranet.createUser({ handle: 'prolific' });
    const follower = await intranet.createUser({ handle: 'follower' });
    await follower.http.post(`${API}/users/prolific/follow`).expect(200);
    const kept: string[] = [];
    for (let i = 0; i < 8; i++) kept.push((await post(prolific, { body: `kept ${i}` })).id);
    // The newest 30 are deleted: a page of 5 needs more than one round of 6 (limit 5 + 1) each.
    for (let i = 0; i < 30; i++) {
      const gone = await post(prolific, { body: `gone ${i}` });
      await prolific.http.delete(`${API}/posts/${gone.id}`).expect(204);
    }
    const first = (await follower.http.get(`${API}/timeline`).query({ limit: 5 }).expect(200)).body as StreamBody;
    expect(first.items.map((i) => i.id)).toEqual([...kept].reverse().slice(0, 5));
    expect(await readAll(follower.http, `${API}/timeline`, 5)).toEqual([...kept].reverse());
  });

  it('answers a short page with a cursor past a very long run of hidden posts, and skips nothing', async () => {
    const noisy = await intranet.createUser({ handle: 'noisy' });
    const watcher = await intranet.createUser({ handle: 'watcher' });
    await watcher.http.post(`${API}/users/noisy/follow`).expect(200);
    const kept = (await post(noisy, { body: 'the one worth reading' })).id;
    // A page of 1 looks through a window of 100 threads, then merges in rounds of 2, 4, 8, 16 and
    // 32 threads: 300 hidden posts are more than all of that.
    const hidden: string[] = [];
    for (let i = 0; i < 300; i++) hidden.push((await post(noisy, { body: `noise ${i}` })).contentId);
    // What a moderator's hiding does to core's records, at once (200 decisions through a
    // moderation plugin would only make this test slower).
    const db = intranet.get(Database);
    await db
      .manager()
      .query(`UPDATE core_content SET status = 'hidden' WHERE id IN (${hidden.map(() => '?').join(', ')})`, hidden);
    const first = (await watcher.http.get(`${API}/timeline`).query({ limit: 1 }).expect(200)).body as StreamBody;
    expect(first.items).toEqual([]);
    expect(first.nextCursor).not.toBeNull();
    expect(await readAll(watcher.http, `${API}/timeline`, 1)).toEqual([kept]);
    // A page of 5 looks through a window of 300 threads (the hidden ones), and the merge goes on
    // from its end to the one worth reading: the page is whole.
    const whole = (await watcher.http.get(`${API}/timeline`).query({ limit: 5 }).expect(200)).body as StreamBody;
    expect(whole.items.map((i) => i.id)).toEqual([kept]);
    expect(whole.nextCursor).toBeNull();
  });

  it('answers what came after a cursor (?since=) for polling, newest first', async () => {
    const poller = await intranet.createUser({ handle: 'poller' });
    const first = (await poller.http.get(`${API}/timeline`).expect(200)).body as StreamBody;
    expect(first.items).toEqual([]);
    expect(first.latestCursor).toEqual(expect.any(String));
    await post(poller, { body: 'new one' });
    await post(poller, { body: 'new two' });
    const fresh = (await poller.http.get(`${API}/timeline`).query({ since: first.latestCursor }).expect(200))
      .body as StreamBody;
    expect(fresh.items.map((i) => i.body)).toEqual(['new two', 'new one']);
    expect(fresh.nextCursor).toBeNull();
    const none = (await poller.http.get(`${API}/timeline`).query({ since: fresh.latestCursor }).expect(200))
      .body as StreamBody;
    expect(none.items).toEqual([]);
    expect(none.latestCursor).toBe(fresh.latestCursor);
    await poller.http.get(`${API}/timeline`).query({ since: 'nonsense' }).expect(422);
    await poller.http.get(`${API}/timeline`).query({ cursor: 'nonsense' }).expect(422);
    await poller.http.get(`${API}/timeline`).query({ limit: 101 }).expect(422);
  });

  it('reads a home timeline of many sources in pages (more than one statement’s worth of follows)', async () => {
    const fan = await intranet.createUser({ handle: 'fan' });
    const authors: TestUser[] = [];
    for (let i = 0; i < 105; i++) authors.push(await intranet.createUser({ handle: `author${i}` }));
    for (const a of authors) await fan.http.post(`${API}/users/${a.user.id}/follow`).expect(200);
    const posted: string[] = [];
    for (const a of [authors[0], authors[50], authors[101], authors[104]]) {
      posted.push((await post(a, { body: `from ${a.user.handle}` })).id);
    }
    const all = await readAll(fan.http, `${API}/timeline`, 3);
    expect(all).toEqual([...posted].reverse());
  });
  it('orders posts of the same millisecond by id, so the order never changes between pages', async () => {
    // The test clock stands still from here on (it has no way back to running): this test is last.
    intranet.clock.set(new Date('2030-01-01T12:00:00.000Z'));
    const twin = await intranet.createUser({ handle: 'twin' });
    const ids: string[] = [];
    for (let i = 0; i < 9; i++)
      ids.push(
        (
          await twin.http
            .post(`${API}/posts`)
            .send({ body: `same time ${i}` })
            .expect(201)
        ).body.id,
      );
    const all = await readAll(twin.http, `${API}/users/twin/posts`, 2);
    expect(all).toEqual([...ids].sort().reverse());
  });
});
