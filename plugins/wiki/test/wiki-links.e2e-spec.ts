import { createTestIntranet, type TestIntranet, type TestUser } from '@plein/sdk/testing';
import wiki from '../src';
import { reviewGate } from './fixtures/review-gate.plugin';

jest.setTimeout(60_000);

/** Wiki links and backlinks, renames, templates, watching, and the content contract (gates). */
describe('wiki links, templates, watching and the content contract', () => {
  let intranet: TestIntranet;
  let ada: TestUser;
  let bob: TestUser;
  let carol: TestUser;
  let moderator: TestUser;
  let spaceId: string;

  beforeAll(async () => {
    intranet = await createTestIntranet({ plugins: [wiki, reviewGate] });
    ada = await intranet.createUser({ handle: 'ada', displayName: 'Ada' });
    bob = await intranet.createUser({ handle: 'bob', displayName: 'Bob' });
    carol = await intranet.createUser({ handle: 'carol', displayName: 'Carol' });
    moderator = await intranet.createUser({ handle: 'mod', roles: ['moderator'] });
    spaceId = (
      await ada.http
        .post('/api/v1/spaces')
        .send({ slug: 'ops', name: 'Operations', visibility: 'public', joinPolicy: 'open' })
        .expect(201)
    ).body.id;
  });
  afterAll(() => intranet.close());

  const create = async (who: TestUser, body: Record<string, unknown>) =>
    (
      await who.http
        .post('/api/v1/wiki/pages')
        .send({ spaceId, ...body })
        .expect(201)
    ).body;
  const read = async (who: TestUser | null, id: string) =>
    (await (who ? who.http : intranet.http).get(`/api/v1/wiki/pages/${id}`).expect(200)).body;
  const backlinkTitles = async (id: string) =>
    (
      (await intranet.http.get(`/api/v1/wiki/pages/${id}/backlinks`).expect(200)).body.items as Array<{ title: string }>
    ).map((p) => p.title);

  describe('links', () => {
    it('links [[Page title]] to the page in the same space, and a missing one to the create form', async () => {
      const target = await create(ada, { title: 'On-call Rota' });
      const page = await create(bob, {
        title: 'Incident howto',
        body: 'Call [[on-call rota|the rota]], then [[Postmortem template]].',
      });
      expect(page.html).toContain(`<a href="/wiki/ops/on-call-rota" class="wikilink">the rota</a>`);
      expect(page.html).toContain(
        '<a href="/wiki/p/new?space=ops&amp;title=Postmortem%20template" class="wikilink missing"',
      );
      expect(await backlinkTitles(target.id)).toEqual(['Incident howto']);
      // Organisation-wide pages do not see the space's titles.
      const org = (
        await ada.http.post('/api/v1/wiki/pages').send({ title: 'Org page', body: '[[On-call Rota]]' }).expect(201)
      ).body;
      expect(org.html).toContain('wikilink missing');
    });

    it('turns a missing link into a real one once the page exists (re-rendered by a job)', async () => {
      const linking = await create(bob, { title: 'Runbook', body: 'See [[Escalation policy]].' });
      expect(linking.html).toContain('wikilink missing');
      const target = await create(ada, { title: 'Escalation Policy' });
      await intranet.runDueJobs();
      expect((await read(null, linking.id)).html).toContain(
        '<a href="/wiki/ops/escalation-policy" class="wikilink">Escalation policy</a>',
      );
      expect(await backlinkTitles(target.id)).toEqual(['Runbook']);
      // The re-render made no revision.
      expect((await read(null, linking.id)).revision).toBe(1);
    });

    it('keeps backlinks current on every save', async () => {
      const target = await create(ada, { title: 'Glossary' });
      const page = await create(bob, { title: 'Style guide', body: 'Words: [[Glossary]].' });
      expect(await backlinkTitles(target.id)).toEqual(['Style guide']);
      await bob.http
        .put(`/api/v1/wiki/pages/${page.id}`)
        .send({ body: 'No links any more.', baseRevision: 1 })
        .expect(200);
      expect(await backlinkTitles(target.id)).toEqual([]);
      await bob.http
        .put(`/api/v1/wiki/pages/${page.id}`)
        .send({ body: 'Back: [[glossary]].', baseRevision: 2 })
        .expect(200);
      expect(await backlinkTitles(target.id)).toEqual(['Style guide']);
    });

    it('keeps links working after a rename: the old address redirects, backlinks stay, [[Old title]] still resolves', async () => {
      const target = await create(ada, { title: 'Deploy process' });
      const linking = await create(bob, { title: 'Release day', body: 'Follow the [[Deploy process]].' });
      const renamed = await ada.http
        .put(`/api/v1/wiki/pages/${target.id}`)
        .send({ title: 'Deployment guide', baseRevision: 1 })
        .expect(200);
      expect(renamed.body).toMatchObject({
        title: 'Deployment guide',
        slug: 'deployment-guide',
        path: '/wiki/ops/deployment-guide',
      });
      // The old address answers 301 to the new one (the link in "Release day" still points there).
      expect((await read(null, linking.id)).html).toContain('href="/wiki/ops/deploy-process"');
      const old = await intranet.http.get('/wiki/ops/deploy-process').expect(301);
      expect(old.headers.location).toBe('/wiki/ops/deployment-guide');
      await intranet.http.get(old.headers.location).expect(200);
      expect(await backlinkTitles(target.id)).toEqual(['Release day']);
      // Saving the linking page again resolves [[Deploy process]] through the former title.
      await bob.http
        .put(`/api/v1/wiki/pages/${linking.id}`)
        .send({ body: 'Follow the [[Deploy process]] closely.', baseRevision: 1 })
        .expect(200);
      expect((await read(null, linking.id)).html).toContain(
        '<a href="/wiki/ops/deployment-guide" class="wikilink">Deploy process</a>',
      );
      expect(await backlinkTitles(target.id)).toEqual(['Release day']);
      expect(intranet.events.map((e) => e.name)).toContain('wiki.page.moved');
    });

    it('keeps a hand-chosen slug when the title changes', async () => {
      const page = await create(ada, { title: 'Contact list', slug: 'phones' });
      const res = await ada.http
        .put(`/api/v1/wiki/pages/${page.id}`)
        .send({ title: 'Contacts', baseRevision: 1 })
        .expect(200);
      expect(res.body.path).toBe('/wiki/ops/phones');
    });

    it('gives headings anchors and the page its table of contents', async () => {
      const page = await create(ada, {
        title: 'Long page',
        body: '# Intro\n\n## Setup\n\n### Détails & more\n\n## Setup',
      });
      expect(page.toc).toEqual([
        { level: 1, text: 'Intro', id: 'intro' },
        { level: 2, text: 'Setup', id: 'setup' },
        { level: 3, text: 'Détails & more', id: 'details-more' },
        { level: 2, text: 'Setup', id: 'setup-1' },
      ]);
      expect(page.html).toContain('<h3 id="details-more">');
      const html = (await intranet.http.get('/wiki/ops/long-page').expect(200)).text;
      expect(html).toContain('<a href="#details-more">Détails &amp; more</a>');
    });
  });

  describe('templates', () => {
    it('lets a manager mark a template, lists it for the space, and starts a page from it', async () => {
      const template = await create(ada, { title: 'Meeting template', body: '## Agenda\n\n## Decisions\n' });
      await bob.http.put(`/api/v1/wiki/pages/${template.id}/template`).send({ template: true }).expect(403);
      await moderator.http.put(`/api/v1/wiki/pages/${template.id}/template`).send({ template: true }).expect(200);
      const orgTemplate = (
        await moderator.http
          .post('/api/v1/wiki/pages')
          .send({ title: 'Org memo template', body: 'To: everyone' })
          .expect(201)
      ).body;
      await moderator.http.put(`/api/v1/wiki/pages/${orgTemplate.id}/template`).send({ template: true }).expect(200);
      const list = await bob.http.get('/api/v1/wiki/templates').query({ spaceId }).expect(200);
      expect(list.body.items.map((t: { title: string }) => t.title)).toEqual(['Meeting template', 'Org memo template']);
      const fromTemplate = await create(bob, { title: 'Weekly 12', templateId: template.id });
      expect(fromTemplate.body).toBe('## Agenda\n\n## Decisions\n');
      // A template of another space is refused, naming the field.
      await ada.http
        .post('/api/v1/spaces')
        .send({ slug: 'hr', name: 'HR', visibility: 'public', joinPolicy: 'open' })
        .expect(201);
      const wrong = await bob.http
        .post('/api/v1/wiki/pages')
        .send({ title: 'Nope', spaceId: 'hr', templateId: template.id })
        .expect(422);
      expect(wrong.body.errors).toEqual([{ field: 'templateId', message: 'no such template in this space' }]);
      // A page that is not a template cannot be used as one.
      await bob.http
        .post('/api/v1/wiki/pages')
        .send({ title: 'Nope', spaceId, templateId: fromTemplate.id })
        .expect(422);
    });
  });

  describe('watching', () => {
    const notifications = async (who: TestUser) =>
      (await who.http.get('/api/v1/notifications').expect(200)).body.items as Array<{
        kind: string;
        title: string;
        url: string;
      }>;

    it('notifies watchers of a page and of a subtree, but not the editor, with a link to the diff', async () => {
      const parent = await create(ada, { title: 'Services' });
      const child = await create(ada, { title: 'Database', parentId: parent.id });
      await bob.http.put(`/api/v1/wiki/pages/${child.id}/watch`).send({ mode: 'page' }).expect(200);
      await carol.http.put(`/api/v1/wiki/pages/${parent.id}/watch`).send({ mode: 'subtree' }).expect(200);
      await intranet.http.put(`/api/v1/wiki/pages/${parent.id}/watch`).send({ mode: 'page' }).expect(401);
      await bob.http.put(`/api/v1/wiki/pages/${child.id}/watch`).send({ mode: 'everything' }).expect(422);
      expect((await read(bob, child.id)).watching).toBe('page');

      await bob.http.put(`/api/v1/wiki/pages/${child.id}`).send({ body: 'MySQL 8', baseRevision: 1 }).expect(200);
      const toCarol = (await notifications(carol)).filter((n) => n.kind === 'wiki.page.changed');
      expect(toCarol).toEqual([
        expect.objectContaining({ title: 'Bob changed “Database”', url: `/wiki/p/${child.id}/diff?from=1&to=2` }),
      ]);
      // Bob edited: he is not told about his own change. Ada (the creator) watches her pages.
      expect((await notifications(bob)).filter((n) => n.kind === 'wiki.page.changed')).toEqual([]);
      expect((await notifications(ada)).filter((n) => n.kind === 'wiki.page.changed')).toHaveLength(1);
      // The link works for the watcher.
      const diff = await carol.http.get(`/api/v1/wiki/pages/${child.id}/diff`).query({ from: 1, to: 2 }).expect(200);
      expect(diff.body.hunks[0].lines).toEqual(['+MySQL 8']);

      await ada.http.put(`/api/v1/wiki/pages/${child.id}`).send({ body: 'MariaDB 10', baseRevision: 2 }).expect(200);
      expect((await notifications(bob)).filter((n) => n.kind === 'wiki.page.changed')).toHaveLength(1);
      await bob.http.delete(`/api/v1/wiki/pages/${child.id}/watch`).expect(204);
      await ada.http.put(`/api/v1/wiki/pages/${child.id}`).send({ body: 'PostgreSQL?', baseRevision: 3 }).expect(200);
      expect((await notifications(bob)).filter((n) => n.kind === 'wiki.page.changed')).toHaveLength(1);
      expect((await notifications(carol)).filter((n) => n.kind === 'wiki.page.changed')).toHaveLength(3);
    });
  });

  describe('the content contract', () => {
    it('runs creation through the gates: a rejection is a 422 naming the reason, and stores nothing', async () => {
      const res = await bob.http
        .post('/api/v1/wiki/pages')
        .send({ title: 'Rules', body: 'This is forbidden', spaceId })
        .expect(422);
      expect(res.body.errors).toEqual([{ field: 'text', message: 'The word "forbidden" is not allowed' }]);
      await intranet.http.get('/wiki/ops/rules').expect(404);
    });

    it('holds a new page for review: its author and moderators see it, nobody else, in no list', async () => {
      const held = await create(bob, { title: 'Salary bands', body: 'secret numbers' });
      expect(held.status).toBe('pending');
      await carol.http.get(`/api/v1/wiki/pages/${held.id}`).expect(404);
      await read(moderator, held.id);
      const tree = await carol.http.get('/api/v1/wiki/tree').query({ spaceId }).expect(200);
      expect(JSON.stringify(tree.body)).not.toContain('Salary bands');
      await moderator.http.post(`/api/v1/reviewgate/approve/${held.contentId}`).expect(200);
      expect((await read(carol, held.id)).status).toBe('published');
    });

    it('keeps showing readers the last published revision while an edit waits for review', async () => {
      const page = await create(ada, { title: 'Office hours', body: 'Open 9 to 5' });
      const saved = await bob.http
        .put(`/api/v1/wiki/pages/${page.id}`)
        .send({ body: 'Open 9 to 5; the secret door code is 1234', baseRevision: 1 })
        .expect(200);
      expect(saved.body).toMatchObject({
        status: 'pending',
        revision: 2,
        pendingReview: false,
        body: expect.stringContaining('door code'),
      });
      // Readers still read revision 1, from the page and its history; the held text does not leak.
      for (const who of [carol, null]) {
        const seen = await read(who, page.id);
        expect(seen).toMatchObject({ revision: 1, body: 'Open 9 to 5', pendingReview: true });
        const history = await (who ? who.http : intranet.http)
          .get(`/api/v1/wiki/pages/${page.id}/revisions`)
          .expect(200);
        expect(history.body.items.map((r: { revision: number }) => r.revision)).toEqual([1]);
        await (who ? who.http : intranet.http).get(`/api/v1/wiki/pages/${page.id}/revisions/2`).expect(404);
        await (who ? who.http : intranet.http)
          .get(`/api/v1/wiki/pages/${page.id}/diff`)
          .query({ from: 1, to: 2 })
          .expect(404);
      }
      const html = (await carol.http.get('/wiki/ops/office-hours').expect(200)).text;
      expect(html).toContain('Open 9 to 5');
      expect(html).not.toContain('door code');
      const editor = await carol.http.get(`/wiki/p/${page.id}/edit`).expect(303);
      expect(editor.text).not.toContain('door code');
      // The editor and the page's author see the held revision; a third editor cannot build on it yet.
      expect((await read(bob, page.id)).revision).toBe(2);
      expect((await read(ada, page.id)).revision).toBe(2);
      const blocked = await carol.http
        .put(`/api/v1/wiki/pages/${page.id}`)
        .send({ body: 'x', baseRevision: 1 })
        .expect(409);
      expect(JSON.stringify(blocked.body)).not.toContain('door code');
      // Once approved, everyone reads revision 2.
      await moderator.http.post(`/api/v1/reviewgate/approve/${page.contentId}`).expect(200);
      expect(await read(carol, page.id)).toMatchObject({ revision: 2, status: 'published', pendingReview: false });
    });

    it('creates a page for another plugin’s promotion request, once per event, as the requester', async () => {
      await bob.http
        .post('/api/v1/reviewgate/promote')
        .send({ title: 'Promoted answer', body: 'From the forum', spaceId })
        .expect(202);
      await intranet.runDueJobs();
      await intranet.runDueJobs();
      const found = await intranet.http
        .get('/api/v1/wiki/resolve')
        .query({ space: 'ops', path: 'promoted-answer' })
        .expect(200);
      expect(found.body).toMatchObject({ title: 'Promoted answer', author: { handle: 'bob' }, body: 'From the forum' });
      const created = intranet.events.filter(
        (e) => e.name === 'wiki.page.created' && (e.payload as { title: string }).title === 'Promoted answer',
      );
      expect(created).toHaveLength(1);
      expect(created[0].payload).toMatchObject({
        origin: { pluginId: 'reviewgate', url: '/elsewhere/1' },
        url: '/wiki/ops/promoted-answer',
      });
    });
  });
});
