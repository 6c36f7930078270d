/**
 * JSON bodies that spell half of a surrogate pair (`"\ud800"`): not text, so refused with a 422
 * naming the field, before any route sees them (they used to reach the database: a 500 on MySQL,
 * undecodable bytes on SQLite). Whole pairs, emoji spelled as escapes, pass.
 */
import { createTestIntranet, type TestIntranet } from '@plein/sdk/testing';
import { loneSurrogatePath } from '../../core/src/app/boot';

describe('JSON input', () => {
  let intranet: TestIntranet;
  beforeAll(async () => {
    intranet = await createTestIntranet({ plugins: [] });
  });
  afterAll(() => intranet.close());

  const setup = (raw: string) =>
    intranet.http.post('/api/v1/auth/setup').set('content-type', 'application/json').send(raw);

  it.each(['email', 'handle', 'displayName', 'password'])(
    'refuses a lone surrogate in %s with a 422 naming it',
    async (field) => {
      const body: Record<string, string> = {
        email: 'ada@example.org',
        handle: 'ada',
        displayName: 'Ada',
        password: 'correct horse battery staple',
      };
      const raw = JSON.stringify(body).replace(`"${field}":"`, `"${field}":"\\ud800`);
      const res = await setup(raw).expect(422);
      expect(res.body.errors).toEqual([expect.objectContaining({ field })]);
    },
  );

  it('lets an emoji spelled as an escaped pair through', async () => {
    const res = await setup(
      '{"email":"ada@example.org","handle":"ada","displayName":"Ada \\ud83d\\ude00","password":"correct horse battery staple"}',
    ).expect(201);
    expect(res.body.user.displayName).toBe('Ada 😀');
  });

  it('names the path of a nested string, and of a key', () => {
    expect(loneSurrogatePath({ a: [{ b: 'ok' }, { c: 'x\udc00' }] })).toBe('a[1].c');
    expect(loneSurrogatePath({ ['k\ud800']: 1 })).toBe('k\ud800');
    expect(loneSurrogatePath({ a: '😀', b: ['\ud83d\ude00'] })).toBeNull();
  });
});
