/**
 * Per-space plugins: a space admin turns a plugin off for their space, and in that space its links
 * and its space-scoped routes are gone, while other spaces keep them; the site's policy per plugin
 * (space-choice, forced-on, forced-off) wins over the space's choice. No restart in between.
 */
import forum from '@plein/plugin-forum';
import microblog from '@plein/plugin-microblog';
import { createTestIntranet, type TestHttp, type TestIntranet, type TestUser } from '@plein/sdk/testing';
import request from 'supertest';
import type { RunningPlein } from '../../core/src/app/boot';
import { eventually } from './helpers';
import { severalInstances } from './instances';
import { csrfOf, PASSWORD, signIn, submit } from './pages-helpers';

jest.setTimeout(60_000);

/** The space page's own navigation ("In this space"), or '' when it has none. */
function spaceTools(html: string): string {
  return /<nav aria-labelledby="space-tools"[\s\S]*?<\/nav>/.exec(html)?.[0] ?? '';
}

describe('per-space plugins', () => {
  let intranet: TestIntranet;
  let root: TestUser;
  let ada: TestUser;
  let max: TestUser;
  let browser: TestHttp;

  beforeAll(async () => {
    intranet = await createTestIntranet({ plugins: [forum, microblog] });
    root = await intranet.createUser({ handle: 'root', roles: ['admin'] });
    ada = await intranet.createUser({
      handle: 'ada',
      email: 'ada@example.test',
      displayName: 'Ada Admin',
      password: PASSWORD,
    });
    max = await intranet.createUser({ handle: 'max', displayName: 'Max Member' });
    for (const slug of ['lab', 'garden']) {
      await ada.http
        .post('/api/v1/spaces')
        .send({ slug, name: slug === 'lab' ? 'Lab' : 'Garden', visibility: 'public', joinPolicy: 'open' })
        .expect(201);
      await max.http.post(`/api/v1/spaces/${slug}/join`).expect(200);
    }
    browser = intranet.agent();
    await signIn(browser, 'ada@example.test', PASSWORD);
  });
  afterAll(() => intranet.close());

  it('lists every plugin as on for the members of a space, and refuses outsiders', async () => {
    const list = await max.http.get('/api/v1/spaces/lab/plugins').expect(200);
    expect(
      list.body.items.map((p: { id: string; enabled: boolean; policy: string; spaceMayChange: boolean }) => [
        p.id,
        p.enabled,
        p.policy,
        p.spaceMayChange,
      ]),
    ).toEqual([
      ['forum', true, 'space-choice', true],
      ['microblog', true, 'space-choice', true],
    ]);
    const outsider = await intranet.createUser({ handle: 'olga' });
    await outsider.http.get('/api/v1/spaces/lab/plugins').expect(403);
    await intranet.agent().get('/api/v1/spaces/lab/plugins').expect(401);
  });

  it('lets a space admin turn the forum off through the page: its link and its routes leave that space only', async () => {
    const before = await browser.get('/spaces/lab').expect(200);
    expect(spaceTools(before.text)).toContain('href="/forum?space&#x3D;lab"');
    expect(before.text).toContain('id="plugin-forum"');

    // The checkbox is not sent: off.
    const off = await submit(browser, '/spaces/lab', '/spaces/lab/plugins/forum', {});
    expect(off.status).toBe(303);
    expect(off.headers.location).toBe('/spaces/lab');
    const after = await browser.get('/spaces/lab').expect(200);
    expect(after.text).toContain('Forum turned off for this space');
    expect(spaceTools(after.text)).not.toContain('href="/forum?space&#x3D;lab"');
    expect(spaceTools(after.text)).toContain('href="/microblog/spaces/lab"');
    expect(spaceTools((await browser.get('/spaces/garden').expect(200)).text)).toContain(
      'href="/forum?space&#x3D;garden"',
    );

    // A space-scoped route of the forum: gone in the lab, there in the garden, at once.
    await ada.http
      .post('/api/v1/forum/categories')
      .send({ slug: 'lab-talk', name: 'Lab talk', spaceId: 'lab' })
      .expect(404);
    await ada.http
      .post('/api/v1/forum/categories')
      .send({ slug: 'garden-talk', name: 'Garden talk', spaceId: 'garden' })
      .expect(201);

    const listed = await max.http.get('/api/v1/spaces/lab/plugins').expect(200);
    expect(listed.body.items.find((p: { id: string }) => p.id === 'forum')).toMatchObject({
      enabled: false,
      choice: false,
    });

    const audit = await root.http.get('/api/v1/audit').expect(200);
    expect(JSON.stringify(audit.body)).toContain('core.space.plugin-disabled');

    // And back on.
    const on = await submit(browser, '/spaces/lab', '/spaces/lab/plugins/forum', { enabled: 'on' });
    expect(on.status).toBe(303);
    expect((await browser.get('/spaces/lab').expect(200)).text).toContain('Forum turned on for this space');
    await ada.http
      .post('/api/v1/forum/categories')
      .send({ slug: 'lab-talk', name: 'Lab talk', spaceId: 'lab' })
      .expect(201);
  });

  it('refuses the page form without a valid CSRF token', async () => {
    await browser.post('/spaces/lab/plugins/forum').type('form').send({ _csrf: 'forged' }).expect(403);
    const page = await browser.get('/spaces/lab').expect(200);
    await browser
      .post('/spaces/lab/plugins/forum')
      .type('form')
      .set('origin', 'https://evil.example')
      .send({ _csrf: csrfOf(page.text) })
      .expect(403);
  });

  it('turns the microblog off through the API: its space stream answers 404 there and 200 elsewhere', async () => {
    await max.http.get('/api/v1/microblog/spaces/lab/posts').expect(200);
    const res = await ada.http.put('/api/v1/spaces/lab/plugins/microblog').send({ enabled: false }).expect(200);
    expect(res.body).toMatchObject({ id: 'microblog', enabled: false, choice: false, spaceMayChange: true });
    await max.http.get('/api/v1/microblog/spaces/lab/posts').expect(404);
    await max.http.get('/api/v1/microblog/spaces/garden/posts').expect(200);
    await ada.http.put('/api/v1/spaces/lab/plugins/microblog').send({ enabled: true }).expect(200);
    await max.http.get('/api/v1/microblog/spaces/lab/posts').expect(200);
  });

  it('lets only space admins change it, and names the field or the plugin when asked wrongly', async () => {
    await max.http.put('/api/v1/spaces/lab/plugins/forum').send({ enabled: false }).expect(403);
    await ada.http.put('/api/v1/spaces/lab/plugins/nope').send({ enabled: false }).expect(404);
    const bad = await ada.http.put('/api/v1/spaces/lab/plugins/forum').send({ enabled: 'sometimes' }).expect(422);
    expect(JSON.stringify(bad.body)).toContain('enabled');
    const page = await intranet.agent().get('/spaces/lab').expect(200);
    expect(page.text).not.toContain('id="plugin-forum"');
  });

  it('lets the site force a plugin off or on for every space', async () => {
    await max.http.put('/api/v1/plugins/forum/space-policy').send({ policy: 'forced-off' }).expect(403);
    const bad = await root.http.put('/api/v1/plugins/forum/space-policy').send({ policy: 'mostly' }).expect(422);
    expect(JSON.stringify(bad.body)).toContain('policy');
    await root.http.put('/api/v1/plugins/nope/space-policy').send({ policy: 'forced-off' }).expect(404);

    const forcedOff = await root.http
      .put('/api/v1/plugins/forum/space-policy')
      .send({ policy: 'forced-off' })
      .expect(200);
    expect(forcedOff.body).toEqual({ id: 'forum', policy: 'forced-off', defaultEnabled: true });
    await ada.http.put('/api/v1/spaces/lab/plugins/forum').send({ enabled: true }).expect(409);
    await ada.http
      .post('/api/v1/forum/categories')
      .send({ slug: 'garden-more', name: 'More', spaceId: 'garden' })
      .expect(404);
    const page = await browser.get('/spaces/garden').expect(200);
    expect(spaceTools(page.text)).not.toContain('href="/forum?space&#x3D;garden"');
    expect(page.text).toMatch(/id="plugin-forum"[^>]*disabled/);
    const refused = await submit(browser, '/spaces/garden', '/spaces/garden/plugins/forum', { enabled: 'on' });
    expect(refused.status).toBe(303);
    expect((await browser.get('/spaces/garden').expect(200)).text).toContain(
      'The site&#x27;s administrators decide whether Forum is on in spaces.',
    );

    await ada.http.put('/api/v1/spaces/lab/plugins/microblog').send({ enabled: false }).expect(200);
    await root.http.put('/api/v1/plugins/microblog/space-policy').send({ policy: 'forced-on' }).expect(200);
    await ada.http.put('/api/v1/spaces/lab/plugins/microblog').send({ enabled: false }).expect(409);
    // Forced on wins over the space's earlier choice.
    await max.http.get('/api/v1/microblog/spaces/lab/posts').expect(200);

    const audit = await root.http.get('/api/v1/audit').expect(200);
    expect(JSON.stringify(audit.body)).toContain('core.plugin.space-policy-set');
  });

  it('sets the default for new spaces, and the policy on /admin/plugins', async () => {
    await root.http
      .put('/api/v1/plugins/microblog/space-policy')
      .send({ policy: 'space-choice', defaultEnabled: false })
      .expect(200);
    await ada.http
      .post('/api/v1/spaces')
      .send({ slug: 'attic', name: 'Attic', visibility: 'public', joinPolicy: 'open' })
      .expect(201);
    await ada.http.get('/api/v1/microblog/spaces/attic/posts').expect(404);
    // The lab chose off earlier; the garden never chose and keeps what it had.
    await ada.http.get('/api/v1/microblog/spaces/lab/posts').expect(404);
    await ada.http.get('/api/v1/microblog/spaces/garden/posts').expect(200);

    const admin = intranet.agent();
    await intranet.createUser({ handle: 'rita', email: 'rita@example.test', roles: ['admin'], password: PASSWORD });
    await signIn(admin, 'rita@example.test', PASSWORD);
    const page = await admin.get('/admin/plugins').expect(200);
    expect(page.text).toContain('id="space-policy-forum"');
    expect(page.text).toMatch(/<option value="space-choice:off" selected>/);
    const saved = await submit(admin, '/admin/plugins', '/admin/plugins/forum/space-policy', {
      policy: 'space-choice:on',
    });
    expect(saved.status).toBe(303);
    expect((await admin.get('/admin/plugins').expect(200)).text).toContain('Forum: the setting for spaces is saved.');
    await ada.http
      .post('/api/v1/forum/categories')
      .send({ slug: 'attic-talk', name: 'Attic talk', spaceId: 'attic' })
      .expect(201);
    const wrong = await submit(admin, '/admin/plugins', '/admin/plugins/forum/space-policy', { policy: 'whatever' });
    expect(wrong.status).toBe(303);
    await admin
      .post('/admin/plugins/forum/space-policy')
      .type('form')
      .send({ _csrf: 'forged', policy: 'forced-off' })
      .expect(403);
  });

  it('speaks Dutch', async () => {
    const page = await browser.get('/spaces/lab').set('accept-language', 'nl').expect(200);
    expect(page.text).toContain('In deze ruimte');
    expect(page.text).toContain('Plug-ins');
  });
});

describe('per-space plugins on several instances', () => {
  const instances = severalInstances('plein-space-plugins-');
  const instance = () => instances.instance({ plugins: [microblog] });
  afterAll(() => instances.close());

  it('applies a change made through instance A at once on A and on B within the state beat', async () => {
    const a = await instance();
    const b = await instance();
    const ada = await a.users.create({ email: 'ada@example.test', handle: 'ada', displayName: 'Ada', roles: [] });
    const root = await a.users.create({
      email: 'root@example.test',
      handle: 'root',
      displayName: 'Root',
      roles: ['admin'],
    });
    const adaToken = `Bearer ${(await a.users.issueToken(ada.id, 'test')).token}`;
    const rootToken = `Bearer ${(await a.users.issueToken(root.id, 'test')).token}`;
    const on = (plein: RunningPlein) => request(plein.app.getHttpServer());
    await on(a)
      .post('/api/v1/spaces')
      .set('authorization', adaToken)
      .send({ slug: 'lab', name: 'Lab', visibility: 'public', joinPolicy: 'open' })
      .expect(201);
    const stream = (plein: RunningPlein) =>
      on(plein).get('/api/v1/microblog/spaces/lab/posts').set('authorization', adaToken);
    // B has read the lab's plugins before the change.
    await stream(b).expect(200);

    await on(a)
      .put('/api/v1/spaces/lab/plugins/microblog')
      .set('authorization', adaToken)
      .send({ enabled: false })
      .expect(200);
    await stream(a).expect(404);
    expect(await eventually(async () => (await stream(b)).status === 404)).toBe(true);

    await on(a)
      .put('/api/v1/plugins/microblog/space-policy')
      .set('authorization', rootToken)
      .send({ policy: 'forced-on' })
      .expect(200);
    await stream(a).expect(200);
    expect(await eventually(async () => (await stream(b)).status === 200)).toBe(true);
  });
});
