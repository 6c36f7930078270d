import { createTestIntranet, type TestHttp, type TestIntranet, type TestUser } from '@plein/sdk/testing';
import wiki from '../src';

jest.setTimeout(60_000);

const PASSWORD = 'correct horse battery staple';

interface Browser {
  http: TestHttp;
  csrf: string;
}

/** The main element of a page, where the wiki's own markup is. */
const main = (html: string) => html.slice(html.indexOf('<main'), html.indexOf('</main>'));
const field = (html: string, name: string) =>
  new RegExp(`<input[^>]*name="${name}"[^>]*value="([^"]*)"`).exec(html)?.[1];
const textarea = (html: string, id: string) =>
  new RegExp(`<textarea id="${id}"[^>]*>([\\s\\S]*?)</textarea>`).exec(html)?.[1];

/** The pages people use: forms that work without JavaScript, the merge view, history and diff. */
describe('wiki pages', () => {
  let intranet: TestIntranet;
  let ada: Browser;
  let bob: Browser;
  let adaUser: TestUser;

  async function signIn(email: string): Promise<Browser> {
    const http = intranet.agent();
    await http.post('/api/v1/auth/login').send({ email, password: PASSWORD }).expect(200);
    return { http, csrf: (await http.get('/api/v1/auth/csrf').expect(200)).body.token };
  }

  beforeAll(async () => {
    intranet = await createTestIntranet({ plugins: [wiki] });
    adaUser = await intranet.createUser({
      handle: 'ada',
      displayName: 'Ada Lovelace',
      email: 'ada@example.test',
      password: PASSWORD,
    });
    await intranet.createUser({
      handle: 'bob',
      displayName: 'Bob <b>Builder</b>',
      email: 'bob@example.test',
      password: PASSWORD,
    });
    ada = await signIn('ada@example.test');
    bob = await signIn('bob@example.test');
  });
  afterAll(() => intranet.close());

  const post = (who: Browser, url: string, form: Record<string, string>) =>
    who.http
      .post(url)
      .type('form')
      .send({ _csrf: who.csrf, ...form });

  it('creates a page through the form, with a preview that needs no JavaScript', async () => {
    const form = await ada.http.get('/wiki/p/new').query({ space: '-', title: 'Coffee machine' }).expect(200);
    expect(field(form.text, 'title')).toBe('Coffee machine');
    expect(form.text).toContain('name="action" value="preview"');
    const preview = await post(ada, '/wiki/p/new', {
      spaceId: '',
      parentId: '',
      title: 'Coffee machine',
      body: '## How to\n\nPress **the** button',
      action: 'preview',
    }).expect(200);
    expect(main(preview.text)).toContain('<h2 id="how-to">How to</h2>');
    expect(main(preview.text)).toContain('<strong>the</strong>');
    expect(textarea(preview.text, 'new-body')).toBe('## How to\n\nPress **the** button');
    await intranet.http.get('/wiki/-/coffee-machine').expect(404);
    const created = await post(ada, '/wiki/p/new', {
      spaceId: '',
      parentId: '',
      title: 'Coffee machine',
      body: '## How to\n\nPress **the** button',
      action: 'save',
    }).expect(303);
    expect(created.headers.location).toBe('/wiki/-/coffee-machine');
    const page = await ada.http.get('/wiki/-/coffee-machine').expect(200);
    expect(page.text).toContain('The page is created.');
    expect(main(page.text)).toContain('<h2 id="how-to">How to</h2>');
  });

  it('shows the form again with the problems named: 422 for a bad title, 413 for a body too large', async () => {
    const empty = await post(ada, '/wiki/p/new', { spaceId: '', title: '  ', body: 'x', action: 'save' }).expect(422);
    expect(main(empty.text)).toContain('Give the page a title.');
    expect(main(empty.text)).toContain('aria-invalid="true"');
    expect(textarea(empty.text, 'new-body')).toBe('x');
    const big = await post(ada, '/wiki/p/new', {
      spaceId: '',
      title: 'Big',
      body: 'x'.repeat(200_001),
      action: 'save',
    }).expect(413);
    expect(main(big.text)).toContain('The text is larger than the limit of 200,000 bytes.');
    const slug = await post(ada, '/wiki/p/new', {
      spaceId: '',
      title: 'Slug',
      slug: '../etc',
      body: 'x',
      action: 'save',
    }).expect(422);
    expect(main(slug.text)).toContain('Use 1–100 characters');
  });

  it('refuses a form without its CSRF token, and sends anonymous visitors to sign in', async () => {
    await ada.http
      .post('/wiki/p/new')
      .type('form')
      .send({ spaceId: '', title: 'No token', body: 'x', action: 'save' })
      .expect(403);
    const anonymous = await intranet.agent().get('/wiki/p/new').expect(303);
    expect(anonymous.headers.location).toBe('/login?next=%2Fwiki%2Fp%2Fnew');
  });

  it('resolves an edit conflict in the merge view: both texts, their differences, and a save on the current revision', async () => {
    const created = await adaUser.http
      .post('/api/v1/wiki/pages')
      .send({ title: 'Team lunch', body: 'Thursday\nat noon\n' })
      .expect(201);
    const id = created.body.id as string;
    // Two tabs open the editor on revision 1.
    const adaForm = await ada.http.get(`/wiki/p/${id}/edit`).expect(200);
    const bobForm = await bob.http.get(`/wiki/p/${id}/edit`).expect(200);
    expect(field(adaForm.text, 'baseRevision')).toBe('1');
    expect(field(bobForm.text, 'baseRevision')).toBe('1');
    const bobSaved = await post(bob, `/wiki/p/${id}/edit`, {
      title: 'Team lunch',
      body: 'Thursday\nat half past twelve\n',
      baseRevision: '1',
      action: 'save',
    }).expect(303);
    expect(bobSaved.headers.location).toBe('/wiki/-/team-lunch');
    const conflict = await post(ada, `/wiki/p/${id}/edit`, {
      title: 'Team lunch',
      body: 'Thursday\nat noon\nin the canteen\n',
      baseRevision: '1',
      summary: 'where',
      action: 'save',
    }).expect(409);
    const merge = main(conflict.text);
    expect(merge).toContain('Someone else saved this page meanwhile');
    expect(textarea(conflict.text, 'merge-current')).toBe('Thursday\nat half past twelve\n');
    expect(textarea(conflict.text, 'merge-yours')).toBe('Thursday\nat noon\nin the canteen\n');
    expect(merge).toContain('<ins>in the canteen</ins>');
    expect(field(conflict.text, 'baseRevision')).toBe('2');
    expect(textarea(conflict.text, 'edit-body')).toBe('Thursday\nat noon\nin the canteen\n');
    const resolved = await post(ada, `/wiki/p/${id}/edit`, {
      title: 'Team lunch',
      body: 'Thursday\nat half past twelve\nin the canteen\n',
      baseRevision: '2',
      summary: 'merged',
      action: 'save',
    }).expect(303);
    expect(resolved.headers.location).toBe('/wiki/-/team-lunch');
    const final = await intranet.http.get(`/api/v1/wiki/pages/${id}`).expect(200);
    expect(final.body).toMatchObject({ revision: 3, body: 'Thursday\nat half past twelve\nin the canteen\n' });
    // The history lists three revisions and compares two of them side by side.
    const history = await ada.http.get(`/wiki/p/${id}/history`).expect(200);
    expect(main(history.text)).toContain('merged');
    expect(main(history.text)).toContain('Bob &lt;b&gt;Builder&lt;/b&gt;');
    const diff = await ada.http.get(`/wiki/p/${id}/diff`).query({ from: 3, to: 1 }).expect(200);
    const table = main(diff.text);
    expect(table).toContain('Changes from revision 1 to revision 3');
    expect(table).toMatch(/<tr class="diff-changed">[\s\S]*<del>at noon<\/del>[\s\S]*<ins>at half past twelve<\/ins>/);
    expect(table).toMatch(/<tr class="diff-added">[\s\S]*<ins>in the canteen<\/ins>/);
  });

  it('restores an old revision from its page, and previews in the editor without saving', async () => {
    const created = await adaUser.http
      .post('/api/v1/wiki/pages')
      .send({ title: 'Parking', body: 'Level -1' })
      .expect(201);
    const id = created.body.id as string;
    await post(ada, `/wiki/p/${id}/edit`, {
      title: 'Parking',
      body: 'Level -2',
      baseRevision: '1',
      action: 'save',
    }).expect(303);
    const preview = await post(ada, `/wiki/p/${id}/edit`, {
      title: 'Parking',
      body: 'Level *-3*',
      baseRevision: '2',
      action: 'preview',
    }).expect(200);
    expect(main(preview.text)).toContain('<em>-3</em>');
    expect((await intranet.http.get(`/api/v1/wiki/pages/${id}`).expect(200)).body.revision).toBe(2);
    const old = await ada.http.get(`/wiki/p/${id}/revisions/1`).expect(200);
    expect(main(old.text)).toContain('This is an old revision of the page.');
    const restored = await post(ada, `/wiki/p/${id}/revisions/1/restore`, { baseRevision: '2' }).expect(303);
    expect(restored.headers.location).toBe(`/wiki/p/${id}/history`);
    expect((await intranet.http.get(`/api/v1/wiki/pages/${id}`).expect(200)).body).toMatchObject({
      revision: 3,
      body: 'Level -1',
    });
  });

  it('moves a page through the form and shows a cycle as a problem of the form (409)', async () => {
    const parent = (await adaUser.http.post('/api/v1/wiki/pages').send({ title: 'Buildings' }).expect(201)).body;
    const child = (
      await adaUser.http.post('/api/v1/wiki/pages').send({ title: 'North wing', parentId: parent.id }).expect(201)
    ).body;
    const form = await ada.http.get(`/wiki/p/${parent.id}/move`).expect(200);
    expect(main(form.text)).not.toContain(`value="${child.id}"`);
    const cycle = await post(ada, `/wiki/p/${parent.id}/move`, { parentId: child.id }).expect(409);
    expect(main(cycle.text)).toContain('A page cannot move under itself or a page under it.');
    const other = (await adaUser.http.post('/api/v1/wiki/pages').send({ title: 'Campus' }).expect(201)).body;
    const moved = await post(ada, `/wiki/p/${parent.id}/move`, { parentId: other.id }).expect(303);
    expect(moved.headers.location).toBe('/wiki/-/campus/buildings');
    expect((await ada.http.get('/wiki/-/buildings/north-wing').expect(301)).headers.location).toBe(
      '/wiki/-/campus/buildings/north-wing',
    );
  });

  it('watches and unwatches, marks templates, deletes and restores through buttons', async () => {
    const page = (await adaUser.http.post('/api/v1/wiki/pages').send({ title: 'Fire drill' }).expect(201)).body;
    const watched = await post(bob, `/wiki/p/${page.id}/watch`, { mode: 'subtree' }).expect(303);
    expect(watched.headers.location).toBe('/wiki/-/fire-drill');
    const read = await bob.http.get('/wiki/-/fire-drill').expect(200);
    expect(read.text).toContain('You will be notified when this page or a page under it changes.');
    expect(read.text).toContain('<option value="subtree" selected>');
    await post(bob, `/wiki/p/${page.id}/watch`, { mode: 'off' }).expect(303);
    // Bob may neither make templates nor delete Ada's page: no buttons, and 403 when forced.
    expect(read.text).not.toContain(`/wiki/p/${page.id}/template`);
    expect(read.text).not.toContain(`/wiki/p/${page.id}/delete`);
    await post(bob, `/wiki/p/${page.id}/delete`, {}).expect(403);
    const removed = await post(ada, `/wiki/p/${page.id}/delete`, {}).expect(303);
    expect(removed.headers.location).toBe('/wiki/-');
    await bob.http.get('/wiki/-/fire-drill').expect(404);
  });

  it('speaks Dutch to Dutch readers', async () => {
    await adaUser.http.post('/api/v1/wiki/pages').send({ title: 'Kantine', body: 'Open' }).expect(201);
    const page = await bob.http.get('/wiki/-/kantine').set('accept-language', 'nl').expect(200);
    expect(page.text).toContain('>Bewerken</a>');
    expect(page.text).toContain('>Geschiedenis</a>');
    const index = await intranet.http.get('/wiki').set('accept-language', 'nl').expect(200);
    expect(index.text).toContain('Pagina&#x27;s voor de hele organisatie');
  });

  it('renders every wiki page without inline script or style, with user text escaped', async () => {
    const evil = (
      await adaUser.http
        .post('/api/v1/wiki/pages')
        .send({ title: '"><img src=x onerror=alert(1)>', body: '<script>alert(1)</script>\n\n## A\n\n## B\n\n## C' })
        .expect(201)
    ).body;
    await adaUser.http
      .put(`/api/v1/wiki/pages/${evil.id}`)
      .send({ body: 'changed <svg onload=alert(2)>', baseRevision: 1 })
      .expect(200);
    const urls = [
      '/wiki',
      '/wiki/-',
      evil.path,
      `/wiki/p/${evil.id}/edit`,
      `/wiki/p/${evil.id}/history`,
      `/wiki/p/${evil.id}/revisions/1`,
      `/wiki/p/${evil.id}/diff?from=1&to=2`,
      `/wiki/p/${evil.id}/backlinks`,
      `/wiki/p/${evil.id}/move`,
      '/wiki/p/new?space=-',
      '/wiki/p/templates?space=-',
      '/wiki/-?q=x',
    ];
    for (const url of urls) {
      const res = await ada.http.get(url).expect(200);
      const html = main(res.text);
      // Inside tags only: escaped text may well read "onerror=".
      expect({ url, inline: /<script|<[^>]*\s(style|on[a-z]+)=/i.test(html) }).toEqual({ url, inline: false });
      expect({ url, raw: html.includes('<img src=x') || html.includes('<svg') }).toEqual({ url, raw: false });
    }
  });
});
