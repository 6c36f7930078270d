import { Database, Jobs, Settings } from '@plein/sdk';
import { createTestIntranet, type TestIntranet, type TestUser } from '@plein/sdk/testing';
import forum from '../src';
import { backfillAudiences } from '../src/events';
import { ForumAudiencesService } from '../src/services/forum-audiences.service';
import type { ForumSettings } from '../src/settings';
import { category, reply, topic } from './helpers';

jest.setTimeout(120_000);

/**
 * A category's read grants reach core's cross-plugin lists: each topic and post carries its
 * category's audience, so search and the activity stream show them only to the category's readers.
 */
describe('forum audiences', () => {
  let intranet: TestIntranet;
  let admin: TestUser;
  let author: TestUser;
  let colleague: TestUser;
  let member: TestUser;
  let hr: { id: string };
  let open: { id: string };

  const streamOf = async (who: TestUser) =>
    ((await who.http.get('/api/v1/activity').expect(200)).body.items as Array<{ contentId: string }>).map(
      (i) => i.contentId,
    );
  const searchOf = async (who: TestUser, q: string) =>
    ((await who.http.get('/api/v1/search').query({ q }).expect(200)).body.items as Array<{ contentId: string }>).map(
      (i) => i.contentId,
    );
  const move = (topicId: string, categoryId: string) =>
    admin.http.patch(`/api/v1/forum/topics/${topicId}`).send({ categoryId }).expect(200);

  beforeAll(async () => {
    intranet = await createTestIntranet({ plugins: [forum] });
    admin = await intranet.createUser({ handle: 'root', roles: ['admin'] });
    await admin.http.post('/api/v1/roles').send({ name: 'staff', description: 'Staff' }).expect(201);
    author = await intranet.createUser({ handle: 'hilde', displayName: 'Hilde HR', roles: ['staff'] });
    colleague = await intranet.createUser({ handle: 'stan', displayName: 'Stan Staff', roles: ['staff'] });
    member = await intranet.createUser({ handle: 'mia', displayName: 'Mia Member' });
    hr = await category(admin, { slug: 'hr', name: 'HR – staff only' });
    await admin.http
      .put('/api/v1/forum/categories/hr/grants')
      .send({ read: ['staff'] })
      .expect(200);
    open = await category(admin, { slug: 'open', name: 'Open' });
  });
  afterAll(() => intranet?.close());

  it('keeps a restricted category’s topics and replies out of others’ search and activity, and moves them with the topic', async () => {
    const t = await topic(author, 'hr', { title: 'Salary bands', body: 'The new bands for the zebracrossing team' });
    const r = await reply(author, t.id, { body: 'Zebracrossing bands start in March' });
    await intranet.runDueJobs();
    const both = [t.contentId, r.contentId];

    const hidden = async () => {
      const stream = await streamOf(member);
      const found = await searchOf(member, 'zebracrossing');
      for (const id of both) {
        expect(stream).not.toContain(id);
        expect(found).not.toContain(id);
      }
      await member.http.get(`/api/v1/forum/topics/${t.id}`).expect(404);
      await member.http.get(`/api/v1/forum/posts/${r.id}`).expect(404);
    };
    const shown = async (who: TestUser) => {
      expect(await streamOf(who)).toEqual(expect.arrayContaining(both));
      expect(await searchOf(who, 'zebracrossing')).toEqual(expect.arrayContaining(both));
      await who.http.get(`/api/v1/forum/topics/${t.id}`).expect(200);
      await who.http.get(`/api/v1/forum/posts/${r.id}`).expect(200);
    };

    await hidden();
    // A reader of the category (not the author) and an administrator see them.
    await shown(colleague);
    await shown(admin);

    await move(t.id, open.id);
    await shown(member);
    await move(t.id, hr.id);
    await hidden();
    await shown(colleague);
  });

  it('gives a topic split into another category, and posts merged into one, the audience of their new category', async () => {
    const t = await topic(author, 'hr', { title: 'Leave policy', body: 'About leave' });
    const r = await reply(author, t.id, { body: 'Giraffeparking is free for everyone' });
    await intranet.runDueJobs();
    expect(await searchOf(member, 'giraffeparking')).toEqual([]);

    const split = await admin.http
      .post(`/api/v1/forum/topics/${t.id}/split`)
      .send({ postIds: [r.id], title: 'Giraffeparking', categoryId: open.id })
      .expect(201);
    await intranet.runDueJobs();
    expect(await searchOf(member, 'giraffeparking')).toEqual(expect.arrayContaining([r.contentId]));
    expect(await streamOf(member)).toEqual(expect.arrayContaining([r.contentId, split.body.contentId]));

    const source = await topic(member, 'open', { title: 'Parking', body: 'Okapiparking questions' });
    await intranet.runDueJobs();
    expect(await searchOf(member, 'okapiparking')).toEqual([source.contentId]);
    await admin.http.post(`/api/v1/forum/topics/${source.id}/merge`).send({ intoTopicId: t.id }).expect(200);
    // The member wrote it, so still sees it; another member does not.
    const other = await intranet.createUser({ handle: 'otto', displayName: 'Otto Other' });
    expect(await searchOf(other, 'okapiparking')).toEqual([]);
    expect(await streamOf(other)).not.toContain(source.contentId);
    expect(await searchOf(colleague, 'okapiparking')).toEqual([source.contentId]);
  });

  it('backfills the audience of items written before it, once, and again when asked', async () => {
    const t = await topic(author, 'hr', { title: 'Reorganisation', body: 'Pelicanplan for the reorganisation' });
    const r = await reply(author, t.id, { body: 'Pelicanplan details follow' });
    await intranet.runDueJobs();
    const db = intranet.get(Database);
    await db.manager().query('UPDATE core_content SET audience = NULL');
    expect(await searchOf(member, 'pelicanplan')).toEqual(expect.arrayContaining([t.contentId, r.contentId]));

    // The forum queued the job when it started; it ran and set the flag.
    expect((await intranet.get(Settings).get<ForumSettings>()).audiencesBackfilled).toBe(true);
    await intranet.get(Jobs).enqueue(backfillAudiences, {});
    await intranet.runDueJobs();
    expect(await searchOf(member, 'pelicanplan')).toEqual([]);
    expect(await searchOf(colleague, 'pelicanplan')).toEqual(expect.arrayContaining([t.contentId, r.contentId]));
    // Twice changes nothing.
    await intranet.get(Jobs).enqueue(backfillAudiences, {});
    await intranet.runDueJobs();
    expect(await searchOf(member, 'pelicanplan')).toEqual([]);
    expect(await searchOf(colleague, 'pelicanplan')).toEqual(expect.arrayContaining([t.contentId, r.contentId]));
  });

  it('pages through topics and posts across batches, when backfilling and when moving a topic', async () => {
    const t = await topic(author, 'hr', { title: 'Many replies', body: 'Ibexbudget opening' });
    for (let i = 0; i < 5; i++) await reply(author, t.id, { body: `Ibexbudget reply ${i}` });
    await intranet.runDueJobs();
    const audiences = intranet.get(ForumAudiencesService);
    const count = async (who: TestUser) => (await searchOf(who, 'ibexbudget')).length;
    expect(await count(colleague)).toBe(6);
    expect(await count(member)).toBe(0);

    await intranet.get(Database).manager().query('UPDATE core_content SET audience = NULL');
    expect(await count(member)).toBe(6);
    const done = await audiences.backfill(2);
    expect(done.posts).toBeGreaterThanOrEqual(6);
    expect(await count(member)).toBe(0);

    await audiences.moveTopic(t, open.id, 2);
    expect(await count(member)).toBe(6);
    await audiences.moveTopic(t, hr.id, 2);
    expect(await count(member)).toBe(0);
  });
});
