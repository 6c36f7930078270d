import forum from '@plein/plugin-forum';
import microblog from '@plein/plugin-microblog';
import { createTestIntranet, type TestIntranet, type TestUser } from '@plein/sdk/testing';
import moderation from '../src';
import { itemFor } from './support';

jest.setTimeout(90_000);

/**
 * The microblog and the forum, with not a line of moderation in them: their content is reported,
 * held and decided through the content contract, linked from the queue at its own address, and
 * their pages carry the Report button through the theme's content partial.
 */
describe('moderation of the microblog and the forum', () => {
  let intranet: TestIntranet;
  let ada: TestUser;
  let bob: TestUser;
  let mod: TestUser;
  let admin: TestUser;

  beforeAll(async () => {
    intranet = await createTestIntranet({ plugins: [microblog, forum, moderation] });
    ada = await intranet.createUser({ handle: 'ada', displayName: 'Ada Lovelace' });
    bob = await intranet.createUser({ handle: 'bob', displayName: 'Bob Builder' });
    mod = await intranet.createUser({ handle: 'mod', displayName: 'Mo Derator', roles: ['moderator'] });
    admin = await intranet.createUser({ handle: 'root', roles: ['admin'] });
  });
  afterAll(() => intranet.close());

  it('holds a microblog post a rule watches for, links it in the queue, and publishes it on approval', async () => {
    await mod.http
      .post('/api/v1/moderation/rules')
      .send({ pattern: 'layoff*', match: 'word', action: 'hold' })
      .expect(201);
    const post = (
      await ada.http.post('/api/v1/microblog/posts').send({ body: 'Are there layoffs coming?' }).expect(202)
    ).body;
    // The microblog answers 202 for a post a gate held.
    expect(post.status).toBe('pending');
    const item = (await itemFor(mod, 'held', post.contentId))!;
    expect(item.content).toMatchObject({
      type: 'microblog.post',
      typeName: 'Microblog post',
      url: `/microblog/posts/${post.id}`,
    });
    await bob.http.get(`/api/v1/microblog/posts/${post.id}`).expect(404);
    await mod.http
      .post(`/api/v1/moderation/queue/${item.id}/decision`)
      .send({ action: 'approve', reason: 'A fair question' })
      .expect(200);
    await bob.http.get(`/api/v1/microblog/posts/${post.id}`).expect(200);
  });

  it('lets posts through untouched while the moderation plugin is disabled, and watches again once enabled', async () => {
    await mod.http.post('/api/v1/moderation/rules').send({ pattern: 'reorganisation', match: 'word', action: 'hold' }).expect(201);
    await admin.http.post('/api/v1/plugins/moderation/disable').expect(200);
    try {
      const post = (await ada.http.post('/api/v1/microblog/posts').send({ body: 'The reorganisation plan is out' }).expect(201)).body;
      expect(post.status).toBe('published');
    } finally {
      await admin.http.post('/api/v1/plugins/moderation/enable').expect(200);
    }
    const held = (await ada.http.post('/api/v1/microblog/posts').send({ body: 'More on the reorganisation' }).expect(202)).body;
    expect(held.status).toBe('pending');
  });

  it('takes a report of a microblog post from its page’s Report button', async () => {
    const post = (await ada.http.post('/api/v1/microblog/posts').send({ body: 'Buy my old bike' }).expect(201)).body;
    const page = await bob.http.get(`/microblog/posts/${post.id}`).expect(200);
    expect(page.text).toContain(`/moderation/report/${post.contentId}?next=`);
    await bob.http.post('/api/v1/moderation/reports').send({ contentId: post.contentId, reason: 'spam' }).expect(201);
    expect((await itemFor(mod, 'reports', post.contentId))?.content.url).toBe(`/microblog/posts/${post.id}`);
  });

  it('hides a reported forum topic from everyone but its author', async () => {
    const category = (
      await admin.http.post('/api/v1/forum/categories').send({ slug: 'general', name: 'General' }).expect(201)
    ).body;
    const topic = (
      await ada.http
        .post(`/api/v1/forum/categories/${category.id}/topics`)
        .send({ title: 'Salaries of the board', body: 'Here is the list' })
        .expect(201)
    ).body;
    expect(topic.contentId).toBeTruthy();
    await bob.http
      .post('/api/v1/moderation/reports')
      .send({ contentId: topic.contentId, reason: 'confidential' })
      .expect(201);
    const item = (await itemFor(mod, 'reports', topic.contentId))!;
    expect(item.content).toMatchObject({
      type: 'forum.topic',
      title: 'Salaries of the board',
      url: `/forum/t/${topic.id}`,
    });
    await mod.http
      .post(`/api/v1/moderation/queue/${item.id}/decision`)
      .send({ action: 'hide', reason: 'Confidential' })
      .expect(200);
    await bob.http.get(`/api/v1/forum/topics/${topic.id}`).expect(404);
    await ada.http.get(`/api/v1/forum/topics/${topic.id}`).expect(200);
  });
});
