import kudos from '@plein/example-kudos';
import { createTestIntranet, type TestHttp, type TestIntranet, type TestUser } from '@plein/sdk/testing';
import fc from 'fast-check';
import moderation from '../src';
import { itemFor, kudo, space } from './support';

jest.setTimeout(300_000);

/** Runs per route (`FUZZ_RUNS`); a failure prints the request and fast-check's seed. */
const RUNS = Number(process.env.FUZZ_RUNS ?? 25);
const PASSWORD = 'correct horse battery staple';

const NASTY = [
  '',
  ' ',
  '\u0000',
  '\ud800',
  '\udfff\ud800',
  '\u202e',
  '😀'.repeat(40),
  '<script>alert(1)</script>',
  "'; DROP TABLE moderation_item; --",
  '(a+)+$',
  '[',
  '\\',
  '*',
  '2030-13-45T99:99',
  '-1',
  '1e309',
  'x'.repeat(5000),
  '../../etc/passwd',
  '%00',
  '=HYPERLINK("x")',
];

/** Any value a field may be sent as: the nasty strings, wrong types, nulls, nesting. */
const value = fc.oneof(
  fc.constantFrom(...NASTY),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.string({ maxLength: 5 }), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.string({ maxLength: 5 }), { maxKeys: 3 }),
);

interface Route {
  method: 'post' | 'put' | 'patch' | 'delete';
  path: string;
  fields: string[];
  /** A page form (urlencoded with its CSRF token) rather than the JSON API. */
  form?: boolean;
}

/**
 * Bad input never makes the plugin fail: random and malformed bodies on every route that changes
 * something, in the API (JSON) and the pages (forms with their CSRF token), with real and random ids,
 * answer 4xx (or 2xx/3xx when they happen to be valid), never 5xx. On both engines.
 */
describe('moderation under random input', () => {
  let intranet: TestIntranet;
  let admin: TestUser;
  let browser: { http: TestHttp; csrf: string };
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    intranet = await createTestIntranet({ plugins: [kudos, moderation] });
    admin = await intranet.createUser({
      handle: 'root',
      email: 'root@example.test',
      password: PASSWORD,
      roles: ['admin'],
    });
    const ada = await intranet.createUser({ handle: 'ada' });
    const bob = await intranet.createUser({ handle: 'bob' });
    const http = intranet.agent();
    await http.post('/api/v1/auth/login').send({ email: 'root@example.test', password: PASSWORD }).expect(200);
    browser = { http, csrf: (await http.get('/api/v1/auth/csrf').expect(200)).body.token };
    const k = await kudo(ada, bob, 'Fuzz me');
    await bob.http.post('/api/v1/moderation/reports').send({ contentId: k.contentId, reason: 'spam' }).expect(201);
    ids.content = k.contentId;
    ids.item = (await itemFor(admin, 'reports', k.contentId))!.id;
    ids.rule = (
      await admin.http
        .post('/api/v1/moderation/rules')
        .send({ pattern: 'fuzzword', match: 'word', action: 'flag' })
        .expect(201)
    ).body.id;
    ids.sanction = (
      await admin.http
        .post(`/api/v1/moderation/users/${ada.user.id}/sanctions`)
        .send({ kind: 'warn', reason: 'x' })
        .expect(201)
    ).body.id;
    ids.user = ada.user.id;
    ids.space = (await space(admin, 'fuzz')).id;
  });
  afterAll(() => intranet.close());

  const RULE = [
    'pattern',
    'match',
    'action',
    'spaceId',
    'note',
    'replacement',
    'message',
    'routeRole',
    'activeFrom',
    'activeUntil',
    'enabled',
  ];
  const routes = (): Route[] => [
    { method: 'post', path: '/api/v1/moderation/reports', fields: ['contentId', 'reason', 'note'] },
    { method: 'post', path: `/api/v1/moderation/queue/${ids.item}/decision`, fields: ['action', 'reason'] },
    { method: 'post', path: '/api/v1/moderation/queue/{random}/decision', fields: ['action', 'reason'] },
    { method: 'post', path: `/api/v1/moderation/queue/${ids.item}/notes`, fields: ['text'] },
    { method: 'post', path: '/api/v1/moderation/queue/{random}/claim', fields: [] },
    { method: 'post', path: '/api/v1/moderation/rules', fields: RULE },
    { method: 'post', path: '/api/v1/moderation/rules/dry-run', fields: ['pattern', 'match', 'spaceId', 'days'] },
    { method: 'patch', path: `/api/v1/moderation/rules/${ids.rule}`, fields: RULE },
    { method: 'post', path: `/api/v1/moderation/users/${ids.user}/sanctions`, fields: ['kind', 'until', 'reason'] },
    { method: 'post', path: '/api/v1/moderation/users/{random}/sanctions', fields: ['kind', 'until', 'reason'] },
    { method: 'post', path: `/api/v1/moderation/sanctions/${ids.sanction}/lift`, fields: ['reason'] },
    { method: 'post', path: '/api/v1/moderation/appeals', fields: ['contentId', 'sanctionId', 'text'] },
    {
      method: 'put',
      path: `/api/v1/moderation/spaces/${ids.space}/settings`,
      fields: ['premoderated', 'slowModeSeconds'],
    },
    { method: 'put', path: '/api/v1/moderation/spaces/{random}/settings', fields: ['premoderated', 'slowModeSeconds'] },
    {
      method: 'put',
      path: '/api/v1/moderation/settings',
      fields: ['reportThreshold', 'newAccountHoldCount', 'revealModeratorNames', 'dryRunDays', 'regexTimeoutMs'],
    },
    { method: 'post', path: `/moderation/report/${ids.content}`, fields: ['reason', 'note', 'next'], form: true },
    {
      method: 'post',
      path: `/moderation/queue/${ids.item}/decision`,
      fields: ['action', 'reason', 'next'],
      form: true,
    },
    { method: 'post', path: `/moderation/queue/${ids.item}/notes`, fields: ['text'], form: true },
    { method: 'post', path: `/moderation/queue/${ids.item}/claim`, fields: ['next'], form: true },
    { method: 'post', path: '/moderation/rules', fields: [...RULE, 'intent'], form: true },
    { method: 'post', path: `/moderation/rules/${ids.rule}`, fields: [...RULE, 'intent'], form: true },
    { method: 'post', path: '/moderation/sanctions', fields: ['handle', 'kind', 'until', 'reason'], form: true },
    { method: 'post', path: `/moderation/sanctions/${ids.sanction}/lift`, fields: ['reason'], form: true },
    { method: 'post', path: '/moderation/appeal', fields: ['contentId', 'sanctionId', 'text'], form: true },
    {
      method: 'post',
      path: '/moderation/settings',
      fields: ['reportThreshold', 'newAccountHoldCount', 'revealModeratorNames', 'dryRunDays', 'regexTimeoutMs'],
      form: true,
    },
    { method: 'post', path: '/moderation/spaces/fuzz', fields: ['premoderated', 'slowModeSeconds'], form: true },
  ];

  it('answers random and malformed bodies on every route that changes something without a 5xx', async () => {
    const failures: string[] = [];
    for (const route of routes()) {
      const body = route.fields.length
        ? fc.oneof(
            fc.record(Object.fromEntries(route.fields.map((f) => [f, value])), { requiredKeys: [] }),
            fc.dictionary(fc.string({ maxLength: 8 }), value, { maxKeys: 4 }),
            value,
          )
        : fc.oneof(value, fc.constant({}));
      const random = fc.oneof(fc.uuid(), fc.constantFrom('x', '0', '%20', 'null', 'a'.repeat(80)));
      await fc
        .assert(
          fc.asyncProperty(body, random, async (sent, randomId) => {
            const path = route.path.replace('{random}', encodeURIComponent(randomId));
            let status: number;
            let answer = '';
            if (route.form) {
              const fields =
                sent && typeof sent === 'object' && !Array.isArray(sent)
                  ? (sent as Record<string, unknown>)
                  : { value: sent };
              const form = Object.fromEntries(
                Object.entries(fields).map(([k, v]) => [
                  k,
                  typeof v === 'string' ? v.replace(/[\ud800-\udfff]/g, '\ufffd') : (JSON.stringify(v) ?? ''),
                ]),
              );
              const res = await browser.http[route.method](path)
                .type('form')
                .send({ ...form, _csrf: browser.csrf });
              status = res.status;
              answer = res.text.slice(0, 300);
            } else {
              const res = await admin.http[route.method](path)
                .set('content-type', 'application/json')
                .send(JSON.stringify(sent) ?? 'null');
              status = res.status;
              answer = res.text.slice(0, 300);
            }
            if (status >= 500)
              failures.push(
                `${route.method.toUpperCase()} ${path}\n  body: ${JSON.stringify(sent)?.slice(0, 300)}\n  answered: ${status} ${answer}`,
              );
            return status < 500;
          }),
          { numRuns: RUNS, endOnFailure: true },
        )
        .catch(() => undefined);
    }
    expect(failures.join('\n\n')).toBe('');
  });

  it('stores or refuses every awkward string in every free-text field of otherwise valid requests, never failing', async () => {
    const failures: string[] = [];
    const check = async (label: string, send: () => Promise<{ status: number; text: string }>) => {
      const res = await send();
      if (res.status >= 500) failures.push(`${label}: ${res.status} ${res.text.slice(0, 200)}`);
    };
    for (const text of NASTY) {
      const k = await kudo(admin, (await intranet.createUser()) as TestUser, 'Text fields');
      const reporter = await intranet.createUser();
      await check(`report note ${JSON.stringify(text)}`, () =>
        reporter.http.post('/api/v1/moderation/reports').send({ contentId: k.contentId, reason: 'other', note: text }),
      );
      await check(`note ${JSON.stringify(text)}`, () =>
        admin.http.post(`/api/v1/moderation/queue/${ids.item}/notes`).send({ text }),
      );
      for (const field of ['pattern', 'note', 'message', 'replacement', 'routeRole']) {
        const body = {
          pattern: 'textfield',
          match: field === 'pattern' ? 'regex' : 'word',
          action: 'censor',
          [field]: text,
        };
        await check(`rule ${field} ${JSON.stringify(text)}`, () =>
          admin.http.post('/api/v1/moderation/rules').send(body),
        );
        await check(`dry run ${field} ${JSON.stringify(text)}`, () =>
          admin.http
            .post('/api/v1/moderation/rules/dry-run')
            .send({ pattern: field === 'pattern' ? text : 'x', match: 'regex' }),
        );
      }
      const target = await intranet.createUser();
      await check(`sanction reason ${JSON.stringify(text)}`, () =>
        admin.http.post(`/api/v1/moderation/users/${target.user.id}/sanctions`).send({ kind: 'warn', reason: text }),
      );
      await check(`gate ${JSON.stringify(text)}`, () =>
        admin.http.post('/api/v1/kudos').send({ toUserId: target.user.id, message: `a ${text} b` }),
      );
      await check(`log filter ${JSON.stringify(text)}`, () =>
        admin.http.get('/api/v1/moderation/log').query({ action: text, since: text }),
      );
    }
    expect(failures).toEqual([]);
  });
});
