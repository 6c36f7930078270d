import { Contents, definePlugin } from '@plein/sdk';
import { createTestIntranet, type TestHttp, type TestIntranet, type TestUser } from '@plein/sdk/testing';
import wiki from '@plein/plugin-wiki';
import microblog from '../src';
import { API, post, space, tickBeforePosts } from './fixtures/helpers';

jest.setTimeout(120_000);

const PASSWORD = 'correct horse battery staple';

/** A gate that rejects wiki pages mentioning an embargo (so the wiki refuses a promotion). */
const embargoGate = definePlugin({
  id: 'embargo',
  version: '1.0.0',
  sdk: '^1.0.0',
  displayName: 'Embargo gate (fixture)',
  lifecycle: {
    init: (ctx) =>
      ctx.get(Contents).registerGate({
        name: 'embargo',
        check: (input) =>
          input.type === 'wiki.page' && /embargo/i.test(input.text)
            ? { action: 'reject', reason: 'Embargoed news stays out of the wiki' }
            : { action: 'publish' },
      }),
  },
});

const main = (html: string) => html.slice(html.indexOf('<main'), html.indexOf('</main>'));
const flashOf = (html: string) => /<p class="flash flash-(\w+)">([\s\S]*?)<\/p>/.exec(html)?.slice(1, 3) ?? null;

interface Promotion {
  status: string;
  title: string;
  page: { id: string; url: string; title: string } | null;
  reason: string | null;
}

/** An answered question: asked by `asker`, answered by `answerer`, the answer accepted. */
async function answeredQuestion(
  asker: TestUser,
  answerer: TestUser,
  text: string,
  answer: string,
  spaceId?: string,
): Promise<{ id: string; contentId: string; answerId: string }> {
  const q = await post(asker, { body: text, kind: 'question', ...(spaceId ? { spaceId } : {}) });
  const a = await post(answerer, { body: answer, replyToId: q.id });
  await asker.http.post(`${API}/posts/${q.id}/answer`).send({ replyId: a.id }).expect(200);
  return { id: q.id, contentId: q.contentId, answerId: a.id };
}

/** "Promote to wiki" from the microblog: an answered question becomes one wiki page, linked both ways. */
describe('microblog: promote to wiki', () => {
  let intranet: TestIntranet;
  let ada: TestUser;
  let bob: TestUser;
  let cy: TestUser;
  let sam: TestUser;
  let admin: TestUser;
  let support: string;

  const promotionOf = async (who: TestUser, id: string): Promise<Promotion | null> =>
    (await who.http.get(`${API}/posts/${id}`).expect(200)).body.promotion;
  const wikiPagesFrom = (contentId: string) =>
    intranet.events.filter(
      (e) =>
        e.name === 'wiki.page.created' &&
        (e.payload as { origin: { contentId?: string } | null }).origin?.contentId === contentId,
    );

  beforeAll(async () => {
    intranet = await createTestIntranet({ plugins: [wiki, microblog, embargoGate] });
    tickBeforePosts(intranet.clock);
    ada = await intranet.createUser({
      handle: 'ada',
      displayName: 'Ada Lovelace',
      email: 'ada@example.test',
      password: PASSWORD,
    });
    bob = await intranet.createUser({ handle: 'bob', displayName: 'Bob *Builder*' });
    cy = await intranet.createUser({ handle: 'cy', displayName: 'Cy Young' });
    sam = await intranet.createUser({ handle: 'sam', displayName: 'Sam Steward' });
    admin = await intranet.createUser({ handle: 'root', roles: ['admin'] });
    support = await space(cy, 'support', 'public', [[sam, 'moderator']]);
  });
  afterAll(() => intranet.close());

  it('lets the author promote an answered question to one wiki page in its space, linked both ways', async () => {
    const q = await answeredQuestion(
      ada,
      bob,
      'How do I book a **parking** spot?\nI am new here.',
      'Use the parking app, ask @cy for access.',
      support,
    );
    const requested = await ada.http.post(`${API}/posts/${q.id}/promote`).expect(202);
    expect(requested.body).toMatchObject({ status: 'requested', title: 'How do I book a parking spot?', page: null });
    expect(await promotionOf(ada, q.id)).toMatchObject({ status: 'requested', page: null });
    await intranet.runDueJobs();

    const promotion = await promotionOf(cy, q.id);
    expect(promotion).toMatchObject({
      status: 'promoted',
      page: { url: '/wiki/support/how-do-i-book-a-parking-spot', title: 'How do I book a parking spot?' },
    });
    // The page: in the question's space, written by the one who asked for it, quoting both, with links back.
    const page = (
      await cy.http
        .get('/api/v1/wiki/resolve')
        .query({ space: 'support', path: 'how-do-i-book-a-parking-spot' })
        .expect(200)
    ).body;
    expect(page).toMatchObject({
      spaceId: support,
      author: { handle: 'ada' },
      origin: { pluginId: 'microblog', contentId: q.contentId, url: `/microblog/posts/${q.id}` },
    });
    expect(page.body).toContain('> How do I book a **parking** spot?\n> I am new here.');
    expect(page.body).toContain('> Use the parking app, ask @cy for access.');
    expect(page.html).toContain('<blockquote>');
    expect(page.html).toContain(`<a href="/microblog/posts/${q.id}">the question in the microblog</a>`);
    expect(page.html).toContain(
      `<a href="/microblog/posts/${q.id}#microblog.post-${q.answerId}">the answer in the microblog</a>`,
    );
    expect(page.html).toContain('<a href="/users/ada">Ada Lovelace</a>');
    // A display name with Markdown in it is text, not emphasis.
    expect(page.html).toContain('<a href="/users/bob">Bob *Builder*</a>');
    // The wiki page says where it came from; the question shows the page.
    const wikiHtml = (await cy.http.get(promotion!.page!.url).expect(200)).text;
    expect(wikiHtml).toContain(`Promoted from: <a href="/microblog/posts/${q.id}">How do I book a parking spot?</a>`);
    const thread = main((await cy.http.get(`/microblog/posts/${q.id}`).expect(200)).text);
    expect(thread).toContain(
      'Promoted to the wiki: <a href="/wiki/support/how-do-i-book-a-parking-spot">How do I book a parking spot?</a>',
    );
    expect(thread).not.toContain(`action="/microblog/posts/${q.id}/promote"`);
  });

  it('refuses others than the author and the space’s moderators, and questions without an accepted answer', async () => {
    const q = await answeredQuestion(ada, bob, 'Where is the printer?', 'Second floor.', support);
    // The one who answered is not the one who asked: 403; nobody signed in: 401.
    const stranger = await bob.http.post(`${API}/posts/${q.id}/promote`).expect(403);
    expect(stranger.body.detail).toMatch(/Only the person who asked, or a moderator of its space/);
    await intranet.http.post(`${API}/posts/${q.id}/promote`).expect(401);
    // No accepted answer yet: 409 saying so; a plain post: 409; a post that does not exist: 404.
    const open = await post(ada, { body: 'Who has the key?', kind: 'question' });
    const unanswered = await ada.http.post(`${API}/posts/${open.id}/promote`).expect(409);
    expect(unanswered.body.detail).toBe(
      'This question has no accepted answer yet: accept an answer before promoting the question to the wiki',
    );
    const plain = await post(ada, { body: 'Just a post' });
    const notQuestion = await ada.http.post(`${API}/posts/${plain.id}/promote`).expect(409);
    expect(notQuestion.body.detail).toMatch(/^Only a question with an accepted answer can be promoted/);
    await ada.http.post(`${API}/posts/no-such-post/promote`).expect(404);
    // An acceptance withdrawn makes the question unanswered again.
    await ada.http.delete(`${API}/posts/${q.id}/answer`).expect(200);
    await ada.http.post(`${API}/posts/${q.id}/promote`).expect(409);
    await intranet.runDueJobs();
    expect(wikiPagesFrom(q.contentId)).toEqual([]);
  });

  it('lets a moderator of the question’s space promote it', async () => {
    const q = await answeredQuestion(cy, bob, 'Can guests use the wifi?', 'Yes, the guest network.', support);
    await sam.http.post(`${API}/posts/${q.id}/promote`).expect(202);
    await intranet.runDueJobs();
    expect(await promotionOf(cy, q.id)).toMatchObject({ status: 'promoted' });
    const [created] = wikiPagesFrom(q.contentId);
    expect(created.payload).toMatchObject({ actorId: sam.user.id, spaceId: support });
  });

  it('makes one page however often it is asked, and names the page the second time', async () => {
    const q = await answeredQuestion(ada, bob, 'When is the office closed?', 'Public holidays.', support);
    // Two requests at once: one is accepted, the other is a 409.
    const [first, second] = await Promise.all([
      ada.http.post(`${API}/posts/${q.id}/promote`),
      ada.http.post(`${API}/posts/${q.id}/promote`),
    ]);
    expect([first.status, second.status].sort()).toEqual([202, 409]);
    const pending = first.status === 409 ? first : second;
    expect(pending.body.detail).toMatch(/already being promoted/);
    await intranet.runDueJobs();
    const again = await ada.http.post(`${API}/posts/${q.id}/promote`).expect(409);
    expect(again.body.detail).toBe(
      'This question is already promoted to the wiki: “When is the office closed?” (/wiki/support/when-is-the-office-closed)',
    );
    expect(again.body.promotion).toMatchObject({
      status: 'promoted',
      page: { url: '/wiki/support/when-is-the-office-closed' },
    });
    await intranet.runDueJobs();
    expect(wikiPagesFrom(q.contentId)).toHaveLength(1);
  });

  it('says why when the wiki refuses, and lets the question be promoted again', async () => {
    const q = await answeredQuestion(ada, bob, 'Can I share the embargo memo?', 'Not before Monday.', support);
    await ada.http.post(`${API}/posts/${q.id}/promote`).expect(202);
    await intranet.runDueJobs();
    expect(await promotionOf(ada, q.id)).toMatchObject({
      status: 'refused',
      page: null,
      reason: 'Embargoed news stays out of the wiki',
    });
    const thread = main((await ada.http.get(`/microblog/posts/${q.id}`).expect(200)).text);
    expect(thread).toContain('The wiki did not make a page of this question:');
    expect(thread).toContain('Embargoed news stays out of the wiki');
    expect(thread).toContain(`action="/microblog/posts/${q.id}/promote"`);
    await ada.http.post(`${API}/posts/${q.id}/promote`).expect(202);
  });

  it('needs the right to create wiki pages in the space', async () => {
    const q = await answeredQuestion(ada, bob, 'Who may write the wiki?', 'Members.', support);
    const role = (await admin.http.get('/api/v1/roles').expect(200)).body.items.find(
      (r: { name: string }) => r.name === 'member',
    );
    const without = role.permissions.filter((p: string) => p !== 'wiki.page.create');
    await admin.http.put(`/api/v1/roles/${role.id}/permissions`).send({ permissions: without }).expect(200);
    try {
      const refused = await ada.http.post(`${API}/posts/${q.id}/promote`).expect(403);
      expect(refused.body.detail).toMatch(/who may also create wiki pages there/);
      const thread = main((await ada.http.get(`/microblog/posts/${q.id}`).expect(200)).text);
      expect(thread).not.toContain(`action="/microblog/posts/${q.id}/promote"`);
    } finally {
      await admin.http.put(`/api/v1/roles/${role.id}/permissions`).send({ permissions: role.permissions }).expect(200);
    }
  });

  describe('the pages', () => {
    let browser: TestHttp;
    let csrf: string;

    beforeAll(async () => {
      browser = intranet.agent();
      await browser.post('/api/v1/auth/login').send({ email: 'ada@example.test', password: PASSWORD }).expect(200);
      csrf = (await browser.get('/api/v1/auth/csrf').expect(200)).body.token;
    });

    it('shows the author a promote button with its CSRF token, promotes with a flash, then shows the page', async () => {
      const q = await answeredQuestion(ada, bob, 'Where do I order *lunch*?', 'At the canteen desk.', support);
      const before = main((await browser.get(`/microblog/posts/${q.id}`).expect(200)).text);
      expect(before).toContain(`<form method="post" action="/microblog/posts/${q.id}/promote"`);
      expect(before).toContain('name="_csrf"');
      expect(before).toContain('Promote to wiki');
      // Others (the one who answered, someone not signed in) see no button.
      expect(main((await bob.http.get(`/microblog/posts/${q.id}`).expect(200)).text)).not.toContain('/promote"');
      expect(main((await intranet.http.get(`/microblog/posts/${q.id}`).expect(200)).text)).not.toContain('/promote"');
      // Without the CSRF token the form is refused.
      await browser.post(`/microblog/posts/${q.id}/promote`).type('form').send({}).expect(403);
      const sent = await browser
        .post(`/microblog/posts/${q.id}/promote`)
        .type('form')
        .send({ _csrf: csrf })
        .expect(303);
      expect(sent.headers.location).toBe(`/microblog/posts/${q.id}`);
      const after = (await browser.get(`/microblog/posts/${q.id}`).expect(200)).text;
      expect(flashOf(after)).toEqual([
        'success',
        'Promoted to the wiki: “Where do I order lunch?”. The page appears here as soon as the wiki has made it.',
      ]);
      expect(main(after)).toContain('Being added to the wiki; the page appears here in a moment.');
      await intranet.runDueJobs();
      const done = main((await browser.get(`/microblog/posts/${q.id}`).expect(200)).text);
      expect(done).toContain(
        'Promoted to the wiki: <a href="/wiki/support/where-do-i-order-lunch">Where do I order lunch?</a>',
      );
      // Asking again says it is already done.
      await browser.post(`/microblog/posts/${q.id}/promote`).type('form').send({ _csrf: csrf }).expect(303);
      expect(flashOf((await browser.get(`/microblog/posts/${q.id}`).expect(200)).text)).toEqual([
        'info',
        'Already promoted to the wiki: “Where do I order lunch?”.',
      ]);
    });

    it('says it in Dutch', async () => {
      const q = await answeredQuestion(ada, bob, 'Waar staat de koffie?', 'In de keuken.', support);
      const html = main((await browser.get(`/microblog/posts/${q.id}`).set('Accept-Language', 'nl').expect(200)).text);
      expect(html).toContain('Naar de wiki');
    });

    it('hides the action while the wiki is disabled, and the API answers 404', async () => {
      const q = await answeredQuestion(ada, bob, 'Is the wiki on?', 'Sometimes.', support);
      await admin.http.post('/api/v1/plugins/wiki/disable').expect(200);
      try {
        const absent = await ada.http.post(`${API}/posts/${q.id}/promote`).expect(404);
        expect(absent.body.detail).toBe(
          'Promoting to the wiki is not available: the wiki plugin is not installed or is disabled',
        );
        expect(main((await browser.get(`/microblog/posts/${q.id}`).expect(200)).text)).not.toContain('/promote"');
      } finally {
        await admin.http.post('/api/v1/plugins/wiki/enable').expect(200);
      }
      expect(main((await browser.get(`/microblog/posts/${q.id}`).expect(200)).text)).toContain(
        `action="/microblog/posts/${q.id}/promote"`,
      );
    });
  });
});

describe('microblog without the wiki', () => {
  let intranet: TestIntranet;

  beforeAll(async () => {
    intranet = await createTestIntranet({ plugins: [microblog] });
  });
  afterAll(() => intranet.close());

  it('boots, and the promote action is absent: no button, and the API answers 404', async () => {
    const ada = await intranet.createUser({ handle: 'ada', displayName: 'Ada' });
    const bob = await intranet.createUser({ handle: 'bob', displayName: 'Bob' });
    const q = await answeredQuestion(ada, bob, 'Is there a wiki?', 'Not here.');
    const absent = await ada.http.post(`${API}/posts/${q.id}/promote`).expect(404);
    expect(absent.body.detail).toMatch(/the wiki plugin is not installed or is disabled/);
    expect((await ada.http.get(`${API}/posts/${q.id}`).expect(200)).body.promotion).toBeNull();
    const html = (await ada.http.get(`/microblog/posts/${q.id}`).expect(200)).text;
    expect(html).not.toContain('/promote"');
    expect(html).not.toContain('Promote to wiki');
  });
});
