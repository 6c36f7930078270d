/**
 * Bad input never makes the server fail (API.md: "Never a 500 for bad input"). A property test sends
 * random and malformed bodies to every mounted POST, PUT and PATCH route, as an administrator
 * (bearer token) and anonymously (as a browser: anonymous cookie and CSRF token, or neither), with
 * path parameters taken from the fixtures or random, and expects no 5xx answer.
 *
 * Bodies: any JSON value; objects with random keys; objects with the route's own DTO fields (and
 * the form fields pages read) holding wrong types, nulls, unicode, lone surrogates, strings up to
 * 100 kB, nested arrays, or valid values; deeply nested JSON; invalid UTF-8 bytes and non-JSON text
 * under `application/json`; form bodies; other content types. `FUZZ_RUNS` sets the runs per route
 * and actor (default 15; a failure prints the request, and fast-check's seed to replay it).
 */
import { HttpAdapterHost } from '@nestjs/core';
import kudos from '@plein/example-kudos';
import { createTestIntranet, type TestIntranet, type TestUser } from '@plein/sdk/testing';
import { getMetadataStorage, IS_EMAIL, IS_IN } from 'class-validator';
import fc from 'fast-check';
import request, { type Response } from 'supertest';
import { ledger } from '../fixtures/ledger/ledger.plugin';
import { fillPath, mountedRoutes, type MountedRoute } from './routes';

// Boots on MySQL + Redis take seconds; the whole file's requests run in one test.
jest.setTimeout(300_000);

const RUNS = Number(process.env.FUZZ_RUNS ?? 15);
const ACTORS = ['admin', 'anonymous'] as const;
type Actor = (typeof ACTORS)[number];

interface FuzzRequest {
  params: Record<string, string>;
  contentType: string | null;
  body: string | Buffer | null;
  /** Anonymous only: send the anonymous cookie and its CSRF token, as a browser would. */
  csrf: boolean;
}

/** Field names pages read from their forms; their DTOs are not parameters, so the route does not say. */
const FORM_FIELDS = [
  'email',
  'password',
  'confirm',
  'current',
  'handle',
  'displayName',
  'name',
  'slug',
  'description',
  'visibility',
  'joinPolicy',
  'role',
  'roles',
  'status',
  'locale',
  'permissions',
  'userId',
  'kind',
  'channel',
  'ids',
  'all',
  'next',
  'scopes',
  'token',
  'message',
  'toUserId',
  'note',
];

/** Lone surrogates replaced by U+FFFD: a URL cannot carry them (String.prototype.toWellFormed is ES2024). */
const wellFormed = (s: string) =>
  s.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');

const NASTY_STRINGS = [
  '',
  ' ',
  '\u0000',
  '\ud800',
  '\udfff\ud800',
  '\u202e',
  'e\u0301',
  '😀'.repeat(50),
  '__proto__',
  'constructor',
  '../../etc/passwd',
  "' OR 1=1 --",
  '<script>alert(1)</script>',
  'null',
  'true',
  '1e309',
  '-0',
  '9'.repeat(400),
  '%00',
  '\r\n',
];

/** Up to 100 kB of one repeated (possibly astral) character, cheap to generate. */
const hugeString = fc
  .tuple(fc.integer({ min: 1_000, max: 100_000 }), fc.constantFrom('x', 'é', '😀', '\u0000', '"', '\\'))
  .map(([n, c]) => c.repeat(Math.ceil(n / c.length)));

const anyString = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom(...NASTY_STRINGS),
  hugeString,
);

const nastyValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: anyString },
  { weight: 2, arbitrary: fc.constant(null) },
  { weight: 1, arbitrary: fc.oneof(fc.integer(), fc.double(), fc.constantFrom(0, -1, 2 ** 53, -(2 ** 63), 1e308)) },
  { weight: 1, arbitrary: fc.boolean() },
  { weight: 1, arbitrary: fc.array(anyString, { maxLength: 5 }) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 4 }) },
  // Objects whose String() throws: what a template or `${}` does with a value it thinks is text.
  {
    weight: 1,
    arbitrary: fc.constantFrom({ toString: false }, [{ toString: false }], { valueOf: 1, toString: 1 }, [[]], {}),
  },
  // Deeper values are built as text (deepJson): JSON.stringify itself overflows the stack on them.
  {
    weight: 1,
    arbitrary: fc
      .integer({ min: 1, max: 1_000 })
      .map((depth) => JSON.parse('['.repeat(depth) + ']'.repeat(depth)) as unknown),
  },
);

/** The DTO's fields with values that are sometimes valid (enum members, an e-mail) and mostly not. */
function dtoFields(route: MountedRoute): { names: string[]; valid: Map<string, unknown[]> } {
  const valid = new Map<string, unknown[]>();
  if (!route.body || route.body === Object) return { names: FORM_FIELDS, valid };
  for (const meta of getMetadataStorage().getTargetValidationMetadatas(route.body, '', true, false)) {
    const values = valid.get(meta.propertyName) ?? [];
    if (meta.name === IS_IN) values.push(...(meta.constraints[0] as unknown[]));
    if (meta.name === IS_EMAIL) values.push('someone@example.test');
    valid.set(meta.propertyName, values);
  }
  return { names: [...valid.keys()], valid };
}

function shapedObject(route: MountedRoute, fixtures: string[]): fc.Arbitrary<Record<string, unknown>> {
  const { names, valid } = dtoFields(route);
  const value = (name: string) =>
    fc.oneof(
      nastyValue,
      fc.constantFrom(...(valid.get(name) ?? []), ...fixtures, 'Ada Lovelace', 'ada', 'a-long-enough-password'),
    );
  const fields = Object.fromEntries(names.map((name) => [name, value(name)]));
  return fc
    .record(fields, { requiredKeys: [] })
    .chain((obj) =>
      fc.dictionary(fc.string({ maxLength: 10 }), nastyValue, { maxKeys: 2 }).map((extra) => ({ ...obj, ...extra })),
    );
}

const invalidUtf8 = fc
  .array(
    fc.oneof(
      fc.constantFrom(0xff, 0xfe, 0xc0, 0xc1, 0x80, 0xbf, 0xed, 0xa0, 0xf5, 0xf8),
      fc.integer({ min: 0, max: 255 }),
    ),
    { minLength: 1, maxLength: 64 },
  )
  .map((bytes) => Buffer.concat([Buffer.from('{"name":"'), Buffer.from(bytes), Buffer.from('"}')]));

const notJson = fc.oneof(
  fc.string(),
  fc.constantFrom(
    '{',
    '}',
    '[',
    '{"a":1,}',
    "{'a':1}",
    'undefined',
    'NaN',
    '{"a":01}',
    '{"__proto__":{"admin":true}}',
    '{"constructor":{"prototype":{"x":1}}}',
    '\ufeff{}',
    '{"a":"\\ud800"}',
    '{"a":"\\u0000"}',
  ),
);

const deepJson = fc
  .tuple(fc.integer({ min: 1_000, max: 200_000 }), fc.constantFrom('array', 'object'))
  .map(([depth, kind]) =>
    kind === 'array' ? '['.repeat(depth) + ']'.repeat(depth) : '{"a":'.repeat(depth) + '1' + '}'.repeat(depth),
  );

const formBody = fc
  .dictionary(
    fc.oneof(fc.constantFrom(...FORM_FIELDS), fc.string({ maxLength: 12 })),
    fc.oneof(anyString, fc.array(fc.string(), { maxLength: 3 })),
  )
  .map((fields) =>
    Object.entries(fields)
      .flatMap(([k, v]) =>
        [v]
          .flat()
          .map((item) => `${encodeURIComponent(wellFormed(k))}=${encodeURIComponent(wellFormed(String(item)))}`),
      )
      .join('&'),
  );

function bodyArbitrary(
  route: MountedRoute,
  fixtures: string[],
): fc.Arbitrary<Pick<FuzzRequest, 'contentType' | 'body'>> {
  const json = (a: fc.Arbitrary<unknown>) =>
    a.map((v) => ({ contentType: 'application/json', body: JSON.stringify(v) ?? 'null' }));
  return fc.oneof(
    { weight: 4, arbitrary: json(shapedObject(route, fixtures)) },
    { weight: 2, arbitrary: json(fc.dictionary(fc.string(), nastyValue, { maxKeys: 6 })) },
    { weight: 2, arbitrary: json(fc.jsonValue()) },
    { weight: 1, arbitrary: deepJson.map((body) => ({ contentType: 'application/json', body })) },
    { weight: 1, arbitrary: invalidUtf8.map((body) => ({ contentType: 'application/json', body })) },
    { weight: 1, arbitrary: notJson.map((body) => ({ contentType: 'application/json', body })) },
    { weight: 2, arbitrary: formBody.map((body) => ({ contentType: 'application/x-www-form-urlencoded', body })) },
    {
      weight: 1,
      arbitrary: fc.record({
        contentType: fc.constantFrom(
          null,
          'text/plain',
          'application/xml',
          'multipart/form-data; boundary=x',
          'application/json; charset=utf-16',
          'application/json; charset=latin1',
          'application/octet-stream',
        ),
        body: fc.oneof(fc.constant(null), fc.string()),
      }),
    },
  );
}

function describeRequest(
  route: MountedRoute,
  actor: Actor,
  path: string,
  input: FuzzRequest,
  res: Response | null,
  error?: unknown,
): string {
  const body =
    input.body === null
      ? '(none)'
      : Buffer.isBuffer(input.body)
        ? `bytes ${input.body.toString('hex')}`
        : input.body.length > 300
          ? `${JSON.stringify(input.body.slice(0, 300))}… (${input.body.length} chars)`
          : JSON.stringify(input.body);
  const answer = res ? `${res.status} ${res.text?.slice(0, 300)}` : `no answer: ${String(error)}`;
  return `${route.method} ${path} as ${actor}${actor === 'anonymous' ? (input.csrf ? ' (anonymous cookie + CSRF token)' : ' (no cookie)') : ''}\n  content-type: ${input.contentType ?? '(none)'}\n  body: ${body}\n  answered: ${answer}`;
}

describe('bad input', () => {
  let intranet: TestIntranet;
  let server: Parameters<typeof request>[0];
  let admin: TestUser;
  let anonymous: { cookie: string; token: string };
  let fixtureValues: Record<string, string[]>;

  const send = (route: MountedRoute, actor: Actor, path: string, input: FuzzRequest) => {
    let req = request(server)[route.method.toLowerCase() as 'post'](path).redirects(0).timeout(20_000);
    if (actor === 'admin') req = req.set('authorization', `Bearer ${admin.token}`);
    else if (input.csrf) req = req.set('cookie', anonymous.cookie).set('x-csrf-token', anonymous.token);
    if (input.contentType) req = req.set('content-type', input.contentType);
    return input.body === null ? req : req.send(input.body);
  };

  /** What a fuzzed request may have switched off: plugins, or the administrator themselves. */
  const restore = async () => {
    const me = await request(server).get('/api/v1/me').set('authorization', `Bearer ${admin.token}`);
    if (me.status !== 200 || !(me.body as { roles: string[] }).roles.includes('admin'))
      admin = await intranet.createUser({ roles: ['admin'] });
    const plugins = (await admin.http.get('/api/v1/plugins').expect(200)).body as {
      items: Array<{ id: string; state: string }>;
    };
    for (const p of plugins.items.filter((p) => p.state === 'disabled'))
      await admin.http.post(`/api/v1/plugins/${p.id}/enable`).expect(200);
  };

  beforeAll(async () => {
    intranet = await createTestIntranet({ plugins: [kudos, ledger] });
    server = intranet.get(HttpAdapterHost).httpAdapter.getHttpServer();
    admin = await intranet.createUser({ handle: 'admin', roles: ['admin'] });
    const member = await intranet.createUser({ handle: 'member' });
    const privateSpace = (
      await admin.http
        .post('/api/v1/spaces')
        .send({ slug: 'private-team', name: 'Private team', visibility: 'private', joinPolicy: 'invite' })
        .expect(201)
    ).body as { id: string };
    const publicSpace = (
      await admin.http
        .post('/api/v1/spaces')
        .send({ slug: 'town-square', name: 'Town square', visibility: 'public', joinPolicy: 'open' })
        .expect(201)
    ).body as { id: string };
    await admin.http
      .post(`/api/v1/spaces/${privateSpace.id}/members`)
      .send({ userId: member.user.id, role: 'member' })
      .expect(201);
    const kudo = (
      await member.http.post('/api/v1/kudos').send({ toUserId: admin.user.id, message: 'Thanks' }).expect(201)
    ).body as { id: string };
    const token = (await member.http.post('/api/v1/auth/tokens').send({ name: 'spare' }).expect(201)).body as {
      id: string;
    };
    await admin.http.post('/api/v1/roles').send({ name: 'auditor' }).expect(201);
    const csrf = await request(server).get('/api/v1/auth/csrf').expect(200);
    anonymous = {
      cookie: [csrf.headers['set-cookie']]
        .flat()
        .map((c: string) => c.split(';')[0])
        .join('; '),
      token: (csrf.body as { token: string }).token,
    };
    const spaces = [privateSpace.id, publicSpace.id, 'private-team', 'town-square'];
    const users = [member.user.id, admin.user.id, 'member'];
    fixtureValues = {
      space: spaces,
      slug: spaces,
      userId: users,
      handle: users,
      id: [kudo.id, token.id, member.user.id, 'ledger', 'kudos', 'auditor'],
      role: ['auditor', 'moderator'],
      token: ['not-a-reset-token'],
    };
  });
  afterAll(() => intranet?.close());

  it('answers random and malformed bodies on every POST, PUT and PATCH route without a 5xx', async () => {
    const routes = mountedRoutes(intranet).filter((r) => ['POST', 'PUT', 'PATCH'].includes(r.method));
    expect(routes.length).toBeGreaterThan(20);
    const failures: string[] = [];
    const allFixtures = Object.values(fixtureValues).flat();
    for (const route of routes) {
      const paramValue = (name: string) =>
        fc.oneof(
          fc.constantFrom(...(fixtureValues[name] ?? allFixtures)),
          fc.string({ unit: 'binary', minLength: 1, maxLength: 60 }).map(wellFormed),
          fc.constantFrom(...NASTY_STRINGS.filter((s) => s.length < 100).map(wellFormed)),
        );
      for (const actor of ACTORS) {
        const input = fc
          .record({
            params: fc.record(Object.fromEntries(route.params.map((name) => [name, paramValue(name)]))) as fc.Arbitrary<
              Record<string, string>
            >,
            payload: bodyArbitrary(route, allFixtures),
            csrf: fc.boolean(),
          })
          .map(({ params, payload, csrf }): FuzzRequest => ({ params, csrf, ...payload }))
          // The ledger fixture fails on purpose when asked to (`failAfterPublish`, for the event suite).
          .filter(
            (i) => !(route.owner === 'ledger' && typeof i.body === 'string' && /"failAfterPublish":true/.test(i.body)),
          );
        // The last failing request: after fast-check shrank the input, the smallest one that fails.
        let failing = '';
        try {
          await fc.assert(
            fc.asyncProperty(input, async (i) => {
              const path = fillPath(route.path, i.params);
              let res: Response | null = null;
              try {
                res = await send(route, actor, path, i);
              } catch (error) {
                failing = describeRequest(route, actor, path, i, null, error);
                return false;
              }
              if (res.status < 500) return true;
              failing = describeRequest(route, actor, path, i, res);
              return false;
            }),
            { numRuns: RUNS },
          );
        } catch (error) {
          const seed = /seed: (-?\d+), path: "([^"]*)"/.exec(String((error as Error).message));
          failures.push(
            `${failing || String(error)}${seed ? `\n  replay: fc.assert(..., { seed: ${seed[1]}, path: "${seed[2]}" })` : ''}`,
          );
        }
        await restore();
      }
    }
    expect(failures.join('\n\n')).toBe('');
  });
});
