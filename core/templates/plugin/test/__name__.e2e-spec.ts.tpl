import { createTestIntranet, type TestIntranet, type TestUser } from '@plein/sdk/testing';
import plugin from '../src';

describe('__name__', () => {
  let intranet: TestIntranet;
  let ada: TestUser;

  // Booting is slow the first time only, while Jest compiles and caches Plein's sources.
  beforeAll(async () => {
    intranet = await createTestIntranet({ plugins: [plugin] });
    ada = await intranet.createUser({ handle: 'ada', displayName: 'Ada Lovelace' });
  }, 60_000);
  afterAll(() => intranet.close());

  it('lets a member post an item that anyone can list, and publishes __name__.item.created', async () => {
    const created = await ada.http.post('/api/v1/__name__').send({ title: 'First item' }).expect(201);
    expect(created.body).toMatchObject({ title: 'First item', author: { handle: 'ada' } });
    const list = await intranet.http.get('/api/v1/__name__').expect(200);
    expect(list.body.items[0]).toMatchObject({ id: created.body.id, title: 'First item' });
    expect(intranet.events).toContainEqual(
      expect.objectContaining({
        name: '__name__.item.created',
        payload: { itemId: created.body.id, authorId: ada.user.id },
      }),
    );
  });

  it('refuses an anonymous post with 401', async () => {
    await intranet.http.post('/api/v1/__name__').send({ title: 'Who am I?' }).expect(401);
  });

  it('refuses an empty title with 422 naming the field', async () => {
    const res = await ada.http.post('/api/v1/__name__').send({ title: '' }).expect(422);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.body.errors.map((e: { field: string }) => e.field)).toContain('title');
  });

  it('pages through items newest first with a cursor, without repeating or skipping', async () => {
    for (let i = 0; i < 4; i++) {
      intranet.clock.advance(1000); // the test clock only moves when told
      await ada.http
        .post('/api/v1/__name__')
        .send({ title: `item ${i}` })
        .expect(201);
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res: { body: { items: Array<{ title: string }>; nextCursor: string | null } } = await intranet.http
        .get('/api/v1/__name__')
        .query({ limit: 2, ...(cursor ? { cursor } : {}) })
        .expect(200);
      seen.push(...res.body.items.map((item) => item.title));
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(['item 3', 'item 2', 'item 1', 'item 0', 'First item']);
  });

  it('renders the page with titles escaped', async () => {
    await ada.http.post('/api/v1/__name__').send({ title: '<script>alert(1)</script>' }).expect(201);
    const page = await intranet.http.get('/__name__').expect(200);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.text).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(page.text).not.toContain('<script>alert(1)');
  });
});
