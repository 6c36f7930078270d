/**
 * Per-space plugins, the routes whose space is in their address but not in their permission
 * (`@InSpace`): a plugin's pages and APIs for a space (`/microblog/spaces/lab`, `/wiki/lab`,
 * `?space=lab`) and, for the forum, everything under a category bound to the space (its topics and
 * posts) answer 404 once the space turns the plugin off — pages with the theme's "not found" page —
 * and answer as before for another space and for what belongs to no space.
 */
import forum from '@plein/plugin-forum';
import microblog from '@plein/plugin-microblog';
import wiki from '@plein/plugin-wiki';
import { createTestIntranet, type TestIntranet, type TestUser } from '@plein/sdk/testing';
import { ForumSpacesService } from '../../plugins/forum/src/services/forum-spaces.service';

jest.setTimeout(60_000);

describe('per-space plugins: routes that find their space in the address', () => {
  let intranet: TestIntranet;
  let ada: TestUser;
  let max: TestUser;
  /** Per space: the forum category, topic and post, the wiki page's address. */
  const made: Record<
    string,
    { category: string; topic: string; post: string; wikiPath: string; wikiId: string; microblogPost: string }
  > = {};
  let orgTopic: string;

  beforeAll(async () => {
    intranet = await createTestIntranet({ plugins: [forum, microblog, wiki] });
    ada = await intranet.createUser({ handle: 'ada', roles: ['admin'] });
    max = await intranet.createUser({ handle: 'max' });
    for (const slug of ['lab', 'garden']) {
      await ada.http
        .post('/api/v1/spaces')
        .send({ slug, name: slug, visibility: 'public', joinPolicy: 'open' })
        .expect(201);
      await max.http.post(`/api/v1/spaces/${slug}/join`).expect(200);
      await ada.http
        .post('/api/v1/forum/categories')
        .send({ slug: `${slug}-talk`, name: `${slug} talk`, spaceId: slug })
        .expect(201);
      const topic = (
        await max.http
          .post(`/api/v1/forum/categories/${slug}-talk/topics`)
          .send({ title: `In the ${slug}`, body: 'Hello' })
          .expect(201)
      ).body;
      const page = (
        await max.http
          .post('/api/v1/wiki/pages')
          .send({ title: 'Handbook', body: 'Read me', spaceId: slug })
          .expect(201)
      ).body;
      const micro = (
        await max.http
          .post('/api/v1/microblog/posts')
          .send({ body: `Hello ${slug}`, spaceId: slug })
          .expect(201)
      ).body;
      made[slug] = {
        category: `${slug}-talk`,
        topic: topic.id,
        post: topic.firstPostId,
        wikiPath: page.path,
        wikiId: page.id,
        microblogPost: micro.id,
      };
    }
    await ada.http.post('/api/v1/forum/categories').send({ slug: 'everyone', name: 'Everyone' }).expect(201);
    orgTopic = (
      await max.http.post('/api/v1/forum/categories/everyone/topics').send({ title: 'For all', body: 'Hi' }).expect(201)
    ).body.id;
  });
  afterAll(() => intranet.close());

  const turn = (pluginId: string, enabled: boolean) =>
    ada.http.put(`/api/v1/spaces/lab/plugins/${pluginId}`).send({ enabled }).expect(200);

  /** GETs each address as max; answers the statuses, in order. */
  async function statuses(paths: string[]): Promise<number[]> {
    const out: number[] = [];
    for (const path of paths) out.push((await max.http.get(path)).status);
    return out;
  }

  /**
   * The routes answer (below 400) for the lab; once the lab turns `pluginId` off they answer 404
   * there and still answer for the garden. Leaves the plugin off in the lab.
   */
  async function goneFromTheLabOnly(pluginId: string, routes: (slug: string) => string[]): Promise<void> {
    const answered = async (slug: string) => (await statuses(routes(slug))).map((s) => (s < 400 ? 'ok' : s));
    const ok = routes('lab').map(() => 'ok');
    expect(await answered('lab')).toEqual(ok);
    await turn(pluginId, false);
    expect(await answered('lab')).toEqual(routes('lab').map(() => 404));
    expect(await answered('garden')).toEqual(ok);
  }

  it('takes the microblog’s space pages, its posts and their APIs away from a space that turned it off, and only there', async () => {
    const routes = (slug: string) => [
      `/microblog/spaces/${slug}`,
      `/microblog/spaces/${slug}/questions`,
      `/microblog/compose?space=${slug}`,
      `/api/v1/microblog/questions?spaceId=${slug}`,
      `/api/v1/microblog/spaces/${slug}/posts`,
      `/microblog/posts/${made[slug].microblogPost}`,
      `/microblog/posts/${made[slug].microblogPost}/history`,
      `/api/v1/microblog/posts/${made[slug].microblogPost}`,
    ];
    await goneFromTheLabOnly('microblog', routes);
    // A page answers with the theme's "not found" page, an API with a problem.
    const page = await max.http.get('/microblog/spaces/lab').expect(404);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.text).toContain('Page not found');
    const api = await max.http.get('/api/v1/microblog/questions?spaceId=lab').expect(404);
    expect(api.headers['content-type']).toContain('application/problem+json');
    await max.http.post('/microblog/spaces/lab/follow').type('form').send({}).expect(404);
    // Routes about no space are not affected.
    expect(await statuses(['/microblog/all', '/api/v1/microblog/questions?spaceId=-'])).toEqual([200, 200]);
    await turn('microblog', true);
    expect(await statuses(routes('lab'))).toEqual(routes('lab').map(() => 200));
  });

  it('takes the wiki’s space pages and its pages by id away from a space that turned it off, and only there', async () => {
    const routes = (slug: string) => [
      `/wiki/${slug}`,
      made[slug].wikiPath,
      `/wiki/p/new?space=${slug}`,
      `/wiki/p/templates?space=${slug}`,
      `/api/v1/wiki/resolve?space=${slug}&path=handbook`,
      `/api/v1/wiki/tree?spaceId=${slug}`,
      `/wiki/p/${made[slug].wikiId}/history`,
      `/wiki/p/${made[slug].wikiId}/edit`,
      `/api/v1/wiki/pages/${made[slug].wikiId}`,
    ];
    await goneFromTheLabOnly('wiki', routes);
    expect((await max.http.get(made.lab.wikiPath).expect(404)).text).toContain('Page not found');
    // Organisation-wide pages (`-`) are in no space.
    expect(await statuses(['/wiki', '/wiki/-'])).toEqual([200, 200]);
    await turn('wiki', true);
    expect(await statuses(routes('lab'))).toEqual(routes('lab').map(() => 200));
  });

  it('does not look for the space of a route while no space has its plugin off', async () => {
    const finder = jest.spyOn(ForumSpacesService.prototype, 'ofTopic');
    try {
      await max.http.get(`/forum/t/${made.lab.topic}`).expect(200);
      await max.http.get(`/api/v1/forum/topics/${made.garden.topic}`).expect(200);
      expect(finder).not.toHaveBeenCalled();
      await turn('forum', false);
      await max.http.get(`/api/v1/forum/topics/${made.garden.topic}`).expect(200);
      expect(finder).toHaveBeenCalledTimes(1);
    } finally {
      finder.mockRestore();
      await turn('forum', true);
    }
  });

  it('takes a category bound to the space away with its topics and posts, pages and APIs alike', async () => {
    const routes = (slug: string) => [
      `/forum/c/${made[slug].category}`,
      `/forum/c/${made[slug].category}/new`,
      `/forum/t/${made[slug].topic}`,
      `/forum/posts/${made[slug].post}`,
      `/api/v1/forum/categories/${made[slug].category}`,
      `/api/v1/forum/categories/${made[slug].category}/topics`,
      `/api/v1/forum/topics/${made[slug].topic}`,
      `/api/v1/forum/posts/${made[slug].post}`,
    ];
    await goneFromTheLabOnly('forum', routes);
    expect((await max.http.get(`/forum/t/${made.lab.topic}`).expect(404)).text).toContain('Page not found');
    await max.http.post(`/api/v1/forum/topics/${made.lab.topic}/posts`).send({ body: 'Still here?' }).expect(404);
    await max.http
      .post(`/api/v1/forum/categories/${made.lab.category}/topics`)
      .send({ title: 'New', body: 'x' })
      .expect(404);
    await max.http.post(`/api/v1/forum/topics/${made.garden.topic}/posts`).send({ body: 'Still here' }).expect(201);
    // A category in no space, and an unknown topic, answer as before.
    await max.http.get(`/api/v1/forum/topics/${orgTopic}`).expect(200);
    await max.http.get('/forum/c/everyone').expect(200);
    await max.http.get('/api/v1/forum/topics/nope').expect(404);
    await turn('forum', true);
    expect((await statuses(routes('lab'))).map((s) => s < 400)).toEqual(routes('lab').map(() => true));
  });

  it('does the same when the site forces a plugin off in every space', async () => {
    await ada.http.put('/api/v1/plugins/wiki/space-policy').send({ policy: 'forced-off' }).expect(200);
    expect(await statuses(['/wiki/lab', '/wiki/garden', '/wiki/-'])).toEqual([404, 404, 200]);
    await ada.http.put('/api/v1/plugins/wiki/space-policy').send({ policy: 'space-choice' }).expect(200);
    expect(await statuses(['/wiki/lab', '/wiki/garden'])).toEqual([200, 200]);
  });
});

describe('per-space plugins: the space page links to each plugin’s page for the space', () => {
  let intranet: TestIntranet;
  let max: TestUser;

  beforeAll(async () => {
    intranet = await createTestIntranet({ plugins: [forum, microblog, wiki] });
    const ada = await intranet.createUser({ handle: 'ada', roles: ['admin'] });
    max = await intranet.createUser({ handle: 'max' });
    for (const slug of ['lab', 'garden']) {
      await ada.http
        .post('/api/v1/spaces')
        .send({ slug, name: slug === 'lab' ? 'The Lab' : 'Garden', visibility: 'public', joinPolicy: 'open' })
        .expect(201);
      await ada.http
        .post('/api/v1/forum/categories')
        .send({ slug: `${slug}-talk`, name: `${slug} talk`, spaceId: slug })
        .expect(201);
    }
    await ada.http.post('/api/v1/forum/categories').send({ slug: 'everyone', name: 'Everyone' }).expect(201);
  });
  afterAll(() => intranet.close());

  /** The links of the space page's own navigation ("In this space"). */
  async function spaceLinks(slug: string): Promise<string[]> {
    const html = (await max.http.get(`/spaces/${slug}`).expect(200)).text;
    const nav = /<nav aria-labelledby="space-tools"[\s\S]*?<\/nav>/.exec(html)?.[0] ?? '';
    return [...nav.matchAll(/href="([^"]+)"/g)].map((m) => m[1].replace(/&#x3D;/g, '=')).sort();
  }

  it('links to the microblog’s and the wiki’s pages for the space and to the forum filtered to it', async () => {
    expect(await spaceLinks('lab')).toEqual(['/forum?space=lab', '/microblog/spaces/lab', '/wiki/lab']);
    expect(await spaceLinks('garden')).toEqual(['/forum?space=garden', '/microblog/spaces/garden', '/wiki/garden']);
    for (const path of await spaceLinks('lab')) await max.http.get(path).expect(200);
    // The site's navigation keeps the site-wide pages.
    const home = (await max.http.get('/').expect(200)).text;
    expect(home).toContain('href="/forum"');
    expect(home).toContain('href="/microblog"');
  });

  it('shows on the forum’s filtered list only the categories of that space', async () => {
    const lab = (await max.http.get('/forum?space=lab').expect(200)).text;
    expect(lab).toContain('The categories of The Lab.');
    expect(lab).toContain('href="/forum/c/lab-talk"');
    expect(lab).not.toContain('href="/forum/c/garden-talk"');
    expect(lab).not.toContain('href="/forum/c/everyone"');
    const all = (await max.http.get('/forum').expect(200)).text;
    for (const slug of ['lab-talk', 'garden-talk', 'everyone']) expect(all).toContain(`href="/forum/c/${slug}"`);
    await max.http.get('/forum?space=nowhere').expect(404);
  });
});
