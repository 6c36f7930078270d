import { createTestIntranet, type TestHttp, type TestIntranet, type TestUser } from '@plein/sdk/testing';
import forum from '../src';
import { reviewGate } from './fixtures/review-gate.plugin';
import { category, expectInert, main, reply, topic, XSS_TITLES, XSS_VECTORS } from './helpers';

jest.setTimeout(120_000);

const PASSWORD = 'correct horse battery staple';

interface Browser {
  http: TestHttp;
  csrf: string;
}

const field = (html: string, name: string) =>
  new RegExp(`<input[^>]*name="${name}"[^>]*value="([^"]*)"`).exec(html)?.[1];
const textarea = (html: string, id: string) =>
  new RegExp(`<textarea id="${id}"[^>]*>([\\s\\S]*?)</textarea>`).exec(html)?.[1];
const flash = (html: string) => /<p class="flash flash-(\w+)">([^<]*)<\/p>/.exec(html)?.slice(1, 3);

/** The pages people use: forms that work without JavaScript, with CSRF, and the flash messages. */
describe('forum pages', () => {
  let intranet: TestIntranet;
  let ada: Browser;
  let bob: Browser;
  let mod: Browser;
  let adaUser: TestUser;
  let bobUser: TestUser;
  let admin: TestUser;

  async function signIn(email: string): Promise<Browser> {
    const http = intranet.agent();
    await http.post('/api/v1/auth/login').send({ email, password: PASSWORD }).expect(200);
    return { http, csrf: (await http.get('/api/v1/auth/csrf').expect(200)).body.token };
  }

  beforeAll(async () => {
    intranet = await createTestIntranet({ plugins: [forum, reviewGate] });
    adaUser = await intranet.createUser({
      handle: 'ada',
      displayName: 'Ada Lovelace',
      email: 'ada@example.test',
      password: PASSWORD,
    });
    bobUser = await intranet.createUser({
      handle: 'bob',
      displayName: 'Bob <b>Builder</b>',
      email: 'bob@example.test',
      password: PASSWORD,
    });
    await intranet.createUser({
      handle: 'mod',
      displayName: 'Mo Derator',
      email: 'mod@example.test',
      password: PASSWORD,
      roles: ['moderator'],
    });
    admin = await intranet.createUser({
      handle: 'root',
      roles: ['admin'],
      email: 'root@example.test',
      password: PASSWORD,
    });
    ada = await signIn('ada@example.test');
    bob = await signIn('bob@example.test');
    mod = await signIn('mod@example.test');
    await category(admin, { slug: 'general', name: 'General', description: 'Anything at all' });
  });
  afterAll(() => intranet.close());

  const post = (who: Browser, url: string, form: Record<string, string | string[]>) =>
    who.http
      .post(url)
      .type('form')
      .send({ _csrf: who.csrf, ...form });

  it('starts a topic through the form, with a preview that needs no JavaScript, and says so in a flash', async () => {
    const form = await ada.http.get('/forum/c/general/new').expect(200);
    expect(form.text).toContain('name="_csrf"');
    expect(main(form.text)).not.toMatch(/<script/);
    const preview = await post(ada, '/forum/c/general/new', {
      title: 'Coffee',
      body: 'Is it **free**?',
      tags: 'coffee',
      action: 'preview',
    }).expect(200);
    expect(main(preview.text)).toContain('<strong>free</strong>');
    expect(textarea(preview.text, 'topic-body')).toBe('Is it **free**?');
    expect(field(preview.text, 'tags')).toBe('coffee');
    const created = await post(ada, '/forum/c/general/new', {
      title: 'Coffee',
      body: 'Is it **free**?',
      tags: 'coffee',
      action: 'save',
    }).expect(303);
    expect(created.headers.location).toMatch(/^\/forum\/t\/[0-9a-f-]{36}$/);
    const page = await ada.http.get(created.headers.location).expect(200);
    expect(flash(page.text)).toEqual(['success', 'Your topic is started.']);
    expect(main(page.text)).toContain('<h1>Coffee</h1>');
    expect(main(page.text)).toContain('#coffee');
  });

  it('shows the form again with the problems named: 422 for a bad title, 413 for a body too large', async () => {
    const empty = await post(ada, '/forum/c/general/new', { title: ' ', body: 'x', action: 'save' }).expect(422);
    expect(main(empty.text)).toContain('Write something here.');
    expect(main(empty.text)).toContain('aria-invalid="true"');
    expect(textarea(empty.text, 'topic-body')).toBe('x');
    const big = await post(ada, '/forum/c/general/new', {
      title: 'Big',
      body: 'x'.repeat(100_001),
      action: 'save',
    }).expect(413);
    expect(main(big.text)).toContain('The text is larger than the limit of 100,000 bytes.');
    const tags = await post(ada, '/forum/c/general/new', {
      title: 'Tags',
      body: 'x',
      tags: '<script>',
      action: 'save',
    }).expect(422);
    expect(main(tags.text)).toContain('Tags are 1–32 letters');
  });

  it('refuses a form without its CSRF token, and sends anonymous visitors to sign in', async () => {
    await ada.http
      .post('/forum/c/general/new')
      .type('form')
      .send({ title: 'No token', body: 'x', action: 'save' })
      .expect(403);
    const t = await topic(adaUser, 'general');
    await ada.http.post(`/forum/t/${t.id}/reply`).type('form').send({ body: 'No token' }).expect(403);
    const anonymous = await intranet.agent().get('/forum/c/general/new').expect(303);
    expect(anonymous.headers.location).toBe('/login?next=%2Fforum%2Fc%2Fgeneral%2Fnew');
    const read = await intranet.agent().get(`/forum/t/${t.id}`).expect(200);
    expect(main(read.text)).toContain('Sign in to reply');
    expect(main(read.text)).not.toContain('id="reply"');
  });

  it('replies with a quote through the form and lands on the reply', async () => {
    const t = await topic(adaUser, 'general', { title: 'Parking', body: 'Level -1 is *full*' });
    const page = await bob.http.get(`/forum/t/${t.id}`).expect(200);
    const quoteLink = new RegExp(`href="(/forum/t/${t.id}\\?page=1&amp;quote=${t.firstPostId}#reply)"`).exec(
      page.text,
    )?.[1];
    expect(quoteLink).toBeDefined();
    const quoting = await bob.http.get(quoteLink!.replace(/&amp;/g, '&')).expect(200);
    expect(field(quoting.text, 'quotePostId')).toBe(t.firstPostId);
    expect(main(quoting.text)).toContain('Quoting Ada Lovelace (#1).');
    const saved = await post(bob, `/forum/t/${t.id}/reply`, {
      body: 'Try level -2',
      quotePostId: t.firstPostId,
      page: '1',
    }).expect(303);
    expect(saved.headers.location).toBe(`/forum/t/${t.id}#post-2`);
    const after = await bob.http.get(`/forum/t/${t.id}`).expect(200);
    expect(flash(after.text)).toEqual(['success', 'Your reply is posted.']);
    const html = main(after.text);
    expect(html).toContain('Ada Lovelace wrote:');
    expect(html).toContain('<em>full</em>');
    expect(html).toContain(`href="/forum/posts/${t.firstPostId}"`);
    // An empty reply comes back with its problem, the quote kept.
    const empty = await post(bob, `/forum/t/${t.id}/reply`, {
      body: ' ',
      quotePostId: t.firstPostId,
      page: '1',
    }).expect(422);
    expect(main(empty.text)).toContain('Write something here.');
    expect(field(empty.text, 'quotePostId')).toBe(t.firstPostId);
  });

  it('says in a flash that a held reply waits for review, and shows the reason to its author only', async () => {
    const t = await topic(adaUser, 'general', { title: 'Reorganisation' });
    const saved = await post(bob, `/forum/t/${t.id}/reply`, { body: 'I heard a secret', page: '1' }).expect(303);
    const page = await bob.http.get(saved.headers.location).expect(200);
    expect(flash(page.text)).toEqual([
      'warning',
      'Your reply is waiting for review: only you and moderators see it until a moderator approves it.',
    ]);
    expect(main(page.text)).toContain('Posts about secrets are reviewed first');
    const others = await ada.http.get(`/forum/t/${t.id}`).expect(200);
    expect(main(others.text)).not.toContain('I heard a secret');
    const rejected = await post(bob, `/forum/t/${t.id}/reply`, { body: 'forbidden', page: '1' }).expect(422);
    expect(main(rejected.text)).toContain('The word &quot;forbidden&quot; is not allowed here');
  });

  it('renders every topic and post inside the theme’s content partial with their type and id', async () => {
    const t = await topic(adaUser, 'general', { title: 'Partials' });
    const r = await reply(bobUser, t.id, { body: 'In a card' });
    const page = await ada.http.get(`/forum/t/${t.id}`).expect(200);
    expect(page.text).toContain(`<article class="card content-item" id="forum.topic-${t.firstPostId}">`);
    expect(page.text).toContain(`<article class="card content-item" id="forum.post-${r.id}">`);
    const list = await ada.http.get('/forum/c/general').expect(200);
    expect(list.text).toContain(`<article class="card content-item" id="forum.topic-${t.id}">`);
  });

  it('edits a post through the form, and shows both texts when someone else saved meanwhile', async () => {
    const t = await topic(adaUser, 'general', { title: 'Lunch', body: 'Thursday' });
    const form = await ada.http.get(`/forum/posts/${t.firstPostId}/edit`).expect(200);
    expect(field(form.text, 'baseVersion')).toBe('1');
    await mod.http.get(`/forum/posts/${t.firstPostId}/edit`).expect(200);
    await post(mod, `/forum/posts/${t.firstPostId}/edit`, {
      title: 'Lunch',
      body: 'Thursday at noon',
      baseVersion: '1',
    }).expect(303);
    const conflict = await post(ada, `/forum/posts/${t.firstPostId}/edit`, {
      title: 'Team lunch',
      body: 'Friday',
      baseVersion: '1',
    }).expect(409);
    expect(main(conflict.text)).toContain('Someone else edited this post meanwhile');
    expect(textarea(conflict.text, 'conflict-current')).toBe('Thursday at noon');
    expect(textarea(conflict.text, 'conflict-yours')).toBe('Friday');
    expect(field(conflict.text, 'baseVersion')).toBe('2');
    const saved = await post(ada, `/forum/posts/${t.firstPostId}/edit`, {
      title: 'Team lunch',
      body: 'Friday at noon',
      baseVersion: '2',
    }).expect(303);
    expect(saved.headers.location).toBe(`/forum/t/${t.id}#post-1`);
    expect(flash((await ada.http.get(saved.headers.location).expect(200)).text)).toEqual([
      'success',
      'Your changes are saved.',
    ]);
    const history = await ada.http.get(`/forum/posts/${t.firstPostId}/history`).expect(200);
    expect(main(history.text)).toContain('Version 3');
    expect(main(history.text)).toContain('Thursday at noon');
  });

  it('gives moderators a menu of forms: pin with an end, lock, close with a reason, and a flash for each', async () => {
    const t = await topic(adaUser, 'general', { title: 'Moderated' });
    const asMember = await bob.http.get(`/forum/t/${t.id}`).expect(200);
    expect(asMember.text).not.toContain('forum-moderator-menu');
    await post(bob, `/forum/t/${t.id}/lock`, {}).expect(403);
    const page = await mod.http.get(`/forum/t/${t.id}`).expect(200);
    expect(page.text).toContain('<summary>Moderate</summary>');
    const pinned = await post(mod, `/forum/t/${t.id}/pin`, { until: '2099-01-31T09:00' }).expect(303);
    expect(flash((await mod.http.get(pinned.headers.location).expect(200)).text)).toEqual([
      'success',
      'The topic is pinned.',
    ]);
    expect((await intranet.http.get(`/api/v1/forum/topics/${t.id}`).expect(200)).body.pinnedUntil).toBe(
      '2099-01-31T09:00:00.000Z',
    );
    await post(mod, `/forum/t/${t.id}/unpin`, {}).expect(303);
    const refused = await post(mod, `/forum/t/${t.id}/pin`, { until: '2001-01-31T09:00' }).expect(303);
    expect(flash((await mod.http.get(refused.headers.location).expect(200)).text)).toEqual([
      'error',
      'The topic could not be pinned: choose an end in the future.',
    ]);
    await post(mod, `/forum/t/${t.id}/lock`, {}).expect(303);
    const locked = await bob.http.get(`/forum/t/${t.id}`).expect(200);
    expect(main(locked.text)).toContain('This topic is locked');
    expect(main(locked.text)).not.toContain('id="reply"');
    expect((await post(bob, `/forum/t/${t.id}/reply`, { body: 'Let me in', page: '1' })).status).toBe(423);
    await post(mod, `/forum/t/${t.id}/unlock`, {}).expect(303);
    const tools = await mod.http.get(`/forum/t/${t.id}/moderate`).expect(200);
    expect(main(tools.text)).toContain('Split replies into a new topic');
    const noReason = await post(mod, `/forum/t/${t.id}/moderate/close`, { reason: '' }).expect(422);
    expect(main(noReason.text)).toContain('Write something here.');
    const closed = await post(mod, `/forum/t/${t.id}/moderate/close`, { reason: 'Answered in the FAQ' }).expect(303);
    const closedPage = await bob.http.get(closed.headers.location).expect(200);
    expect(main(closedPage.text)).toContain('Answered in the FAQ');
  });

  it('splits and merges through the moderators’ forms', async () => {
    const t = await topic(adaUser, 'general', { title: 'Mixed bag' });
    const keep = await reply(bobUser, t.id, { body: 'About the mixed bag' });
    const move = await reply(bobUser, t.id, { body: 'About something else' });
    const none = await post(mod, `/forum/t/${t.id}/moderate/split`, { title: 'Else', postIds: [] }).expect(422);
    expect(main(none.text)).toContain('Choose at least one reply.');
    const split = await post(mod, `/forum/t/${t.id}/moderate/split`, {
      title: 'Something else',
      postIds: [move.id],
      page: '1',
    }).expect(303);
    const splitPage = await mod.http.get(split.headers.location).expect(200);
    expect(flash(splitPage.text)).toEqual(['success', 'The replies are moved into this new topic.']);
    expect(main(splitPage.text)).toContain('About something else');
    const newId = split.headers.location.split('/').pop()!;
    const bad = await post(mod, `/forum/t/${newId}/moderate/merge`, { intoTopic: 'no-such-topic' }).expect(422);
    expect(main(bad.text)).toContain('There is no such topic, or you cannot moderate it.');
    const merged = await post(mod, `/forum/t/${newId}/moderate/merge`, {
      intoTopic: `http://intranet.example/forum/t/${t.id}`,
    }).expect(303);
    expect(merged.headers.location).toBe(`/forum/t/${t.id}`);
    const page = await mod.http.get(`/forum/t/${t.id}`).expect(200);
    expect(main(page.text)).toContain('About the mixed bag');
    expect(main(page.text)).toContain('About something else');
    expect(keep.position).toBe(2);
  });

  it('marks a solution and watches through buttons', async () => {
    const t = await topic(adaUser, 'general', { title: 'Which printer?' });
    const r = await reply(bobUser, t.id, { body: 'The one by the window' });
    const page = await ada.http.get(`/forum/t/${t.id}`).expect(200);
    expect(main(page.text)).toContain('Mark as solution');
    expect(main((await bob.http.get(`/forum/t/${t.id}`).expect(200)).text)).not.toContain('Mark as solution');
    const solved = await post(ada, `/forum/t/${t.id}/solution`, { postId: r.id }).expect(303);
    const after = await ada.http.get(solved.headers.location).expect(200);
    expect(flash(after.text)).toEqual(['success', 'The reply is marked as the solution.']);
    expect(main(after.text)).toContain('forum-solution');
    const watched = await post(bob, `/forum/t/${t.id}/watch`, { level: 'muted' }).expect(303);
    const watchPage = await bob.http.get(watched.headers.location).expect(200);
    expect(flash(watchPage.text)).toEqual(['success', 'You will not be notified of anything in this topic.']);
    expect(watchPage.text).toContain('<option value="muted" selected>');
  });

  it('lets managers create and edit categories and their grants through forms', async () => {
    const root = await signIn('root@example.test');
    const form = await root.http.get('/forum/categories/new').expect(200);
    expect(main(form.text)).toContain('name="slug"');
    const bad = await post(root, '/forum/categories/new', {
      name: 'Help',
      slug: 'Help!',
      description: '',
      space: '',
      parentId: '',
    }).expect(422);
    expect(main(bad.text)).toContain('Use 2–64 characters');
    const made = await post(root, '/forum/categories/new', {
      name: 'Help desk',
      slug: 'help-desk',
      description: 'Ask here',
      space: '',
      parentId: '',
    }).expect(303);
    expect(made.headers.location).toBe('/forum/c/help-desk');
    const grants = await post(root, '/forum/c/help-desk/grants', {
      readMode: 'inherit',
      createMode: 'only',
      createRoles: 'moderator, member',
      replyMode: 'inherit',
    }).expect(303);
    expect(grants.headers.location).toBe('/forum/c/help-desk/edit');
    expect((await admin.http.get('/api/v1/forum/categories/help-desk/grants').expect(200)).body).toEqual({
      create: ['member', 'moderator'],
    });
    const badGrants = await post(root, '/forum/c/help-desk/grants', {
      readMode: 'only',
      readRoles: '<b>',
      createMode: 'inherit',
      replyMode: 'inherit',
    }).expect(422);
    expect(main(badGrants.text)).toContain('Use role names');
    await post(root, '/forum/c/help-desk/edit', {
      name: 'Helpdesk',
      slug: 'helpdesk',
      description: 'Ask',
      space: '',
      parentId: '',
      position: '3',
    }).expect(303);
    const deleted = await post(root, '/forum/c/helpdesk/delete', {}).expect(303);
    expect(deleted.headers.location).toBe('/forum');
    await bob.http.get('/forum/categories/new').expect(403);
  });

  it('answers a list address with a cursor it never gave out with 422, not an error', async () => {
    for (const cursor of ['eyJwIjoxfQ', 'garbage!', Buffer.from('{"p":0,"a":"x","id":"y"}').toString('base64url')]) {
      const res = await ada.http.get('/forum/c/general').query({ cursor });
      expect({ cursor, status: res.status }).toEqual({ cursor, status: 422 });
    }
    await ada.http.get('/forum/t/00000000-0000-0000-0000-000000000000').expect(404);
    const t = await topic(adaUser, 'general');
    await ada.http.get(`/forum/t/${t.id}`).query({ page: 2 }).expect(404);
    await ada.http.get(`/forum/t/${t.id}`).query({ page: 'x' }).expect(422);
  });

  it('speaks Dutch to Dutch readers', async () => {
    const t = await topic(adaUser, 'general', { title: 'Kantine' });
    const page = await bob.http.get(`/forum/t/${t.id}`).set('accept-language', 'nl').expect(200);
    expect(main(page.text)).toContain('Reactie plaatsen');
    expect(main(page.text)).toContain('Meld mij');
    const index = await intranet.http.get('/forum').set('accept-language', 'nl').expect(200);
    expect(main(index.text)).toContain('Categorieën');
  });

  it('renders every forum page without inline script or style, with user text escaped', async () => {
    const evil = await topic(adaUser, 'general', {
      title: XSS_TITLES[1],
      body: XSS_VECTORS.join('\n\n'),
      tags: ['safe'],
    });
    const r = await reply(bobUser, evil.id, {
      body: XSS_VECTORS.slice(0, 8).join('\n\n'),
      quotePostId: evil.firstPostId,
    });
    await admin.http
      .patch('/api/v1/forum/categories/general')
      .send({ description: '<script>alert(1)</script>' })
      .expect(200);
    const root = await signIn('root@example.test');
    const urls = [
      '/forum',
      '/forum/c/general',
      '/forum/c/general/new',
      '/forum/c/general/edit',
      `/forum/t/${evil.id}`,
      `/forum/t/${evil.id}?quote=${r.id}`,
      `/forum/t/${evil.id}/moderate`,
      `/forum/posts/${r.id}/edit`,
      `/forum/posts/${evil.firstPostId}/history`,
    ];
    for (const url of urls) {
      const res = await root.http.get(url).expect(200);
      const html = main(res.text);
      expect({ url, inline: /<script|<[^>]*\s(style|on[a-z]+)=/i.test(html) }).toEqual({ url, inline: false });
      expect({ url, raw: html.includes('<img src=x') || html.includes('<svg') }).toEqual({ url, raw: false });
      for (const [, body] of html.matchAll(/<div class="forum-html">([\s\S]*?)<\/div>/g)) expectInert(body);
    }
    const page = await root.http.get(`/forum/t/${evil.id}`).expect(200);
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(main(page.text)).toContain('&quot;&gt;&lt;img src&#x3D;x onerror&#x3D;alert(1)&gt;');
  });
});
