import { Contents, definePlugin } from '@plein/sdk';
import { createTestIntranet, type TestHttp, type TestIntranet, type TestUser } from '@plein/sdk/testing';
import wiki from '@plein/plugin-wiki';
import forum from '../src';
import { addMember, category, main, reply, space, topic } from './helpers';

jest.setTimeout(120_000);

const PASSWORD = 'correct horse battery staple';
const API = '/api/v1/forum';

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

const flashOf = (html: string) => /<p class="flash flash-(\w+)">([\s\S]*?)<\/p>/.exec(html)?.slice(1, 3) ?? null;

interface Promotion {
  status: string;
  title: string;
  page: { id: string; url: string; title: string } | null;
  reason: string | null;
}

/** A topic started by `asker` in `where`, answered by `answerer`, the answer marked as the solution. */
async function solvedTopic(
  asker: TestUser,
  answerer: TestUser,
  where: string,
  title: string,
  body: string,
  answer: string,
): Promise<{ id: string; contentId: string; replyId: string }> {
  const t = await topic(asker, where, { title, body });
  const r = await reply(answerer, t.id, { body: answer });
  await asker.http.post(`${API}/topics/${t.id}/solution`).send({ postId: r.id }).expect(200);
  return { id: t.id, contentId: t.contentId, replyId: r.id };
}

/** "Promote to wiki" from the forum: a solved topic becomes one wiki page, linked both ways. */
describe('forum: promote to wiki', () => {
  let intranet: TestIntranet;
  let ada: TestUser;
  let bob: TestUser;
  let cy: TestUser;
  let mod: TestUser;
  let admin: TestUser;
  let board: string;

  const promotionOf = async (who: TestUser, id: string): Promise<Promotion | null> =>
    (await who.http.get(`${API}/topics/${id}`).expect(200)).body.promotion;
  const wikiPagesFrom = (contentId: string) =>
    intranet.events.filter(
      (e) =>
        e.name === 'wiki.page.created' &&
        (e.payload as { origin: { contentId?: string } | null }).origin?.contentId === contentId,
    );

  beforeAll(async () => {
    intranet = await createTestIntranet({ plugins: [wiki, forum, embargoGate] });
    ada = await intranet.createUser({
      handle: 'ada',
      displayName: 'Ada Lovelace',
      email: 'ada@example.test',
      password: PASSWORD,
    });
    bob = await intranet.createUser({ handle: 'bob', displayName: 'Bob Builder' });
    cy = await intranet.createUser({ handle: 'cy', displayName: 'Cy Young' });
    mod = await intranet.createUser({ handle: 'mod', displayName: 'Mo Derator', roles: ['moderator'] });
    admin = await intranet.createUser({ handle: 'root', roles: ['admin'] });
    await category(admin, { slug: 'it-help', name: 'IT help' });
    board = await space(admin, 'board', 'private');
    await addMember(admin, board, ada);
    await addMember(admin, board, bob);
    await category(admin, { slug: 'board-room', name: 'Board room', spaceId: board });
  });
  afterAll(() => intranet.close());

  it('lets the author promote a solved topic to one wiki page, quoting the question and the solution, linked both ways', async () => {
    const t = await solvedTopic(
      ada,
      bob,
      'it-help',
      'Printer on floor 2 jams',
      'It jams on **every** page.\n\nAny idea?',
      'Use the tray for thick paper; @cy knows more.',
    );
    const requested = await ada.http.post(`${API}/topics/${t.id}/promote`).expect(202);
    expect(requested.body).toMatchObject({ status: 'requested', title: 'Printer on floor 2 jams', page: null });
    await intranet.runDueJobs();
    const promotion = await promotionOf(cy, t.id);
    expect(promotion).toMatchObject({
      status: 'promoted',
      page: { url: '/wiki/-/printer-on-floor-2-jams', title: 'Printer on floor 2 jams' },
    });
    const page = (
      await cy.http.get('/api/v1/wiki/resolve').query({ space: '-', path: 'printer-on-floor-2-jams' }).expect(200)
    ).body;
    expect(page).toMatchObject({
      spaceId: null,
      author: { handle: 'ada' },
      origin: { pluginId: 'forum', contentId: t.contentId, url: `/forum/t/${t.id}`, title: 'Printer on floor 2 jams' },
    });
    expect(page.body).toContain('> It jams on **every** page.\n>\n> Any idea?');
    expect(page.body).toContain('> Use the tray for thick paper; @cy knows more.');
    expect(page.html).toContain(`<a href="/forum/t/${t.id}">the topic in the forum</a>`);
    expect(page.html).toContain(`<a href="/forum/posts/${t.replyId}">the solution in the forum</a>`);
    expect(page.html).toContain('<a href="/users/bob">Bob Builder</a>');
    // The wiki page links back; the topic links to the page and offers the action no more.
    const wikiHtml = (await cy.http.get(promotion!.page!.url).expect(200)).text;
    expect(wikiHtml).toContain(`Promoted from: <a href="/forum/t/${t.id}">Printer on floor 2 jams</a>`);
    const topicHtml = main((await cy.http.get(`/forum/t/${t.id}`).expect(200)).text);
    expect(topicHtml).toContain(
      'Promoted to the wiki: <a href="/wiki/-/printer-on-floor-2-jams">Printer on floor 2 jams</a>',
    );
    expect(main((await ada.http.get(`/forum/t/${t.id}`).expect(200)).text)).not.toContain('/promote"');
  });

  it('makes the page in the topic’s space, where only its members read it', async () => {
    const t = await solvedTopic(ada, bob, 'board-room', 'Budget review dates', 'When?', 'In March.');
    await ada.http.post(`${API}/topics/${t.id}/promote`).expect(202);
    await intranet.runDueJobs();
    const promotion = await promotionOf(bob, t.id);
    expect(promotion?.page?.url).toBe('/wiki/board/budget-review-dates');
    await bob.http.get(promotion!.page!.url).expect(200);
    await cy.http.get(promotion!.page!.url).expect(404);
    await cy.http.get(`${API}/topics/${t.id}`).expect(404);
    await cy.http.post(`${API}/topics/${t.id}/promote`).expect(404);
  });

  it('refuses others than the author and moderators, and topics without a solution, saying why', async () => {
    const t = await solvedTopic(ada, bob, 'it-help', 'VPN drops', 'Every hour.', 'Update the client.');
    const stranger = await cy.http.post(`${API}/topics/${t.id}/promote`).expect(403);
    expect(stranger.body.detail).toMatch(/^Only the person who started the topic, or a moderator of its category/);
    // The one whose reply solved it did not start the topic.
    await bob.http.post(`${API}/topics/${t.id}/promote`).expect(403);
    await intranet.http.post(`${API}/topics/${t.id}/promote`).expect(401);
    const open = await topic(ada, 'it-help', { title: 'Wifi is slow', body: 'Since Monday.' });
    await reply(bob, open.id, { body: 'Same here.' });
    const unsolved = await ada.http.post(`${API}/topics/${open.id}/promote`).expect(409);
    expect(unsolved.body.detail).toBe(
      'This topic is not solved yet: mark the reply that solves it before promoting it to the wiki',
    );
    // A solution unmarked makes it unsolved again.
    await ada.http.delete(`${API}/topics/${t.id}/solution`).expect(200);
    await ada.http.post(`${API}/topics/${t.id}/promote`).expect(409);
    await ada.http.post(`${API}/topics/no-such-topic/promote`).expect(404);
    await intranet.runDueJobs();
    expect(wikiPagesFrom(t.contentId)).toEqual([]);
    expect(wikiPagesFrom(open.contentId)).toEqual([]);
  });

  it('lets a forum moderator promote someone else’s solved topic', async () => {
    const t = await solvedTopic(cy, bob, 'it-help', 'Badge does not open door 3', 'Since today.', 'Reset it at desk.');
    await mod.http.post(`${API}/topics/${t.id}/promote`).expect(202);
    await intranet.runDueJobs();
    expect(await promotionOf(cy, t.id)).toMatchObject({ status: 'promoted' });
    expect(wikiPagesFrom(t.contentId)[0].payload).toMatchObject({ actorId: mod.user.id });
  });

  it('makes one page however often it is asked, and names the page the second time', async () => {
    const t = await solvedTopic(ada, bob, 'it-help', 'Shared drive is full', 'No space left.', 'Archive 2019.');
    const [first, second] = await Promise.all([
      ada.http.post(`${API}/topics/${t.id}/promote`),
      ada.http.post(`${API}/topics/${t.id}/promote`),
    ]);
    expect([first.status, second.status].sort()).toEqual([202, 409]);
    await intranet.runDueJobs();
    const again = await ada.http.post(`${API}/topics/${t.id}/promote`).expect(409);
    expect(again.body.detail).toBe(
      'This topic is already promoted to the wiki: “Shared drive is full” (/wiki/-/shared-drive-is-full)',
    );
    expect(again.body.promotion).toMatchObject({ status: 'promoted', page: { url: '/wiki/-/shared-drive-is-full' } });
    await intranet.runDueJobs();
    expect(wikiPagesFrom(t.contentId)).toHaveLength(1);
  });

  it('says why when the wiki refuses, and lets the topic be promoted again', async () => {
    const t = await solvedTopic(ada, bob, 'it-help', 'Press release timing', 'The embargo ends when?', 'Friday.');
    await ada.http.post(`${API}/topics/${t.id}/promote`).expect(202);
    await intranet.runDueJobs();
    expect(await promotionOf(ada, t.id)).toMatchObject({
      status: 'refused',
      page: null,
      reason: 'Embargoed news stays out of the wiki',
    });
    const html = main((await ada.http.get(`/forum/t/${t.id}`).expect(200)).text);
    expect(html).toContain('The wiki did not make a page of this topic:');
    expect(html).toContain(`action="/forum/t/${t.id}/promote"`);
    await ada.http.post(`${API}/topics/${t.id}/promote`).expect(202);
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
      const t = await solvedTopic(ada, bob, 'it-help', 'Monitor flickers', 'At 60 Hz.', 'Change the cable.');
      const before = main((await browser.get(`/forum/t/${t.id}`).expect(200)).text);
      expect(before).toContain(`<form method="post" action="/forum/t/${t.id}/promote"`);
      expect(before).toContain('Promote to wiki');
      expect(main((await cy.http.get(`/forum/t/${t.id}`).expect(200)).text)).not.toContain('/promote"');
      expect(main((await intranet.http.get(`/forum/t/${t.id}`).expect(200)).text)).not.toContain('/promote"');
      await browser.post(`/forum/t/${t.id}/promote`).type('form').send({}).expect(403);
      const sent = await browser.post(`/forum/t/${t.id}/promote`).type('form').send({ _csrf: csrf }).expect(303);
      expect(sent.headers.location).toBe(`/forum/t/${t.id}`);
      const after = (await browser.get(`/forum/t/${t.id}`).expect(200)).text;
      expect(flashOf(after)).toEqual([
        'success',
        'Promoted to the wiki: “Monitor flickers”. The page appears here as soon as the wiki has made it.',
      ]);
      expect(main(after)).toContain('Being added to the wiki; the page appears here in a moment.');
      await intranet.runDueJobs();
      expect(main((await browser.get(`/forum/t/${t.id}`).expect(200)).text)).toContain(
        'Promoted to the wiki: <a href="/wiki/-/monitor-flickers">Monitor flickers</a>',
      );
      await browser.post(`/forum/t/${t.id}/promote`).type('form').send({ _csrf: csrf }).expect(303);
      expect(flashOf((await browser.get(`/forum/t/${t.id}`).expect(200)).text)).toEqual([
        'info',
        'Already promoted to the wiki: “Monitor flickers”.',
      ]);
      // A topic without a solution has no button; its form answers with the reason.
      const open = await topic(ada, 'it-help', { title: 'Keyboard missing', body: 'Desk 4.' });
      expect(main((await browser.get(`/forum/t/${open.id}`).expect(200)).text)).not.toContain('/promote"');
      await browser.post(`/forum/t/${open.id}/promote`).type('form').send({ _csrf: csrf }).expect(303);
      expect(flashOf((await browser.get(`/forum/t/${open.id}`).expect(200)).text)).toEqual([
        'error',
        'Only a published topic with a solution can be promoted to the wiki.',
      ]);
    });

    it('says it in Dutch', async () => {
      const t = await solvedTopic(ada, bob, 'it-help', 'Koffieautomaat stuk', 'Geen water.', 'Tank vullen.');
      const html = main((await browser.get(`/forum/t/${t.id}`).set('Accept-Language', 'nl').expect(200)).text);
      expect(html).toContain('Naar de wiki');
    });

    it('hides the action while the wiki is disabled, and the API answers 404', async () => {
      const t = await solvedTopic(ada, bob, 'it-help', 'Is the wiki on', 'Well?', 'Sometimes.');
      await admin.http.post('/api/v1/plugins/wiki/disable').expect(200);
      try {
        const absent = await ada.http.post(`${API}/topics/${t.id}/promote`).expect(404);
        expect(absent.body.detail).toBe(
          'Promoting to the wiki is not available: the wiki plugin is not installed or is disabled',
        );
        expect(main((await browser.get(`/forum/t/${t.id}`).expect(200)).text)).not.toContain('/promote"');
      } finally {
        await admin.http.post('/api/v1/plugins/wiki/enable').expect(200);
      }
      expect(main((await browser.get(`/forum/t/${t.id}`).expect(200)).text)).toContain(
        `action="/forum/t/${t.id}/promote"`,
      );
    });
  });
});

describe('forum without the wiki', () => {
  let intranet: TestIntranet;

  beforeAll(async () => {
    intranet = await createTestIntranet({ plugins: [forum] });
  });
  afterAll(() => intranet.close());

  it('boots, and the promote action is absent: no button, and the API answers 404', async () => {
    const admin = await intranet.createUser({ roles: ['admin'] });
    const ada = await intranet.createUser({ handle: 'ada' });
    const bob = await intranet.createUser({ handle: 'bob' });
    await category(admin, { slug: 'help', name: 'Help' });
    const t = await solvedTopic(ada, bob, 'help', 'Is there a wiki', 'Well?', 'Not here.');
    const absent = await ada.http.post(`${API}/topics/${t.id}/promote`).expect(404);
    expect(absent.body.detail).toMatch(/the wiki plugin is not installed or is disabled/);
    expect((await ada.http.get(`${API}/topics/${t.id}`).expect(200)).body.promotion).toBeNull();
    const html = (await ada.http.get(`/forum/t/${t.id}`).expect(200)).text;
    expect(html).not.toContain('/promote"');
    expect(html).not.toContain('Promote to wiki');
  });
});
