import { createTestIntranet, type TestIntranet, type TestUser } from '@plein/sdk/testing';
import kudos from '../src';

describe('kudos', () => {
  let intranet: TestIntranet;
  let ada: TestUser;
  let bob: TestUser;

  beforeAll(async () => {
    intranet = await createTestIntranet({ plugins: [kudos] });
    ada = await intranet.createUser({ handle: 'ada', displayName: 'Ada Lovelace' });
    bob = await intranet.createUser({ handle: 'bob', displayName: 'Bob Builder' });
  });
  afterAll(() => intranet.close());

  it('lets a member thank a colleague and lists it newest first', async () => {
    const given = await ada.http.post('/api/v1/kudos').send({ toUserId: bob.user.id, message: 'Thanks for the review!' }).expect(201);
    expect(given.body).toMatchObject({ from: { handle: 'ada' }, to: { handle: 'bob' }, message: 'Thanks for the review!' });
    const list = await intranet.http.get('/api/v1/kudos').expect(200);
    expect(list.body.items[0]).toMatchObject({ id: given.body.id, message: 'Thanks for the review!' });
  });

  it('refuses anonymous kudos with 401 and self-thanks with 422 naming the field', async () => {
    await intranet.http.post('/api/v1/kudos').send({ toUserId: bob.user.id, message: 'hi' }).expect(401);
    const self = await ada.http.post('/api/v1/kudos').send({ toUserId: ada.user.id, message: 'me' }).expect(422);
    expect(self.headers['content-type']).toContain('application/problem+json');
    expect(self.body.errors).toEqual([{ field: 'toUserId', message: 'you cannot thank yourself' }]);
  });

  it('rejects unknown fields and missing fields with the field named', async () => {
    const res = await ada.http.post('/api/v1/kudos').send({ toUserId: bob.user.id, message: 'x', admin: true }).expect(422);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toContain('admin');
    const missing = await ada.http.post('/api/v1/kudos').send({}).expect(422);
    expect(missing.body.errors.map((e: { field: string }) => e.field)).toEqual(expect.arrayContaining(['toUserId', 'message']));
  });

  it('counts received kudos through the durable handler once the jobs run', async () => {
    await bob.http.post('/api/v1/kudos').send({ toUserId: ada.user.id, message: 'Great talk' }).expect(201);
    await intranet.runDueJobs();
    const board = await intranet.http.get('/api/v1/kudos/leaderboard').expect(200);
    expect(board.body.items).toEqual(
      expect.arrayContaining([
        { user: expect.objectContaining({ handle: 'bob' }), received: 1 },
        { user: expect.objectContaining({ handle: 'ada' }), received: 1 },
      ]),
    );
    expect(intranet.events.filter((e) => e.name === 'kudos.kudo.given')).toHaveLength(2);
  });

  it('pages through kudos with a cursor without repeating or skipping', async () => {
    for (let i = 0; i < 5; i++) await ada.http.post('/api/v1/kudos').send({ toUserId: bob.user.id, message: `thanks ${i}` }).expect(201);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res: { body: { items: Array<{ id: string }>; nextCursor: string | null } } = await intranet.http
        .get('/api/v1/kudos')
        .query({ limit: 3, ...(cursor ? { cursor } : {}) })
        .expect(200);
      seen.push(...res.body.items.map((k) => k.id));
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(seen).toHaveLength(7);
    expect(new Set(seen).size).toBe(7);
  });

  it('renders the kudos page with the names escaped', async () => {
    const mallory = await intranet.createUser({ handle: 'mallory', displayName: '<script>alert(1)</script>' });
    await mallory.http.post('/api/v1/kudos').send({ toUserId: ada.user.id, message: '<img src=x onerror=alert(1)>' }).expect(201);
    const page = await intranet.http.get('/kudos').expect(200);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.text).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(page.text).not.toContain('<img src=x');
  });
});
