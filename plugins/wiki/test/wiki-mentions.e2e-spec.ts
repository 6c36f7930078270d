import { createTestIntranet, type TestIntranet, type TestUser } from '@plein/sdk/testing';
import wiki from '../src';
import { reviewGate } from './fixtures/review-gate.plugin';

jest.setTimeout(60_000);

interface Notification {
  kind: string;
  title: string;
  url: string;
  contentId: string | null;
}

/** `@mentions` in wiki pages, and pages promoted from another plugin (where they came from). */
describe('wiki mentions and promoted pages', () => {
  let intranet: TestIntranet;
  let ada: TestUser;
  let bob: TestUser;
  let cy: TestUser;
  let dee: TestUser;
  let moderator: TestUser;
  let publicSpace: string;
  let privateSpace: string;

  beforeAll(async () => {
    intranet = await createTestIntranet({ plugins: [wiki, reviewGate] });
    ada = await intranet.createUser({ handle: 'ada', displayName: 'Ada Lovelace' });
    bob = await intranet.createUser({ handle: 'bob', displayName: 'Bob Builder' });
    cy = await intranet.createUser({ handle: 'cy', displayName: 'Cy Young' });
    dee = await intranet.createUser({ handle: 'dee', displayName: 'Dee Dee' });
    moderator = await intranet.createUser({ handle: 'mod', roles: ['moderator'] });
    publicSpace = (
      await ada.http
        .post('/api/v1/spaces')
        .send({ slug: 'handbook', name: 'Handbook', visibility: 'public', joinPolicy: 'open' })
        .expect(201)
    ).body.id;
    privateSpace = (
      await ada.http
        .post('/api/v1/spaces')
        .send({ slug: 'board', name: 'Board', visibility: 'private', joinPolicy: 'invite' })
        .expect(201)
    ).body.id;
    await ada.http
      .post(`/api/v1/spaces/${privateSpace}/members`)
      .send({ userId: bob.user.id, role: 'member' })
      .expect(201);
  });
  afterAll(() => intranet.close());

  const create = async (who: TestUser, body: Record<string, unknown>) =>
    (await who.http.post('/api/v1/wiki/pages').send(body).expect(201)).body;
  const save = async (who: TestUser, id: string, body: string, baseRevision: number) =>
    (await who.http.put(`/api/v1/wiki/pages/${id}`).send({ body, baseRevision }).expect(200)).body;
  const notifications = async (who: TestUser, kind = 'wiki.page.mentioned'): Promise<Notification[]> =>
    (
      (await who.http.get('/api/v1/notifications').query({ limit: 100 }).expect(200)).body.items as Notification[]
    ).filter((n) => n.kind === kind);

  describe('mentions', () => {
    it('links a mention of someone who exists to their profile and leaves an unknown handle as text', async () => {
      const page = await create(ada, {
        title: 'Who to ask',
        body: 'Ask @Bob, not @nobody-here.',
        spaceId: publicSpace,
      });
      expect(page.html).toContain('<a href="/users/bob" class="mention">@Bob</a>');
      expect(page.html).toContain('@nobody-here');
      expect(page.html).not.toContain('href="/users/nobody-here"');
      // The profile the mention links to answers.
      await ada.http.get('/users/bob').expect(200);
    });

    it('tells the people a new page mentions, with a link to it, but never its author', async () => {
      const page = await create(ada, {
        title: 'Release checklist',
        body: 'Owner: @cy. Reviewed by @ada. Questions to @cy again.',
        spaceId: publicSpace,
      });
      const told = (await notifications(cy)).filter((n) => n.contentId === page.contentId);
      expect(told).toEqual([
        expect.objectContaining({
          title: 'Ada Lovelace mentioned you in “Release checklist”',
          url: '/wiki/handbook/release-checklist',
        }),
      ]);
      expect((await notifications(ada)).filter((n) => n.contentId === page.contentId)).toEqual([]);
    });

    it('tells only the people a save adds, not those the page already mentioned', async () => {
      const page = await create(ada, { title: 'On call', body: 'Rota kept by @bob.', spaceId: publicSpace });
      const forPage = async (who: TestUser) => (await notifications(who)).filter((n) => n.contentId === page.contentId);
      expect(await forPage(bob)).toHaveLength(1);
      // Another edit that still mentions Bob and now Dee: Dee hears of it, Bob not again.
      await save(ada, page.id, 'Rota kept by @bob, backup @dee.', 1);
      expect(await forPage(bob)).toHaveLength(1);
      expect(await forPage(dee)).toHaveLength(1);
      // Cy edits without touching the mentions: nobody is told anything new, Cy included.
      await save(cy, page.id, 'Rota kept by @bob, backup @dee. Updated weekly.', 2);
      expect(await forPage(bob)).toHaveLength(1);
      expect(await forPage(dee)).toHaveLength(1);
      // Taking a mention out and putting it back is a new mention of that person.
      await save(ada, page.id, 'Rota kept by @bob.', 3);
      await save(ada, page.id, 'Rota kept by @bob and @dee.', 4);
      expect(await forPage(dee)).toHaveLength(2);
    });

    it('tells a watcher who is mentioned once: that they were mentioned, not also that the page changed', async () => {
      const page = await create(ada, { title: 'Parking', body: 'Ask reception.', spaceId: publicSpace });
      await cy.http.put(`/api/v1/wiki/pages/${page.id}/watch`).send({ mode: 'page' }).expect(200);
      await save(ada, page.id, 'Ask reception or @cy.', 1);
      const all = (await cy.http.get('/api/v1/notifications').query({ limit: 100 }).expect(200)).body
        .items as Notification[];
      expect(all.filter((n) => n.contentId === page.contentId).map((n) => n.kind)).toEqual(['wiki.page.mentioned']);
      // The next change without a new mention is a change again.
      await save(ada, page.id, 'Ask reception or @cy (after 9:00).', 2);
      expect((await notifications(cy, 'wiki.page.changed')).filter((n) => n.contentId === page.contentId)).toHaveLength(
        1,
      );
    });

    it('in a private space, tells the members it mentions and nobody outside it', async () => {
      const page = await create(ada, {
        title: 'Board minutes',
        body: 'Present: @bob. Not invited: @cy.',
        spaceId: privateSpace,
      });
      expect((await notifications(bob)).filter((n) => n.contentId === page.contentId)).toHaveLength(1);
      expect((await notifications(cy)).filter((n) => n.contentId === page.contentId)).toEqual([]);
      // Nothing in Cy's notifications names the page.
      const all = JSON.stringify((await cy.http.get('/api/v1/notifications').query({ limit: 100 })).body);
      expect(all).not.toContain('Board minutes');
    });

    it('tells nobody about a held page until a moderator approves it, then those its text mentions', async () => {
      const page = await create(ada, { title: 'Vault', body: 'The secret is with @dee.', spaceId: publicSpace });
      expect(page.status).toBe('pending');
      expect((await notifications(dee)).filter((n) => n.contentId === page.contentId)).toEqual([]);
      await moderator.http.post(`/api/v1/reviewgate/approve/${page.contentId}`).expect(200);
      expect((await notifications(dee)).filter((n) => n.contentId === page.contentId)).toEqual([
        expect.objectContaining({ title: 'Ada Lovelace mentioned you in “Vault”' }),
      ]);
      // A held edit that adds a mention tells the person when it is approved, in its writer's name.
      await ada.http
        .put(`/api/v1/wiki/pages/${page.id}`)
        .send({ body: 'The secret is with @dee and @cy.', baseRevision: 1 })
        .expect(200);
      expect((await notifications(cy)).filter((n) => n.contentId === page.contentId)).toEqual([]);
      await moderator.http.post(`/api/v1/reviewgate/approve/${page.contentId}`).expect(200);
      expect((await notifications(cy)).filter((n) => n.contentId === page.contentId)).toEqual([
        expect.objectContaining({ title: 'Ada Lovelace mentioned you in “Vault”' }),
      ]);
      expect((await notifications(dee)).filter((n) => n.contentId === page.contentId)).toHaveLength(1);
    });
  });

  describe('promoted pages', () => {
    it('shows where a promoted page came from, with a link back, in the API and on the page', async () => {
      await bob.http
        .post('/api/v1/reviewgate/promote')
        .send({
          title: 'How to reset a badge',
          body: 'Ask the front desk.',
          spaceId: publicSpace,
          originUrl: '/elsewhere/42',
          originTitle: 'Badge <b>broken</b>?',
        })
        .expect(202);
      await intranet.runDueJobs();
      const found = await intranet.http
        .get('/api/v1/wiki/resolve')
        .query({ space: 'handbook', path: 'how-to-reset-a-badge' })
        .expect(200);
      expect(found.body.origin).toEqual({
        pluginId: 'reviewgate',
        contentId: null,
        url: '/elsewhere/42',
        title: 'Badge <b>broken</b>?',
      });
      const html = (await intranet.http.get('/wiki/handbook/how-to-reset-a-badge').expect(200)).text;
      expect(html).toContain('Promoted from:');
      expect(html).toContain('<a href="/elsewhere/42">Badge &lt;b&gt;broken&lt;/b&gt;?</a>');
      // A page written in the wiki has no origin.
      const own = await create(ada, { title: 'Written here', body: 'Text', spaceId: publicSpace });
      expect(own.origin).toBeNull();
    });

    it('keeps a link back only when it is a path on this intranet', async () => {
      for (const [title, originUrl] of [
        ['Elsewhere one', 'https://evil.example/x'],
        ['Elsewhere two', '//evil.example/x'],
        ['Elsewhere three', 'javascript:alert(1)'],
        ['Elsewhere four', '/\\evil.example'],
      ]) {
        await bob.http.post('/api/v1/reviewgate/promote').send({ title, body: 'x', originUrl }).expect(202);
        await intranet.runDueJobs();
        const slug = title.toLowerCase().replace(' ', '-');
        const found = await intranet.http.get('/api/v1/wiki/resolve').query({ space: '-', path: slug }).expect(200);
        expect(found.body.origin).toMatchObject({ pluginId: 'reviewgate', url: null });
        const html = (await intranet.http.get(`/wiki/-/${slug}`).expect(200)).text;
        expect(html).not.toContain('Promoted from:');
        expect(html).not.toContain('evil.example');
      }
    });

    it('announces a promotion it refuses, with the reason, so the requester can try again', async () => {
      await bob.http
        .post('/api/v1/reviewgate/promote')
        .send({ title: 'Refused', body: 'A forbidden text', originUrl: '/elsewhere/7' })
        .expect(202);
      await intranet.runDueJobs();
      const refused = intranet.events.filter((e) => e.name === 'wiki.promotion.refused');
      expect(refused[refused.length - 1].payload).toMatchObject({
        requestedBy: bob.user.id,
        origin: { pluginId: 'reviewgate', url: '/elsewhere/7' },
        status: 422,
        reason: expect.stringContaining('forbidden'),
      });
      await intranet.http.get('/api/v1/wiki/resolve').query({ space: '-', path: 'refused' }).expect(404);
    });
  });
});
