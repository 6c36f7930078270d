/**
 * The authorization matrix: every mounted route (tests/e2e/routes.ts reads them from the running
 * server) against six actors, compared with the table below. A mounted route with no line in the
 * table fails, and so does a line for a route that is not mounted: adding a route means adding
 * its line here.
 *
 * Outcomes
 * - `'allow'`: the access guard let the request through. Whatever the handler answered next (200,
 *   a 404 for an unknown id, 409, 422 for the empty body sent) is business, not authorization.
 * - `401`: not signed in, on a JSON route.
 * - `'login'`: not signed in, on a page: a 303 to `/login?next=…` (decided with the pages: people
 *   get the sign-in form, not an error page; programs under /api get the 401 problem).
 * - `403`: signed in but not allowed.
 * - `404`: a private space (or what is in it) shown as not existing to someone who is not a member,
 *   whether the guard (routes scoped to the space) or the handler (public routes that look the
 *   space up) said so.
 * Requests carry bearer tokens (no CSRF), path parameters from the fixtures, and `{}` as body.
 * To tell a business 404 from a hidden space, the test marks each response with what the access
 * guard decided and the problem's detail (see `instrument`).
 */
import { HttpException, type ArgumentsHost, type ExecutionContext } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import kudos from '@plein/example-kudos';
import { createTestIntranet, type TestIntranet, type TestUser } from '@plein/sdk/testing';
import type { FastifyReply } from 'fastify';
import request, { type Response } from 'supertest';
import { AccessGuard } from '../../core/src/http/access.guard';
import { ProblemFilter } from '../../core/src/http/problem.filter';
import { ledger } from '../fixtures/ledger/ledger.plugin';
import { fillPath, mountedRoutes, type MountedRoute } from './routes';

// Boots on MySQL + Redis take seconds; the whole file's requests run in one test.
jest.setTimeout(120_000);

const ACTORS = ['anonymous', 'member', 'spaceMember', 'spaceAdmin', 'moderator', 'admin'] as const;
type Actor = (typeof ACTORS)[number];
type Outcome = 'allow' | 401 | 403 | 404 | 'login';
type Row = Record<Actor, Outcome>;

const row = (
  anonymous: Outcome,
  member: Outcome,
  spaceMember: Outcome,
  spaceAdmin: Outcome,
  moderator: Outcome,
  admin: Outcome,
): Row => ({
  anonymous,
  member,
  spaceMember,
  spaceAdmin,
  moderator,
  admin,
});

// Columns: anonymous, member, spaceMember, spaceAdmin, moderator, admin.
const PUBLIC = row('allow', 'allow', 'allow', 'allow', 'allow', 'allow');
const SIGNED_IN = row(401, 'allow', 'allow', 'allow', 'allow', 'allow');
const ADMIN = row(401, 403, 403, 403, 403, 'allow');
const MODERATOR = row(401, 403, 403, 403, 'allow', 'allow');
/** Anyone may ask, but a private space exists only for its members (and site admins). */
const SPACE_VISIBLE = row(404, 404, 'allow', 'allow', 404, 'allow');
/** `core.space.join` (every member), then the handler looks the private space up. */
const SPACE_JOIN = row(401, 404, 'allow', 'allow', 404, 'allow');
/** `core.space.manage` in the space: its admins and site admins; others do not see it. */
const SPACE_MANAGE = row(404, 404, 403, 'allow', 404, 'allow');
const PAGE_SIGNED_IN = row('login', 'allow', 'allow', 'allow', 'allow', 'allow');
const PAGE_ADMIN = row('login', 403, 403, 403, 403, 'allow');
const PAGE_SPACE_JOIN = row('login', 404, 'allow', 'allow', 404, 'allow');

/** One line per mounted route: `METHOD path` as Fastify mounts it. Page routes last. */
const MATRIX: Record<string, Row> = {
  // Core JSON API
  'GET /api/v1/health': PUBLIC,
  'GET /api/v1/auth/csrf': PUBLIC,
  'POST /api/v1/auth/login': PUBLIC,
  'POST /api/v1/auth/logout': PUBLIC,
  'GET /api/v1/auth/setup': PUBLIC,
  'POST /api/v1/auth/setup': PUBLIC,
  'POST /api/v1/auth/password-reset': PUBLIC,
  'POST /api/v1/auth/password-reset/:token': PUBLIC,
  'GET /api/v1/auth/tokens': SIGNED_IN,
  'POST /api/v1/auth/tokens': SIGNED_IN,
  'DELETE /api/v1/auth/tokens/:id': SIGNED_IN,
  'GET /api/v1/me': SIGNED_IN,
  'PATCH /api/v1/me': SIGNED_IN,
  'GET /api/v1/users': ADMIN,
  'POST /api/v1/users': ADMIN,
  'GET /api/v1/users/:id': SIGNED_IN,
  'PATCH /api/v1/users/:id': ADMIN,
  'GET /api/v1/spaces': PUBLIC,
  'POST /api/v1/spaces': SIGNED_IN,
  'GET /api/v1/spaces/:space': SPACE_VISIBLE,
  'PATCH /api/v1/spaces/:space': SPACE_MANAGE,
  'GET /api/v1/spaces/:space/members': SPACE_VISIBLE,
  'POST /api/v1/spaces/:space/members': SPACE_MANAGE,
  'DELETE /api/v1/spaces/:space/members/:userId': SPACE_MANAGE,
  'POST /api/v1/spaces/:space/join': SPACE_JOIN,
  'POST /api/v1/spaces/:space/leave': SPACE_JOIN,
  'GET /api/v1/spaces/:space/plugins': SPACE_VISIBLE,
  'PUT /api/v1/spaces/:space/plugins/:id': SPACE_MANAGE,
  'GET /api/v1/permissions': SIGNED_IN,
  'GET /api/v1/roles': ADMIN,
  'POST /api/v1/roles': ADMIN,
  'PUT /api/v1/roles/:id/permissions': ADMIN,
  'GET /api/v1/notifications': SIGNED_IN,
  'POST /api/v1/notifications/read': SIGNED_IN,
  'GET /api/v1/notifications/preferences': SIGNED_IN,
  'PUT /api/v1/notifications/preferences': SIGNED_IN,
  'GET /api/v1/notifications/digest': SIGNED_IN,
  'PUT /api/v1/notifications/digest': SIGNED_IN,
  'GET /api/v1/plugins': ADMIN,
  'POST /api/v1/plugins/:id/enable': ADMIN,
  'POST /api/v1/plugins/:id/disable': ADMIN,
  'PUT /api/v1/plugins/:id/space-policy': ADMIN,
  'GET /api/v1/jobs': ADMIN,
  'GET /api/v1/audit': ADMIN,
  // core.activity.read and core.search.use: members (what each finds is Contents.visibleTo's business)
  'GET /api/v1/activity': SIGNED_IN,
  'GET /api/v1/search': SIGNED_IN,
  // Kudos (kudos.kudo.read is granted to anonymous; kudos.tally.manage to moderators)
  'GET /api/v1/kudos': PUBLIC,
  'POST /api/v1/kudos': SIGNED_IN,
  'GET /api/v1/kudos/:id': PUBLIC,
  'GET /api/v1/kudos/leaderboard': PUBLIC,
  'POST /api/v1/kudos/recount': MODERATOR,
  // Ledger fixture
  'GET /api/v1/ledger/entries': PUBLIC,
  'POST /api/v1/ledger/entries': SIGNED_IN,
  'GET /api/v1/ledger/seen': PUBLIC,
  'GET /api/v1/ledger/jobs': PUBLIC,
  // API documentation and static files (registered on Fastify, no guard)
  'GET /api/docs': PUBLIC,
  'GET /api/docs/': PUBLIC,
  'GET /api/docs/*': PUBLIC,
  'GET /api/docs/plein-init.js': PUBLIC,
  'GET /api/docs-json': PUBLIC,
  'GET /assets/theme/*': PUBLIC,
  // Pages
  'GET /': PUBLIC,
  'GET /setup': PUBLIC,
  'POST /setup': PUBLIC,
  'GET /login': PUBLIC,
  'POST /login': PUBLIC,
  'POST /logout': PUBLIC,
  'GET /password/forgot': PUBLIC,
  'POST /password/forgot': PUBLIC,
  'GET /password/reset/:token': PUBLIC,
  'POST /password/reset/:token': PUBLIC,
  'GET /profile': PAGE_SIGNED_IN,
  'POST /profile': PAGE_SIGNED_IN,
  'POST /profile/password': PAGE_SIGNED_IN,
  'POST /profile/tokens': PAGE_SIGNED_IN,
  'POST /profile/tokens/:id/revoke': PAGE_SIGNED_IN,
  'GET /users/:handle': PAGE_SIGNED_IN,
  'GET /notifications': PAGE_SIGNED_IN,
  'POST /notifications/read': PAGE_SIGNED_IN,
  'GET /notifications/settings': PAGE_SIGNED_IN,
  'POST /notifications/settings': PAGE_SIGNED_IN,
  'GET /spaces': PUBLIC,
  'GET /spaces/new': PAGE_SIGNED_IN,
  'POST /spaces/new': PAGE_SIGNED_IN,
  'GET /spaces/:slug': SPACE_VISIBLE,
  'POST /spaces/:slug/join': PAGE_SPACE_JOIN,
  'POST /spaces/:slug/leave': PAGE_SPACE_JOIN,
  'POST /spaces/:slug/members': SPACE_MANAGE,
  'POST /spaces/:slug/members/:userId': SPACE_MANAGE,
  'POST /spaces/:slug/members/:userId/remove': SPACE_MANAGE,
  'POST /spaces/:slug/plugins/:id': SPACE_MANAGE,
  'GET /admin/users': PAGE_ADMIN,
  'POST /admin/users': PAGE_ADMIN,
  'POST /admin/users/:id': PAGE_ADMIN,
  'GET /admin/roles': PAGE_ADMIN,
  'POST /admin/roles': PAGE_ADMIN,
  'POST /admin/roles/:role/permissions': PAGE_ADMIN,
  'GET /admin/plugins': PAGE_ADMIN,
  'POST /admin/plugins/:id/enable': PAGE_ADMIN,
  'POST /admin/plugins/:id/disable': PAGE_ADMIN,
  'GET /admin/themes': PAGE_ADMIN,
  'POST /admin/themes': PAGE_ADMIN,
  'POST /admin/plugins/:id/space-policy': PAGE_ADMIN,
  'GET /admin/audit': PAGE_ADMIN,
  'GET /activity': PAGE_SIGNED_IN,
  'GET /search': PAGE_SIGNED_IN,
  'GET /kudos': PUBLIC,
};

const HIDDEN_SPACE = 'No such space, or it is private';

interface Fixtures {
  users: Record<Exclude<Actor, 'anonymous'>, TestUser> & { bystander: TestUser };
  privateSpace: { id: string; slug: string };
  publicSpace: { id: string; slug: string };
  kudoId: string;
  bystanderTokenId: string;
  role: string;
}

/**
 * Path parameters by `<segment before it>/:<name>`: a new route whose parameter is not here fails
 * with a message naming it. Tokens are issued fresh per request, so revoking one changes nothing.
 */
const PARAMS: Record<string, (f: Fixtures, actor: Actor) => string | Promise<string>> = {
  'spaces/:space': (f) => f.privateSpace.id,
  'spaces/:slug': (f) => f.privateSpace.slug,
  'members/:userId': (f) => f.users.spaceMember.user.id,
  'users/:id': (f) => f.users.bystander.user.id,
  'users/:handle': (f) => f.users.member.user.handle,
  'kudos/:id': (f) => f.kudoId,
  'plugins/:id': () => 'ledger',
  'roles/:id': (f) => f.role,
  'roles/:role': (f) => f.role,
  'tokens/:id': (f, actor) => (actor === 'anonymous' ? f.bystanderTokenId : issueToken(f.users[actor])),
  'password-reset/:token': () => 'not-a-reset-token',
  'reset/:token': () => 'not-a-reset-token',
  'theme/*': () => 'plein.css',
  'docs/*': () => 'swagger-ui.css',
};

async function issueToken(user: TestUser): Promise<string> {
  const res = await user.http.post('/api/v1/auth/tokens').send({ name: 'spare' }).expect(201);
  return (res.body as { id: string }).id;
}

async function pathFor(route: MountedRoute, f: Fixtures, actor: Actor): Promise<string> {
  const values: Record<string, string> = {};
  const segments = route.path.split('/');
  for (let i = 1; i < segments.length; i++) {
    const segment = segments[i];
    if (!segment.startsWith(':') && segment !== '*') continue;
    const key = `${segments[i - 1]}/${segment}`;
    const fill = PARAMS[key];
    if (!fill) throw new Error(`${route.key}: no fixture value for '${key}'; add one to PARAMS`);
    values[segment === '*' ? '*' : segment.slice(1)] = await fill(f, actor);
  }
  return fillPath(route.path, values);
}

/**
 * Marks every response with what the access guard decided (`x-matrix-guard: passed|refused`) and,
 * for an error, the problem's detail (`x-matrix-detail`): pages show errors as HTML without the
 * detail, and an outcome must not depend on a page's wording. Patched on the prototypes before the
 * intranet boots, because Nest binds a filter's `catch` when it mounts the routes; returns the undo.
 */
function instrument(): () => void {
  const canActivate = AccessGuard.prototype.canActivate;
  const handle = ProblemFilter.prototype.catch;
  AccessGuard.prototype.canActivate = async function (this: AccessGuard, context: ExecutionContext) {
    const reply = context.switchToHttp().getResponse<FastifyReply>();
    try {
      const allowed = await canActivate.call(this, context);
      void reply.header('x-matrix-guard', allowed ? 'passed' : 'refused');
      return allowed;
    } catch (error) {
      void reply.header('x-matrix-guard', 'refused');
      throw error;
    }
  };
  ProblemFilter.prototype.catch = function (this: ProblemFilter, exception: unknown, host: ArgumentsHost) {
    if (exception instanceof HttpException) {
      const response = exception.getResponse() as string | { message?: unknown; detail?: unknown };
      const detail = typeof response === 'string' ? response : String(response.detail ?? response.message ?? '');
      void host.switchToHttp().getResponse<FastifyReply>().header('x-matrix-detail', encodeURIComponent(detail));
    }
    return handle.call(this, exception, host);
  };
  return () => {
    AccessGuard.prototype.canActivate = canActivate;
    ProblemFilter.prototype.catch = handle;
  };
}

function outcomeOf(res: Response): Outcome {
  const detail = decodeURIComponent(String(res.headers['x-matrix-detail'] ?? ''));
  if (res.status === 401) return 401;
  if (res.status >= 300 && res.status < 400 && String(res.headers.location ?? '').startsWith('/login?next='))
    return 'login';
  if (res.status === 403) return 403;
  if (res.status === 404 && (res.headers['x-matrix-guard'] === 'refused' || detail === HIDDEN_SPACE)) return 404;
  return 'allow';
}

describe('authorization matrix', () => {
  let intranet: TestIntranet;
  let server: Parameters<typeof request>[0];
  let f: Fixtures;
  let routes: MountedRoute[];
  let uninstrument: () => void;
  let anonymous: { cookie: string; token: string };

  const send = async (route: MountedRoute, actor: Actor): Promise<Response> => {
    const path = await pathFor(route, f, actor);
    let req = request(server)[route.method.toLowerCase() as 'get'](path).redirects(0);
    const changes = route.method !== 'GET';
    if (actor !== 'anonymous') req = req.set('authorization', `Bearer ${f.users[actor].token}`);
    else if (changes) req = req.set('cookie', anonymous.cookie).set('x-csrf-token', anonymous.token);
    if (changes && route.method !== 'DELETE') req = req.send({});
    return req;
  };

  /** Undoes what a request that went through may have changed: plugins off, members gone. */
  const restore = async (): Promise<void> => {
    const admin = f.users.admin.http;
    const plugins = (await admin.get('/api/v1/plugins').expect(200)).body as {
      items: Array<{ id: string; state: string }>;
    };
    for (const p of plugins.items.filter((p) => p.state === 'disabled'))
      await admin.post(`/api/v1/plugins/${p.id}/enable`).expect(200);
    const inSpace = (await admin.get(`/api/v1/spaces/${f.privateSpace.id}/plugins`).expect(200)).body as {
      items: Array<{ id: string; choice: boolean | null }>;
    };
    for (const p of inSpace.items.filter((p) => p.choice === false))
      await admin.put(`/api/v1/spaces/${f.privateSpace.id}/plugins/${p.id}`).send({ enabled: true }).expect(200);
    const members = (await admin.get(`/api/v1/spaces/${f.privateSpace.id}/members`).expect(200)).body as {
      items: Array<{ user: { id: string }; role: string }>;
    };
    for (const [user, role] of [
      [f.users.spaceAdmin, 'admin'],
      [f.users.spaceMember, 'member'],
    ] as const) {
      if (!members.items.some((m) => m.user.id === user.user.id && m.role === role)) {
        await admin
          .post(`/api/v1/spaces/${f.privateSpace.id}/members`)
          .send({ userId: user.user.id, role })
          .expect(201);
      }
    }
  };

  beforeAll(async () => {
    uninstrument = instrument();
    intranet = await createTestIntranet({ plugins: [kudos, ledger] });
    server = intranet.get(HttpAdapterHost).httpAdapter.getHttpServer();
    // Anonymous visitors post as a browser does: with the anonymous cookie and its CSRF token.
    const csrf = await request(server).get('/api/v1/auth/csrf').expect(200);
    anonymous = {
      cookie: [csrf.headers['set-cookie']]
        .flat()
        .map((c: string) => c.split(';')[0])
        .join('; '),
      token: (csrf.body as { token: string }).token,
    };
    const users = {
      admin: await intranet.createUser({ handle: 'admin', roles: ['admin'] }),
      moderator: await intranet.createUser({ handle: 'moderator', roles: ['moderator'] }),
      member: await intranet.createUser({ handle: 'member' }),
      spaceMember: await intranet.createUser({ handle: 'space-member' }),
      spaceAdmin: await intranet.createUser({ handle: 'space-admin' }),
      bystander: await intranet.createUser({ handle: 'bystander' }),
    };
    const space = async (slug: string, visibility: string, joinPolicy: string) =>
      (
        await users.spaceAdmin.http
          .post('/api/v1/spaces')
          .send({ slug, name: slug, visibility, joinPolicy })
          .expect(201)
      ).body as { id: string; slug: string };
    const privateSpace = await space('private-team', 'private', 'invite');
    const publicSpace = await space('town-square', 'public', 'open');
    await users.spaceAdmin.http
      .post(`/api/v1/spaces/${privateSpace.id}/members`)
      .send({ userId: users.spaceMember.user.id, role: 'member' })
      .expect(201);
    const kudo = await users.member.http
      .post('/api/v1/kudos')
      .send({ toUserId: users.spaceMember.user.id, message: 'Thanks for the review' })
      .expect(201);
    await users.admin.http.post('/api/v1/roles').send({ name: 'auditor' }).expect(201);
    f = {
      users,
      privateSpace,
      publicSpace,
      kudoId: (kudo.body as { id: string }).id,
      bystanderTokenId: await issueToken(users.bystander),
      role: 'auditor',
    };
    routes = mountedRoutes(intranet);
  });
  afterAll(async () => {
    await intranet?.close();
    uninstrument();
  });

  it('has a line for every mounted route, and none for a route that is not mounted', () => {
    const mounted = new Set(routes.map((r) => r.key));
    const missing = [...mounted]
      .filter((key) => !(key in MATRIX))
      .map((key) => `  ${key}: mounted, but the matrix has no line for it`);
    const stale = Object.keys(MATRIX)
      .filter((key) => !mounted.has(key))
      .map((key) => `  ${key}: in the matrix, but no such route is mounted`);
    expect([...missing, ...stale].join('\n')).toBe('');
  });

  it('answers every actor on every route as the matrix says', async () => {
    const wrong: string[] = [];
    for (const route of routes) {
      const expected = MATRIX[route.key];
      if (!expected) continue;
      for (const actor of ACTORS) {
        const res = await send(route, actor);
        const got = outcomeOf(res);
        if (got !== expected[actor]) {
          const detail =
            decodeURIComponent(String(res.headers['x-matrix-detail'] ?? '')) ||
            (res.body as { detail?: string })?.detail ||
            '';
          wrong.push(
            `  ${route.key} as ${actor}: expected ${expected[actor]}, got ${got} (${res.status}${res.headers.location ? ` → ${res.headers.location}` : ''}${detail ? `: ${detail}` : ''})`,
          );
        }
        if (route.method !== 'GET' && res.status < 400) await restore();
      }
    }
    expect(wrong.join('\n')).toBe('');
  });

  it('control: tells a business 404 from a hidden space, and a page 401 from an API 401', async () => {
    const member = f.users.member;
    const unknownKudo = await request(server)
      .get('/api/v1/kudos/no-such-kudo')
      .set('authorization', `Bearer ${member.token}`);
    expect([unknownKudo.status, outcomeOf(unknownKudo)]).toEqual([404, 'allow']);
    const hidden = await request(server)
      .get(`/api/v1/spaces/${f.privateSpace.slug}`)
      .set('authorization', `Bearer ${member.token}`);
    expect([hidden.status, outcomeOf(hidden)]).toEqual([404, 404]);
    const scoped = await request(server)
      .patch(`/api/v1/spaces/${f.privateSpace.slug}`)
      .set('authorization', `Bearer ${member.token}`)
      .send({});
    expect([scoped.status, scoped.headers['x-matrix-guard'], outcomeOf(scoped)]).toEqual([404, 'refused', 404]);
    const page = await request(server).get('/profile').redirects(0);
    expect([page.status, outcomeOf(page)]).toEqual([303, 'login']);
    const visible = await request(server).get(`/api/v1/spaces/${f.publicSpace.slug}`);
    expect([visible.status, outcomeOf(visible)]).toEqual([200, 'allow']);
  });
});
