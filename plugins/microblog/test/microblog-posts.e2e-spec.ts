import { request } from 'node:http';
import { Database } from '@plein/sdk';
import { createTestIntranet, type TestIntranet, type TestUser } from '@plein/sdk/testing';
import microblog from '../src';
import { MicroblogSettingsService } from '../src/services/microblog-settings.service';
import { API, post, space, tickBeforePosts } from './fixtures/helpers';
import { activeParts, vectorPosts } from './fixtures/inert';
import { reviewGate } from './fixtures/review-gate.plugin';

jest.setTimeout(60_000);

/** The JSON API of posts: shapes, text rules, replies, reactions, edits, deletes, gates, XSS. */
describe('microblog posts', () => {
  let intranet: TestIntranet;
  let ada: TestUser;
  let bob: TestUser;
  let cy: TestUser;
  let moderator: TestUser;

  beforeAll(async () => {
    intranet = await createTestIntranet({ plugins: [microblog, reviewGate] });
    tickBeforePosts(intranet.clock);
    ada = await intranet.createUser({ handle: 'ada', displayName: 'Ada Lovelace' });
    bob = await intranet.createUser({ handle: 'bob', displayName: 'Bob Builder' });
    cy = await intranet.createUser({ handle: 'cy', displayName: 'Cy Young' });
    moderator = await intranet.createUser({ handle: 'mod', roles: ['moderator'] });
  });
  afterAll(() => intranet.close());

  it('answers a new post with the contract shape: mentions, tags in lower case, reactions, edits', async () => {
    const res = await ada.http
      .post(`${API}/posts`)
      .send({ body: 'Launch day! Thanks @Bob and @nobody-here #Release #release #Q4 https://example.com/notes' })
      .expect(201);
    expect(res.body).toMatchObject({
      type: 'microblog.post',
      status: 'published',
      author: { id: ada.user.id, handle: 'ada', displayName: 'Ada Lovelace' },
      spaceId: null,
      kind: 'post',
      replyToId: null,
      mentions: ['bob'],
      tags: ['release', 'q4'],
      reactions: [],
      edits: [],
      replies: { items: [], nextCursor: null },
      version: 1,
      editedAt: null,
      answered: null,
      url: `/microblog/posts/${res.body.id}`,
    });
    expect(typeof res.body.contentId).toBe('string');
    expect(new Date(res.body.createdAt).toISOString()).toBe(res.body.createdAt);
    // Known handles link to the profile, unknown ones stay text; tags link; bare addresses link.
    expect(res.body.html).toContain('<a href="/microblog/users/bob" class="mention">@Bob</a>');
    expect(res.body.html).toContain('@nobody-here');
    expect(res.body.html).not.toContain('/microblog/users/nobody-here');
    expect(res.body.html).toContain('<a href="/microblog/tags/release" class="hashtag">#Release</a>');
    expect(res.body.html).toContain(
      '<a href="https://example.com/notes" rel="noopener noreferrer nofollow">https://example.com/notes</a>',
    );
    const read = await intranet.http.get(`${API}/posts/${res.body.id}`).expect(200);
    expect(read.body).toMatchObject({ id: res.body.id, body: res.body.body, html: res.body.html });
    expect(intranet.events.map((e) => e.name)).toEqual(
      expect.arrayContaining(['content.published', 'microblog.post.created']),
    );
  });

  it('counts characters as a person does and refuses one over the limit with 422 naming it', async () => {
    await post(ada, { body: 'é'.repeat(500) });
    await post(ada, { body: '👩‍👩‍👧'.repeat(500) });
    await post(ada, { body: `${'e\u0301'.repeat(499)}🇳🇱` });
    const over = await ada.http
      .post(`${API}/posts`)
      .send({ body: '👍'.repeat(501) })
      .expect(422);
    expect(over.headers['content-type']).toContain('application/problem+json');
    expect(over.body.errors).toEqual([{ field: 'body', message: 'must be at most 500 characters (found 501)' }]);
  });

  it('follows the configured limit', async () => {
    const settings = intranet.get(MicroblogSettingsService);
    await settings.update({ maxLength: 20 });
    try {
      await post(ada, { body: 'x'.repeat(20) });
      const res = await ada.http
        .post(`${API}/posts`)
        .send({ body: 'x'.repeat(21) })
        .expect(422);
      expect(res.body.errors[0]).toEqual({ field: 'body', message: 'must be at most 20 characters (found 21)' });
    } finally {
      await settings.update({ maxLength: 500 });
    }
  });

  it.each([
    ['an empty text', { body: '' }, 'body', 'must not be empty'],
    ['blank space', { body: ' \n\t ' }, 'body', 'must not be empty'],
    ['a NUL', { body: 'a\u0000b' }, 'body', 'control characters'],
    ['an escape sequence', { body: 'red \u001b[31m' }, 'body', 'control characters'],
    ['a C1 control', { body: 'x\u0085y' }, 'body', 'control characters'],
    ['a lone surrogate', { body: 'half \ud83d of an emoji' }, 'body', 'surrogate pair'], // refused by core's JSON reading, before the plugin
    ['a replacement character', { body: 'bad \ufffd byte' }, 'body', 'broken character'],
    ['a number', { body: 42 }, 'body', 'string'],
    ['an unknown kind', { body: 'x', kind: 'poll' }, 'kind', 'kind'],
    ['an unknown field', { body: 'x', admin: true }, 'admin', ''],
  ])('refuses %s with 422 naming the field', async (_label, body, field, message) => {
    const res = await ada.http.post(`${API}/posts`).send(body).expect(422);
    expect(res.body.errors).toEqual(expect.arrayContaining([{ field, message: expect.stringContaining(message) }]));
  });

  it('refuses a body whose bytes are not UTF-8 with 422, and keeps tabs and new lines', async () => {
    // A decoder puts U+FFFD where bytes are not UTF-8. Sent with a Content-Length, the HTTP layer
    // already refuses such a body (400: its decoded size differs); sent chunked, it reaches the post.
    const bytes = Buffer.concat([Buffer.from('{"body":"caf'), Buffer.from([0xc3, 0x28]), Buffer.from(' au lait"}')]);
    const base = new URL(await intranet.url());
    const answer = await new Promise<{ status: number; body: { errors: unknown[] } }>((resolve, reject) => {
      const req = request(
        {
          host: base.hostname,
          port: base.port,
          method: 'POST',
          path: `${API}/posts`,
          headers: { 'content-type': 'application/json', authorization: `Bearer ${ada.token}` },
        },
        (res) => {
          let text = '';
          res.on('data', (chunk) => (text += chunk));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }));
        },
      );
      req.on('error', reject);
      req.write(bytes);
      req.end();
    });
    expect(answer.status).toBe(422);
    expect(answer.body.errors).toEqual([{ field: 'body', message: expect.stringContaining('broken character') }]);
    const kept = await post(ada, { body: 'line one\n\tindented\r\nline three' });
    expect(kept.body).toBe('line one\n\tindented\nline three');
  });

  it('threads replies, pages through them oldest first, and refuses a reply to an unknown post', async () => {
    const root = await post(ada, { body: 'What should we call the new meeting room?' });
    const replies = [];
    for (let i = 1; i <= 5; i++) replies.push(await post(i % 2 ? bob : cy, { body: `Idea ${i}`, replyToId: root.id }));
    const first = await intranet.http.get(`${API}/posts/${root.id}`).query({ limit: 2 }).expect(200);
    expect(first.body.replies.items.map((r: { body: string }) => r.body)).toEqual(['Idea 1', 'Idea 2']);
    expect(first.body.replyCount).toBe(5);
    const rest = await intranet.http
      .get(`${API}/posts/${root.id}/replies`)
      .query({ limit: 3, cursor: first.body.replies.nextCursor })
      .expect(200);
    expect(rest.body).toEqual({ items: expect.any(Array), nextCursor: null });
    expect(rest.body.items.map((r: { body: string }) => r.body)).toEqual(['Idea 3', 'Idea 4', 'Idea 5']);
    expect(rest.body.items[0]).toMatchObject({ replyToId: root.id, spaceId: null });
    // A reply to a reply threads on.
    const deeper = await post(ada, { body: 'Love idea 3', replyToId: replies[2].id });
    expect(deeper.replyToId).toBe(replies[2].id);
    const unknown = await ada.http
      .post(`${API}/posts`)
      .send({ body: 'Hello?', replyToId: '00000000-0000-4000-8000-000000000000' })
      .expect(422);
    expect(unknown.body.errors).toEqual([{ field: 'replyToId', message: 'no such post, or you cannot see it' }]);
    await ada.http
      .post(`${API}/posts`)
      .send({ body: 'Hello?', replyToId: 'x'.repeat(65) })
      .expect(422);
    await ada.http.post(`${API}/posts`).send({ body: 'Ask?', replyToId: root.id, kind: 'question' }).expect(422);
    await intranet.http.get(`${API}/posts/00000000-0000-4000-8000-000000000000`).expect(404);
  });

  it('puts a reply in the space of the post it answers, and refuses a reply into a private space one cannot see', async () => {
    const hr = await space(ada, 'hr', 'private', [[bob, 'member']]);
    const secret = await post(ada, { body: 'Salary review dates', spaceId: hr });
    const reply = await post(bob, { body: 'Thanks', replyToId: secret.id });
    expect(reply.spaceId).toBe(hr);
    const hidden = await cy.http.post(`${API}/posts`).send({ body: 'Me too', replyToId: secret.id }).expect(422);
    expect(hidden.body.errors[0].field).toBe('replyToId');
    await cy.http.post(`${API}/posts`).send({ body: 'Let me in', spaceId: 'hr' }).expect(404);
    const elsewhere = await space(ada, 'sales', 'public');
    await bob.http.post(`${API}/posts`).send({ body: 'x', replyToId: secret.id, spaceId: elsewhere }).expect(422);
  });

  it('reacts with one of each emoji per person: twice is once, another emoji is 422, removal works', async () => {
    const p = await post(ada, { body: 'Cake in the kitchen' });
    const first = await bob.http.post(`${API}/posts/${p.id}/reactions`).send({ emoji: '👍' }).expect(200);
    expect(first.body.reactions).toEqual([{ emoji: '👍', count: 1, mine: true }]);
    await bob.http.post(`${API}/posts/${p.id}/reactions`).send({ emoji: '👍' }).expect(200);
    await bob.http.post(`${API}/posts/${p.id}/reactions`).send({ emoji: 'heart' }).expect(200);
    await cy.http.post(`${API}/posts/${p.id}/reactions`).send({ emoji: '❤' }).expect(200);
    const read = await ada.http.get(`${API}/posts/${p.id}`).expect(200);
    expect(read.body.reactions).toEqual([
      { emoji: '👍', count: 1, mine: false },
      { emoji: '❤️', count: 2, mine: false },
    ]);
    const asCy = await cy.http.get(`${API}/posts/${p.id}`).expect(200);
    expect(asCy.body.reactions).toEqual([
      { emoji: '👍', count: 1, mine: false },
      { emoji: '❤️', count: 2, mine: true },
    ]);
    const wrong = await bob.http.post(`${API}/posts/${p.id}/reactions`).send({ emoji: '💩' }).expect(422);
    expect(wrong.body.errors[0]).toMatchObject({ field: 'emoji', message: expect.stringContaining('👍') });
    await bob.http.delete(`${API}/posts/${p.id}/reactions/${encodeURIComponent('👍')}`).expect(200);
    await bob.http.delete(`${API}/posts/${p.id}/reactions/heart`).expect(200);
    const after = await ada.http.get(`${API}/posts/${p.id}`).expect(200);
    expect(after.body.reactions).toEqual([{ emoji: '❤️', count: 1, mine: false }]);
    await bob.http.delete(`${API}/posts/${p.id}/reactions/poo`).expect(422);
    await intranet.http.post(`${API}/posts/${p.id}/reactions`).send({ emoji: '👍' }).expect(401);
    expect(intranet.events.filter((e) => e.name === 'microblog.reaction.added')).toHaveLength(3);
  });

  it('keeps every earlier version in the edit history, newest first', async () => {
    const p = await post(ada, { body: 'Standup at 9' });
    const edited = await ada.http.put(`${API}/posts/${p.id}`).send({ body: 'Standup at 9:30 #daily' }).expect(200);
    expect(edited.body).toMatchObject({ version: 2, body: 'Standup at 9:30 #daily', tags: ['daily'] });
    expect(edited.body.editedAt).not.toBeNull();
    expect(edited.body.edits).toEqual([
      expect.objectContaining({ version: 1, body: 'Standup at 9', editor: expect.objectContaining({ handle: 'ada' }) }),
    ]);
    await ada.http.put(`${API}/posts/${p.id}`).send({ body: 'Standup at 10', version: 2 }).expect(200);
    const history = await intranet.http.get(`${API}/posts/${p.id}/edits`).query({ limit: 1 }).expect(200);
    expect(history.body.items.map((e: { body: string }) => e.body)).toEqual(['Standup at 9:30 #daily']);
    const older = await intranet.http
      .get(`${API}/posts/${p.id}/edits`)
      .query({ limit: 1, cursor: history.body.nextCursor })
      .expect(200);
    expect(older.body).toEqual({
      items: [expect.objectContaining({ version: 1, body: 'Standup at 9' })],
      nextCursor: null,
    });
    // The tag left with the edit: the tag stream follows the current text.
    const daily = await intranet.http.get(`${API}/tags/daily`).expect(200);
    expect(daily.body.items.map((i: { id: string }) => i.id)).not.toContain(p.id);
    expect(intranet.events.filter((e) => e.name === 'microblog.post.updated')).toHaveLength(2);
  });

  it('detects a stale edit (409 naming version) and lets only the author edit', async () => {
    const p = await post(ada, { body: 'Lunch at noon' });
    await ada.http.put(`${API}/posts/${p.id}`).send({ body: 'Lunch at one', version: 1 }).expect(200);
    const stale = await ada.http.put(`${API}/posts/${p.id}`).send({ body: 'Lunch at two', version: 1 }).expect(409);
    expect(stale.body).toMatchObject({ current: { version: 2, body: 'Lunch at one' } });
    expect(stale.body.errors).toEqual([{ field: 'version', message: 'is not the current version' }]);
    await bob.http.put(`${API}/posts/${p.id}`).send({ body: 'Mine now' }).expect(403);
    await intranet.http.put(`${API}/posts/${p.id}`).send({ body: 'Anon' }).expect(401);
    await ada.http
      .put(`${API}/posts/${p.id}`)
      .send({ body: 'x'.repeat(501) })
      .expect(422);
  });

  it('lets two simultaneous edits from the same version both answer, exactly one of them saved', async () => {
    const p = await post(ada, { body: 'Version one' });
    const results = await Promise.all([
      ada.http.put(`${API}/posts/${p.id}`).send({ body: 'Edit A', version: 1 }),
      ada.http.put(`${API}/posts/${p.id}`).send({ body: 'Edit B', version: 1 }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    const read = await ada.http.get(`${API}/posts/${p.id}`).expect(200);
    expect(read.body.version).toBe(2);
    expect(read.body.edits).toHaveLength(1);
  });

  it('deletes one’s own post (404 afterwards); others get 403, moderators may', async () => {
    const mine = await post(bob, { body: 'Oops, wrong channel' });
    await cy.http.delete(`${API}/posts/${mine.id}`).expect(403);
    await bob.http.delete(`${API}/posts/${mine.id}`).expect(204);
    await bob.http.get(`${API}/posts/${mine.id}`).expect(404);
    await bob.http.delete(`${API}/posts/${mine.id}`).expect(404);
    const spam = await post(cy, { body: 'Buy cheap watches' });
    await moderator.http.delete(`${API}/posts/${spam.id}`).expect(204);
    await intranet.http.get(`${API}/posts/${spam.id}`).expect(404);
    expect(intranet.events.filter((e) => e.name === 'microblog.post.deleted')).toHaveLength(2);
  });

  it('answers 202 for a post a gate holds, shown only to its author, and 422 with the reason for a rejected one', async () => {
    const held = await ada.http.post(`${API}/posts`).send({ body: 'The secret launch date is Friday' }).expect(202);
    expect(held.body).toMatchObject({ status: 'pending', statusReason: 'Posts about secrets are reviewed first' });
    await ada.http.get(`${API}/posts/${held.body.id}`).expect(200);
    await bob.http.get(`${API}/posts/${held.body.id}`).expect(404);
    await intranet.http.get(`${API}/posts/${held.body.id}`).expect(404);
    expect(JSON.stringify((await bob.http.get(`${API}/posts`).expect(200)).body)).not.toContain(held.body.id);
    expect(JSON.stringify((await ada.http.get(`${API}/users/ada/posts`).expect(200)).body)).toContain(held.body.id);
    // Nobody reacts to or answers a held post.
    await ada.http.post(`${API}/posts`).send({ body: 'Reply', replyToId: held.body.id }).expect(422);
    const rejected = await ada.http.post(`${API}/posts`).send({ body: 'This is forbidden' }).expect(422);
    expect(rejected.body.errors).toEqual([{ field: 'body', message: 'The word "forbidden" is not allowed' }]);
    // A moderator approves: everyone sees it now.
    await moderator.http
      .post(`/api/v1/reviewgate/decide/${held.body.contentId}`)
      .send({ status: 'published' })
      .expect(200);
    await bob.http.get(`${API}/posts/${held.body.id}`).expect(200);
    // An edit a gate holds takes a published post out of view again.
    const p = await post(bob, { body: 'All good' });
    await bob.http.put(`${API}/posts/${p.id}`).send({ body: 'All good, secret plans attached' }).expect(200);
    await cy.http.get(`${API}/posts/${p.id}`).expect(404);
    await bob.http.put(`${API}/posts/${p.id}`).send({ body: 'forbidden words' }).expect(422);
  });

  it('hides a post a moderator hid from everyone but its author, who sees why', async () => {
    const p = await post(cy, { body: 'Borderline joke' });
    await moderator.http
      .post(`/api/v1/reviewgate/decide/${p.contentId}`)
      .send({ status: 'hidden', reason: 'Not for work' })
      .expect(200);
    await bob.http.get(`${API}/posts/${p.id}`).expect(404);
    expect((await cy.http.get(`${API}/posts/${p.id}`).expect(200)).body).toMatchObject({
      status: 'hidden',
      statusReason: 'Not for work',
    });
    expect(JSON.stringify((await bob.http.get(`${API}/users/cy/posts`).expect(200)).body)).not.toContain(p.id);
  });

  it('stores the XSS vectors of a post inert, as HTML and on the page', async () => {
    for (const body of vectorPosts()) {
      const p = await post(ada, { body });
      expect({ body, active: activeParts(p.html as string) }).toEqual({ body, active: [] });
      const page = await ada.http.get(`/microblog/posts/${p.id}`).expect(200);
      const main = page.text.slice(page.text.indexOf('<main'), page.text.indexOf('</main>'));
      const start = main.indexOf('<div class="mb-body">') + '<div class="mb-body">'.length;
      const article = main.slice(start, main.indexOf('<div class="mb-actions">'));
      expect(activeParts(article)).toEqual([]);
      expect(main).not.toMatch(/<script(?! src="\/plugins\/microblog\/microblog\.js")/i);
    }
  });

  it('keeps the SQL of a post’s own rows out of the content table: one row per post in core_content', async () => {
    const db = intranet.get(Database);
    const p = await post(ada, { body: 'Counting rows' });
    const rows: Array<{ n: number | string }> = await db
      .manager()
      .query('SELECT COUNT(*) AS n FROM core_content WHERE id = ?', [p.contentId]);
    expect(Number(rows[0].n)).toBe(1);
  });
});
